/** Turns a run's ledger into the report of interface.md, and answers questions about a report. */
import { formatSeconds } from "./format-duration.js";
import type { PlanReport, ReleaseOutcome, ReleaseReport } from "./model.js";
import { minimumDurationMs, type ReleasePlan } from "./plan.js";
import { timelineOf } from "./timeline.js";
import { eventsOfKind } from "./events.js";
import { secondsBetween, type ReleaseLedger } from "./run-state.js";

/** Builds the report from the ledger as it stands. */
export function buildReport(
  context: ReleaseLedger,
  run: { outcome: ReleaseOutcome; refreshFailed: boolean; startedAt: number; finishedAt: number },
): ReleaseReport {
  const waves = context.fleet.wavesDeclared === true;
  return {
    build: context.policy.build,
    mode: context.policy.mode,
    outcome: run.outcome,
    startedAt: new Date(run.startedAt).toISOString(),
    finishedAt: new Date(run.finishedAt).toISOString(),
    refreshFailed: run.refreshFailed,
    failures: eventsOfKind(context.events, "Failure").map((event) => event.line),
    ...(context.policy.mode === "plan" ? { plan: planReport(context.plan) } : {}),
    ...(context.releaseWindow === undefined ? {} : { releaseWindow: { ...context.releaseWindow } }),
    timeline: timelineOf(context.events, run.finishedAt),
    regions: context.regions.map((region) => ({
      name: region.target.name,
      outcome: region.outcome,
      durationSeconds:
        region.startedAt === null
          ? null
          : secondsBetween(region.startedAt, region.finishedAt ?? run.finishedAt),
      ...(waves ? { wave: region.wave ?? 0 } : {}),
      ...(context.fleet.analysis === undefined
        ? {}
        : {
            evaluations: eventsOfKind(context.events, "MetricEvaluated")
              .filter((event) => event.region === region.target.name)
              .map((event) => ({ ...event.evaluation })),
          }),
      services: region.services.map((service) => ({
        name: service.target.name,
        app: service.target.app,
        before: { ...service.before },
        after: { ...service.after },
        swapSeconds: service.swapSeconds,
        refresh: service.refresh,
        error: service.error,
        ...(service.canary === undefined ? {} : { canary: { ...service.canary } }),
        ...(service.differences === undefined
          ? {}
          : {
              differences:
                service.differences === null
                  ? null
                  : service.differences.map((difference) => ({ ...difference })),
            }),
      })),
    })),
  };
}

/** The plan, as the report and the plan text show it. */
export function planReport(plan: ReleasePlan): PlanReport {
  const firstService = plan.waves[0]?.regions[0]?.stages[0]?.services[0];
  return {
    waves: plan.waves.map((wave) => ({
      wave: wave.number,
      bakeSeconds: wave.bakeTimeMs / 1000,
      regions: wave.regions.map((region) => ({
        name: region.region,
        stages: region.stages.map((stage) => stage.services.map((service) => service.service)),
      })),
    })),
    steps: (firstService?.steps ?? []).map((step) =>
      step.kind === "canary"
        ? `canary ${step.percent}% for ${formatSeconds(step.durationMs / 1000)}`
        : step.kind,
    ),
    minimumSeconds: minimumDurationMs(plan) / 1000,
  };
}

/** Regions whose production runs the build at the end of the run, by the status pages' word. */
export function releasedRegions(report: ReleaseReport): string[] {
  return report.regions
    .filter((region) =>
      region.services.every((service) => service.after?.production === report.build.trim()),
    )
    .map((region) => region.name);
}

/** Whether the step must fail: a failed, rolled-back or cancelled outcome, or a failed refresh. */
export function stepFails(report: ReleaseReport): boolean {
  return ["failed", "rolled-back", "cancelled"].includes(report.outcome) || report.refreshFailed;
}
