import { MAX_BUILD_CHARS } from "../release/untrusted-text.js";
import { escapeInvisible } from "../invisible-characters.js";
import { redactSecrets } from "../redact-secrets.js";
import type { RegionOutcome, ReleaseOutcome, ReleaseReport } from "../release/model.js";

/**
 * Small wording rules shared by every renderer, so that Slack, the job summary and the log
 * say the same thing the same way.
 */

/** One symbol per outcome, so a reader sees at a glance which regions need attention. */
export function outcomeEmoji(outcome: ReleaseOutcome | RegionOutcome): string {
  switch (outcome) {
    case "released":
      return "✅";
    case "already-released":
      return "☑️";
    case "planned":
      return "📝";
    case "rolled-back":
      return "↩️";
    case "failed":
      return "❌";
    case "cancelled":
      return "🛑";
    case "not-started":
      return "⏸️";
  }
}

/**
 * A build as a status page reported it, on one line and at most {@link MAX_BUILD_CHARS} long
 * (a page is data, and may hold anything); `?` where the page could not be read.
 */
export function buildText(build: string | null | undefined): string {
  return build == null ? "?" : truncate(escapeInvisible(build), MAX_BUILD_CHARS);
}

/**
 * Free text the run did not write itself (an error from Azure or a status page) on one line:
 * line breaks as spaces, credentials removed, other control characters written out.
 */
export function oneLine(text: string): string {
  return escapeInvisible(redactSecrets(text.replace(/\s*\r?\n\s*/g, " ").trim()));
}

/** How long the whole run took, from the report's timestamps; `undefined` when they do not parse. */
export function runDurationSeconds(report: ReleaseReport): number | undefined {
  const started = Date.parse(report.startedAt);
  const finished = Date.parse(report.finishedAt);
  if (Number.isNaN(started) || Number.isNaN(finished) || finished < started) return undefined;
  return (finished - started) / 1000;
}

/** `1 service` / `3 services`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** Counts regions per outcome in report order, e.g. `2 released, 1 rolled-back, 3 not-started`. */
export function regionTally(report: ReleaseReport): string {
  const counts = new Map<RegionOutcome, number>();
  for (const region of report.regions) {
    counts.set(region.outcome, (counts.get(region.outcome) ?? 0) + 1);
  }
  return [...counts].map(([outcome, count]) => `${count} ${outcome}`).join(", ");
}

/** Cuts `text` to at most `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}
