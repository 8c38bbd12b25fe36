/**
 * Characters no log, summary, message or report may receive raw: text from a user, a library,
 * Azure or a status page is shown, never obeyed. One definition for the whole action.
 */

// Characters a log must never receive raw: C0 and C1 controls (a new line could start a workflow
// command), format characters (bidirectional overrides, zero-width joiners), line and paragraph
// separators, and halves of surrogate pairs.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\f": "\\f",
  "\r": "\\r",
};

/** Writes control and other invisible characters as JSON escapes (`\n`, `\u202e`), so text from a user or a library is shown, never obeyed. */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, (character) => {
    const short = SHORT_ESCAPES[character];
    if (short !== undefined) return short;
    // Per UTF-16 unit, as JSON writes a character beyond the Basic Multilingual Plane.
    return character
      .split("")
      .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`)
      .join("");
  });
}

/** True when `text` holds a control or other invisible character, which no name or identifier may. */
export function hasInvisible(text: string): boolean {
  return escapeInvisible(text) !== text;
}
