/**
 * The action's inputs: where they come from, their defaults, and how the release policy is
 * read from them. Nothing here knows `@actions/core`, so tests pass plain objects.
 */
import type { Mode, RefreshPolicy, ReleasePolicy, RollbackPolicy } from "../release/model.js";
import { hasInvisible } from "../invisible-characters.js";
import { quote, type ProblemList } from "./problems.js";
import {
  parseBoolean,
  parseChoice,
  parseDuration,
  parseWholeNumber,
  type Parsed,
} from "./values.js";

/** Where inputs come from: `@actions/core` in the action, a plain object in tests. */
export interface InputSource {
  /** The raw, untrimmed value; '' when unset. */
  getInput(name: string): string;
}

/**
 * Defaults of the optional inputs, as action.yml declares them. The runner fills them in,
 * but an input read as '' (a test, a direct `node dist/index.js`) must mean the same.
 * `github-token` defaults to an expression only the runner can evaluate, so it has none here.
 */
export const INPUT_DEFAULTS = {
  manifest: ".github/release-manifest.yml",
  regions: "",
  mode: "release",
  rollback: "region",
  "max-parallel": "0",
  "status-timeout": "5m",
  "status-interval": "5s",
  "bake-time": "0s",
  "swap-with-preview": "false",
  "preserve-vnet": "true",
  refresh: "mirror",
  "slack-webhook-url": "",
  "github-token": "",
  "github-deployments": "false",
  "environment-prefix": "production-",
  "subscription-id": "",
  "tenant-id": "",
  "client-id": "",
  "client-secret": "",
  "azure-cloud": "AzureCloud",
  "arm-endpoint": "",
  "authority-host": "",
  "arm-api-version": "",
  "oidc-audience": "",
} as const;

/** The name of an input that has a default. */
export type OptionalInputName = keyof typeof INPUT_DEFAULTS;

/** Reads trimmed inputs, applying the defaults, and files problems under `input <name>`. */
export class InputReader {
  constructor(
    private readonly source: InputSource,
    readonly problems: ProblemList,
  ) {}

  /** The trimmed value, or '' when unset. */
  raw(name: string): string {
    return (this.source.getInput(name) ?? "").trim();
  }

  /** The trimmed value, or the input's default when unset. */
  value(name: OptionalInputName): string {
    return this.raw(name) || INPUT_DEFAULTS[name];
  }

  /** The parsed value; on a problem, records it and returns the parsed default instead. */
  parse<T>(name: OptionalInputName, parser: (text: string) => Parsed<T>): T {
    const parsed = parser(this.value(name));
    if (parsed.ok) return parsed.value;
    this.problems.add(`input ${name}`, parsed.message, parsed.hint);
    const fallback = parser(INPUT_DEFAULTS[name]);
    if (!fallback.ok) throw new Error(`The default of input ${name} does not parse: a bug.`);
    return fallback.value;
  }
}

const MODES: readonly Mode[] = ["release", "plan"];
const ROLLBACKS: readonly RollbackPolicy[] = ["region", "all", "none"];
const REFRESHES: readonly RefreshPolicy[] = ["mirror", "none"];

/** Reads the release policy; durations become milliseconds. */
export function readPolicy(inputs: InputReader): ReleasePolicy {
  const build = inputs.raw("build");
  if (build === "") {
    inputs.problems.add(
      "input build",
      "is empty.",
      "Set build to the build your status pages report, e.g. build: ${{ github.ref_name }}.",
    );
  } else if (/\s/.test(build) || hasInvisible(build)) {
    const what = /\s/.test(build) ? "whitespace" : "a control character";
    inputs.problems.add(
      "input build",
      `${quote(build)} contains ${what}.`,
      "Set build to one build identifier, exactly as the status pages report it, like 1.4.2.",
    );
  }

  const positive = (text: string): Parsed<number> => {
    const parsed = parseDuration(text);
    if (!parsed.ok || parsed.value > 0) return parsed;
    return {
      ok: false,
      message: `${quote(text)} must be longer than zero.`,
      hint: "Write it like 5s or 1m.",
    };
  };

  const mode = inputs.parse("mode", (text) => parseChoice(text, MODES, "a mode"));
  const rollback = inputs.parse("rollback", (text) =>
    parseChoice(text, ROLLBACKS, "a rollback policy"),
  );
  const maxParallel = inputs.parse("max-parallel", parseWholeNumber);
  const before = inputs.problems.items.length;
  const statusTimeoutMs = inputs.parse("status-timeout", positive);
  const statusIntervalMs = inputs.parse("status-interval", positive);
  // Compared only when both were read: against a default stood in for a wrong value, it misleads.
  if (inputs.problems.items.length === before && statusIntervalMs > statusTimeoutMs) {
    inputs.problems.add(
      "input status-interval",
      `${quote(inputs.value("status-interval"))} is longer than status-timeout, ${quote(inputs.value("status-timeout"))}: a status page would be read once at most before the timeout.`,
      "Make status-interval shorter than status-timeout, like status-interval: 5s with status-timeout: 5m.",
    );
  }

  return {
    build,
    mode,
    rollback,
    maxParallel,
    statusTimeoutMs,
    statusIntervalMs,
    bakeTimeMs: inputs.parse("bake-time", parseDuration),
    swapWithPreview: inputs.parse("swap-with-preview", parseBoolean),
    preserveVnet: inputs.parse("preserve-vnet", parseBoolean),
    refresh: inputs.parse("refresh", (text) => parseChoice(text, REFRESHES, "a refresh policy")),
  };
}
