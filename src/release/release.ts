/**
 * The release, as a release engineer tells it: pre-flight, then region by region swap, verify and
 * bake; roll back on failure; refresh the staging slots; report where everything stands.
 * Pure orchestration: it talks to the world only through the ports.
 */
import { messageOf } from "../error-message.js";
import { forEachLimited } from "./concurrency.js";
import type { Fleet, ReleaseOutcome, ReleasePolicy, ReleaseReport } from "./model.js";
import { closingDeadline, deadlineSignal, untilAborted } from "./deadline.js";
import type { ReleasePorts } from "./ports.js";
import { preflight } from "./preflight.js";
import { finishRefreshes } from "./refresh.js";
import { buildReport } from "./report.js";
import { releaseWaves, type ListenerEvent } from "./engine.js";
import { planRelease } from "./plan.js";
import { removeTrafficRoute, resetPreview } from "./steps.js";
import { addNote, createLedger, record, recordFailure, type ReleaseLedger } from "./run-state.js";
import type { StatusPage } from "./status-polling.js";

/** What to release. */
export interface ReleaseRequest {
  fleet: Fleet;
  policy: ReleasePolicy;
}

/**
 * How long the closing reads of every status page may take, all of them together; short when
 * cancelled, since a cancelled run has 5 s in all (interface.md) and the report must still go out.
 */
const FINAL_READS_TIMEOUT_MS = { normalMs: 60_000, cancelledMs: 1_500 };
/** How long one call of the region listener (GitHub deployments) is waited for. */
const LISTENER_TIMEOUT_MS = { normalMs: 15_000, cancelledMs: 1_000 };
/** Services whose pages are read at once at the end: status pages, not ARM, so no request budget to spare. */
const FINAL_READ_CONCURRENCY = 16;

/**
 * Runs one release (or plan) and returns its report. Never throws for anything Azure or a status
 * page does: every failure ends up in the report. Aborting `signal` cancels: no new swap starts.
 */
export async function runRelease(
  request: ReleaseRequest,
  ports: ReleasePorts,
  signal: AbortSignal = new AbortController().signal,
): Promise<ReleaseReport> {
  const plan = planRelease(request.fleet, request.policy);
  const context = createLedger(request.fleet, request.policy, ports, signal, plan);
  const startedAt = ports.clock.now();
  let outcome: ReleaseOutcome;
  let refreshFailed = false;
  try {
    const toRelease = await ports.log.group("Pre-flight", () => preflight(context));
    if (toRelease === null) {
      outcome = "failed";
    } else if (request.policy.mode === "plan") {
      signal.throwIfAborted();
      for (const region of toRelease) region.outcome = "planned";
      outcome = "planned";
    } else {
      outcome = await releaseWaves(context, toRelease, tellListener);
      const released = context.regions.filter(
        (region) => region.outcome === "released" || region.outcome === "already-released",
      );
      // Once every region is released, every stale staging slot; otherwise only the waves
      // refreshed while the release went on, which are never swapped back.
      refreshFailed = !(await finishRefreshes(
        context,
        outcome === "released" || outcome === "already-released" ? released : [],
      ));
    }
  } catch (error) {
    if (!signal.aborted) {
      recordFailure(
        context,
        null,
        `the release stopped on an unexpected error: ${messageOf(error)}`,
      );
      outcome = "failed";
    } else {
      outcome = "cancelled";
      ports.log.warning("Cancelled: no new swap was started. Reading where every service stands.");
    }
    await settleInterruptedRegions(context, outcome);
    await Promise.all(context.refreshes.values());
  }
  await Promise.all([readFinalBuilds(context), undoLeftoverChanges(context)]);
  return buildReport(context, { outcome, refreshFailed, startedAt, finishedAt: ports.clock.now() });
}

/** The regions under way when the run stopped early end `cancelled` or `failed`, and say so. */
async function settleInterruptedRegions(
  context: ReleaseLedger,
  outcome: "cancelled" | "failed",
): Promise<void> {
  const interrupted = context.regions.filter(
    (candidate) => candidate.startedAt !== null && candidate.finishedAt === null,
  );
  for (const region of interrupted) {
    region.outcome = outcome;
    region.finishedAt = context.ports.clock.now();
    // A service swapped before the run stopped is in production unverified: say so, never leave it silent.
    for (const service of region.services) {
      if (service.swapped && !service.cancelledMidSwap) {
        addNote(
          service,
          `the run stopped after this service was swapped and before its region was verified and baked: ` +
            `production runs ${context.policy.build} unverified (see "after"). Re-run to verify it, or swap it back by hand.`,
        );
      }
    }
    await tellListener(context, { kind: "RegionFinished", region: region.target.name, outcome });
  }
}

/**
 * Records a region's start or end and tells the listener, with a time limit; the listener never
 * changes the release, nor holds up a cancelled one.
 */
async function tellListener(context: ReleaseLedger, event: ListenerEvent): Promise<void> {
  record(context, event);
  const { listener, clock } = context.ports;
  if (listener === undefined) return;
  const deadline = closingDeadline(clock, LISTENER_TIMEOUT_MS, context.signal);
  try {
    await untilAborted(listener.handle(event), deadline.signal);
  } catch (error) {
    context.ports.log.warning(
      `Recording the region's deployment did not finish: ${messageOf(error)}`,
    );
  } finally {
    deadline.dispose();
  }
}

/**
 * When the run stopped, a canary rule still set is removed and a swap with preview applied and
 * not completed is reset, or each is said loudly to be still there.
 */
async function undoLeftoverChanges(context: ReleaseLedger): Promise<void> {
  const services = context.regions.flatMap((region) => region.services);
  const routed = services.filter((service) => service.routedPercent > 0);
  const previews = services.filter(
    (service) =>
      service.previewApplied && !service.cancelledMidSwap && service.unresolvedSwap === undefined,
  );
  if (routed.length === 0 && previews.length === 0) return;
  const deadline = deadlineSignal(context.ports.clock, FINAL_READS_TIMEOUT_MS.cancelledMs);
  try {
    await Promise.all([
      forEachLimited(routed, FINAL_READ_CONCURRENCY, (service) =>
        removeTrafficRoute(context, service, deadline.signal),
      ),
      forEachLimited(previews, FINAL_READ_CONCURRENCY, (service) =>
        resetPreview(context, service, deadline.signal),
      ),
    ]);
  } finally {
    deadline.dispose();
  }
}

/** Reads every status page once more so the report tells where each service stands now, never guessing. */
async function readFinalBuilds(context: ReleaseLedger): Promise<void> {
  const deadline = closingDeadline(context.ports.clock, FINAL_READS_TIMEOUT_MS, context.signal);
  const read = async (page: StatusPage | undefined): Promise<string | null> => {
    if (page === undefined || deadline.signal.aborted) return null;
    try {
      const answer = await untilAborted(
        context.status.readOnce(page, null, deadline.signal),
        deadline.signal,
      );
      return answer.build;
    } catch {
      return null;
    }
  };
  const services = context.regions.flatMap((region) => region.services);
  for (const service of services) service.after = { production: null, staging: null };
  try {
    await forEachLimited(services, FINAL_READ_CONCURRENCY, async (service) => {
      const [production, staging] = await Promise.all([
        read(service.productionPage),
        read(service.sourcePage),
      ]);
      service.after = { production, staging };
    });
  } finally {
    deadline.dispose();
  }
}
