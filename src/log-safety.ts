/**
 * Text from Azure or a status page is data: the runner must never read it as a workflow command.
 * The runner takes a line for a command when it begins, after white space, with `::`, and (the
 * legacy form) when it holds `##[` anywhere; a CR or LF would let such a line start mid-message.
 */

// C0 and C1 controls (ESC included, so no terminal sequence either), DEL, the Unicode line and
// paragraph separators, and the bidirectional marks and overrides that make text read otherwise
// than it is written. A plain space is the one control-like character left alone.
const CONTROL_CHARACTERS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Writes every control character as a visible escape (`\n`, `\u001b`), so the text stays on one line. */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (character) =>
    character === "\n" ? "\\n" : `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * One line of the Actions log that the runner cannot take for a command, whatever `text` holds:
 * control characters escaped, `##[` broken up, and a leading `::` prefixed with a backslash.
 * Applying it twice changes nothing more.
 */
export function safeLogText(text: string): string {
  const line = escapeControlCharacters(text).replaceAll("##[", "##\\[");
  return line.trimStart().startsWith("::") ? `\\${line}` : line;
}
