/**
 * The values of the manifest's `release-windows`: week days, `HH:MM` times and IANA time zones.
 * Each parser answers with the value or with what is wrong and how to fix it, like values.ts.
 */
import type { ReleaseWindow } from "../release/model.js";
import { closestName, meaning, quote } from "./problems.js";
import { parseChoice, type Parsed } from "./values.js";

type Weekday = ReleaseWindow["days"][number];

/** The days a window may start on, in the manifest's words. */
export const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

const MINUTES_PER_DAY = 24 * 60;
const CLOCK_TIME = /^(\d{1,2}):(\d{2})$/;

/** Reads a day of the week, `mon` … `sun`, ignoring case. */
export function parseWeekday(text: string): Parsed<Weekday> {
  const parsed = parseChoice(text, WEEKDAYS, "a day of the week");
  if (parsed.ok) return parsed;
  return { ...parsed, hint: parsed.hint.replace("Use one of:", "Use the first three letters:") };
}

/**
 * Reads `HH:MM` as minutes after midnight; `24:00` (the midnight that ends the day) only where
 * `endOfDay` allows it, for a window's `to`.
 */
export function parseClockTime(text: string, endOfDay: boolean): Parsed<number> {
  const match = CLOCK_TIME.exec(text.trim());
  const hint = endOfDay
    ? 'Write a time of day as HH:MM, from "00:00" to "24:00", like to: "16:00".'
    : 'Write a time of day as HH:MM, from "00:00" to "23:59", like from: "09:00".';
  if (match === null) return { ok: false, message: `${quote(text)} is not a time HH:MM.`, hint };
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  const valid =
    Number(match[2]) < 60 &&
    (minutes < MINUTES_PER_DAY || (endOfDay && minutes === MINUTES_PER_DAY));
  if (!valid) {
    return { ok: false, message: `${quote(text)} is not a time of day.`, hint };
  }
  return { ok: true, value: minutes };
}

/**
 * Reads an IANA time zone name that Node's time zone data (the runner's ICU) knows. Case is
 * corrected (`europe/london` is `Europe/London`); an alias stays as written (`US/Eastern`), as
 * users know it. UTC offsets (`+01:00`) are refused: they know no daylight saving, and the
 * manifest's contract is IANA names.
 */
export function parseTimeZone(text: string): Parsed<string> {
  const hint = `${meaning(likelyZone(text))}Write an IANA time zone name, like Europe/London, America/New_York or UTC.`;
  if (!/^[A-Za-z][A-Za-z0-9_+/-]*$/.test(text)) {
    return { ok: false, message: `${quote(text)} is not an IANA time zone name.`, hint };
  }
  try {
    const { timeZone } = new Intl.DateTimeFormat("en-US", { timeZone: text }).resolvedOptions();
    return { ok: true, value: timeZone.toLowerCase() === text.toLowerCase() ? timeZone : text };
  } catch {
    return { ok: false, message: `${quote(text)} is not a time zone known to Node.js.`, hint };
  }
}

/** The zone `given` was most likely meant to be: by its whole name, or by its city (`London`). */
function likelyZone(given: string): string | undefined {
  if (given.length > 100) return undefined;
  const zones = [...Intl.supportedValuesOf("timeZone"), "UTC"];
  const whole = closestName(given, zones);
  if (whole !== undefined) return whole;
  const city = (zone: string) => zone.slice(zone.lastIndexOf("/") + 1);
  const cities = zones.map(city);
  const meant = closestName(city(given), cities);
  return meant === undefined ? undefined : zones[cities.indexOf(meant)];
}
