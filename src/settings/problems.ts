/**
 * How settings report what is wrong: every problem is collected, each naming where it is
 * (an input or a manifest path), what is wrong and how to fix it, so one failed run shows the
 * user everything to fix instead of one problem per attempt.
 */
import { escapeInvisible, hasInvisible } from "../invisible-characters.js";

/** One thing wrong with the inputs or the manifest. */
export interface SettingsProblem {
  /** The input (`input status-timeout`) or manifest path (`manifest regions[1].services[0].app`). */
  where: string;
  /** What is wrong, ending with a full stop. */
  message: string;
  /** How to fix it, ending with a full stop. */
  hint: string;
}

/** Writes one problem as the single log line users read. */
export function formatProblem(problem: SettingsProblem): string {
  const hint = problem.hint === "" ? "" : ` ${problem.hint}`;
  return `${problem.where}: ${problem.message}${hint}`;
}

/** Every problem found, each naming the input or manifest path and how to fix it. */
export class SettingsError extends Error {
  readonly problems: SettingsProblem[];

  constructor(problems: SettingsProblem[]) {
    // One line per problem, so the message alone is a complete report in the log.
    super(problems.map(formatProblem).join("\n"));
    this.name = "SettingsError";
    this.problems = problems;
  }
}

/**
 * The most problems one error lists. A broken manifest of thousands of entries would otherwise
 * print a problem per entry; after the first hundred the rest help no one read the log.
 */
export const MOST_LISTED_PROBLEMS = 100;

/** The problems to report: all of them, or the first ones and a last line counting the rest. */
export function listedProblems(problems: SettingsProblem[]): SettingsProblem[] {
  if (problems.length <= MOST_LISTED_PROBLEMS) return problems;
  const listed = problems.slice(0, MOST_LISTED_PROBLEMS - 1);
  const more = problems.length - listed.length;
  // Inputs are few and come first, so what is left out is always the manifest's.
  listed.push({
    where: "manifest",
    message: `has ${more.toLocaleString("en-US")} more problems, not listed: an error lists at most ${MOST_LISTED_PROBLEMS}.`,
    hint: "Fix the problems above and run again to see the rest.",
  });
  return listed;
}

/** Collects problems in the order they are found; one per validation run, never shared. */
export class ProblemList {
  readonly items: SettingsProblem[] = [];

  add(where: string, message: string, hint: string): void {
    this.items.push({ where, message, hint });
  }

  get isEmpty(): boolean {
    return this.items.length === 0;
  }
}

/** The most characters of a user's value a message quotes; a longer one is cut, its length said. */
const QUOTED_CHARACTERS = 200;

/**
 * Quotes a user's value for a message as JSON would, so spaces, empty strings and control
 * characters stay visible and inert; a very long value is cut, so one message stays one line.
 */
export function quote(value: string): string {
  const shown = value.length > QUOTED_CHARACTERS ? value.slice(0, QUOTED_CHARACTERS) : value;
  const quoted = `"${escapeInvisible(shown.replace(/["\\]/g, "\\$&"))}"`;
  if (shown === value) return quoted;
  return `${quoted.slice(0, -1)}…" (${value.length.toLocaleString("en-US")} characters)`;
}

/** A file path as a problem's `where` shows it: as written, or quoted when it holds invisible characters. */
export function shownPath(path: string): string {
  return hasInvisible(path) ? quote(path) : path;
}

/** Joins names as prose: `a`, `a and b`, `a, b and c`. */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** The name among `known` that `given` was most likely meant to be, or undefined when none is close. */
export function closestName(given: string, known: readonly string[]): string | undefined {
  // Case, `-` and `_` are the usual slips (`resource_group`, `subscriptionId`): compare without them first.
  const normal = (name: string) => name.toLowerCase().replace(/[-_\s]/g, "");
  const wanted = normal(given);
  const exact = known.find((name) => normal(name) === wanted);
  if (exact !== undefined) return exact;
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const candidate = normal(name);
    // The distance is at least the difference in length, and at most 3 is ever allowed.
    if (Math.abs(candidate.length - wanted.length) > 3) continue;
    const distance = editDistance(wanted, candidate);
    const allowed = Math.min(
      3,
      Math.max(1, Math.floor(Math.min(wanted.length, candidate.length) / 3)),
    );
    if (distance <= allowed && (best === undefined || distance < best.distance)) {
      best = { name, distance };
    }
  }
  return best?.name;
}

/** `Did you mean x?` when a known name is close, else an empty string. */
export function didYouMean(given: string, known: readonly string[]): string {
  return meaning(closestName(given, known));
}

/** `Did you mean x? ` for a name found by closestName, '' for none. */
export function meaning(meant: string | undefined): string {
  return meant === undefined ? "" : `Did you mean ${meant}? `;
}

/** The most names a message lists before it counts the rest, so that it stays one readable line. */
const MOST_NAMES_SHOWN = 10;

/** Joins names as prose like listNames, the first ten only and a count of the rest. */
export function listSomeNames(names: readonly string[]): string {
  if (names.length <= MOST_NAMES_SHOWN) return listNames(names);
  const more = names.length - MOST_NAMES_SHOWN;
  return `${names.slice(0, MOST_NAMES_SHOWN).join(", ")} and ${more.toLocaleString("en-US")} more`;
}

/** Optimal string alignment distance: a swapped pair of letters (`hots`) counts as one slip. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [];
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(
        (above[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (above[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(distance);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}
