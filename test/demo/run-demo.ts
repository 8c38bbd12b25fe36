import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runAction, type ActionRun } from "../harness/run-action.js";
import { demoFleet, startSimulator, type DemoFleet, type Simulator } from "../simulator/index.js";
import { parse, stringify } from "yaml";
import { renderGroundTruth, renderLog, renderSlack, renderSummary } from "./render.js";

/**
 * `npm run demo`: three releases of a simulated nine-app fleet with the bundled action, run
 * exactly as a GitHub runner would. The first releases 1.5.0 everywhere; in the second,
 * west-europe's api turns unhealthy on 1.6.0, so that region is rolled back and the release stops.
 * The third releases 1.7.0 progressively: uk-south first, then west-europe and east-us together
 * as one wave, each app behind a canary on slot traffic judged by Azure Monitor metrics; east-us's
 * billing fails 6 % of its requests on 1.7.0 though its status page says healthy, and its canary
 * catches it at 10 %.
 */

const SUBSCRIPTION_ID = "00000000-0000-0000-0000-0000000000a1";
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

const rule = (title: string, char = "═"): string =>
  `\n${char.repeat(4)} ${title} ${char.repeat(Math.max(4, 88 - title.length))}`;
const say = (text = ""): void => {
  process.stdout.write(`${text}\n`);
};

interface ReleaseResult {
  run: ActionRun;
  seconds: number;
}

/** What release 3's manifest adds to the demo fleet's: two waves, a canary and an analysis. */
const PROGRESSIVE_FIELDS = {
  waves: [
    { regions: ["uk-south"], "bake-time": "2s" },
    { regions: ["west-europe", "east-us"], "bake-time": "4s" },
  ],
  canary: { steps: [10, 50], "step-time": "2s" },
  // Azure's grains are a minute; the demo's simulator publishes 500 ms grains 500 ms late.
  analysis: {
    window: "1s",
    "min-requests": 20,
    metrics: [
      { name: "http-5xx-rate", max: 1 },
      { name: "response-time", max: 800 },
    ],
  },
};

function progressiveManifest(fleet: DemoFleet): string {
  return stringify({ ...(parse(fleet.manifestYaml) as object), ...PROGRESSIVE_FIELDS });
}

async function release(
  sim: Simulator,
  fleet: DemoFleet,
  manifestPath: string,
  build: string,
  slackBefore: number,
): Promise<ReleaseResult> {
  say(rule(`The action's log (build ${build})`, "─"));
  const started = Date.now();
  const run = await runAction({
    keepFiles: true, // the log names the report file: leave it there to open
    sim,
    inputs: {
      build,
      manifest: manifestPath,
      "subscription-id": SUBSCRIPTION_ID,
      "tenant-id": sim.tenantId,
      "client-id": sim.clientId, // no client-secret: sign-in through GitHub OIDC
      "arm-endpoint": sim.armEndpoint,
      "authority-host": sim.authorityHost,
      "slack-webhook-url": sim.slackWebhookUrl,
      "status-interval": "1s",
      "status-timeout": "8s",
    },
  });
  const seconds = (Date.now() - started) / 1000;
  say(renderLog(run.stdout) || "(no output)");
  if (run.stderr.trim()) {
    say(rule("stderr", "─"));
    say(run.stderr.trim());
  }
  say(rule("Job summary", "─"));
  say(run.summary ? renderSummary(run.summary) : "(no job summary written)");
  say(rule("Slack message", "─"));
  const messages = sim.slackMessages().slice(slackBefore);
  say(
    messages.length
      ? messages.map((message) => renderSlack(message.body)).join("\n\n")
      : "(no Slack message received)",
  );
  say(rule("Ground truth: what each slot really runs", "─"));
  say(renderGroundTruth(sim, fleet));
  say(rule("Result", "─"));
  say(
    `exit code ${run.exitCode ?? `signal ${run.signal}`}; outcome '${run.outputs.outcome ?? "(none)"}'; released regions '${run.outputs["released-regions"] ?? ""}'`,
  );
  say(`wall time ${seconds.toFixed(1)} s`);
  return { run, seconds };
}

async function main(): Promise<number> {
  if (!existsSync(join(REPO_ROOT, "dist", "index.js"))) {
    say("dist/index.js is missing: build the action first with `npm run build`.");
    return 1;
  }
  const fleet = demoFleet(SUBSCRIPTION_ID);
  const sim = await startSimulator({
    apps: fleet.apps,
    swapDurationMs: 800,
    // Metric grains compressed from Azure's minute so the canary of release 3 takes seconds.
    metricGrainMs: 500,
    metricDelayMs: 500,
    userRequestsPerSecond: 400,
  });
  const workDir = mkdtempSync(join(tmpdir(), "regional-slot-swap-demo-"));
  try {
    const manifestPath = join(workDir, "release-manifest.yml");
    writeFileSync(manifestPath, fleet.manifestYaml);

    say(rule("regional-slot-swap demo"));
    say(
      "A loopback Azure (Resource Manager, Entra ID, GitHub OIDC, Slack, status pages) is running at",
    );
    say(`${sim.origin}. It holds 3 regions × 3 services; the bundled action (dist/index.js) runs`);
    say("against it exactly as on a GitHub runner, signing in with GitHub OIDC.");
    say(rule("The manifest", "─"));
    say(fleet.manifestYaml.trim());
    say(rule("Ground truth before release 1", "─"));
    say(renderGroundTruth(sim, fleet));

    say(rule("Release 1: build 1.5.0 to every region"));
    const first = await release(sim, fleet, manifestPath, "1.5.0", 0);

    say(rule("Release 2: build 1.6.0, and west-europe's api breaks on it"));
    say("Preparing: every staging slot now runs 1.6.0 (deployed through the simulator), and");
    say("west-europe's api will report its database down in production while it runs 1.6.0.");
    for (const region of fleet.regions)
      for (const service of region.services) sim.deploy(service.app, "staging", "1.6.0");
    sim.unhealthyInProduction("shop-api-weu", "1.6.0", "database");
    const slackBefore = sim.slackMessages().length;
    const second = await release(sim, fleet, manifestPath, "1.6.0", slackBefore);

    say(rule("Release 3: build 1.7.0 in waves, behind a canary judged by Azure Monitor"));
    say("Preparing: every staging slot now runs 1.7.0, and east-us's billing fails 6 % of its");
    say("requests on 1.7.0 under load, though its status page says healthy. The manifest adds:");
    const progressivePath = join(workDir, "release-manifest-progressive.yml");
    writeFileSync(progressivePath, progressiveManifest(fleet));
    say(stringify(PROGRESSIVE_FIELDS).trim());
    for (const region of fleet.regions)
      for (const service of region.services) sim.deploy(service.app, "staging", "1.7.0");
    sim.buildProfile("shop-billing-eus", "1.7.0", { errorPercent: 6 });
    const third = await release(sim, fleet, progressivePath, "1.7.0", sim.slackMessages().length);

    const firstOk = first.run.outputs.outcome === "released" && first.run.exitCode === 0;
    const secondOk =
      second.run.outputs.outcome === "rolled-back" &&
      second.run.exitCode !== 0 &&
      sim.slot("shop-api-weu", "production").build === "1.5.0";
    const thirdReport = third.run.report as {
      regions: Array<{
        name: string;
        services: Array<{ app: string; canary?: { highestPercent: number } }>;
      }>;
    } | null;
    const billing = thirdReport?.regions
      .flatMap((region) => region.services)
      .find((service) => service.app === "shop-billing-eus");
    const thirdOk =
      third.run.outputs.outcome === "failed" &&
      third.run.exitCode !== 0 &&
      sim.slot("shop-api-uks", "production").build === "1.7.0" &&
      sim.slot("shop-billing-eus", "production").build === "1.5.0" &&
      billing?.canary?.highestPercent === 10 &&
      sim.journal.swapsWhileRouted().length === 0;
    say(rule("Demo result"));
    say(
      `release 1 (1.5.0): ${first.run.outputs.outcome ?? "no outcome"} in ${first.seconds.toFixed(1)} s — expected released: ${firstOk ? "yes" : "NO"}`,
    );
    say(
      `release 2 (1.6.0): ${second.run.outputs.outcome ?? "no outcome"} in ${second.seconds.toFixed(1)} s — expected rolled-back with west-europe back on 1.5.0: ${secondOk ? "yes" : "NO"}`,
    );
    say(
      `release 3 (1.7.0): ${third.run.outputs.outcome ?? "no outcome"} in ${third.seconds.toFixed(1)} s — expected failed, uk-south on 1.7.0, east-us's billing canary stopped at 10 % and never swapped: ${thirdOk ? "yes" : "NO"}`,
    );
    return firstOk && secondOk && thirdOk ? 0 : 1;
  } finally {
    await sim.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
