/**
 * The steps of one service, as the planner lists them (plan.ts): canary step, preview, swap,
 * verify. Each runner resolves true when its step held, records why when it did not, and throws
 * only when the run is cancelled. Adding a step kind: a case in `ServiceStep`, the planner's
 * `serviceSteps`, and a case in `runStep` here.
 */
import { messageOf } from "../error-message.js";
import { formatSeconds } from "./format-duration.js";
import type { ServiceStep } from "./plan.js";
import { PRODUCTION_SLOT } from "./ports.js";
import {
  describeService,
  record,
  recordFailure,
  runsTheBuild,
  secondsBetween,
  serviceRef,
  type ReleaseLedger,
  type ServiceRun,
} from "./run-state.js";
import { productionPageOf, swapWithProduction, waitingOutConflicts } from "./swap.js";
import { watch } from "./watch.js";

/** Runs one step; a step kind without a case here does not compile. */
function runStep(ledger: ReleaseLedger, service: ServiceRun, step: ServiceStep): Promise<boolean> {
  switch (step.kind) {
    case "canary":
      return runCanaryStep(ledger, service, step);
    case "preview":
      return preview(ledger, service);
    case "swap":
      return swapIn(ledger, service);
    case "verify":
      return verify(ledger, service);
  }
}

/**
 * Runs a service's steps in order, stopping at the first that does not hold. A service whose
 * production already runs the build healthy is never swapped (a swap would bring the previous
 * build back): of its steps only the verification runs.
 */
export async function runServiceSteps(
  ledger: ReleaseLedger,
  service: ServiceRun,
  steps: readonly ServiceStep[],
  stopped: () => boolean = () => false,
): Promise<boolean> {
  let toRun = steps;
  if (runsTheBuild(ledger, service)) {
    toRun = steps.filter((step) => step.kind === "verify");
    if (toRun.length < steps.length) {
      ledger.ports.log.info(
        `${describeService(service)}: production already runs ${ledger.policy.build}; not swapped.`,
      );
    }
  }
  for (const step of toRun) {
    ledger.signal.throwIfAborted();
    // Another service of the wave failed: no new step starts, and what this one set is undone.
    if (stopped()) {
      ledger.ports.log.info(`${describeService(service)}: stopped, since another service failed.`);
      await removeTrafficRoute(ledger, service, ledger.signal);
      await resetPreview(ledger, service, ledger.signal);
      return false;
    }
    if (!(await runStep(ledger, service, step))) return false;
  }
  return true;
}

/**
 * One canary step: production's rule sends `percent` of its users to the source slot, and the
 * source slot is watched for the step's time. On failure the rule is removed at once.
 */
async function runCanaryStep(
  ledger: ReleaseLedger,
  service: ServiceRun,
  step: Extract<ServiceStep, { kind: "canary" }>,
): Promise<boolean> {
  const { slots, log } = ledger.ports;
  const page = sourcePage(service);
  log.info(
    `${describeService(service)}: canary ${step.percent}%: sending ${step.percent}% of production's users to ${ledger.sourceSlot} for ${formatSeconds(step.durationMs / 1000)}.`,
  );
  record(ledger, { kind: "CanaryStepStarted", ...serviceRef(service), percent: step.percent });
  try {
    // Known before the answer: a lost answer may still have set the rule.
    service.routedPercent = step.percent;
    await waitingOutConflicts(ledger, ledger.signal, () =>
      slots.setTrafficRouting(
        service.production,
        [{ name: ledger.sourceSlot, toHost: page.host, percent: step.percent }],
        ledger.signal,
      ),
    );
  } catch (error) {
    if (ledger.signal.aborted) throw error;
    recordFailure(
      ledger,
      service,
      `canary ${step.percent}% could not route traffic: ${messageOf(error)}`,
    );
    await removeTrafficRoute(ledger, service, ledger.signal);
    return false;
  }
  if (service.canary !== undefined) service.canary.highestPercent = step.percent;
  const held = await watch(
    ledger,
    [{ service, slot: service.source, page, build: ledger.policy.build }],
    step.durationMs,
    { phase: "canary", label: `canary ${step.percent}%` },
  );
  if (!held) {
    await removeTrafficRoute(ledger, service, ledger.signal);
    return false;
  }
  record(ledger, { kind: "CanaryStepPassed", ...serviceRef(service), percent: step.percent });
  const steps = ledger.fleet.canary?.steps ?? [];
  if (service.canary !== undefined && step.percent === steps[steps.length - 1]) {
    service.canary.passed = true;
  }
  return true;
}

/**
 * Removes our traffic-routing rule, so every user reaches production: before the swap, on
 * failure and on cancellation. Resolves false, loudly, when it could not be removed.
 */
export async function removeTrafficRoute(
  ledger: ReleaseLedger,
  service: ServiceRun,
  signal: AbortSignal,
): Promise<boolean> {
  if (service.routedPercent === 0) return true;
  try {
    await waitingOutConflicts(ledger, signal, () =>
      ledger.ports.slots.setTrafficRouting(service.production, [], signal),
    );
    service.routedPercent = 0;
    record(ledger, { kind: "TrafficRouteRemoved", ...serviceRef(service) });
    ledger.ports.log.info(
      `${describeService(service)}: traffic routing removed; every user reaches production.`,
    );
    return true;
  } catch (error) {
    recordFailure(
      ledger,
      service,
      `TRAFFIC ROUTING STILL SET: removing the rule that sends ${service.routedPercent}% of production's users to ${ledger.sourceSlot} failed (${messageOf(error)}); ` +
        `set the slot's traffic back to 0% (Deployment slots → Traffic %, or az webapp traffic-routing clear).`,
    );
    return false;
  }
}

/** Swaps one service in, once no canary rule routes any user. Never throws for an Azure failure. */
async function swapIn(ledger: ReleaseLedger, service: ServiceRun): Promise<boolean> {
  const { clock, log } = ledger.ports;
  // A swap with a rule set would leave that share of users on the slot swapped out.
  if (!(await removeTrafficRoute(ledger, service, ledger.signal))) return false;
  ledger.signal.throwIfAborted();
  const started = clock.now();
  log.info(
    `${describeService(service)}: swapping ${ledger.sourceSlot} (${service.before.staging ?? "unknown build"}) into production (${service.before.production ?? "unknown build"}).`,
  );
  record(ledger, { kind: "SwapStarted", ...serviceRef(service), direction: "in" });
  const watching = new AbortController();
  const seenHealthy = healthyWhileSwapping(ledger, service, watching.signal);
  let truth: Awaited<ReturnType<typeof swapWithProduction>>;
  try {
    truth = await swapWithProduction(ledger, service, "in", ledger.signal);
  } finally {
    watching.abort();
  }
  const healthySeenAt = await seenHealthy;
  if (truth === "swapped") {
    // Seen healthy on the build while Azure finished the swap, and now confirmed by its result.
    service.verifiedAt = healthySeenAt;
    service.swapped = true;
    service.previewApplied = false;
    service.swapSeconds = secondsBetween(started, clock.now());
    record(ledger, {
      kind: "SwapCompleted",
      ...serviceRef(service),
      direction: "in",
      seconds: service.swapSeconds,
    });
    log.info(`${describeService(service)}: swapped in ${service.swapSeconds}s.`);
    return true;
  }
  record(ledger, { kind: "SwapFailed", ...serviceRef(service), direction: "in" });
  if (truth === "not-swapped") await resetPreview(ledger, service, ledger.signal);
  return false;
}

/**
 * Reads production's page every `status-interval` while the swap runs, so verification starts the
 * moment production changes rather than after the operation's last poll. Resolves, once `stop`
 * aborts, with when the latest read was healthy on the build (`null`: it was not, or none was
 * made). Never rejects.
 */
async function healthyWhileSwapping(
  ledger: ReleaseLedger,
  service: ServiceRun,
  stop: AbortSignal,
): Promise<number | null> {
  const signal = AbortSignal.any([ledger.signal, stop]);
  const page = productionPageOf(service);
  let healthySince: number | null = null;
  try {
    for (;;) {
      await ledger.ports.clock.sleep(ledger.policy.statusIntervalMs, signal);
      const answer = await ledger.status.readOnce(page, ledger.policy.build, signal);
      if (signal.aborted) break;
      healthySince = answer.healthy ? (healthySince ?? ledger.ports.clock.now()) : null;
    }
  } catch {
    // Stopped: the swap ended, or the run was cancelled.
  }
  return healthySince;
}

/** Production's status page must report healthy on the build within `status-timeout`. */
async function verify(ledger: ReleaseLedger, service: ServiceRun): Promise<boolean> {
  const { policy } = ledger;
  record(ledger, { kind: "VerificationStarted", ...serviceRef(service) });
  if (service.verifiedAt !== null) {
    record(ledger, { kind: "ServiceVerified", ...serviceRef(service), build: policy.build.trim() });
    ledger.ports.log.info(
      `${describeService(service)}: production healthy on ${policy.build}, seen while the swap completed.`,
    );
    return true;
  }
  const result = await ledger.status.healthy(productionPageOf(service), policy.build);
  if (result.satisfied) {
    record(ledger, { kind: "ServiceVerified", ...serviceRef(service), build: result.last.build });
    ledger.ports.log.info(
      `${describeService(service)}: production healthy on ${policy.build} after ${formatSeconds(result.elapsedMs / 1000)}.`,
    );
    return true;
  }
  record(ledger, {
    kind: "Regression",
    ...serviceRef(service),
    phase: "verification",
    signal: "status-page",
    message: result.last.problem ?? "not healthy",
  });
  recordFailure(
    ledger,
    service,
    `production not healthy on ${policy.build} within ${formatSeconds(policy.statusTimeoutMs / 1000)}: ${result.last.problem}`,
  );
  return false;
}

/**
 * Swap with preview: apply production's settings to the source slot, check the source slot is
 * still healthy under them, and only then let the swap complete. On failure the settings are reset.
 */
async function preview(ledger: ReleaseLedger, service: ServiceRun): Promise<boolean> {
  const { slots, log } = ledger.ports;
  const { preserveVnet, build } = ledger.policy;
  try {
    log.info(
      `${describeService(service)}: applying production settings to ${ledger.sourceSlot} (swap with preview).`,
    );
    service.previewApplied = true;
    await waitingOutConflicts(ledger, ledger.signal, () =>
      slots.applyProductionConfig(service.source, { preserveVnet }, ledger.signal),
    );
    const result = await ledger.status.healthy(sourcePage(service), build);
    if (result.satisfied) return true;
    recordFailure(
      ledger,
      service,
      `${ledger.sourceSlot} not healthy on ${build} with production settings: ${result.last.problem}`,
    );
  } catch (error) {
    if (ledger.signal.aborted) throw error;
    recordFailure(ledger, service, `swap with preview failed: ${messageOf(error)}`);
  }
  await resetPreview(ledger, service, ledger.signal);
  return false;
}

/**
 * Cancels an applied swap with preview, so the source slot runs its own settings again. Also used
 * on cancellation, with a short deadline; when it cannot be done the failure says so loudly.
 */
export async function resetPreview(
  ledger: ReleaseLedger,
  service: ServiceRun,
  signal: AbortSignal,
): Promise<void> {
  if (!service.previewApplied) return;
  try {
    await waitingOutConflicts(ledger, signal, () =>
      ledger.ports.slots.resetProductionConfig(service.source, signal),
    );
    service.previewApplied = false;
    ledger.ports.log.info(
      `${describeService(service)}: preview cancelled; ${ledger.sourceSlot} settings reset.`,
    );
  } catch (error) {
    recordFailure(
      ledger,
      service,
      `SWAP WITH PREVIEW STILL APPLIED: resetting the ${ledger.sourceSlot} slot's settings failed (${messageOf(error)}); ` +
        `${ledger.sourceSlot} runs with production's settings and App Service refuses config changes until it is reset ` +
        `(az webapp deployment slot swap --action reset).`,
    );
  }
}

/** The bake's view of a service: production, on the build. */
export function productionTarget(ledger: ReleaseLedger, service: ServiceRun) {
  return {
    service,
    slot: { ...service.production, slot: PRODUCTION_SLOT },
    page: productionPageOf(service),
    build: ledger.policy.build,
  };
}

function sourcePage(service: ServiceRun) {
  if (service.sourcePage === undefined)
    throw new Error(`${describeService(service)}: source status page unknown`);
  return service.sourcePage;
}
