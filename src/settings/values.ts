/**
 * Parsers and name rules shared by the inputs and the manifest. Each parser answers with the
 * value or with what is wrong and how to fix it, so callers only add the location.
 */
import { hasInvisible } from "../invisible-characters.js";
import { didYouMean, quote } from "./problems.js";

/** A parsed value, or what is wrong with it and how to fix it. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; hint: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const wrong = <T>(message: string, hint: string): Parsed<T> => ({ ok: false, message, hint });

/** The longest wait a Node.js timer supports (about 24.8 days); longer ones fire at once. */
export const LONGEST_DURATION_MS = 2_147_483_647;

const DURATION_HINT = "Write it like 90s, 5m or 1h30m; a bare number is seconds.";
const NUMBER = String.raw`\d+(?:\.\d+)?`;
// Units in descending order, each at most once; `m(?!s)` keeps `500ms` from reading as minutes.
const DURATION = new RegExp(
  `^(?:(${NUMBER})h)?(?:(${NUMBER})m(?!s))?(?:(${NUMBER})s)?(?:(${NUMBER})ms)?$`,
);
const BARE_SECONDS = new RegExp(`^${NUMBER}$`);

/** Reads `90s`, `5m`, `1h30m`, `1h`, `250ms` or a bare number of seconds, as milliseconds. */
export function parseDuration(text: string): Parsed<number> {
  const value = text.trim().toLowerCase();
  if (value.startsWith("-")) {
    return wrong(`${quote(text)} is negative.`, "Write a duration of zero or more, like 0s or 5m.");
  }
  let ms: number;
  if (BARE_SECONDS.test(value)) {
    ms = Number(value) * 1000;
  } else {
    const match = DURATION.exec(value);
    if (value === "" || match === null) {
      return wrong(`${quote(text)} is not a duration.`, DURATION_HINT);
    }
    const [, hours, minutes, seconds, millis] = match.map((part) => Number(part ?? 0));
    ms = (hours ?? 0) * 3_600_000 + (minutes ?? 0) * 60_000 + (seconds ?? 0) * 1000 + (millis ?? 0);
  }
  ms = Math.round(ms);
  if (ms > LONGEST_DURATION_MS) {
    return wrong(
      `${quote(text)} is longer than 24 days, the longest wait supported.`,
      DURATION_HINT,
    );
  }
  return ok(ms);
}

/** Reads a duration as parseDuration does, refusing zero: for waits that must take some time. */
export function parsePositiveDuration(text: string): Parsed<number> {
  const parsed = parseDuration(text);
  if (!parsed.ok || parsed.value > 0) return parsed;
  return wrong(`${quote(text)} must be longer than zero.`, "Write it like 5s or 1m.");
}

const TRUE_WORDS = ["true", "True", "TRUE"];
const FALSE_WORDS = ["false", "False", "FALSE"];

/** Reads a boolean exactly as `core.getBooleanInput` does: the YAML 1.2 core schema words only. */
export function parseBoolean(text: string): Parsed<boolean> {
  if (TRUE_WORDS.includes(text)) return ok(true);
  if (FALSE_WORDS.includes(text)) return ok(false);
  return wrong(
    `${quote(text)} is not a boolean.`,
    "Write true or false (True, TRUE, False and FALSE work too).",
  );
}

/** Reads a whole number of zero or more. */
export function parseWholeNumber(text: string): Parsed<number> {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    return wrong(
      `${quote(text)} is not a whole number of zero or more.`,
      "Write a number like 0, 2 or 10.",
    );
  }
  return ok(value);
}

/** Picks one of `choices`, ignoring case; suggests the closest when none matches. */
export function parseChoice<T extends string>(
  text: string,
  choices: readonly T[],
  what: string,
): Parsed<T> {
  const choice = choices.find((candidate) => candidate.toLowerCase() === text.toLowerCase());
  if (choice !== undefined) return ok(choice);
  const names = choices.join(", ");
  return wrong(
    `${quote(text)} is not ${what}.`,
    `${didYouMean(text, choices)}Use one of: ${names}.`,
  );
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a GUID such as a subscription, tenant or client id. */
export function isGuid(text: string): boolean {
  return GUID.test(text);
}

/** Reads an absolute `https://` URL and drops trailing slashes, so paths can be appended. */
export function parseHttpsUrl(text: string, options: { secret?: boolean } = {}): Parsed<string> {
  // A secret is never echoed: masking only hides exact matches, and a message may alter it.
  const shown = options.secret === true ? "the value (hidden, it is a secret)" : quote(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return wrong(`${shown} is not an absolute URL.`, "Write a URL that starts with https://.");
  }
  if (url.protocol !== "https:") {
    return wrong(`${shown} does not use https.`, "Write a URL that starts with https://.");
  }
  if (url.username !== "" || url.password !== "") {
    return wrong(`${shown} holds a user name or password.`, "Remove the credentials from the URL.");
  }
  return ok(text.replace(/\/+$/, ""));
}

const APP_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,58}[A-Za-z0-9])$/;
/** The App Service name rule, for messages. */
export const APP_NAME_RULE =
  "Use 2-60 letters, digits and hyphens, not starting or ending with a hyphen.";

/** True for a valid App Service app name. */
export function isAppServiceName(text: string): boolean {
  return APP_NAME.test(text);
}

// Microsoft.Web/sites/slots names: 2-59 characters; the host name is `<app>-<slot>`.
const SLOT_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,57}[A-Za-z0-9])$/;
/** The deployment slot name rule, for messages. */
export const SLOT_NAME_RULE =
  "Use 2-59 letters, digits and hyphens, not starting or ending with a hyphen.";

/** True for a valid App Service deployment slot name. */
export function isSlotName(text: string): boolean {
  return SLOT_NAME.test(text);
}

// Resource group names: 1-90 letters, digits, underscores, hyphens, periods and parentheses; no final period.
const RESOURCE_GROUP = /^[\p{L}\p{Nd}_().-]{1,90}$/u;
/** The resource group name rule, for messages. */
export const RESOURCE_GROUP_RULE =
  "Use 1-90 letters, digits, underscores, hyphens, periods and parentheses, not ending with a period.";

/** True for a valid Azure resource group name. */
export function isResourceGroupName(text: string): boolean {
  return RESOURCE_GROUP.test(text) && !text.endsWith(".");
}

// Region and service names end up in GitHub environment names, status URLs and the comma-separated
// `regions` input, so they stay within characters that are safe in all three.
const FLEET_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$/;
/** The region and service name rule, for messages. */
export const FLEET_NAME_RULE =
  "Use up to 100 letters, digits, hyphens, underscores and periods, starting and ending with a letter or digit.";

/** True for a valid region or service name. */
export function isFleetName(text: string): boolean {
  return FLEET_NAME.test(text);
}

const DOT_PATH = /^[^.\s]+(?:\.[^.\s]+)*$/;

/** True for a dot path into a JSON body, such as `build` or `app.version`. */
export function isDotPath(text: string): boolean {
  return DOT_PATH.test(text) && !hasInvisible(text);
}
