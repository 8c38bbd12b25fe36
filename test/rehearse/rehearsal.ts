import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  SettingsError,
  formatProblem,
  readSettings,
  type ActionSettings,
  type InputSource,
} from "../../src/settings/index.js";
import type { Fleet } from "../../src/release/model.js";
import { renderGroundTruth, renderLog, renderSlack, renderSummary } from "../demo/render.js";
import { readActionInputs, runAction, type ActionRun } from "../harness/run-action.js";
import {
  startSimulator,
  type AppTruth,
  type SlackMessage,
  type Simulator,
} from "../simulator/index.js";
import {
  FAILING_DEPENDENCY,
  rewriteManifest,
  rewriteWarning,
  serviceKey,
  simulatedFleet,
  statusUrlRewrites,
  unsimulatableProblems,
} from "./simulated-fleet.js";

/**
 * Rehearses a release engineer's own release manifest against the simulator: every service of
 * the manifest becomes a simulated app (production on the old build, the source slot on the new
 * one), and the bundled action runs against it exactly as a GitHub runner would run it.
 */

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The subscription of regions that name none when `subscriptionId` is not given either. */
export const PLACEHOLDER_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";

/** The production build when `from` is not given. */
export const DEFAULT_FROM_BUILD = "previous";

/** Inputs the rehearsal sets itself: from its own options, or to point the action at the simulator. */
const RESERVED_INPUTS: Record<string, string> = {
  build: "use --build",
  manifest: "use --manifest",
  regions: "use --regions",
  mode: "use --mode",
  "subscription-id": "use --subscription-id",
  "tenant-id": "the rehearsal signs in through the simulator's GitHub OIDC",
  "client-id": "the rehearsal signs in through the simulator's GitHub OIDC",
  "client-secret": "the rehearsal signs in through the simulator's GitHub OIDC",
  "azure-cloud": "the rehearsal points the action at the simulator",
  "arm-endpoint": "the rehearsal points the action at the simulator",
  "authority-host": "the rehearsal points the action at the simulator",
  "slack-webhook-url": "the rehearsal posts to the simulator's Slack webhook",
};

/** Fast status reads, so a failing region is rolled back in seconds; `--input` may override them. */
const REHEARSAL_INPUT_DEFAULTS = { "status-interval": "1s", "status-timeout": "10s" };

/** What to rehearse. */
export interface RehearsalOptions {
  /** Path of the user's release manifest (YAML or JSON); never modified. */
  manifest: string;
  /** The build to release: the source slots run it. */
  build: string;
  /** The build production runs before the release (default `previous`). */
  from?: string;
  /** The `regions` input: comma- or newline-separated names (default every region). */
  regions?: string;
  /** The `mode` input (default `release`). */
  mode?: string;
  /** `region/service` names whose production page reports a dependency down on `build`. */
  fail?: string[];
  /** Subscription of regions that name none (default a placeholder GUID). */
  subscriptionId?: string;
  /** More action inputs by their action.yml names, e.g. `{ rollback: "all" }`. */
  inputs?: Record<string, string>;
  /** How long a simulated swap takes (default 1000 ms). */
  swapDurationMs?: number;
}

/** What a rehearsal produced. */
export interface Rehearsal {
  run: ActionRun;
  /** The action's exit code; 1 when it was killed by a signal. */
  exitCode: number;
  /** The `outcome` output, or undefined when the action set none. */
  outcome: string | undefined;
  /** What every simulated slot runs at the end. */
  groundTruth: AppTruth[];
  /** The ground truth as a region × service table (render.ts). */
  groundTruthText: string;
  slackMessages: SlackMessage[];
  /** Everything that makes the rehearsal differ from the real release, e.g. rewritten status URLs. */
  warnings: string[];
  /** Services made to fail, as `region/service`. */
  failing: string[];
  /** True when the action read a rewritten copy of the manifest instead of the user's file. */
  manifestRewritten: boolean;
}

/** The user's options or manifest cannot be rehearsed; `problems` lists every reason. */
export class RehearsalError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(problems.join("\n"));
    this.name = "RehearsalError";
    this.problems = problems;
  }
}

/** The inputs the action gets from the rehearsal's options, before the simulator adds its own. */
function userInputs(options: RehearsalOptions, manifestPath: string): Record<string, string> {
  return {
    ...REHEARSAL_INPUT_DEFAULTS,
    ...options.inputs,
    build: options.build,
    manifest: manifestPath,
    regions: options.regions ?? "",
    mode: options.mode ?? "release",
    "subscription-id": options.subscriptionId ?? PLACEHOLDER_SUBSCRIPTION_ID,
  };
}

function inputProblems(inputs: Record<string, string>): string[] {
  const declared = readActionInputs();
  return Object.keys(inputs).flatMap((name) => {
    if (!(name in declared))
      return [
        `--input ${name}: is not an input of the action. Its inputs are ${Object.keys(declared).join(", ")}.`,
      ];
    const reason = RESERVED_INPUTS[name];
    return reason === undefined ? [] : [`--input ${name}: is set by the rehearsal; ${reason}.`];
  });
}

/** Validates as the action does; the settings' problems become the rehearsal's. */
async function validate(inputs: Record<string, string>): Promise<ActionSettings> {
  const source: InputSource = { getInput: (name) => inputs[name] ?? "" };
  try {
    return await readSettings(source, {
      mask: () => {},
      readFile: (path) => readFile(path, "utf8"),
    });
  } catch (error) {
    if (error instanceof SettingsError) throw new RehearsalError(error.problems.map(formatProblem));
    throw error;
  }
}

function failProblems(fleet: Fleet, fail: readonly string[]): string[] {
  const known = fleet.regions.flatMap((region) =>
    region.services.map((service) => serviceKey(region.name, service.name)),
  );
  return fail
    .filter((name) => !known.includes(name))
    .map(
      (name) =>
        `--fail ${name}: is not a service of the manifest. Write it as region/service, one of ${known.join(", ")}.`,
    );
}

/** Validates `options`, seeds a simulator from the manifest, runs the bundled action, and closes the simulator. */
export async function rehearse(options: RehearsalOptions): Promise<Rehearsal> {
  const entry = join(REPO_ROOT, "dist", "index.js");
  if (!existsSync(entry))
    throw new RehearsalError([
      `${entry} is missing: build the action first with \`npm run build\`.`,
    ]);
  const from = options.from ?? DEFAULT_FROM_BUILD;
  const fail = options.fail ?? [];
  const manifestPath = resolve(options.manifest);
  const extraProblems = inputProblems(options.inputs ?? {});
  if (from.trim() === "" || /\s/.test(from))
    extraProblems.push(`--from: "${from}" must be one build identifier, like 1.4.1.`);

  const inputs = userInputs(options, manifestPath);
  let targeted: ActionSettings;
  let whole: Fleet;
  try {
    targeted = await validate(inputs);
    // The simulator holds every region, so the ground truth shows the untargeted ones untouched.
    whole = (await validate({ ...inputs, regions: "" })).fleet;
  } catch (error) {
    if (error instanceof RehearsalError)
      throw new RehearsalError([...extraProblems, ...error.problems]);
    throw error;
  }
  const problems = [
    ...extraProblems,
    ...failProblems(whole, fail),
    ...unsimulatableProblems(whole),
  ];
  if (problems.length > 0) throw new RehearsalError(problems);

  const warnings: string[] = [];
  const targetedRegions = new Set(targeted.fleet.regions.map((region) => region.name));
  for (const name of fail) {
    if (!targetedRegions.has(name.split("/")[0] ?? ""))
      warnings.push(
        `--fail ${name}: its region is not targeted by --regions, so this run never reaches it.`,
      );
  }
  const rewrites = statusUrlRewrites(whole);
  warnings.push(...rewrites.map(rewriteWarning));

  const workDir = mkdtempSync(join(tmpdir(), "regional-slot-swap-rehearse-"));
  let sim: Simulator | undefined;
  try {
    const manifestText = await readFile(manifestPath, "utf8");
    let actionManifest = manifestPath;
    let manifestYaml = manifestText;
    if (rewrites.length > 0) {
      manifestYaml = rewriteManifest(manifestText, rewrites);
      actionManifest = join(workDir, "release-manifest.yml");
      writeFileSync(actionManifest, manifestYaml);
    }
    const fleet = simulatedFleet(whole, { from, build: options.build }, manifestYaml);
    sim = await startSimulator({
      apps: fleet.apps,
      ...(options.swapDurationMs === undefined ? {} : { swapDurationMs: options.swapDurationMs }),
    });
    for (const name of fail) {
      const [regionName, serviceName] = name.split("/");
      const service = whole.regions
        .find((region) => region.name === regionName)
        ?.services.find((candidate) => candidate.name === serviceName);
      if (service) sim.unhealthyInProduction(service.app, options.build, FAILING_DEPENDENCY);
    }

    const run = await runAction({
      keepFiles: true, // the log names the report file: leave it there to open
      sim,
      inputs: {
        ...inputs,
        manifest: actionManifest,
        "tenant-id": sim.tenantId,
        "client-id": sim.clientId, // no client-secret: sign-in through the simulator's GitHub OIDC
        "arm-endpoint": sim.armEndpoint,
        "authority-host": sim.authorityHost,
        "slack-webhook-url": sim.slackWebhookUrl,
      },
    });
    // render.ts reads the source slot as "staging"; a manifest may name another (blue, green).
    const sourceSlot = whole.sourceSlot;
    const slotView: Simulator = {
      ...sim,
      slot: (app, slot) => sim!.slot(app, slot === "staging" ? sourceSlot : slot),
    };
    return {
      run,
      exitCode: run.exitCode ?? 1,
      outcome: run.outputs.outcome,
      groundTruth: sim.groundTruth(),
      groundTruthText: renderGroundTruth(slotView, fleet),
      slackMessages: sim.slackMessages(),
      warnings,
      failing: [...fail],
      manifestRewritten: rewrites.length > 0,
    };
  } finally {
    await sim?.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

const rule = (title: string): string =>
  `\n──── ${title} ${"─".repeat(Math.max(4, 88 - title.length))}`;

/** The rehearsal as a release engineer reads it: warnings, the action's log, job summary, Slack message, ground truth. */
export function formatRehearsal(rehearsal: Rehearsal): string {
  const { run } = rehearsal;
  const lines: string[] = [];
  if (rehearsal.warnings.length > 0) {
    lines.push(rule("Rehearsal warnings"));
    lines.push(...rehearsal.warnings.map((warning) => `⚠ ${warning}`));
  }
  if (rehearsal.failing.length > 0) {
    lines.push(rule("Injected failures"));
    lines.push(
      ...rehearsal.failing.map(
        (name) =>
          `${name}: production reports its ${FAILING_DEPENDENCY} down while it runs the new build.`,
      ),
    );
  }
  lines.push(rule("The action's log"));
  lines.push(renderLog(run.stdout) || "(no output)");
  if (run.stderr.trim()) {
    lines.push(rule("stderr"));
    lines.push(run.stderr.trim());
  }
  lines.push(rule("Job summary"));
  lines.push(run.summary ? renderSummary(run.summary) : "(no job summary written)");
  lines.push(rule("Slack message"));
  lines.push(
    rehearsal.slackMessages.length > 0
      ? rehearsal.slackMessages.map((message) => renderSlack(message.body)).join("\n\n")
      : "(no Slack message received)",
  );
  lines.push(rule("Ground truth: what each simulated slot really runs"));
  lines.push(rehearsal.groundTruthText);
  lines.push(rule("Result"));
  lines.push(
    `exit code ${run.exitCode ?? `signal ${run.signal}`}${run.timedOut ? " (timed out)" : ""}; ` +
      `outcome '${rehearsal.outcome ?? "(none)"}'; released regions '${run.outputs["released-regions"] ?? ""}'`,
  );
  return lines.join("\n");
}
