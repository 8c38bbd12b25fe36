import { appendFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { demoFleet, startSimulator } from "./index.js";

/**
 * The simulator as a standalone process, for CI's `uses: ./` job:
 *   npx tsx test/simulator/serve.ts --env-file "$GITHUB_ENV" --manifest "$RUNNER_TEMP/manifest.yml"
 * Starts the demo fleet, writes its manifest, appends the connection settings to the env file
 * (KEY=value lines), prints them, and serves until SIGTERM/SIGINT or `--exit-after <seconds>`.
 */

const SUBSCRIPTION_ID = "00000000-0000-0000-0000-0000000000a1";

const { values } = parseArgs({
  options: {
    "env-file": { type: "string" },
    manifest: { type: "string" },
    "exit-after": { type: "string" },
    "swap-duration-ms": { type: "string" },
  },
});
if (!values["env-file"] || !values.manifest) {
  process.stderr.write(
    "usage: npx tsx test/simulator/serve.ts --env-file <path> --manifest <path> [--exit-after <seconds>] [--swap-duration-ms <ms>]\n",
  );
  process.exit(2);
}

const fleet = demoFleet(SUBSCRIPTION_ID);
const sim = await startSimulator({
  apps: fleet.apps,
  swapDurationMs: values["swap-duration-ms"] ? Number(values["swap-duration-ms"]) : 1000,
});
writeFileSync(values.manifest, fleet.manifestYaml);

const settings: Record<string, string> = {
  SIM_ARM_ENDPOINT: sim.armEndpoint,
  SIM_AUTHORITY_HOST: sim.authorityHost,
  SIM_TENANT_ID: sim.tenantId,
  SIM_CLIENT_ID: sim.clientId,
  SIM_CLIENT_SECRET: sim.clientSecret,
  NODE_EXTRA_CA_CERTS: sim.caCertPath,
  SIM_SLACK_WEBHOOK_URL: sim.slackWebhookUrl,
  SIM_GITHUB_API_URL: sim.githubApiUrl,
  SIM_SUBSCRIPTION_ID: SUBSCRIPTION_ID,
};
// One write, so a step waiting for the file sees every line at once.
appendFileSync(
  values["env-file"],
  Object.entries(settings)
    .map(([key, value]) => `${key}=${value}\n`)
    .join(""),
);
process.stdout.write(
  `Simulator listening on ${sim.origin}; manifest written to ${values.manifest}\n`,
);
for (const [key, value] of Object.entries(settings)) process.stdout.write(`${key}=${value}\n`);

let closing = false;
const stop = async (reason: string): Promise<void> => {
  if (closing) return;
  closing = true;
  process.stdout.write(
    `Simulator stopping (${reason}) after ${sim.journal.entries().length} requests.\n`,
  );
  await sim.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
if (values["exit-after"])
  setTimeout(() => void stop("--exit-after"), Number(values["exit-after"]) * 1000);
