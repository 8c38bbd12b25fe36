/**
 * The health rules of interface.md: when a status page answer counts as healthy, which build it
 * reports, and whether asking again could change the answer.
 */
import type { StatusPageRule } from "./model.js";
import type { StatusResponse } from "./ports.js";
import { MAX_BUILD_CHARS, untrustedText } from "./untrusted-text.js";

/** What one status page answer means for a release. */
export interface StatusAssessment {
  /** The build the page reports (trimmed), or `null` when the answer carries none. */
  build: string | null;
  /** Healthy, on the expected build (when one is expected), every dependency healthy. */
  healthy: boolean;
  /** True for network errors, 429 and 5xx: the answer says nothing final, so reading again may help. */
  transient: boolean;
  /**
   * True when the page could not be reached at all (network error, timeout) or answered 429: the
   * answer says nothing about the app. During a bake such answers are inconclusive, every other
   * unhealthy answer (5xx included) is a regression.
   */
  inconclusive: boolean;
  /** Why the answer is not healthy; `null` when it is. */
  problem: string | null;
}

/** A page with thousands of failing dependencies still makes a readable message. */
const MAX_PROBLEM_CHARS = 600;

const HEALTHY_WORDS = new Set(["ok", "healthy", "up", "pass", "connected", "true"]);
const WELL_KNOWN_DEPENDENCY_FIELDS = ["dependencies", "entries", "components", "checks"];

/**
 * Applies the health rules to one answer. `expectedBuild` `null` accepts any build (used when
 * verifying a rollback to a build nobody could read before).
 */
export function assessStatus(
  response: StatusResponse,
  rule: StatusPageRule,
  expectedBuild: string | null,
): StatusAssessment {
  if (response.kind === "unreachable") {
    return {
      build: null,
      healthy: false,
      transient: true,
      inconclusive: true,
      problem: `unreachable: ${untrustedText(response.reason, 400)}`,
    };
  }
  const transient = response.httpStatus === 429 || response.httpStatus >= 500;
  const build = response.bodyIsJson ? readBuild(response.body, rule.buildField) : null;
  const problems: string[] = [];
  if (response.httpStatus < 200 || response.httpStatus > 299) {
    problems.push(`HTTP ${response.httpStatus}`);
  }
  if (!response.bodyIsJson) {
    problems.push("the body is not JSON");
  } else {
    if (build === null) {
      problems.push(`no build in field "${rule.buildField}"`);
    } else if (expectedBuild !== null && build !== expectedBuild.trim()) {
      problems.push(`reports build ${build}, expected ${expectedBuild.trim()}`);
    }
    problems.push(
      ...overallStatusProblems(response.body),
      ...dependencyProblems(response.body, rule),
    );
  }
  return {
    build,
    healthy: problems.length === 0,
    transient,
    inconclusive: response.httpStatus === 429,
    problem: problems.length === 0 ? null : untrustedText(problems.join("; "), MAX_PROBLEM_CHARS),
  };
}

/** Reads a dot path (`app.build`) from a JSON value. */
export function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    // Own fields only: a path such as `constructor` must not read what every object inherits.
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The reported build, trimmed, with control characters escaped and at most {@link MAX_BUILD_CHARS} long. */
function readBuild(body: unknown, buildField: string): string | null {
  const value = readPath(body, buildField);
  if (typeof value === "string" && value.trim() !== "")
    return untrustedText(value.trim(), MAX_BUILD_CHARS);
  if (typeof value === "number") return String(value);
  return null;
}

function isHealthyWord(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  return typeof value === "string" && HEALTHY_WORDS.has(value.trim().toLowerCase());
}

function overallStatusProblems(body: unknown): string[] {
  const status = readPath(body, "status");
  if (status === undefined || isHealthyWord(status)) return [];
  return [`status is ${untrustedText(JSON.stringify(status) ?? String(status))}`];
}

function dependencyProblems(body: unknown, rule: StatusPageRule): string[] {
  let dependencies: unknown;
  if (rule.dependenciesField !== undefined) {
    dependencies = readPath(body, rule.dependenciesField);
    if (dependencies === undefined) return [`no dependencies in field "${rule.dependenciesField}"`];
  } else {
    const field = WELL_KNOWN_DEPENDENCY_FIELDS.find((name) => readPath(body, name) !== undefined);
    if (field === undefined) return [];
    dependencies = readPath(body, field);
  }
  return unhealthyDependencies(dependencies).map(
    (name) => `dependency ${untrustedText(name)} is not healthy`,
  );
}

/** Names of the unhealthy dependencies, whatever the shape they are written in. */
function unhealthyDependencies(dependencies: unknown): string[] {
  if (Array.isArray(dependencies)) {
    return dependencies.flatMap((entry, index) => {
      const name = readPath(entry, "name") ?? readPath(entry, "componentId") ?? `#${index}`;
      return dependencyIsHealthy(entry) ? [] : [String(name)];
    });
  }
  if (dependencies !== null && typeof dependencies === "object") {
    return Object.entries(dependencies).flatMap(([name, value]) =>
      dependencyIsHealthy(value) ? [] : [name],
    );
  }
  return ["(dependencies field is neither an object nor an array)"];
}

function dependencyIsHealthy(value: unknown): boolean {
  if (typeof value === "string" || typeof value === "boolean") return isHealthyWord(value);
  if (Array.isArray(value)) return value.length > 0 && value.every(dependencyIsHealthy);
  if (value !== null && typeof value === "object") return isHealthyWord(readPath(value, "status"));
  return false;
}
