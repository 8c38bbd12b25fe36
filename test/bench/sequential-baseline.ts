import { WebSiteManagementClient } from "@azure/arm-appservice";
import { ClientSecretCredential } from "@azure/identity";
import { readFileSync } from "node:fs";
import { get } from "node:https";

/**
 * The script a person runs by hand to release a fleet, for the benchmark's baseline: one app
 * after another, `beginSwapSlotWithProductionAndWait` (staging into production, the SDK's own
 * polling), then one read of the app's status page. No pre-flight, no verification beyond that
 * read, no refresh. Run as its own process (`NODE_EXTRA_CA_CERTS` trusts the simulator) with
 * the path of a JSON {@link BaselineJob}; prints one JSON line of {@link BaselineResult}.
 */

/** What to release and where. */
export interface BaselineJob {
  armEndpoint: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  slot: string;
  apps: Array<{ resourceGroup: string; name: string; statusUrl: string }>;
}

/** What the script did. */
export interface BaselineResult {
  swapped: number;
  failed: number;
  statusReads: number;
  /** Status reads that did not answer 200 (the page was still warming up, say). */
  statusNot200: number;
  seconds: number;
}

function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    const request = get(url, { agent: false }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", () => resolve(0));
  });
}

async function main(jobPath: string): Promise<void> {
  const job = JSON.parse(readFileSync(jobPath, "utf8")) as BaselineJob;
  const credential = new ClientSecretCredential(job.tenantId, job.clientId, job.clientSecret, {
    authorityHost: job.authorityHost,
    disableInstanceDiscovery: true,
  });
  const client = new WebSiteManagementClient(credential, job.subscriptionId, {
    endpoint: job.armEndpoint,
    credentialScopes: [`${job.armEndpoint}/.default`],
  });
  const started = Date.now();
  const result: BaselineResult = {
    swapped: 0,
    failed: 0,
    statusReads: 0,
    statusNot200: 0,
    seconds: 0,
  };
  for (const app of job.apps) {
    try {
      await client.webApps.beginSwapSlotWithProductionAndWait(app.resourceGroup, app.name, {
        targetSlot: job.slot,
        preserveVnet: true,
      });
      result.swapped++;
    } catch (error) {
      result.failed++;
      process.stderr.write(`${app.name}: ${String(error)}\n`);
    }
    result.statusReads++;
    if ((await statusOf(app.statusUrl)) !== 200) result.statusNot200++;
  }
  result.seconds = (Date.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main(process.argv[2] ?? "");
