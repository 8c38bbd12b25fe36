/**
 * One region's release: swap its services into production, verify every production status page,
 * watch it bake; and the way back when any of that fails.
 */
import { messageOf } from "../error-message.js";
import { forEachLimited } from "./concurrency.js";
import { formatSeconds } from "./format-duration.js";
import {
  productionPageOf,
  resolveUnresolvedSwap,
  swapWithProduction,
  waitingOutConflicts,
} from "./swap.js";
import {
  addNote,
  describeService,
  everyServiceSucceeded,
  recordFailure,
  runsTheBuild,
  secondsBetween,
  type RegionRun,
  type ReleaseLedger,
  type ServiceRun,
} from "./run-state.js";

/** Inconclusive bake reads (page unreachable, 429) in a row that count as a regression (interface.md). */
const MAX_INCONCLUSIVE_IN_A_ROW = 4;

/** Swaps, verifies and bakes one region. Resolves true when the region is released and stayed healthy. */
export async function releaseRegion(context: ReleaseLedger, region: RegionRun): Promise<boolean> {
  const { log } = context.ports;
  const { policy } = context;
  const parallel = policy.maxParallel === 0 ? "all at once" : `${policy.maxParallel} at a time`;
  log.info(`Swapping ${region.services.length} services into production (${parallel}).`);

  // Once one swap of the region has failed, no new one starts: it would only be swapped back.
  let oneFailed = false;
  const swaps = await forEachLimited(region.services, policy.maxParallel, async (service) => {
    if (oneFailed) {
      log.info(
        `${describeService(service)}: not swapped, since another service of the region failed.`,
      );
      return false;
    }
    const swapped = await swapIn(context, service);
    oneFailed ||= !swapped;
    return swapped;
  });
  if (!everyServiceSucceeded(context, region.services, swaps)) return false;

  log.info(
    `Verifying production status pages (healthy, build ${policy.build}) within ${formatSeconds(policy.statusTimeoutMs / 1000)}.`,
  );
  const verified = await forEachLimited(region.services, 0, async (service) => {
    const result = await context.status.healthy(productionPageOf(service), policy.build);
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
async function swapIn(context: ReleaseLedger, service: ServiceRun): Promise<boolean> {
  context.signal.throwIfAborted();
  if (runsTheBuild(context, service)) {
    context.ports.log.info(
      `${describeService(service)}: production already runs ${context.policy.build}; not swapped.`,
    );
    return true;
  }
  const { clock, log } = context.ports;
  if (context.policy.swapWithPreview && !(await preview(context, service))) return false;
  const started = clock.now();
  log.info(
    `${describeService(service)}: swapping ${context.sourceSlot} (${service.before.staging ?? "unknown build"}) into production (${service.before.production ?? "unknown build"}).`,
  );
  const truth = await swapWithProduction(context, service, "in", context.signal);
  if (truth === "swapped") {
    service.swapped = true;
    service.previewApplied = false;
    service.swapSeconds = secondsBetween(started, clock.now());
    log.info(`${describeService(service)}: swapped in ${service.swapSeconds}s.`);
    return true;
  }
  if (truth === "not-swapped") await resetPreview(context, service, context.signal);
  return false;
}

/**
 * Swap with preview: apply production's settings to the source slot, check the source slot is
 * still healthy under them, and only then let the swap complete. On failure the settings are reset.
 */
async function preview(context: ReleaseLedger, service: ServiceRun): Promise<boolean> {
  const { slots, log } = context.ports;
  const { preserveVnet, build } = context.policy;
  try {
    log.info(
      `${describeService(service)}: applying production settings to ${context.sourceSlot} (swap with preview).`,
    );
    service.previewApplied = true;
    await waitingOutConflicts(context, context.signal, () =>
      slots.applyProductionConfig(service.source, { preserveVnet }, context.signal),
    );
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
  await resetPreview(context, service, context.signal);
  return false;
}

/**
 * Cancels an applied swap with preview, so the source slot runs its own settings again. Also used
 * on cancellation, with a short deadline; when it cannot be done the failure says so loudly.
 */
export async function resetPreview(
  context: ReleaseLedger,
  service: ServiceRun,
  signal: AbortSignal,
): Promise<void> {
  if (!service.previewApplied) return;
  try {
    await waitingOutConflicts(context, signal, () =>
      context.ports.slots.resetProductionConfig(service.source, signal),
    );
    service.previewApplied = false;
    context.ports.log.info(
      `${describeService(service)}: preview cancelled; ${context.sourceSlot} settings reset.`,
    );
  } catch (error) {
    recordFailure(
      context,
      service,
      `SWAP WITH PREVIEW STILL APPLIED: resetting the ${context.sourceSlot} slot's settings failed (${messageOf(error)}); ` +
        `${context.sourceSlot} runs with production's settings and App Service refuses config changes until it is reset ` +
        `(az webapp deployment slot swap --action reset).`,
    );
  }
}

/**
 * Watches the region for `bake-time`. Every answer counts: an unhealthy answer (5xx included) is
 * a regression at once; an unreachable page is inconclusive, and too many inconclusive reads in a
 * row are a regression; the last read of every page must be healthy.
 */
async function bake(context: ReleaseLedger, region: RegionRun): Promise<boolean> {
  const { policy } = context;
  const { clock, log } = context.ports;
  if (policy.bakeTimeMs <= 0) return true;
  log.info(
    `Baking for ${formatSeconds(policy.bakeTimeMs / 1000)}, reading every ${formatSeconds(policy.statusIntervalMs / 1000)}.`,
  );
  const started = clock.now();
  const inconclusiveInARow = new Map<ServiceRun, number>();
  const readAll = async (services: readonly ServiceRun[]): Promise<boolean> => {
    let regressed = false;
    await forEachLimited(services, 0, async (service) => {
      const answer = await context.status.readOnce(productionPageOf(service), policy.build);
      if (answer.healthy) {
        inconclusiveInARow.set(service, 0);
        return;
      }
      const inARow = (inconclusiveInARow.get(service) ?? 0) + 1;
      inconclusiveInARow.set(service, answer.inconclusive ? inARow : 0);
      if (answer.inconclusive && inARow < MAX_INCONCLUSIVE_IN_A_ROW) return;
      regressed = true;
      recordFailure(
        context,
        service,
        answer.inconclusive
          ? `regressed during bake-time: ${inARow} reads in a row could not reach the page: ${answer.problem}`
          : `regressed during bake-time: ${answer.problem}`,
      );
    });
    context.signal.throwIfAborted();
    return !regressed;
  };
  while (clock.now() - started < policy.bakeTimeMs) {
    await clock.sleep(
      Math.min(policy.statusIntervalMs, policy.bakeTimeMs - (clock.now() - started)),
      context.signal,
    );
    if (!(await readAll(region.services))) return false;
  }
  // The bake ends on a healthy read of every page: one still unreachable is read again, within
  // the same allowance of inconclusive reads.
  for (;;) {
    const unsettled = region.services.filter(
      (service) => (inconclusiveInARow.get(service) ?? 0) > 0,
    );
    if (unsettled.length === 0) break;
    await clock.sleep(policy.statusIntervalMs, context.signal);
    if (!(await readAll(unsettled))) return false;
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
export async function rollBack(context: ReleaseLedger, regions: RegionRun[]): Promise<boolean> {
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

async function rollBackRegion(context: ReleaseLedger, region: RegionRun): Promise<boolean> {
  const { log } = context.ports;
  // A swap nobody could tell about gets one more look: swapped by now, it is swapped back too.
  const unresolved = region.services.filter((service) => service.unresolvedSwap !== undefined);
  await forEachLimited(unresolved, 0, async (service) => {
    if ((await resolveUnresolvedSwap(context, service, context.signal)) === "swapped") {
      service.swapped = !service.swapped;
      log.warning(
        `${describeService(service)}: Azure did perform the swap; it is swapped back too.`,
      );
    }
  });
  context.signal.throwIfAborted();
  const stillUnknown = region.services.filter((service) => service.unresolvedSwap !== undefined);
  const swapped = region.services.filter((service) => service.swapped);
  if (swapped.length === 0) {
    log.info(
      stillUnknown.length === 0
        ? `${region.target.name}: no service was swapped; production is unchanged.`
        : `${region.target.name}: no service is known to be swapped; ${stillUnknown.length} swap(s) could not be told.`,
    );
    region.outcome = "failed";
    return stillUnknown.length === 0;
  }
  log.info(`${region.target.name}: swapping back ${swapped.length} service(s).`);
  // Until every swap back has held, production of this region is not where it was: the report
  // must not say `released` (or anything better than the truth) if the run stops now.
  region.outcome = "failed";
  try {
    const results = await forEachLimited(swapped, context.policy.maxParallel, (service) =>
      swapBack(context, service),
    );
    const restored = everyServiceSucceeded(context, swapped, results) && stillUnknown.length === 0;
    region.outcome = restored ? "rolled-back" : "failed";
    return restored;
  } catch (error) {
    if (context.signal.aborted) {
      const left = swapped.filter((service) => service.swapped);
      region.outcome = left.length > 0 ? "cancelled" : "rolled-back";
      for (const service of left.filter((candidate) => !candidate.cancelledMidSwap)) {
        addNote(
          service,
          `the run was cancelled before this service was swapped back: production still runs ${context.policy.build}, ` +
            `from a region that failed its checks (see "after"). Swap it back by hand, or re-run the release.`,
        );
      }
    }
    throw error;
  }
}

/** Swaps one service back and verifies production is healthy on its previous build again. */
async function swapBack(context: ReleaseLedger, service: ServiceRun): Promise<boolean> {
  const { log } = context.ports;
  const truth = await swapWithProduction(context, service, "back", context.signal);
  if (truth !== "swapped") {
    recordFailure(
      context,
      service,
      `ROLLBACK FAILED: the swap back ${truth === "unknown" ? "may not have happened" : "did not happen"}; production may still run ${context.policy.build}. Act now.`,
    );
    return false;
  }
  service.swapped = false;
  const previous = service.before.production;
  const result = await context.status.healthy(productionPageOf(service), previous);
  if (!result.satisfied) {
    recordFailure(
      context,
      service,
      `ROLLBACK NOT VERIFIED: production is not healthy on ${previous ?? "its previous build"}: ${result.last.problem}. Act now.`,
    );
    return false;
  }
  log.info(`${describeService(service)}: rolled back; production healthy on ${result.last.build}.`);
  return true;
}

function sourcePage(service: ServiceRun) {
  if (service.sourcePage === undefined)
    throw new Error(`${describeService(service)}: source status page unknown`);
  return service.sourcePage;
}
