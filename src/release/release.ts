/**
 * The release, as a release engineer tells it: pre-flight, then region by region swap, verify and
 * bake; roll back on failure; refresh the staging slots; report where everything stands.
 * Pure orchestration: it talks to the world only through the ports.
 */
import { messageOf } from "../error-message.js";
import { forEachLimited } from "./concurrency.js";
import type { Fleet, ReleaseOutcome, ReleasePolicy, ReleaseReport } from "./model.js";
import type { ReleasePorts } from "./ports.js";
import { preflight } from "./preflight.js";
import { refreshSourceSlots } from "./refresh.js";
import { buildReport } from "./report.js";
import { releaseRegion, rollBack } from "./rollout.js";
import { createRunContext, recordFailure, type RegionRun, type RunContext } from "./run-state.js";
import type { StatusPage } from "./status-polling.js";

/** What to release. */
export interface ReleaseRequest {
  fleet: Fleet;
  policy: ReleasePolicy;
}

/** How long the closing reads of every status page may take; short, since a cancelled run has 5 s in all. */
const FINAL_READ_TIMEOUT_MS = { normal: 10_000, cancelled: 1_500 };
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
  const context = createRunContext(request.fleet, request.policy, ports, signal);
  const startedAt = ports.clock.now();
  let outcome: ReleaseOutcome;
  let refreshFailed = false;
  try {
    const toRelease = await ports.log.group("Pre-flight", () => preflight(context));
    if (toRelease === null) {
      outcome = "failed";
    } else if (request.policy.mode === "plan") {
      for (const region of toRelease) region.outcome = "planned";
      outcome = "planned";
    } else {
      outcome = await releaseRegions(context, toRelease);
      if (outcome === "released" || outcome === "already-released") {
        refreshFailed = !(await refresh(context));
      }
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
    await settleInterruptedRegion(context, outcome);
  }
  await readFinalBuilds(context);
  return buildReport(context, { outcome, refreshFailed, startedAt, finishedAt: ports.clock.now() });
}

/** Releases the regions in manifest order, stopping (and rolling back) at the first failure. */
async function releaseRegions(
  context: RunContext,
  toRelease: RegionRun[],
): Promise<ReleaseOutcome> {
  const { clock, log, listener } = context.ports;
  const releasedThisRun: RegionRun[] = [];
  for (const region of toRelease) {
    context.signal.throwIfAborted();
    region.startedAt = clock.now();
    await listener?.regionStarted(region.target.name);
    const released = await log.group(`Region ${region.target.name}`, () =>
      releaseRegion(context, region),
    );
    region.finishedAt = clock.now();
    if (released) {
      region.outcome = "released";
      releasedThisRun.push(region);
      log.info(`${region.target.name}: released ${context.policy.build}.`);
      await listener?.regionFinished(region.target.name, "released");
      continue;
    }
    region.outcome = "failed";
    return rollBackAfterFailure(context, region, releasedThisRun);
  }
  return releasedThisRun.length === 0 ? "already-released" : "released";
}

/** Applies the `rollback` policy after `failed` failed, and says what the run's outcome is. */
async function rollBackAfterFailure(
  context: RunContext,
  failed: RegionRun,
  releasedThisRun: RegionRun[],
): Promise<ReleaseOutcome> {
  const { log, listener } = context.ports;
  const { rollback } = context.policy;
  if (rollback === "none") {
    const left = failed.services
      .filter((service) => service.swapped)
      .map((service) => service.target.name);
    recordFailure(
      context,
      null,
      `${failed.target.name} failed and rollback is none: ${left.length > 0 ? `production of ${left.join(", ")} is left on ${context.policy.build}, which failed its checks` : "no service was swapped"}. Later regions were not started.`,
    );
    await listener?.regionFinished(failed.target.name, "failed");
    return "failed";
  }
  const regions = rollback === "all" ? [failed, ...[...releasedThisRun].reverse()] : [failed];
  log.info(
    `Rolling back (${rollback}): ${regions.map((region) => region.target.name).join(", ")}.`,
  );
  const restored = await rollBack(context, regions);
  for (const region of regions) await listener?.regionFinished(region.target.name, region.outcome);
  const anyRolledBack = regions.some((region) => region.outcome === "rolled-back");
  return restored && anyRolledBack ? "rolled-back" : "failed";
}

async function refresh(context: RunContext): Promise<boolean> {
  if (context.policy.refresh === "none") return true;
  const regions = context.regions.filter(
    (region) => region.outcome === "released" || region.outcome === "already-released",
  );
  return context.ports.log.group("Refresh", () => refreshSourceSlots(context, regions));
}

/** The region that was under way when the run stopped early ends `cancelled` or `failed`, and says so. */
async function settleInterruptedRegion(
  context: RunContext,
  outcome: "cancelled" | "failed",
): Promise<void> {
  const region = context.regions.find(
    (candidate) => candidate.startedAt !== null && candidate.finishedAt === null,
  );
  if (region === undefined) return;
  region.outcome = outcome;
  region.finishedAt = context.ports.clock.now();
  await context.ports.listener?.regionFinished(region.target.name, outcome);
}

/** Reads every status page once more so the report tells where each service stands now, never guessing. */
async function readFinalBuilds(context: RunContext): Promise<void> {
  const timeoutMs = context.signal.aborted
    ? FINAL_READ_TIMEOUT_MS.cancelled
    : FINAL_READ_TIMEOUT_MS.normal;
  const read = async (page: StatusPage | undefined): Promise<string | null> => {
    if (page === undefined) return null;
    try {
      return (await context.status.readOnce(page, null, AbortSignal.timeout(timeoutMs))).build;
    } catch {
      return null;
    }
  };
  const services = context.regions.flatMap((region) => region.services);
  await forEachLimited(services, FINAL_READ_CONCURRENCY, async (service) => {
    const [production, staging] = await Promise.all([
      read(service.productionPage),
      read(service.sourcePage),
    ]);
    service.after = { production, staging };
  });
}
