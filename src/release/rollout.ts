/**
 * One region's release: swap its services into production, verify every production status page,
 * watch it bake; and the way back when any of that fails.
 */
import { messageOf } from "../error-message.js";
import { forEachLimited } from "./concurrency.js";
import { formatSeconds } from "./format-duration.js";
import {
  describeService,
  everyServiceSucceeded,
  recordFailure,
  runsTheBuild,
  secondsBetween,
  type RegionRun,
  type RunContext,
  type ServiceRun,
} from "./run-state.js";

/** Swaps, verifies and bakes one region. Resolves true when the region is released and stayed healthy. */
export async function releaseRegion(context: RunContext, region: RegionRun): Promise<boolean> {
  const { log } = context.ports;
  const { policy } = context;
  const parallel = policy.maxParallel === 0 ? "all at once" : `${policy.maxParallel} at a time`;
  log.info(`Swapping ${region.services.length} services into production (${parallel}).`);

  const swaps = await forEachLimited(region.services, policy.maxParallel, (service) =>
    swapIn(context, service),
  );
  if (!everyServiceSucceeded(context, region.services, swaps)) return false;

  log.info(
    `Verifying production status pages (healthy, build ${policy.build}) within ${formatSeconds(policy.statusTimeoutMs / 1000)}.`,
  );
  const verified = await forEachLimited(region.services, 0, async (service) => {
    const result = await context.status.healthy(productionPage(service), policy.build);
    if (result.satisfied) {
      log.info(
        `${describeService(service)}: production healthy on ${policy.build} after ${formatSeconds(result.elapsedMs / 1000)}.`,
      );
    } else {
      recordFailure(
        context,
        service,
        `production not healthy on ${policy.build} within ${formatSeconds(policy.statusTimeoutMs / 1000)}: ${result.last.problem}`,
      );
    }
    return result.satisfied;
  });
  if (!everyServiceSucceeded(context, region.services, verified)) return false;

  return bake(context, region);
}

/** Swaps one service in (with preview when asked). Never throws for an Azure failure: records it. */
async function swapIn(context: RunContext, service: ServiceRun): Promise<boolean> {
  context.signal.throwIfAborted();
  if (runsTheBuild(context, service)) {
    context.ports.log.info(
      `${describeService(service)}: production already runs ${context.policy.build}; not swapped.`,
    );
    return true;
  }
  const { slots, clock, log } = context.ports;
  const { preserveVnet } = context.policy;
  if (context.policy.swapWithPreview && !(await preview(context, service))) return false;
  const started = clock.now();
  log.info(
    `${describeService(service)}: swapping ${context.sourceSlot} (${service.before.staging ?? "unknown build"}) into production (${service.before.production ?? "unknown build"}).`,
  );
  try {
    await untilAborted(slots.swapIntoProduction(service.source, { preserveVnet }), context.signal);
  } catch (error) {
    if (context.signal.aborted) {
      service.error = `cancelled while its swap was running; Azure may still complete it (see "after")`;
      throw error;
    }
    recordFailure(context, service, `swap failed: ${messageOf(error)}`);
    await learnWhetherSwapped(context, service);
    return false;
  }
  service.swapped = true;
  service.swapSeconds = secondsBetween(started, clock.now());
  log.info(`${describeService(service)}: swapped in ${service.swapSeconds}s.`);
  return true;
}

/**
 * Swap with preview: apply production's settings to the source slot, check the source slot is
 * still healthy under them, and only then let the swap complete. On failure the settings are reset.
 */
async function preview(context: RunContext, service: ServiceRun): Promise<boolean> {
  const { slots, log } = context.ports;
  const { preserveVnet, build } = context.policy;
  try {
    log.info(
      `${describeService(service)}: applying production settings to ${context.sourceSlot} (swap with preview).`,
    );
    await slots.applyProductionConfig(service.source, { preserveVnet });
    const result = await context.status.healthy(sourcePage(service), build);
    if (result.satisfied) return true;
    recordFailure(
      context,
      service,
      `${context.sourceSlot} not healthy on ${build} with production settings: ${result.last.problem}`,
    );
  } catch (error) {
    if (context.signal.aborted) throw error;
    recordFailure(context, service, `swap with preview failed: ${messageOf(error)}`);
  }
  try {
    await slots.resetProductionConfig(service.source);
    log.info(
      `${describeService(service)}: preview cancelled; ${context.sourceSlot} settings reset.`,
    );
  } catch (error) {
    recordFailure(
      context,
      service,
      `resetting the ${context.sourceSlot} slot's settings failed: ${messageOf(error)}`,
    );
  }
  return false;
}

/** After a failed swap, asks production's status page whether the swap happened anyway, so a rollback knows. */
async function learnWhetherSwapped(context: RunContext, service: ServiceRun): Promise<void> {
  const { build } = context.policy;
  const answer = await context.status.readable(productionPage(service));
  if (answer.last.build === build) {
    service.swapped = true;
    context.ports.log.warning(
      `${describeService(service)}: the swap reported failure, but production now reports ${build}; treating it as swapped.`,
    );
  }
}

/** Watches the region for `bake-time`: every page must stay healthy on the build. */
async function bake(context: RunContext, region: RegionRun): Promise<boolean> {
  const { policy } = context;
  const { clock, log } = context.ports;
  if (policy.bakeTimeMs <= 0) return true;
  log.info(
    `Baking for ${formatSeconds(policy.bakeTimeMs / 1000)}, reading every ${formatSeconds(policy.statusIntervalMs / 1000)}.`,
  );
  const started = clock.now();
  const unreadableSince = new Map<ServiceRun, number>();
  while (clock.now() - started < policy.bakeTimeMs) {
    await clock.sleep(
      Math.min(policy.statusIntervalMs, policy.bakeTimeMs - (clock.now() - started)),
      context.signal,
    );
    let healthy = true;
    await forEachLimited(region.services, 0, async (service) => {
      const answer = await context.status.readOnce(productionPage(service), policy.build);
      if (answer.healthy) {
        unreadableSince.delete(service);
        return;
      }
      if (answer.transient) {
        const since = unreadableSince.get(service) ?? clock.now();
        unreadableSince.set(service, since);
        if (clock.now() - since <= policy.statusTimeoutMs) return;
      }
      healthy = false;
      recordFailure(context, service, `regressed during bake-time: ${answer.problem}`);
    });
    if (!healthy) return false;
  }
  log.info(
    `Baked for ${formatSeconds((clock.now() - started) / 1000)}; still healthy on ${policy.build}.`,
  );
  return true;
}

/**
 * Swaps back every swapped service of the given regions, newest region first, and verifies the
 * previous build is healthy in production again. Resolves true when every rollback held.
 */
export async function rollBack(context: RunContext, regions: RegionRun[]): Promise<boolean> {
  let allRestored = true;
  for (const region of regions) {
    const restored = await context.ports.log.group(`Rollback ${region.target.name}`, () =>
      rollBackRegion(context, region),
    );
    region.finishedAt = context.ports.clock.now();
    allRestored &&= restored;
  }
  return allRestored;
}

async function rollBackRegion(context: RunContext, region: RegionRun): Promise<boolean> {
  const { slots, log } = context.ports;
  const swapped = region.services.filter((service) => service.swapped);
  if (swapped.length === 0) {
    log.info(`${region.target.name}: no service was swapped; production is unchanged.`);
    region.outcome = "failed";
    return true;
  }
  log.info(`${region.target.name}: swapping back ${swapped.length} service(s).`);
  const results = await forEachLimited(swapped, context.policy.maxParallel, async (service) => {
    try {
      await slots.swapIntoProduction(service.source, { preserveVnet: context.policy.preserveVnet });
      service.swapped = false;
    } catch (error) {
      recordFailure(
        context,
        service,
        `ROLLBACK FAILED: the swap back failed (${messageOf(error)}); production may still run ${context.policy.build}. Act now.`,
      );
      return false;
    }
    const previous = service.before.production;
    const result = await context.status.healthy(productionPage(service), previous);
    if (!result.satisfied) {
      recordFailure(
        context,
        service,
        `ROLLBACK NOT VERIFIED: production is not healthy on ${previous ?? "its previous build"}: ${result.last.problem}. Act now.`,
      );
      return false;
    }
    log.info(
      `${describeService(service)}: rolled back; production healthy on ${result.last.build}.`,
    );
    return true;
  });
  const restored = everyServiceSucceeded(context, swapped, results);
  region.outcome = restored ? "rolled-back" : "failed";
  return restored;
}

function productionPage(service: ServiceRun) {
  if (service.productionPage === undefined)
    throw new Error(`${describeService(service)}: production status page unknown`);
  return service.productionPage;
}

function sourcePage(service: ServiceRun) {
  if (service.sourcePage === undefined)
    throw new Error(`${describeService(service)}: source status page unknown`);
  return service.sourcePage;
}

/** Stops waiting for `work` when the run is cancelled; the work itself goes on in Azure. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
