/**
 * Release windows (the manifest's `release-windows`): whether swaps may start now, and when
 * they may next. Pure: the caller passes the instant, so tests need no clock.
 *
 * Time zones come from Node's own `Intl` (full ICU with the IANA database is built in since
 * Node 13), and that is enough: `Intl.DateTimeFormat` tells the wall clock of any instant in any
 * zone, daylight saving included, and the one thing it lacks, wall clock → instant, is found
 * here from the zone's offsets a day either side of the wanted time (no zone changes its clocks
 * twice within a few days). A library (Luxon, date-fns-tz, a Temporal polyfill) would bundle a
 * second copy of what Node already has and could disagree with the tz data the settings
 * validated the zone names against.
 *
 * Each window starts on a listed day at `from`, local time, and ends at `to` that day (or the
 * next day when `to` is earlier, or at midnight for `24:00`). Daylight saving decides two cases:
 * - a local time that does not exist (the hour skipped in spring) is read as the first instant
 *   after the gap: a window from 02:30 on that night opens at the transition (03:00 local);
 * - a local time that exists twice (the hour repeated in autumn) is read as its first
 *   occurrence: a window from 01:30 that night opens the first time clocks show 01:30.
 * The same reading applies to `to`, so a window is always one span of real time. A window whose
 * start and end fall in the same gap is empty that night; its next listed day opens as usual.
 */
import type { ReleaseWindow } from "./model.js";

/** The next time swaps may start: the instant, and how users read it. */
export interface ReleaseWindowOpening {
  at: Date;
  /** In the window's zone, e.g. `Mon 2026-12-07 09:00 Europe/London`. */
  text: string;
  /** ISO 8601 with the zone's offset, e.g. `2026-12-07T09:00:00+00:00`. */
  iso: string;
}

/** What pre-flight decides from the release windows, and what the report and Slack show. */
export interface ReleaseWindowVerdict {
  /** True when `now` is inside a window (or no window is declared). */
  open: boolean;
  /** True when the run may start only because `ignore-release-windows` is set. */
  ignored: boolean;
  /** The next opening as ISO 8601 with its offset; `now` itself when open; `null` without windows. */
  next: string | null;
  /** The same opening as users read it, in its window's zone; `null` without windows. */
  nextText: string | null;
  /** Why pre-flight refuses to start: present only when closed and not ignored. */
  refusal?: string;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const WEEKDAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

/** One occurrence of a window: `[start, end)` in epoch milliseconds. */
interface Span {
  start: number;
  end: number;
  timeZone: string;
}

/** True when `nowMs` is inside a window: at or after its start and before its end. */
export function isInsideReleaseWindow(windows: readonly ReleaseWindow[], nowMs: number): boolean {
  return windows.some((window) =>
    spansAround(window, nowMs, 0).some((span) => span.start <= nowMs && nowMs < span.end),
  );
}

/**
 * The first instant from `nowMs` on at which a window is open: `nowMs` itself when one is open
 * now, else the earliest start of any window after it; `null` only without windows.
 */
export function nextReleaseWindowOpening(
  windows: readonly ReleaseWindow[],
  nowMs: number,
): ReleaseWindowOpening | null {
  let best: { at: number; timeZone: string } | undefined;
  for (const window of windows) {
    for (const span of spansAround(window, nowMs, 15)) {
      if (span.end <= nowMs || span.start >= span.end) continue;
      const at = Math.max(span.start, nowMs);
      if (best === undefined || at < best.at) best = { at, timeZone: span.timeZone };
    }
  }
  if (best === undefined) return null;
  return {
    at: new Date(best.at),
    text: openingText(best.at, best.timeZone),
    iso: isoWithOffset(best.at, best.timeZone),
  };
}

/**
 * The release-window check of pre-flight. Without windows swaps may start at any time. Outside
 * every window the run is refused, naming the next opening, unless `ignore` (the input
 * `ignore-release-windows`) lets an urgent hotfix through; `ignored` records that it did.
 */
export function releaseWindowVerdict(
  windows: readonly ReleaseWindow[],
  nowMs: number,
  ignore: boolean,
): ReleaseWindowVerdict {
  if (windows.length === 0) return { open: true, ignored: false, next: null, nextText: null };
  const open = isInsideReleaseWindow(windows, nowMs);
  const next = nextReleaseWindowOpening(windows, nowMs);
  const verdict: ReleaseWindowVerdict = {
    open,
    ignored: !open && ignore,
    next: next?.iso ?? null,
    nextText: next?.text ?? null,
  };
  if (!open && !ignore) {
    const when = next === null ? "none opens again" : `the next opens ${next.text}`;
    verdict.refusal = `outside every release window; ${when}. Set ignore-release-windows: true for an urgent hotfix.`;
  }
  return verdict;
}

/**
 * The occurrences of a window starting from the day before `nowMs`'s local date (a window ends
 * by the local midnight after the day it starts, so no earlier one can hold `nowMs`) to
 * `daysAfter` days after it. Two weeks find the next opening: a listed day comes every week,
 * and one night's occurrence may be empty, lost in a DST gap.
 */
function spansAround(window: ReleaseWindow, nowMs: number, daysAfter: number): Span[] {
  const { timeZone } = window;
  const today = wallClock(nowMs, timeZone);
  const midnight = Date.UTC(today.year, today.month - 1, today.day);
  const days = new Set<string>(window.days);
  const endMinutes =
    window.toMinutes > window.fromMinutes ? window.toMinutes : window.toMinutes + 24 * 60;
  const spans: Span[] = [];
  for (let offset = -1; offset <= daysAfter; offset++) {
    const date = midnight + offset * DAY_MS;
    if (!days.has(WEEKDAYS[new Date(date).getUTCDay()] ?? "")) continue;
    const start = date + window.fromMinutes * MINUTE_MS;
    const end = date + endMinutes * MINUTE_MS;
    // Mostly no clock change is near: one offset either side of the span then serves both ends.
    const before = offsetAt(start - DAY_MS, timeZone);
    if (before === offsetAt(end + DAY_MS, timeZone)) {
      spans.push({ start: start - before, end: end - before, timeZone });
    } else {
      spans.push({ start: instantOf(start, timeZone), end: instantOf(end, timeZone), timeZone });
    }
  }
  return spans;
}

/**
 * The instant at which clocks in `timeZone` show `wall` (local time written as if it were UTC).
 * Of two such instants, the first; in a gap, the instant the gap ends.
 */
function instantOf(wall: number, timeZone: string): number {
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  if (before === after) return wall - before;
  const fits = [wall - before, wall - after]
    .filter((instant) => offsetAt(instant, timeZone) === wall - instant)
    .sort((a, b) => a - b);
  if (fits[0] !== undefined) return fits[0];
  // In a gap: the transition lies after `wall - after` (still the old offset) and at or before
  // `wall - before` (already the new one). Offsets change on whole seconds.
  let old = Math.floor((wall - after) / 1000);
  let current = Math.ceil((wall - before) / 1000);
  while (current - old > 1) {
    const middle = Math.floor((old + current) / 2);
    if (offsetAt(middle * 1000, timeZone) === before) old = middle;
    else current = middle;
  }
  return current * 1000;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** How far `timeZone`'s clocks are ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  const shown = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return shown - Math.floor(instant / 1000) * 1000;
}

// `en-US` with `hourCycle: "h23"` writes `12/7/2026, 09:00:00`; `format` is twice as fast as `formatToParts`.
const WALL_CLOCK = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;

function wallClock(instant: number, timeZone: string): WallClock {
  const text = formatter(timeZone).format(instant);
  const [month, day, year, hour, minute, second] = (WALL_CLOCK.exec(text) ?? [])
    .slice(1)
    .map(Number);
  if (second === undefined) throw new Error(`Intl wrote ${text} for a time in ${timeZone}: a bug.`);
  return {
    year: year ?? 0,
    month: month ?? 1,
    day: day ?? 1,
    hour: hour ?? 0,
    minute: minute ?? 0,
    second,
  };
}

// Building a formatter costs far more than using one, and one is asked for thousands of times
// per check: each zone's is made once. The cache only ever holds immutable formatters.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let made = formatters.get(timeZone);
  if (made === undefined) {
    made = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      hourCycle: "h23",
    });
    formatters.set(timeZone, made);
  }
  return made;
}

/** `Mon 2026-12-07 09:00 Europe/London`. */
function openingText(instant: number, timeZone: string): string {
  const wall = new Date(instant + offsetAt(instant, timeZone));
  const weekday = WEEKDAY_NAMES[wall.getUTCDay()] ?? "";
  return `${weekday} ${wall.toISOString().slice(0, 10)} ${wall.toISOString().slice(11, 16)} ${timeZone}`;
}

/** `2026-12-07T09:00:00+00:00`: the local time and the zone's offset. */
function isoWithOffset(instant: number, timeZone: string): string {
  const offset = offsetAt(instant, timeZone);
  const wall = new Date(Math.floor(instant / 1000) * 1000 + offset);
  const minutes = Math.round(Math.abs(offset) / MINUTE_MS);
  const sign = offset < 0 ? "-" : "+";
  const hours = String(Math.floor(minutes / 60)).padStart(2, "0");
  return `${wall.toISOString().slice(0, 19)}${sign}${hours}:${String(minutes % 60).padStart(2, "0")}`;
}
