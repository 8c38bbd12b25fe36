/**
 * Refresh: once every region is released, make each stale source slot run what its production
 * slot runs, so the next release starts from a clean staging slot.
 */
import { messageOf } from "../error-message.js";
import { forEachLimited } from "./concurrency.js";
import type { Deployment } from "./ports.js";
import { waitingOutConflicts } from "./swap.js";
import {
  describeService,
  everyServiceSucceeded,
  record,
  recordFailure,
  serviceRef,
  type RegionRun,
  type ReleaseLedger,
  type ServiceRun,
} from "./run-state.js";

/**
 * Services refreshed at once across the fleet. Refreshing touches no production slot, so there is
 * no hurry; running every service at once would empty ARM's read bucket right after the release
 * has drained it (200 apps: 400 reads in a burst; test/bench/RESULTS.md).
 */
const REFRESH_CONCURRENCY = 8;

/** Mirrors production into the source slot of every service of `regions`. Resolves false when any refresh failed. */
export async function refreshSourceSlots(
  context: ReleaseLedger,
  regions: RegionRun[],
): Promise<boolean> {
  const services = regions.flatMap((region) => region.services);
  context.ports.log.info(
    `Refreshing ${context.sourceSlot} slots of ${services.length} services: mirroring production's deployment.`,
  );
  const results = await forEachLimited(services, REFRESH_CONCURRENCY, (service) =>
    refreshService(context, service),
  );
  return everyServiceSucceeded(context, services, results);
}

/**
 * Starts refreshing a released wave's staging slots while the next wave swaps: safe with
 * `rollback: region` or `none`, where a released wave is never swapped back (with `all` its
 * staging slot must keep the previous build for the swap back). Never rejects.
 */
export function refreshWhileReleasing(ledger: ReleaseLedger, regions: readonly RegionRun[]): void {
  if (ledger.policy.refresh !== "mirror" || ledger.policy.rollback === "all") return;
  ledger.ports.log.info(
    `Refreshing the ${ledger.sourceSlot} slots of ${regions.map((region) => region.target.name).join(", ")} while the release goes on.`,
  );
  for (const region of regions) {
    ledger.refreshes.set(
      region,
      refreshSourceSlots(ledger, [region]).catch(() => false),
    );
  }
}

/**
 * Refreshes every released region's staging slots not refreshed yet, and waits for those that
 * started early. Resolves false when any refresh failed.
 */
export async function finishRefreshes(
  ledger: ReleaseLedger,
  released: readonly RegionRun[],
): Promise<boolean> {
  const left = released.filter((region) => !ledger.refreshes.has(region));
  const now =
    ledger.policy.refresh === "none" || left.length === 0
      ? true
      : await ledger.ports.log.group("Refresh", () => refreshSourceSlots(ledger, left));
  const early = await Promise.all(ledger.refreshes.values());
  return now && early.every(Boolean);
}

async function refreshService(context: ReleaseLedger, service: ServiceRun): Promise<boolean> {
  context.signal.throwIfAborted();
  record(context, { kind: "RefreshStarted", ...serviceRef(service) });
  const refreshed = await mirrorProduction(context, service);
  record(context, { kind: "RefreshFinished", ...serviceRef(service), refreshed });
  return refreshed;
}

async function mirrorProduction(context: ReleaseLedger, service: ServiceRun): Promise<boolean> {
  const { slots, log } = context.ports;
  const { build } = context.policy;
  try {
    if (service.sourcePage === undefined)
      throw new Error(`the ${context.sourceSlot} slot does not exist`);
    // Swapped in this run: production runs what the source slot ran in pre-flight, and the source
    // slot what production ran, so neither needs reading again (ARM's read bucket is the limit
    // of large fleets). Otherwise both are read.
    const swappedIn = service.swapped ? service.incomingDeployment : undefined;
    const [production, source] =
      swappedIn === undefined
        ? await Promise.all([
            slots.readDeployment(service.production, context.signal),
            slots.readDeployment(service.source, context.signal),
          ])
        : [swappedIn, undefined];
    if (production.kind === "unsupported")
      throw new Error(`production's deployment cannot be mirrored: ${production.reason}`);
    if (source !== undefined && sameDeployment(production, source)) {
      service.refresh = "not-needed";
      log.info(
        `${describeService(service)}: ${context.sourceSlot} already runs production's deployment.`,
      );
      return true;
    }
    log.info(
      `${describeService(service)}: ${context.sourceSlot} ← ${describeDeployment(production)}.`,
    );
    await waitingOutConflicts(context, context.signal, () =>
      slots.applyDeployment(service.source, production, context.signal),
    );
    const result = await context.status.healthy(service.sourcePage, build);
    if (!result.satisfied)
      throw new Error(
        `${context.sourceSlot} did not report ${build} healthy: ${result.last.problem}`,
      );
    service.refresh = "done";
    return true;
  } catch (error) {
    context.signal.throwIfAborted();
    service.refresh = "failed";
    recordFailure(context, service, `refresh failed: ${messageOf(error)}`);
    return false;
  }
}

function sameDeployment(a: Deployment, b: Deployment): boolean {
  if (a.kind === "container" && b.kind === "container")
    return a.linuxFxVersion === b.linuxFxVersion;
  if (a.kind === "package" && b.kind === "package") return a.packageUrl === b.packageUrl;
  return false;
}

/** How a deployment is named in the log. */
export function describeDeployment(deployment: Deployment): string {
  switch (deployment.kind) {
    case "container":
      return `container ${deployment.linuxFxVersion}`;
    case "package":
      return `package ${new URL(deployment.packageUrl).pathname.split("/").pop() ?? "(package)"}`;
    case "unsupported":
      return `unsupported (${deployment.reason})`;
  }
}
