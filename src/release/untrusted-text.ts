/**
 * Text that comes from a status page or from Azure is data. Before it is kept anywhere a person or
 * a runner reads it (log, summary, Slack, report), its control characters are escaped, so it can
 * never start a new line (and with it a workflow command), and its length is bounded.
 */

/** At most this many characters of a reported build reach the log, summary, Slack and report (interface.md). */
export const MAX_BUILD_CHARS = 200;

/** Longest piece of other untrusted text (a dependency name, a status word) kept in a message. */
const MAX_FRAGMENT_CHARS = 200;

/** Escapes C0/C1 control characters and line separators as `\uXXXX`, and cuts to `maxChars` with an ellipsis. */
export function untrustedText(text: string, maxChars = MAX_FRAGMENT_CHARS): string {
  // eslint-disable-next-line no-control-regex
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (character) =>
    character === "\n" ? "\\n" : `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return escaped.length > maxChars ? `${escaped.slice(0, maxChars - 1)}…` : escaped;
}
