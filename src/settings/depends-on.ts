/**
 * The `depends-on` rules of one region: every entry names another service of the region, once,
 * and no services wait for each other in a cycle (none of them could be swapped first).
 */
import { listSomeNames, meaning, quote, type ProblemList } from "./problems.js";

/** One service of a region as the manifest reader saw it. */
export interface DependingService {
  /** '' when missing or invalid; its problem is already recorded. */
  name: string;
  /** Its manifest path, `regions[0].services[1]`. */
  path: string;
  /** The string entries of its `depends-on`, each with its own path. */
  entries: { name: string; path: string }[];
}

/** The most services a cycle's message names before it counts the rest. */
const MOST_NAMES_SHOWN = 10;

/**
 * Checks the region's `depends-on` entries and returns each service's valid ones, in order.
 * `closest` is the name an unknown one was probably meant to be (undefined: none, or not worth it).
 */
export function checkDependsOn(
  region: { name: string; services: readonly DependingService[] },
  problems: ProblemList,
  closest: (given: string, known: readonly string[]) => string | undefined,
): string[][] {
  const known = region.services.map((service) => service.name).filter((name) => name !== "");
  const indexOf = new Map(region.services.map((service, index) => [service.name, index]));
  const ofRegion = region.name === "" ? "this region" : `region ${quote(region.name)}`;
  const valid = region.services.map((service) => {
    const firstPath = new Map<string, string>();
    const names: string[] = [];
    for (const entry of service.entries) {
      const first = firstPath.get(entry.name);
      if (service.name !== "" && entry.name === service.name) {
        problems.add(
          `manifest ${entry.path}`,
          `${quote(entry.name)} is the service itself.`,
          "Remove it: a service cannot wait for itself.",
        );
      } else if (first !== undefined) {
        problems.add(
          `manifest ${entry.path}`,
          `${quote(entry.name)} is already listed at ${first}.`,
          "List each service once.",
        );
      } else if (!indexOf.has(entry.name) || entry.name === "") {
        problems.add(
          `manifest ${entry.path}`,
          `${quote(entry.name)} is not a service of ${ofRegion}.`,
          `${meaning(closest(entry.name, known))}The services of ${ofRegion} are ${listSomeNames(known)}; depends-on names services of the same region.`,
        );
      } else {
        names.push(entry.name);
      }
      if (first === undefined) firstPath.set(entry.name, entry.path);
    }
    return names;
  });

  const edges = valid.map((names) => names.map((name) => indexOf.get(name) ?? -1));
  for (const cycle of findCycles(edges)) {
    const [start = 0] = cycle;
    const names = cycle.map((index) => region.services[index]?.name ?? "");
    problems.add(
      `manifest ${region.services[start]?.path ?? ""}.depends-on`,
      `${shownCycle(names)} is a cycle: no service of it can be swapped first.`,
      "Remove one depends-on entry of the cycle, so that one of its services waits for none of the others.",
    );
  }
  return valid;
}

/**
 * The cycles a depth-first search meets, one per edge back into the path being walked, each as
 * node indices from where it starts round to there again. Iterative: a chain of thousands of
 * services must not overflow the stack.
 */
export function findCycles(edges: readonly (readonly number[])[]): number[][] {
  const NEW = 0;
  const ON_PATH = 1;
  const DONE = 2;
  const state: number[] = edges.map(() => NEW);
  const cycles: number[][] = [];
  for (let root = 0; root < edges.length; root++) {
    if (state[root] !== NEW) continue;
    const path: { node: number; next: number }[] = [{ node: root, next: 0 }];
    state[root] = ON_PATH;
    for (let top = path.at(-1); top !== undefined; top = path.at(-1)) {
      const target = edges[top.node]?.[top.next];
      if (target === undefined) {
        state[top.node] = DONE;
        path.pop();
        continue;
      }
      top.next += 1;
      if (state[target] === NEW) {
        state[target] = ON_PATH;
        path.push({ node: target, next: 0 });
      } else if (state[target] === ON_PATH) {
        const from = path.findIndex((step) => step.node === target);
        cycles.push([...path.slice(from).map((step) => step.node), target]);
      }
    }
  }
  return cycles;
}

/** `a → b → a`; a long cycle keeps its ends and counts what is left out. */
function shownCycle(names: readonly string[]): string {
  if (names.length <= MOST_NAMES_SHOWN) return names.join(" → ");
  const head = names.slice(0, MOST_NAMES_SHOWN - 2);
  const tail = names.slice(-2);
  const left = names.length - head.length - tail.length;
  return [...head, `… ${left.toLocaleString("en-US")} more …`, ...tail].join(" → ");
}
