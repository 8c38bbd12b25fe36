/**
 * Text from Azure or a status page is data: the runner must never read it as a workflow command.
 * The runner takes a line for a command when it begins, after white space, with `::`, and (the
 * legacy form) when it holds `##[` anywhere; a CR or LF would let such a line start mid-message.
 */
import { escapeInvisible } from "./invisible-characters.js";

/**
 * One line of the Actions log that the runner cannot take for a command, whatever `text` holds:
 * control characters escaped, `##[` broken up, and a leading `::` prefixed with a backslash.
 * Applying it twice changes nothing more.
 */
export function safeLogText(text: string): string {
  const line = escapeInvisible(text).replaceAll("##[", "##\\[");
  return line.trimStart().startsWith("::") ? `\\${line}` : line;
}
