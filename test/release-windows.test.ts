/**
 * Release windows: random windows, zones and instants (many of them near a clock change) must
 * agree on what "open" and "the next opening" mean; fixed cases pin down daylight saving, the
 * hour that does not exist and the hour that exists twice.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ReleaseWindow } from "../src/release/model.js";
import {
  isInsideReleaseWindow,
  nextReleaseWindowOpening,
  releaseWindowVerdict,
} from "../src/release/release-windows.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** Random runs of the properties; a deep search sets RELEASE_WINDOW_RUNS. */
const RUNS = Number(process.env.RELEASE_WINDOW_RUNS ?? 200);

/** Zones with every kind of offset: none, whole hours, half and three quarters, 30-minute DST, southern DST. */
const ZONES = [
  "UTC",
  "Europe/London",
  "America/New_York",
  "Australia/Sydney",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Australia/Lord_Howe",
  "America/Santiago",
  "Pacific/Chatham",
];

/** Clock changes of 2026 (and one of 2027) in those zones, as UTC instants. */
const CLOCK_CHANGES = [
  "2026-03-29T01:00:00Z", // Europe/London, spring
  "2026-10-25T01:00:00Z", // Europe/London, autumn
  "2026-03-08T07:00:00Z", // America/New_York, spring
  "2026-11-01T06:00:00Z", // America/New_York, autumn
  "2026-04-04T16:00:00Z", // Australia/Sydney, autumn
  "2026-10-03T16:00:00Z", // Australia/Sydney, spring
  "2026-04-04T15:00:00Z", // Australia/Lord_Howe, autumn
  "2026-10-03T15:30:00Z", // Australia/Lord_Howe, spring
  "2027-04-04T03:00:00Z", // America/Santiago, autumn
].map(Date.parse);

function window(
  days: ReleaseWindow["days"],
  from: string,
  to: string,
  timeZone: string,
): ReleaseWindow {
  const minutes = (time: string) => {
    const [hours, mins] = time.split(":").map(Number);
    return (hours ?? 0) * 60 + (mins ?? 0);
  };
  return { days, fromMinutes: minutes(from), toMinutes: minutes(to), timeZone };
}

// Times on the hour and half hour around 01:00-03:00 are where clocks change: weigh them more.
const clockMinutes = (most: number) =>
  fc.oneof(
    fc.integer({ min: 0, max: most }),
    fc.constantFrom(0, 60, 90, 120, 130, 150, 180, 1440).filter((minutes) => minutes <= most),
  );

const windowArb: fc.Arbitrary<ReleaseWindow> = fc
  .record({
    days: fc.subarray([...DAYS], { minLength: 1 }),
    fromMinutes: clockMinutes(1439),
    toMinutes: clockMinutes(1440).filter((minutes) => minutes > 0),
    timeZone: fc.constantFrom(...ZONES),
  })
  .filter((entry) => entry.fromMinutes !== entry.toMinutes);

const instantArb = fc.oneof(
  fc.integer({ min: Date.parse("2024-01-01T00:00:00Z"), max: Date.parse("2031-01-01T00:00:00Z") }),
  fc
    .tuple(fc.constantFrom(...CLOCK_CHANGES), fc.integer({ min: -3 * DAY, max: 3 * DAY }))
    .map(([change, offset]) => change + offset),
);

const windowsArb = fc.array(windowArb, { minLength: 1, maxLength: 3 });

/** Minute boundaries strictly after `from` and strictly before `until`, within `span` of either end. */
function minutesNearEnds(from: number, until: number, span: number): number[] {
  const first = Math.floor(from / MINUTE) * MINUTE + MINUTE;
  const instants = new Set<number>();
  for (let at = first; at < Math.min(until, from + span); at += MINUTE) instants.add(at);
  const last = Math.ceil(until / MINUTE) * MINUTE - MINUTE;
  for (let at = last; at > Math.max(from, until - span); at -= MINUTE) instants.add(at);
  return [...instants];
}

/** The wall clock of `instant` in `timeZone`, written independently of the module under test. */
function localMinuteOfWeek(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(instant);
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? "";
  const day = DAYS.indexOf(part("weekday").toLowerCase() as (typeof DAYS)[number]);
  return day * 1440 + Number(part("hour")) * 60 + Number(part("minute"));
}

/** Whether clocks read the same offset two days either side of `instant`: no change near it. */
function farFromClockChanges(instant: number, timeZone: string): boolean {
  const offset = (at: number) =>
    new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
      .formatToParts(at)
      .find((part) => part.type === "timeZoneName")?.value;
  return offset(instant - 2 * DAY) === offset(instant + 2 * DAY);
}

describe("release windows over random windows, zones and instants", () => {
  it(`names a next opening that is open, and nothing open before it (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(windowsArb, instantArb, (windows, now) => {
        const next = nextReleaseWindowOpening(windows, now);
        expect(next).not.toBeNull();
        const at = next?.at.getTime() ?? Number.NaN;
        const open = isInsideReleaseWindow(windows, now);
        // Now when open, else in the future.
        expect(at === now).toBe(open);
        expect(at).toBeGreaterThanOrEqual(now);
        // Every listed day comes each week; one night lost in a DST gap delays it a week at most.
        expect(at - now).toBeLessThan(15 * DAY);
        expect(isInsideReleaseWindow(windows, at)).toBe(true);
        if (at > now) expect(isInsideReleaseWindow(windows, at - 1)).toBe(false);
        for (const instant of minutesNearEnds(now, at, 4 * HOUR)) {
          expect(isInsideReleaseWindow(windows, instant), new Date(instant).toISOString()).toBe(
            false,
          );
        }
        // The ISO text is the same instant (to the second), and the readable text is its wall clock.
        expect(Date.parse(next?.iso ?? "")).toBe(Math.floor(at / 1000) * 1000);
        expect(next?.iso).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
        expect(next?.text).toMatch(
          /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{4}-\d\d-\d\d \d\d:\d\d [A-Za-z_/]+$/,
        );
        expect(next?.text.slice(4, 20)).toBe(next?.iso.slice(0, 16).replace("T", " "));
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it(`agrees with the plain wall-clock rule away from clock changes (${RUNS * 5} runs)`, () => {
    fc.assert(
      fc.property(windowArb, instantArb, (entry, now) => {
        fc.pre(farFromClockChanges(now, entry.timeZone));
        const minute = localMinuteOfWeek(now, entry.timeZone);
        const length =
          entry.toMinutes > entry.fromMinutes
            ? entry.toMinutes - entry.fromMinutes
            : entry.toMinutes + 1440 - entry.fromMinutes;
        const inside = entry.days.some((day) => {
          const start = DAYS.indexOf(day) * 1440 + entry.fromMinutes;
          const since = (minute - start + 7 * 1440) % (7 * 1440);
          return since < length;
        });
        expect(isInsideReleaseWindow([entry], now)).toBe(inside);
      }),
      { numRuns: RUNS * 5 },
    );
  });

  it(`refuses exactly when closed and not ignored, naming the next opening (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(windowsArb, instantArb, fc.boolean(), (windows, now, ignore) => {
        const verdict = releaseWindowVerdict(windows, now, ignore);
        const next = nextReleaseWindowOpening(windows, now);
        expect(verdict.open).toBe(isInsideReleaseWindow(windows, now));
        expect(verdict.ignored).toBe(ignore && !verdict.open);
        expect(verdict.next).toBe(next?.iso);
        expect(verdict.nextText).toBe(next?.text);
        if (verdict.open || ignore) {
          expect(verdict).not.toHaveProperty("refusal");
        } else {
          expect(verdict.refusal).toContain(`the next opens ${next?.text ?? "?"}.`);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("release windows on fixed days", () => {
  const at = (iso: string) => Date.parse(iso);
  const opening = (windows: ReleaseWindow[], now: string) => {
    const next = nextReleaseWindowOpening(windows, at(now));
    return next === null ? null : { at: next.at.toISOString(), text: next.text, iso: next.iso };
  };
  const insideAt = (windows: ReleaseWindow[], instants: string[]) =>
    instants.map((instant) => isInsideReleaseWindow(windows, at(instant)));

  it("refuses a Friday evening with the Monday morning it opens, as the contract's example", () => {
    const windows = [window(["mon", "tue", "wed", "thu"], "09:00", "16:00", "Europe/London")];
    expect(releaseWindowVerdict(windows, at("2026-12-04T17:30:00Z"), false)).toEqual({
      open: false,
      ignored: false,
      next: "2026-12-07T09:00:00+00:00",
      nextText: "Mon 2026-12-07 09:00 Europe/London",
      refusal:
        "outside every release window; the next opens Mon 2026-12-07 09:00 Europe/London. Set ignore-release-windows: true for an urgent hotfix.",
    });
    // `from` is inclusive, `to` exclusive; in summer London is an hour ahead of UTC.
    expect(
      insideAt(windows, [
        "2026-12-07T08:59:59.999Z",
        "2026-12-07T09:00:00Z",
        "2026-12-10T15:59:59.999Z",
        "2026-12-10T16:00:00Z",
        "2026-07-06T08:00:00Z",
        "2026-07-06T14:59:59Z",
        "2026-07-06T15:00:00Z",
      ]),
    ).toEqual([false, true, true, false, true, true, false]);
  });

  it("lets an urgent hotfix through outside every window and records it; inside, nothing is overridden", () => {
    const windows = [window(["mon"], "09:00", "16:00", "UTC")];
    expect(releaseWindowVerdict(windows, at("2026-12-05T12:00:00Z"), true)).toEqual({
      open: false,
      ignored: true,
      next: "2026-12-07T09:00:00+00:00",
      nextText: "Mon 2026-12-07 09:00 UTC",
    });
    // Open: the next opening is now itself, to the second.
    expect(releaseWindowVerdict(windows, at("2026-12-07T10:15:42.250Z"), true)).toEqual({
      open: true,
      ignored: false,
      next: "2026-12-07T10:15:42+00:00",
      nextText: "Mon 2026-12-07 10:15 UTC",
    });
  });

  it("starts at any time without windows", () => {
    expect(releaseWindowVerdict([], at("2026-12-05T12:00:00Z"), false)).toEqual({
      open: true,
      ignored: false,
      next: null,
      nextText: null,
    });
    expect(nextReleaseWindowOpening([], 0)).toBeNull();
  });

  it("ends a window whose to is earlier than its from the next day, and one to 24:00 at midnight", () => {
    const overnight = [window(["fri"], "22:00", "02:00", "UTC")];
    expect(
      insideAt(overnight, [
        "2026-12-04T21:59:59Z",
        "2026-12-04T22:00:00Z",
        "2026-12-05T01:59:59Z",
        "2026-12-05T02:00:00Z",
        // A Saturday night is no Friday night: the days are the days a window starts.
        "2026-12-05T23:00:00Z",
      ]),
    ).toEqual([false, true, true, false, false]);
    const evening = [window(["mon"], "18:00", "24:00", "UTC")];
    expect(insideAt(evening, ["2026-12-07T23:59:59.999Z", "2026-12-08T00:00:00Z"])).toEqual([
      true,
      false,
    ]);
  });

  it("reads half-hour and three-quarter-hour offsets", () => {
    const kolkata = [window(["mon"], "09:00", "17:00", "Asia/Kolkata")];
    expect(opening(kolkata, "2026-12-06T12:00:00Z")).toEqual({
      at: "2026-12-07T03:30:00.000Z",
      text: "Mon 2026-12-07 09:00 Asia/Kolkata",
      iso: "2026-12-07T09:00:00+05:30",
    });
    const kathmandu = [window(["mon"], "09:00", "17:00", "Asia/Kathmandu")];
    expect(opening(kathmandu, "2026-12-06T12:00:00Z")?.iso).toBe("2026-12-07T09:00:00+05:45");
    const newYork = [window(["mon"], "09:00", "17:00", "America/New_York")];
    expect(opening(newYork, "2026-12-06T12:00:00Z")?.iso).toBe("2026-12-07T09:00:00-05:00");
  });

  describe("the hour that does not exist (spring forward)", () => {
    it("opens a window that starts in it at the first instant after it", () => {
      // London, 29 March 2026: 01:00 GMT becomes 02:00 BST.
      const london = [window(["sun"], "01:30", "03:00", "Europe/London")];
      expect(opening(london, "2026-03-28T12:00:00Z")).toEqual({
        at: "2026-03-29T01:00:00.000Z",
        text: "Sun 2026-03-29 02:00 Europe/London",
        iso: "2026-03-29T02:00:00+01:00",
      });
      expect(
        insideAt(london, ["2026-03-29T00:59:59Z", "2026-03-29T01:59:59Z", "2026-03-29T02:00:00Z"]),
      ).toEqual([false, true, false]);
      // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT.
      const newYork = [window(["sun"], "02:30", "04:00", "America/New_York")];
      expect(opening(newYork, "2026-03-07T12:00:00Z")).toEqual({
        at: "2026-03-08T07:00:00.000Z",
        text: "Sun 2026-03-08 03:00 America/New_York",
        iso: "2026-03-08T03:00:00-04:00",
      });
      // Lord Howe Island moves its clocks by half an hour: 02:00 becomes 02:30.
      const lordHowe = [window(["sun"], "02:10", "04:00", "Australia/Lord_Howe")];
      expect(opening(lordHowe, "2026-10-03T00:00:00Z")).toEqual({
        at: "2026-10-03T15:30:00.000Z",
        text: "Sun 2026-10-04 02:30 Australia/Lord_Howe",
        iso: "2026-10-04T02:30:00+11:00",
      });
    });

    it("closes a window that ends in it when the gap begins", () => {
      const london = [window(["sat"], "22:00", "01:30", "Europe/London")];
      expect(insideAt(london, ["2026-03-29T00:59:59Z", "2026-03-29T01:00:00Z"])).toEqual([
        true,
        false,
      ]);
    });

    it("skips a window that lies wholly in it, to the next week", () => {
      // Sydney, 4 October 2026: 02:00 AEST becomes 03:00 AEDT; 02:00-02:30 never happens.
      const sydney = [window(["sun"], "02:00", "02:30", "Australia/Sydney")];
      expect(opening(sydney, "2026-10-01T12:00:00Z")).toEqual({
        at: "2026-10-10T15:00:00.000Z",
        text: "Sun 2026-10-11 02:00 Australia/Sydney",
        iso: "2026-10-11T02:00:00+11:00",
      });
    });
  });

  describe("the hour that exists twice (fall back)", () => {
    it("opens a window that starts in it at the first occurrence", () => {
      // London, 25 October 2026: 02:00 BST becomes 01:00 GMT; 01:30 happens at 00:30Z and 01:30Z.
      const london = [window(["sun"], "01:30", "03:00", "Europe/London")];
      expect(opening(london, "2026-10-24T12:00:00Z")).toEqual({
        at: "2026-10-25T00:30:00.000Z",
        text: "Sun 2026-10-25 01:30 Europe/London",
        iso: "2026-10-25T01:30:00+01:00",
      });
      // The window lasts its 2½ hours of wall clock plus the repeated hour: until 03:00 GMT.
      expect(
        insideAt(london, ["2026-10-25T00:29:59Z", "2026-10-25T01:45:00Z", "2026-10-25T02:59:59Z"]),
      ).toEqual([false, true, true]);
      expect(isInsideReleaseWindow(london, at("2026-10-25T03:00:00Z"))).toBe(false);
      // New York, 1 November 2026: 02:00 EDT becomes 01:00 EST.
      const newYork = [window(["sun"], "01:30", "04:00", "America/New_York")];
      expect(opening(newYork, "2026-10-31T12:00:00Z")?.iso).toBe("2026-11-01T01:30:00-04:00");
      // Sydney, 5 April 2026: 03:00 AEDT becomes 02:00 AEST.
      const sydney = [window(["sun"], "02:30", "05:00", "Australia/Sydney")];
      expect(opening(sydney, "2026-04-03T12:00:00Z")).toEqual({
        at: "2026-04-04T15:30:00.000Z",
        text: "Sun 2026-04-05 02:30 Australia/Sydney",
        iso: "2026-04-05T02:30:00+11:00",
      });
    });

    it("closes a window that ends in it at the first occurrence, and does not open it again", () => {
      const london = [window(["sat"], "22:00", "01:30", "Europe/London")];
      expect(
        insideAt(london, ["2026-10-25T00:29:59Z", "2026-10-25T00:30:00Z", "2026-10-25T01:15:00Z"]),
      ).toEqual([true, false, false]);
    });
  });
});
