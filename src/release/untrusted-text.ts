/**
 * Text that comes from a status page or from Azure is data. Before it is kept anywhere a person or
 * a runner reads it (log, summary, Slack, report), its control characters are escaped, so it can
 * never start a new line (and with it a workflow command), and its length is bounded.
 */
import { escapeInvisible } from "../invisible-characters.js";

/** At most this many characters of a reported build reach the log, summary, Slack and report (interface.md). */
export const MAX_BUILD_CHARS = 200;

/** Longest piece of other untrusted text (a dependency name, a status word) kept in a message. */
const MAX_FRAGMENT_CHARS = 200;

/** Escapes control and invisible characters (see `invisible-characters.ts`), and cuts to `maxChars` with an ellipsis. */
export function untrustedText(text: string, maxChars = MAX_FRAGMENT_CHARS): string {
  const escaped = escapeInvisible(text);
  return escaped.length > maxChars ? `${escaped.slice(0, maxChars - 1)}…` : escaped;
}
