/**
 * The engine: runs the plan (plan.ts) wave by wave. The regions of a wave are released together;
 * inside a region, stage by stage in `depends-on` order, each service runs its steps (steps.ts);
 * a stage is verified before the next starts; a wave is baked as one. On failure, what was done
 * is undone in reverse (rollback.ts), following the `rollback` policy.
 */
import { forEachLimited } from "./concurrency.js";
import { formatSeconds } from "./format-duration.js";
import type { ReleaseOutcome } from "./model.js";
import type { PlannedRegion, PlannedWave, ServiceStep } from "./plan.js";
import { refreshWhileReleasing } from "./refresh.js";
import { rollBack } from "./rollback.js";
import {
  describeService,
  everyServiceSucceeded,
  record,
  recordFailure,
  type RegionRun,
  type ReleaseLedger,
  type ServiceRun,
} from "./run-state.js";
import { productionTarget, runServiceSteps } from "./steps.js";
import { watch } from "./watch.js";
import { messageOf } from "../error-message.js";
import type { RunEvent } from "./events.js";

/** Tells the listener about an event and waits for it, within a time limit (release.ts). */
export type TellListener = (ledger: ReleaseLedger, event: ListenerEvent) => Promise<void>;
/** The events the engine waits on the listener for: a region's start and end. */
export type ListenerEvent = Extract<RunEvent, { kind: "RegionStarted" | "RegionFinished" }>;

/** A wave under way: once one of its services failed, no new swap starts anywhere in it. */
interface WaveRun {
  failed: boolean;
  /** `region` or `wave`: what a service not swapped because of another's failure belongs to. */
  unit: "region" | "wave";
}

/**
 * Releases the waves in order, stopping (and rolling back) at the first that fails. `toRelease`
 * are the regions pre-flight left to release; the others are skipped.
 */
export async function releaseWaves(
  ledger: ReleaseLedger,
  toRelease: readonly RegionRun[],
  tell: TellListener,
): Promise<ReleaseOutcome> {
  const releasedThisRun: RegionRun[][] = [];
  const waves = ledger.plan.waves;
  for (const [index, wave] of waves.entries()) {
    const regions = wave.regions.flatMap((planned) => {
      const region = toRelease.find((candidate) => candidate.target.name === planned.region);
      return region === undefined ? [] : [{ region, planned }];
    });
    if (regions.length === 0) continue;
    ledger.signal.throwIfAborted();
    const runs = regions.map(({ region }) => region);
    const released = await releaseWave(ledger, wave, regions, tell);
    if (released) {
      releasedThisRun.push(runs);
      for (const region of runs) {
        region.outcome = "released";
        ledger.ports.log.info(`${region.target.name}: released ${ledger.policy.build}.`);
        await tell(ledger, {
          kind: "RegionFinished",
          region: region.target.name,
          outcome: "released",
        });
      }
      if (index < waves.length - 1) refreshWhileReleasing(ledger, runs);
      continue;
    }
    for (const region of runs) region.outcome = "failed";
    return rollBackAfterFailure(ledger, runs, releasedThisRun, tell);
  }
  return releasedThisRun.length === 0 ? "already-released" : "released";
}

/** Swaps, verifies and bakes one wave. Resolves true when every region of it held. */
async function releaseWave(
  ledger: ReleaseLedger,
  wave: PlannedWave,
  regions: { region: RegionRun; planned: PlannedRegion }[],
  tell: TellListener,
): Promise<boolean> {
  const { clock, log } = ledger.ports;
  const names = regions.map(({ region }) => region.target.name);
  record(ledger, { kind: "WaveStarted", wave: wave.number, regions: names });
  for (const { region } of regions) {
    region.startedAt = clock.now();
    await tell(ledger, { kind: "RegionStarted", region: region.target.name });
  }
  const waveRun: WaveRun = { failed: false, unit: regions.length > 1 ? "wave" : "region" };
  const title =
    regions.length === 1 ? `Region ${names[0]}` : `Wave ${wave.number}: ${names.join(", ")}`;
  const released = await log.group(title, async () => {
    const results = await forEachLimited(regions, 0, ({ region, planned }) =>
      releaseRegion(ledger, region, planned, waveRun),
    );
    ledger.signal.throwIfAborted();
    results.forEach((result, index) => {
      if (result.status === "rejected") {
        recordFailure(
          ledger,
          null,
          `${names[index]}: the release stopped on an unexpected error: ${messageOf(result.reason)}`,
        );
      }
    });
    if (!results.every((result) => result.status === "fulfilled" && result.value)) return false;
    return bakeWave(
      ledger,
      wave.number,
      regions.map(({ region }) => region),
      wave.bakeTimeMs,
    );
  });
  for (const { region } of regions) region.finishedAt = clock.now();
  record(ledger, { kind: "WaveFinished", wave: wave.number, released });
  return released;
}

/** Runs one region's stages in order; a stage's services run their steps, then are verified together. */
async function releaseRegion(
  ledger: ReleaseLedger,
  region: RegionRun,
  planned: PlannedRegion,
  waveRun: WaveRun,
): Promise<boolean> {
  const { log } = ledger.ports;
  const { maxParallel } = ledger.policy;
  const parallel = maxParallel === 0 ? "all at once" : `${maxParallel} at a time`;
  for (const [index, services] of region.stages.entries()) {
    const stage = planned.stages[index];
    if (stage === undefined) break;
    const stepsOf = (service: ServiceRun): ServiceStep[] =>
      stage.services.find((entry) => entry.service === service.target.name)?.steps ?? [];
    log.info(
      region.stages.length === 1
        ? `${region.target.name}: swapping ${services.length} services into production (${parallel}).`
        : `${region.target.name}: stage ${index + 1} of ${region.stages.length} (depends-on order): ${services.map((service) => service.target.name).join(", ")} (${parallel}).`,
    );
    const beforeVerify = (service: ServiceRun) =>
      stepsOf(service).filter((step) => step.kind !== "verify");
    const results = await forEachLimited(services, maxParallel, async (service) => {
      if (waveRun.failed) {
        log.info(
          `${describeService(service)}: not swapped, since another service of the ${waveRun.unit} failed.`,
        );
        return false;
      }
      const held = await runServiceSteps(
        ledger,
        service,
        beforeVerify(service),
        () => waveRun.failed,
      );
      waveRun.failed ||= !held;
      return held;
    });
    if (!everyServiceSucceeded(ledger, services, results)) {
      waveRun.failed = true;
      return false;
    }
    log.info(
      `Verifying production status pages (healthy, build ${ledger.policy.build}) within ${formatSeconds(ledger.policy.statusTimeoutMs / 1000)}.`,
    );
    const verified = await forEachLimited(services, 0, (service) =>
      runServiceSteps(
        ledger,
        service,
        stepsOf(service).filter((step) => step.kind === "verify"),
      ),
    );
    if (!everyServiceSucceeded(ledger, services, verified)) {
      waveRun.failed = true;
      return false;
    }
  }
  return true;
}

/** Watches every production of the wave for its bake time. */
async function bakeWave(
  ledger: ReleaseLedger,
  wave: number,
  regions: readonly RegionRun[],
  bakeTimeMs: number,
): Promise<boolean> {
  const { clock, log } = ledger.ports;
  if (bakeTimeMs <= 0) return true;
  log.info(
    `Baking for ${formatSeconds(bakeTimeMs / 1000)}, reading every ${formatSeconds(ledger.policy.statusIntervalMs / 1000)}.`,
  );
  const started = clock.now();
  const targets = regions.flatMap((region) =>
    region.services.map((service) => productionTarget(ledger, service)),
  );
  record(ledger, {
    kind: "BakeStarted",
    wave,
    regions: regions.map((region) => region.target.name),
  });
  const held = await watch(ledger, targets, bakeTimeMs, { phase: "bake", label: "bake-time" });
  record(ledger, { kind: "BakeFinished", wave, held });
  if (!held) return false;
  log.info(
    `Baked for ${formatSeconds((clock.now() - started) / 1000)}; still healthy on ${ledger.policy.build}.`,
  );
  return true;
}

/** Applies the `rollback` policy after the wave `failed` failed, and says what the run's outcome is. */
async function rollBackAfterFailure(
  ledger: ReleaseLedger,
  failed: RegionRun[],
  releasedThisRun: RegionRun[][],
  tell: TellListener,
): Promise<ReleaseOutcome> {
  const { log } = ledger.ports;
  const { rollback } = ledger.policy;
  const names = failed.map((region) => region.target.name).join(", ");
  if (rollback === "none") {
    const left = failed
      .flatMap((region) => region.services)
      .filter((service) => service.swapped)
      .map((service) => (failed.length > 1 ? `${service.region.name}/` : "") + service.target.name);
    recordFailure(
      ledger,
      null,
      `${names} failed and rollback is none: ${left.length > 0 ? `production of ${left.join(", ")} is left on ${ledger.policy.build}, which failed its checks` : "no service was swapped"}. Later regions were not started.`,
    );
    for (const region of failed) {
      await tell(ledger, { kind: "RegionFinished", region: region.target.name, outcome: "failed" });
    }
    return "failed";
  }
  const groups = rollback === "all" ? [failed, ...[...releasedThisRun].reverse()] : [failed];
  log.info(
    `Rolling back (${rollback}): ${groups
      .flat()
      .map((region) => region.target.name)
      .join(", ")}.`,
  );
  let restored: boolean;
  try {
    restored = await rollBack(ledger, groups);
  } finally {
    // Also when the run is cancelled mid-rollback: each region's deployment follows its outcome.
    for (const region of groups.flat()) {
      await tell(ledger, {
        kind: "RegionFinished",
        region: region.target.name,
        outcome: region.outcome,
      });
    }
  }
  const anyRolledBack = groups.flat().some((region) => region.outcome === "rolled-back");
  return restored && anyRolledBack ? "rolled-back" : "failed";
}
