/**
 * Swaps as Azure really answers them. A swap is never assumed: when its answer is lost, late or a
 * failure, the truth is found out from the site's swap activity and production's status page before
 * anything is decided. A write refused because another operation runs on the site is waited out.
 */
import { messageOf } from "../error-message.js";
import { formatSeconds } from "./format-duration.js";
import { OperationConflictError, type SwapActivity } from "./ports.js";
import {
  addNote,
  describeService,
  recordFailure,
  type ReleaseLedger,
  type ServiceRun,
} from "./run-state.js";

/** What a swap did, as far as the run could find out. */
export type SwapTruth = "swapped" | "not-swapped" | "unknown";

/** `in` puts the new build into production; `back` restores the previous one. */
export type SwapDirection = "in" | "back";

/** Back-off while another operation runs on the site: 2 s, doubling, at most 30 s a wait, within `status-timeout`. */
const CONFLICT_BACKOFF = { firstMs: 2_000, maxMs: 30_000 };

/** Reads that must agree, with no operation running on the site, before a swap counts as not done. */
const AGREEING_READS_FOR_NOT_SWAPPED = 2;

/**
 * Sends one swap of the service's source slot with production and says what it did. Waits out
 * 409s within `status-timeout`. Records every failure; throws only when `signal` aborts.
 */
export async function swapWithProduction(
  context: ReleaseLedger,
  service: ServiceRun,
  direction: SwapDirection,
  signal: AbortSignal,
): Promise<SwapTruth> {
  let sent = false;
  try {
    return await sendAndFindOut(context, service, direction, signal, () => (sent = true));
  } catch (error) {
    if (signal.aborted && sent) noteCancelledMidSwap(service, swapName(direction));
    throw error;
  }
}

/** How a swap in `direction` is named in messages. */
function swapName(direction: SwapDirection): string {
  return direction === "in" ? "swap" : "swap back";
}

/**
 * The waits between attempts while another operation runs on the site: 2 s, doubling, at most
 * 30 s each, all within `status-timeout` from the first attempt. `nextWaitMs` is 0 once time is up.
 */
function conflictBackoff(context: ReleaseLedger): { nextWaitMs(): number } {
  const { clock } = context.ports;
  const deadline = clock.now() + context.policy.statusTimeoutMs;
  let backoffMs = CONFLICT_BACKOFF.firstMs;
  return {
    nextWaitMs: () => {
      const waitMs = Math.max(0, Math.min(backoffMs, deadline - clock.now()));
      backoffMs = Math.min(backoffMs * 2, CONFLICT_BACKOFF.maxMs);
      return waitMs;
    },
  };
}

async function sendAndFindOut(
  context: ReleaseLedger,
  service: ServiceRun,
  direction: SwapDirection,
  signal: AbortSignal,
  onSent: () => void,
): Promise<SwapTruth> {
  const { slots, clock, log } = context.ports;
  const { preserveVnet, statusTimeoutMs } = context.policy;
  const what = swapName(direction);
  const backoff = conflictBackoff(context);
  const baseline = await observeBaseline(context, service, signal);
  for (;;) {
    signal.throwIfAborted();
    onSent();
    const result = await slots.swapIntoProduction(service.source, { preserveVnet }, signal);
    switch (result.kind) {
      case "completed":
        service.swapMarker = undefined;
        return "swapped";
      case "refused":
        recordFailure(context, service, `${what} refused by Azure: ${result.message}`);
        return "not-swapped";
      case "uncertain": {
        log.warning(
          `${describeService(service)}: cannot tell yet whether Azure performed the ${what} (${result.message}); finding out before deciding anything.`,
        );
        const truth = await findOutWhetherSwapped(context, service, direction, baseline, signal);
        if (truth === "not-swapped")
          recordFailure(context, service, `${what} failed: ${result.message}`);
        service.unresolvedSwap = truth === "unknown" ? { direction, baseline } : undefined;
        return truth;
      }
      case "conflict": {
        const waitMs = backoff.nextWaitMs();
        if (waitMs <= 0) {
          recordFailure(
            context,
            service,
            `${what} not started: another operation kept running on the app for the whole status-timeout (${formatSeconds(statusTimeoutMs / 1000)}): ${result.message}`,
          );
          return "not-swapped";
        }
        log.info(
          `${describeService(service)}: another operation is in progress on the app; trying the ${what} again in ${formatSeconds(waitMs / 1000)}.`,
        );
        await clock.sleep(waitMs, signal);
        // The operation may have been a swap of this very app (a cancelled run's, or a person's):
        // look before sending ours, so that a swap done meanwhile is never undone by a second one.
        const seen = await observe(context, service, direction, baseline, signal);
        if (seen.verdict === "swapped") {
          service.swapMarker = undefined;
          log.warning(
            `${describeService(service)}: production changed while another operation ran (${seen.why}); counting it as the ${what} and sending none.`,
          );
          return "swapped";
        }
      }
    }
  }
}

/**
 * Looks once more, within another `status-timeout`, at a swap nobody could tell about: before a
 * rollback decides, an operation that was still running may have ended. Resolves what it finds.
 */
export async function resolveUnresolvedSwap(
  context: ReleaseLedger,
  service: ServiceRun,
  signal: AbortSignal,
): Promise<SwapTruth> {
  const pending = service.unresolvedSwap;
  if (pending === undefined) return "not-swapped";
  const truth = await findOutWhetherSwapped(
    context,
    service,
    pending.direction,
    pending.baseline,
    signal,
  );
  if (truth !== "unknown") service.unresolvedSwap = undefined;
  return truth;
}

/**
 * Runs a write other than the swap, waiting out 409 "another operation is in progress" with
 * back-off within `status-timeout`; any other failure, or a conflict past that, is thrown.
 */
export async function waitingOutConflicts<T>(
  context: ReleaseLedger,
  signal: AbortSignal,
  write: () => Promise<T>,
): Promise<T> {
  const backoff = conflictBackoff(context);
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof OperationConflictError) || signal.aborted) throw error;
      const waitMs = backoff.nextWaitMs();
      if (waitMs <= 0) throw error;
      await context.ports.clock.sleep(waitMs, signal);
    }
  }
}

/**
 * What production looked like right before the swap was sent: Azure's record of its last
 * completed swap, and the build its page reported. "Production changed" is judged against it,
 * never against what the page shows alone: a page that still serves the build of before a swap
 * (routing flips late) would otherwise pass for a swap back.
 */
export interface Baseline {
  /** `undefined` when ARM could not be read. */
  marker: string | null | undefined;
  /** `null` when the page could not be read. */
  pageBuild: string | null;
}

type Observation =
  | { verdict: "swapped"; why: string }
  | { verdict: "unchanged"; pageBuild: string | null }
  | { verdict: "unclear"; why: string };

async function observeBaseline(
  context: ReleaseLedger,
  service: ServiceRun,
  signal: AbortSignal,
): Promise<Baseline> {
  const [activity, page] = await Promise.all([
    service.swapMarker === undefined ? readActivity(context, service, signal) : null,
    readProductionPage(context, service, signal),
  ]);
  if (activity !== null) service.swapMarker = activity.lastSwapCompleted;
  return { marker: service.swapMarker, pageBuild: page.transient ? null : page.build };
}

/** Reads the site's swap activity and production's page once, and says whether production changed since `baseline`. */
async function observe(
  context: ReleaseLedger,
  service: ServiceRun,
  direction: SwapDirection,
  baseline: Baseline,
  signal: AbortSignal,
): Promise<Observation> {
  const [activity, page] = await Promise.all([
    readActivity(context, service, signal),
    readProductionPage(context, service, signal),
  ]);
  const target = targetBuild(context, service, direction);
  const pageBuild = page.transient ? null : page.build;
  if (activity !== null && baseline.marker !== undefined) {
    if (activity.lastSwapCompleted !== baseline.marker)
      return { verdict: "swapped", why: "Azure recorded a completed swap" };
  }
  if (
    pageBuild !== null &&
    pageBuild === target &&
    baseline.pageBuild !== null &&
    baseline.pageBuild !== target
  ) {
    return { verdict: "swapped", why: `production now reports ${pageBuild}` };
  }
  if (activity === null)
    return { verdict: "unclear", why: "Azure Resource Manager could not be read" };
  if (activity.operationInProgress)
    return { verdict: "unclear", why: "an operation still runs on the site" };
  const unchanged =
    baseline.marker !== undefined || (pageBuild !== null && pageBuild === baseline.pageBuild);
  return unchanged
    ? { verdict: "unchanged", pageBuild }
    : { verdict: "unclear", why: page.problem ?? `production reports ${pageBuild}` };
}

/**
 * After a swap whose outcome is unknown: within `status-timeout`, waits until no operation runs
 * on the site and production settles. Swapped when Azure recorded a swap since the baseline, or
 * production's page moved from the baseline's build to the one the swap brings; not swapped only
 * when nothing runs on the site and nothing changed, twice in a row.
 */
async function findOutWhetherSwapped(
  context: ReleaseLedger,
  service: ServiceRun,
  direction: SwapDirection,
  baseline: Baseline,
  signal: AbortSignal,
): Promise<SwapTruth> {
  const { clock, log } = context.ports;
  const { statusTimeoutMs, statusIntervalMs } = context.policy;
  const deadline = clock.now() + statusTimeoutMs;
  let unchangedInARow = 0;
  let lastSeen: string;
  for (;;) {
    const seen = await observe(context, service, direction, baseline, signal);
    if (seen.verdict === "swapped") {
      service.swapMarker = undefined;
      log.warning(`${describeService(service)}: ${seen.why}; counting the swap as done.`);
      return "swapped";
    }
    unchangedInARow = seen.verdict === "unchanged" ? unchangedInARow + 1 : 0;
    if (seen.verdict === "unchanged" && unchangedInARow >= AGREEING_READS_FOR_NOT_SWAPPED) {
      log.info(
        `${describeService(service)}: nothing runs on the site and production has not changed${seen.pageBuild === null ? "" : ` (it reports ${seen.pageBuild})`}; the swap did not happen.`,
      );
      return "not-swapped";
    }
    lastSeen = seen.verdict === "unclear" ? seen.why : "no change yet";
    if (clock.now() + statusIntervalMs > deadline) break;
    await clock.sleep(statusIntervalMs, signal);
  }
  recordFailure(
    context,
    service,
    `could not tell within status-timeout (${formatSeconds(statusTimeoutMs / 1000)}) whether Azure performed the ${swapName(direction)} (last: ${lastSeen}). Check the app in the portal (Deployment slots, Activity log) before acting.`,
  );
  return "unknown";
}

/** The build production reports after the swap: the release's build in, the previous one back. */
function targetBuild(
  context: ReleaseLedger,
  service: ServiceRun,
  direction: SwapDirection,
): string | null {
  return direction === "in" ? context.policy.build.trim() : service.before.production;
}

/** The run stopped while a swap request was out: Azure may still complete it. Said on the service, never left silent. */
function noteCancelledMidSwap(service: ServiceRun, what: string): void {
  service.cancelledMidSwap = true;
  addNote(
    service,
    `cancelled while its ${what} was running; Azure may still complete it (see "after")` +
      (service.previewApplied
        ? `. If it does not, the swap with preview stays applied to ${service.source.slot}: reset it (az webapp deployment slot swap --action reset)`
        : ""),
  );
}

/**
 * Production's page once, for judging a swap: a reader that breaks its contract (throws) counts as
 * an unreadable page here, so finding out never stops on it; cancellation still ends it.
 */
async function readProductionPage(
  context: ReleaseLedger,
  service: ServiceRun,
  signal: AbortSignal,
) {
  try {
    return await context.status.readOnce(productionPageOf(service), null, signal);
  } catch (error) {
    signal.throwIfAborted();
    return {
      build: null,
      healthy: false,
      transient: true,
      inconclusive: true,
      problem: messageOf(error),
    };
  }
}

/** The site's swap activity, or `null` when ARM could not be read (which never counts as "nothing runs"). */
async function readActivity(
  context: ReleaseLedger,
  service: ServiceRun,
  signal: AbortSignal,
): Promise<SwapActivity | null> {
  try {
    return await context.ports.slots.readSwapActivity(service.production, signal);
  } catch {
    signal.throwIfAborted();
    return null;
  }
}

/** Production's status page, known once pre-flight has read the slot's host name. */
export function productionPageOf(service: ServiceRun) {
  if (service.productionPage === undefined)
    throw new Error(`${describeService(service)}: production status page unknown`);
  return service.productionPage;
}
