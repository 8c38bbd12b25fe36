/**
 * The way back: undoes the swaps of failed regions in reverse, stage by stage (a service is swapped
 * back before what it depends on), and verifies the previous build is healthy in production again.
 */
import { forEachLimited } from "./concurrency.js";
import {
  addNote,
  describeService,
  everyServiceSucceeded,
  record,
  recordFailure,
  secondsBetween,
  serviceRef,
  type RegionRun,
  type ReleaseLedger,
  type ServiceRun,
} from "./run-state.js";
import { productionPageOf, resolveUnresolvedSwap, swapWithProduction } from "./swap.js";

/**
 * Swaps back every swapped service of the given groups of regions (a failed wave, then earlier
 * waves newest first); the regions of a group are rolled back together. Resolves true when every
 * rollback held.
 */
export async function rollBack(ledger: ReleaseLedger, groups: RegionRun[][]): Promise<boolean> {
  let allRestored = true;
  for (const group of groups) {
    const names = group.map((region) => region.target.name).join(", ");
    const results = await ledger.ports.log.group(`Rollback ${names}`, () =>
      forEachLimited(group, 0, (region) => rollBackRegion(ledger, region)),
    );
    for (const region of group) region.finishedAt = ledger.ports.clock.now();
    ledger.signal.throwIfAborted();
    const rejected = results.find(
      (result): result is PromiseRejectedResult => result.status === "rejected",
    );
    if (rejected !== undefined) throw rejected.reason;
    allRestored &&= results.every((result) => result.status === "fulfilled" && result.value);
  }
  return allRestored;
}

async function rollBackRegion(ledger: ReleaseLedger, region: RegionRun): Promise<boolean> {
  const { log } = ledger.ports;
  // A swap nobody could tell about gets one more look: swapped by now, it is swapped back too.
  const unresolved = region.services.filter((service) => service.unresolvedSwap !== undefined);
  await forEachLimited(unresolved, 0, async (service) => {
    if ((await resolveUnresolvedSwap(ledger, service, ledger.signal)) === "swapped") {
      service.swapped = !service.swapped;
      log.warning(
        `${describeService(service)}: Azure did perform the swap; it is swapped back too.`,
      );
    }
  });
  ledger.signal.throwIfAborted();
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
    const restored = (await swapBackInReverseStages(ledger, region)) && stillUnknown.length === 0;
    region.outcome = restored ? "rolled-back" : "failed";
    return restored;
  } catch (error) {
    if (ledger.signal.aborted) {
      const left = swapped.filter((service) => service.swapped);
      region.outcome = left.length > 0 ? "cancelled" : "rolled-back";
      for (const service of left.filter((candidate) => !candidate.cancelledMidSwap)) {
        addNote(
          service,
          `the run was cancelled before this service was swapped back: production still runs ${ledger.policy.build}, ` +
            `from a region that failed its checks (see "after"). Swap it back by hand, or re-run the release.`,
        );
      }
    }
    throw error;
  }
}

/**
 * Undoes the region's swaps stage by stage, last stage first: what depends on a service is back
 * on its previous build before that service is swapped back. When a stage's swap back fails, the
 * stages before it are left as they are (their dependents still run the new build) and say so.
 */
async function swapBackInReverseStages(ledger: ReleaseLedger, region: RegionRun): Promise<boolean> {
  const stages = [...region.stages].reverse();
  for (const [index, stage] of stages.entries()) {
    const swapped = stage.filter((service) => service.swapped);
    if (swapped.length === 0) continue;
    const results = await forEachLimited(swapped, ledger.policy.maxParallel, (service) =>
      swapBack(ledger, service),
    );
    if (everyServiceSucceeded(ledger, swapped, results)) continue;
    for (const service of stages
      .slice(index + 1)
      .flat()
      .filter((left) => left.swapped)) {
      recordFailure(
        ledger,
        service,
        `not swapped back: a service that depends on it could not be swapped back, and it still runs ${ledger.policy.build}. Swap back the services above first, then this one.`,
      );
    }
    return false;
  }
  return true;
}

/** Swaps one service back and verifies production is healthy on its previous build again. */
async function swapBack(ledger: ReleaseLedger, service: ServiceRun): Promise<boolean> {
  const { log } = ledger.ports;
  record(ledger, { kind: "SwapStarted", ...serviceRef(service), direction: "back" });
  const started = ledger.ports.clock.now();
  const truth = await swapWithProduction(ledger, service, "back", ledger.signal);
  if (truth !== "swapped") {
    record(ledger, { kind: "SwapFailed", ...serviceRef(service), direction: "back" });
    recordFailure(
      ledger,
      service,
      `ROLLBACK FAILED: the swap back ${truth === "unknown" ? "may not have happened" : "did not happen"}; production may still run ${ledger.policy.build}. Act now.`,
    );
    return false;
  }
  service.swapped = false;
  record(ledger, {
    kind: "SwapCompleted",
    ...serviceRef(service),
    direction: "back",
    seconds: secondsBetween(started, ledger.ports.clock.now()),
  });
  const previous = service.before.production;
  record(ledger, { kind: "VerificationStarted", ...serviceRef(service) });
  const result = await ledger.status.healthy(productionPageOf(service), previous);
  if (!result.satisfied) {
    recordFailure(
      ledger,
      service,
      `ROLLBACK NOT VERIFIED: production is not healthy on ${previous ?? "its previous build"}: ${result.last.problem}. Act now.`,
    );
    return false;
  }
  record(ledger, { kind: "ServiceVerified", ...serviceRef(service), build: result.last.build });
  log.info(`${describeService(service)}: rolled back; production healthy on ${result.last.build}.`);
  return true;
}
