/**
 * The strategy as data: a pure planner turns the fleet and the policy into waves of regions, each
 * region into stages of services (in `depends-on` order), and each service into the steps the
 * engine runs for it. The plan mode prints this plan; the engine follows it.
 */
import type { Fleet, ReleasePolicy, ServiceTarget } from "./model.js";

/** One step of one service, in the order the engine runs them. */
export type ServiceStep =
  /** A share of production's users is sent to the source slot and watched for `durationMs`. */
  | { kind: "canary"; percent: number; durationMs: number }
  /** Swap with preview, phase 1: production's settings applied to the source slot and verified there. */
  | { kind: "preview" }
  /** The swap into production (any canary rule removed first). Undone by the swap back. */
  | { kind: "swap" }
  /** Production's status page healthy on the build within `status-timeout`. */
  | { kind: "verify" };

export type ServiceStepKind = ServiceStep["kind"];

export interface PlannedService {
  service: string;
  app: string;
  steps: ServiceStep[];
}

/**
 * Services of a region that run together: every service a stage's services depend on is in an
 * earlier stage. Without `depends-on`, a region is one stage.
 */
export interface PlannedStage {
  services: PlannedService[];
}

export interface PlannedRegion {
  region: string;
  stages: PlannedStage[];
}

/** Regions released together, then baked together for `bakeTimeMs`. */
export interface PlannedWave {
  /** 1-based, as the report numbers waves. */
  number: number;
  regions: PlannedRegion[];
  bakeTimeMs: number;
}

export interface ReleasePlan {
  waves: PlannedWave[];
}

/** Plans the release of `fleet`. Pure: the same fleet and policy always give the same plan. */
export function planRelease(fleet: Fleet, policy: ReleasePolicy): ReleasePlan {
  const regionsByName = new Map(fleet.regions.map((region) => [region.name, region]));
  const steps = serviceSteps(fleet, policy);
  const waves = fleet.waves
    .map((wave) => ({
      regions: wave.regions.flatMap((name) => {
        const region = regionsByName.get(name);
        return region === undefined ? [] : [region];
      }),
      bakeTimeMs: wave.bakeTimeMs ?? policy.bakeTimeMs,
    }))
    .filter((wave) => wave.regions.length > 0);
  return {
    waves: waves.map((wave, index) => ({
      number: index + 1,
      bakeTimeMs: wave.bakeTimeMs,
      regions: wave.regions.map((region) => ({
        region: region.name,
        stages: dependencyStages(region.services).map((stage) => ({
          services: stage.map((service) => ({
            service: service.name,
            app: service.app,
            steps: steps.map((step) => ({ ...step })),
          })),
        })),
      })),
    })),
  };
}

/** Every service's steps: canary steps, preview, swap, verify. */
function serviceSteps(fleet: Fleet, policy: ReleasePolicy): ServiceStep[] {
  const canary: ServiceStep[] = (fleet.canary?.steps ?? []).map((percent) => ({
    kind: "canary",
    percent,
    durationMs: fleet.canary?.stepTimeMs ?? 0,
  }));
  return [
    ...canary,
    ...(policy.swapWithPreview ? [{ kind: "preview" } as const] : []),
    { kind: "swap" },
    { kind: "verify" },
  ];
}

/**
 * Groups services into stages so that each depends only on services of earlier stages, keeping
 * manifest order inside a stage. Settings reject unknown names and cycles; should one slip
 * through, the services left over form a last stage rather than vanish.
 */
export function dependencyStages<T extends Pick<ServiceTarget, "name" | "dependsOn">>(
  services: readonly T[],
): T[][] {
  const stages: T[][] = [];
  const placed = new Set<string>();
  let left = [...services];
  while (left.length > 0) {
    const ready = left.filter((service) => service.dependsOn.every((name) => placed.has(name)));
    const stage = ready.length > 0 ? ready : left;
    stages.push(stage);
    for (const service of stage) placed.add(service.name);
    left = left.filter((service) => !stage.includes(service));
  }
  return stages;
}

/**
 * The least time the plan can take: every canary step of every stage, then each wave's bake.
 * Swaps and verifications are Azure's time and not counted; `swapMs` adds an estimate per stage.
 */
export function minimumDurationMs(plan: ReleasePlan, swapMs = 0): number {
  let total = 0;
  for (const wave of plan.waves) {
    const longestRegion = Math.max(
      0,
      ...wave.regions.map((region) =>
        region.stages.reduce(
          (sum, stage) =>
            sum +
            swapMs +
            Math.max(
              0,
              ...stage.services.map((service) =>
                service.steps.reduce(
                  (steps, step) => steps + (step.kind === "canary" ? step.durationMs : 0),
                  0,
                ),
              ),
            ),
          0,
        ),
      ),
    );
    total += longestRegion + wave.bakeTimeMs;
  }
  return total;
}
