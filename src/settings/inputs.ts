/**
 * The action's inputs, declared once: name, default, description and parser of each, in the
 * order action.yml lists them (a test holds action.yml to this table). Nothing here knows
 * `@actions/core`, so tests pass plain objects.
 */
import type { Mode, RefreshPolicy, ReleasePolicy, RollbackPolicy } from "../release/model.js";
import { hasInvisible } from "../invisible-characters.js";
import { splitRegionFilter } from "./fleet.js";
import { quote, type ProblemList } from "./problems.js";
import {
  isGuid,
  parseBoolean,
  parseChoice,
  parseDuration,
  parseHttpsUrl,
  parsePositiveDuration,
  parseWholeNumber,
  type Parsed,
} from "./values.js";

/** Where inputs come from: `@actions/core` in the action, a plain object in tests. */
export interface InputSource {
  /** The raw, untrimmed value; '' when unset. */
  getInput(name: string): string;
}

/** One input of action.yml. */
export interface InputSpec<T> {
  /** action.yml's `description`, word for word. */
  readonly description: string;
  /**
   * What an unset input means. The runner fills in action.yml's default, but an input read as ''
   * (a test, a direct `node dist/index.js`) must mean the same.
   */
  readonly default: string;
  /** action.yml's default when it is an expression only the runner evaluates (`${{ github.token }}`). */
  readonly runnerDefault?: string;
  /** Set for an input action.yml requires: how to fix it when it is empty. */
  readonly required?: { hint: string };
  /** Masked before anything is logged; its parser never echoes it. */
  readonly secret?: boolean;
  /** Reads the trimmed value, or `default` when it is empty. */
  readonly parse: (text: string) => Parsed<T>;
}

const input = <T>(spec: InputSpec<T>): InputSpec<T> => spec;

/** Inputs whose rules involve other inputs keep their text here and are checked once all are read. */
const asText = (text: string): Parsed<string> => ({ ok: true, value: text });

const MODES: readonly Mode[] = ["release", "plan"];
const ROLLBACKS: readonly RollbackPolicy[] = ["region", "all", "none"];
const REFRESHES: readonly RefreshPolicy[] = ["mirror", "none"];

function parseBuild(text: string): Parsed<string> {
  if (!/\s/.test(text) && !hasInvisible(text)) return { ok: true, value: text };
  const what = /\s/.test(text) ? "whitespace" : "a control character";
  return {
    ok: false,
    message: `${quote(text)} contains ${what}.`,
    hint: "Set build to one build identifier, exactly as the status pages report it, like 1.4.2.",
  };
}

function parseOptionalHttpsSecret(text: string): Parsed<string | undefined> {
  if (text === "") return { ok: true, value: undefined };
  const parsed = parseHttpsUrl(text, { secret: true });
  return parsed.ok ? { ok: true, value: text } : parsed;
}

function parseOptionalGuid(text: string): Parsed<string | undefined> {
  if (text === "") return { ok: true, value: undefined };
  if (isGuid(text)) return { ok: true, value: text };
  return {
    ok: false,
    message: `${quote(text)} is not a GUID.`,
    hint: "Copy the subscription id from the Azure portal, like 00000000-0000-0000-0000-000000000000.",
  };
}

/** Every input of the action, in action.yml's order; the only place one is declared. */
export const INPUTS = {
  build: input({
    description:
      "The build every service must run after the release, as its status page reports it, e.g. `${{ github.ref_name }}`.",
    default: "",
    required: {
      hint: "Set build to the build your status pages report, e.g. build: ${{ github.ref_name }}.",
    },
    parse: parseBuild,
  }),
  manifest: input({
    description: "Path of the release manifest, YAML or JSON.",
    default: ".github/release-manifest.yml",
    parse: asText,
  }),
  regions: input({
    description:
      "Comma- or newline-separated subset of region names to release. The manifest's order is kept. Empty means every region.",
    default: "",
    // Checked against the manifest once it is read.
    parse: (text) => ({ ok: true, value: splitRegionFilter(text) }),
  }),
  mode: input({
    description:
      "`release`, or `plan`: validate and pre-flight only, print the plan, change nothing.",
    default: "release",
    parse: (text) => parseChoice(text, MODES, "a mode"),
  }),
  rollback: input({
    description:
      "What to swap back when a region fails: `region`, `all` (also regions released earlier in this run, newest first) or `none`.",
    default: "region",
    parse: (text) => parseChoice(text, ROLLBACKS, "a rollback policy"),
  }),
  "max-parallel": input({
    description: "Services swapped at once inside a region; `0` means all of them.",
    default: "0",
    parse: parseWholeNumber,
  }),
  "status-timeout": input({
    description:
      "How long a status page may take to report healthy and the expected build, e.g. `90s`, `5m`, `1h30m`.",
    default: "5m",
    parse: parsePositiveDuration,
  }),
  "status-interval": input({
    description: "Pause between two reads of a status page.",
    default: "5s",
    parse: parsePositiveDuration,
  }),
  "bake-time": input({
    description:
      "How long a released region (with the manifest's `waves`, a released wave) is watched (still healthy, still the expected build) before the next one starts. A wave's own `bake-time` overrides it.",
    default: "0s",
    parse: parseDuration,
  }),
  "swap-with-preview": input({
    description:
      "Multi-phase swap: apply production settings to staging, verify staging, then complete the swap; the settings are reset on failure.",
    default: "false",
    parse: parseBoolean,
  }),
  "preserve-vnet": input({
    description: "Passed to the swap operation (`preserveVnet`).",
    default: "true",
    parse: parseBoolean,
  }),
  refresh: input({
    description:
      "After every region is released: `mirror` makes each staging slot run its production slot's deployment; `none` leaves them.",
    default: "mirror",
    parse: (text) => parseChoice(text, REFRESHES, "a refresh policy"),
  }),
  "ignore-release-windows": input({
    description:
      "Start swaps even outside the manifest's `release-windows`, for an urgent hotfix. It is recorded in the report and the Slack message.",
    default: "false",
    parse: parseBoolean,
  }),
  "slack-webhook-url": input({
    description:
      "Slack incoming-webhook URL for the release message. A secret; it is masked and never printed.",
    default: "",
    secret: true,
    parse: parseOptionalHttpsSecret,
  }),
  "github-token": input({
    description: "Token for GitHub API calls (deployments).",
    default: "",
    runnerDefault: "${{ github.token }}",
    secret: true,
    parse: asText,
  }),
  "github-deployments": input({
    description:
      "Record a GitHub deployment per region, in environment `<environment-prefix><region>`.",
    default: "false",
    parse: parseBoolean,
  }),
  "environment-prefix": input({
    description: "Prefix of the GitHub deployment environment names.",
    default: "production-",
    parse: asText,
  }),
  "subscription-id": input({
    description: "Default Azure subscription for regions that name none.",
    default: "",
    parse: parseOptionalGuid,
  }),
  // The sign-in inputs depend on each other (the cloud picks endpoints and audience, a secret
  // needs a client): readAzureSignIn checks them together.
  "tenant-id": input({
    description:
      "Microsoft Entra tenant. With `client-id` and no `client-secret`, sign-in uses GitHub OIDC (workload identity federation).",
    default: "",
    parse: asText,
  }),
  "client-id": input({
    description:
      "Microsoft Entra application (client) id. Empty means the default credential chain.",
    default: "",
    parse: asText,
  }),
  "client-secret": input({
    description: "Sign in with this client secret instead of OIDC. A secret; it is masked.",
    default: "",
    secret: true,
    parse: asText,
  }),
  "azure-cloud": input({
    description: "`AzureCloud`, `AzureChinaCloud` or `AzureUSGovernment`.",
    default: "AzureCloud",
    parse: asText,
  }),
  "arm-endpoint": input({
    description:
      "Azure Resource Manager base URL (Azure Stack, private clouds, the simulator). Empty means the one of `azure-cloud`.",
    default: "",
    parse: asText,
  }),
  "authority-host": input({
    description: "Microsoft Entra authority host. Empty means the one of `azure-cloud`.",
    default: "",
    parse: asText,
  }),
  "arm-api-version": input({
    description:
      "api-version of every Microsoft.Web request, for clouds that do not offer the SDK's newest (Azure US Government, Azure Stack Hub), e.g. `2022-03-01`. Empty means the SDK's own. When ARM answers that the version is not offered, the run fails before any change and names the versions ARM listed.",
    default: "",
    parse: asText,
  }),
  "oidc-audience": input({
    description:
      "Audience of the GitHub OIDC token exchanged with Microsoft Entra; it must match the federated credential. Empty means the one of `azure-cloud`: `api://AzureADTokenExchange`, `api://AzureADTokenExchangeChina` (AzureChinaCloud) or `api://AzureADTokenExchangeUSGov` (AzureUSGovernment).",
    default: "",
    parse: asText,
  }),
};

/** The name of an input of the action. */
export type InputName = keyof typeof INPUTS;

/** Every input, parsed. */
export type InputValues = {
  [N in InputName]: (typeof INPUTS)[N] extends InputSpec<infer T> ? T : never;
};

/** The name of an input that has a default. */
export type OptionalInputName = Exclude<InputName, "build">;

const INPUT_NAMES = Object.keys(INPUTS) as InputName[];

/**
 * Defaults of the optional inputs, from INPUTS. `github-token` defaults to an expression only
 * the runner can evaluate, so its default here is ''.
 */
export const INPUT_DEFAULTS: Readonly<Record<OptionalInputName, string>> = Object.fromEntries(
  INPUT_NAMES.filter((name) => INPUTS[name].required === undefined).map((name) => [
    name,
    INPUTS[name].default,
  ]),
) as Record<OptionalInputName, string>;

/** Inputs whose values must never reach a log, in the order of INPUTS. */
export const SECRET_INPUTS: readonly InputName[] = INPUT_NAMES.filter(
  (name) => INPUTS[name].secret === true,
);

/** The trimmed value of an input, or '' when unset. */
export function rawInput(source: InputSource, name: InputName): string {
  return (source.getInput(name) ?? "").trim();
}

/** The inputs as read: values, and which were refused (their value then is their default's). */
export interface ReadInputs {
  values: InputValues;
  refused: ReadonlySet<InputName>;
}

/** Reads and parses every input in the table's order, filing problems under `input <name>`. */
export function readInputs(source: InputSource, problems: ProblemList): ReadInputs {
  const values: Record<string, unknown> = {};
  const refused = new Set<InputName>();
  for (const name of INPUT_NAMES) {
    const spec: InputSpec<unknown> = INPUTS[name];
    const text = rawInput(source, name) || spec.default;
    const parsed: Parsed<unknown> =
      spec.required !== undefined && text === ""
        ? { ok: false, message: "is empty.", hint: spec.required.hint }
        : spec.parse(text);
    if (parsed.ok) {
      values[name] = parsed.value;
      continue;
    }
    problems.add(`input ${name}`, parsed.message, parsed.hint);
    refused.add(name);
    const fallback = spec.parse(spec.default);
    if (!fallback.ok) throw new Error(`The default of input ${name} does not parse: a bug.`);
    values[name] = fallback.value;
  }
  return { values: values as InputValues, refused };
}

/** The release policy, from the inputs read; durations are milliseconds. */
export function readPolicy(
  { values, refused }: ReadInputs,
  source: InputSource,
  problems: ProblemList,
): ReleasePolicy {
  const statusTimeoutMs = values["status-timeout"];
  const statusIntervalMs = values["status-interval"];
  // Compared only when both were read: against a default stood in for a wrong value, it misleads.
  if (
    !refused.has("status-timeout") &&
    !refused.has("status-interval") &&
    statusIntervalMs > statusTimeoutMs
  ) {
    const shown = (name: InputName) => quote(rawInput(source, name) || INPUTS[name].default);
    problems.add(
      "input status-interval",
      `${shown("status-interval")} is longer than status-timeout, ${shown("status-timeout")}: a status page would be read once at most before the timeout.`,
      "Make status-interval shorter than status-timeout, like status-interval: 5s with status-timeout: 5m.",
    );
  }
  return {
    build: values.build,
    mode: values.mode,
    rollback: values.rollback,
    maxParallel: values["max-parallel"],
    statusTimeoutMs,
    statusIntervalMs,
    bakeTimeMs: values["bake-time"],
    swapWithPreview: values["swap-with-preview"],
    preserveVnet: values["preserve-vnet"],
    refresh: values.refresh,
    ignoreReleaseWindows: values["ignore-release-windows"],
  };
}
