/**
 * Random release scenarios on the fake world, and the invariants every run must keep: the shared
 * ground of `release-properties.test.ts` (random search) and `release-counterexamples.test.ts`
 * (what the search found, kept).
 */
import fc from "fast-check";
import { expect } from "vitest";
import type {
  AnalysisPolicy,
  CanaryPolicy,
  ReleasePolicy,
  ReleaseReport,
} from "../../src/release/model.js";
import { runRelease } from "../../src/release/release.js";
import type { Fleet } from "../../src/release/model.js";
import {
  FakeWorld,
  fakePorts,
  seedFleet,
  testPolicy,
  type PageFault,
  type SwapFault,
} from "./fake-world.js";

/** The cancelled run's budget inside the action's 5 s: the rest is for writing the report and Slack. */
const CANCEL_BUDGET_MS = 4_000;

/** How long before its end a run's closing reads of the status pages may have happened. */
const FINAL_READS_WINDOW_MS = 60_000;

const NEW_BUILD = "2.0.0";
const OLD_BUILD = "1.0.0";

export interface Scenario {
  regions: Array<{
    alreadyReleased: boolean;
    services: Array<{
      badNewBuild: boolean;
      swapFaults: SwapFault[];
      productionPageFaults: PageFault[];
      stagingPageFaults: PageFault[];
      /** The new build answers 5xx to a share of its users (percent) while its page says healthy. */
      errorPercentUnderLoad?: number;
      /** Depends on the service before it in its region (`depends-on`). */
      dependsOnPrevious?: boolean;
      /** Windows in which Azure Monitor cannot be read for this app. */
      metricFaults?: Array<{ fromMs: number; toMs: number }>;
    }>;
  }>;
  policy: Partial<ReleasePolicy>;
  swapDurationMs: number;
  /** Virtual milliseconds after the start at which the run is cancelled; `null`: never. */
  cancelAtMs: number | null;
  /** Sizes of consecutive waves of regions, with each wave's bake time; absent: a wave per region. */
  waves?: Array<{ size: number; bakeTimeMs: number | null }>;
  canary?: CanaryPolicy;
  analysis?: AnalysisPolicy;
  /** Simulated users' requests per second to each production. */
  userRequestsPerSecond?: number;
}

const swapFault: fc.Arbitrary<SwapFault> = fc.oneof(
  fc.constant<SwapFault>({ kind: "refused" }),
  fc.integer({ min: 1_000, max: 90_000 }).map<SwapFault>((forMs) => ({ kind: "conflict", forMs })),
  fc.constant<SwapFault>({ kind: "lost-answer" }),
  fc.constant<SwapFault>({ kind: "lost-polls" }),
  fc.constant<SwapFault>({ kind: "failed-but-done" }),
  fc.constant<SwapFault>({ kind: "failed" }),
  fc.integer({ min: 1_000, max: 40_000 }).map<SwapFault>((byMs) => ({ kind: "late", byMs })),
  fc.boolean().map<SwapFault>((performs) => ({ kind: "hang", performs })),
);

const pageFault: fc.Arbitrary<PageFault> = fc
  .record({
    kind: fc.constantFrom<PageFault["kind"]>(
      "unreachable",
      "http-503",
      "http-429",
      "hang",
      "flap",
      "unhealthy",
    ),
    fromMs: fc.integer({ min: 0, max: 240_000 }),
    lengthMs: fc.integer({ min: 1_000, max: 60_000 }),
  })
  .map(({ kind, fromMs, lengthMs }) => ({ kind, fromMs, toMs: fromMs + lengthMs }));

/** Random fleets, policies, fault schedules and cancellation moments. */
export const scenario: fc.Arbitrary<Scenario> = fc.record({
  regions: fc.array(
    fc.record({
      alreadyReleased: fc.integer({ min: 0, max: 3 }).map((value) => value === 0),
      services: fc.array(
        fc.record({
          badNewBuild: fc.integer({ min: 0, max: 4 }).map((value) => value === 0),
          swapFaults: fc.array(swapFault, { maxLength: 2 }),
          productionPageFaults: fc.array(pageFault, { maxLength: 2 }),
          stagingPageFaults: fc.array(pageFault, { maxLength: 1 }),
          errorPercentUnderLoad: fc.constantFrom(0, 0, 0, 0.5, 4),
          dependsOnPrevious: fc.boolean(),
          metricFaults: fc.array(
            fc
              .record({
                fromMs: fc.integer({ min: 0, max: 400_000 }),
                lengthMs: fc.integer({ min: 30_000, max: 300_000 }),
              })
              .map(({ fromMs, lengthMs }) => ({ fromMs, toMs: fromMs + lengthMs })),
            { maxLength: 1 },
          ),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  policy: fc.record({
    mode: fc.constantFrom<ReleasePolicy["mode"]>("release", "release", "release", "plan"),
    rollback: fc.constantFrom<ReleasePolicy["rollback"]>("region", "all", "none"),
    maxParallel: fc.integer({ min: 0, max: 2 }),
    statusTimeoutMs: fc.constantFrom(20_000, 60_000),
    statusIntervalMs: fc.constantFrom(2_000, 5_000),
    bakeTimeMs: fc.constantFrom(0, 15_000, 60_000),
    swapWithPreview: fc.boolean(),
    refresh: fc.constantFrom<ReleasePolicy["refresh"]>("mirror", "none"),
  }),
  swapDurationMs: fc.integer({ min: 0, max: 30_000 }),
  cancelAtMs: fc.option(fc.integer({ min: 0, max: 600_000 }), { freq: 3 }),
  waves: fc.option(
    fc.array(
      fc.record({
        size: fc.integer({ min: 1, max: 3 }),
        bakeTimeMs: fc.constantFrom(null, 0, 30_000, 180_000),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    { nil: undefined },
  ),
  canary: fc.option(
    fc.record({
      steps: fc.constantFrom([5, 25, 50], [50], [10, 90]),
      stepTimeMs: fc.constantFrom(5_000, 60_000, 180_000),
    }),
    { nil: undefined },
  ),
  analysis: fc.option(
    fc.record({
      windowMs: fc.constantFrom(60_000, 120_000),
      minRequests: fc.constantFrom(1, 50, 50, 5_000),
      metrics: fc.constantFrom<AnalysisPolicy["metrics"]>(
        [{ signal: "http-5xx-rate", max: 1 }],
        [
          { signal: "http-5xx-rate", max: 1 },
          { signal: "response-time", max: 800 },
        ],
      ),
    }),
    { nil: undefined },
  ),
  userRequestsPerSecond: fc.constantFrom(0.2, 10, 50, 50),
});

/** Builds the fake world of a scenario. */
export function worldOf(input: Scenario) {
  const world = new FakeWorld();
  world.swapDurationMs = input.swapDurationMs;
  const regionNames = input.regions.map((_, index) => `region-${index}`);
  const serviceCount = Math.max(...input.regions.map((region) => region.services.length));
  const serviceNames = Array.from({ length: serviceCount }, (_, index) => `svc${index}`);
  input.regions.forEach((region, r) => {
    region.services.forEach((service, s) => {
      const app = `svc${s}-region-${r}`;
      if (region.alreadyReleased) world.addApp(app, NEW_BUILD, OLD_BUILD);
      else world.addApp(app, OLD_BUILD, NEW_BUILD);
      if (service.badNewBuild && !region.alreadyReleased)
        world.unhealthyInProduction.add(`${app}@${NEW_BUILD}`);
      world.swapFaults.set(app, [...service.swapFaults]);
      if ((service.errorPercentUnderLoad ?? 0) > 0 && !region.alreadyReleased)
        world.errorPercentUnderLoad.set(`${app}@${NEW_BUILD}`, service.errorPercentUnderLoad ?? 0);
      if (service.metricFaults !== undefined) world.metricFaults.set(app, service.metricFaults);
      world.pageFaults.set(`https://${app}.fake/status`, service.productionPageFaults);
      world.pageFaults.set(`https://${app}-staging.fake/status`, service.stagingPageFaults);
    });
  });
  const seeded = seedFleet(world, regionNames, serviceNames);
  // Regions of the scenario may have fewer services than the widest one.
  if (input.userRequestsPerSecond !== undefined)
    world.userRequestsPerSecond = input.userRequestsPerSecond;
  const fleet: Fleet = {
    ...seeded,
    regions: seeded.regions.map((region, r) => ({
      ...region,
      services: region.services
        .slice(0, input.regions[r]?.services.length ?? 0)
        .map((service, s) => ({
          ...service,
          dependsOn:
            s > 0 && input.regions[r]?.services[s]?.dependsOnPrevious === true
              ? [`svc${s - 1}`]
              : [],
        })),
    })),
    ...wavesOf(input, regionNames),
    ...(input.canary === undefined ? {} : { canary: input.canary }),
    ...(input.analysis === undefined ? {} : { analysis: input.analysis }),
  };
  return {
    world,
    fleet,
    initial: new Map([...world.apps].map(([app]) => [app, world.truthOf(app)])),
  };
}

/** The scenario's waves over the regions in order; the last wave takes the regions left. */
function wavesOf(input: Scenario, regionNames: string[]): Pick<Fleet, "waves" | "wavesDeclared"> {
  if (input.waves === undefined)
    return { waves: regionNames.map((name) => ({ regions: [name], bakeTimeMs: null })) };
  const waves: Fleet["waves"] = [];
  let next = 0;
  for (const wave of input.waves) {
    if (next >= regionNames.length) break;
    waves.push({ regions: regionNames.slice(next, next + wave.size), bakeTimeMs: wave.bakeTimeMs });
    next += wave.size;
  }
  const last = waves[waves.length - 1];
  if (last !== undefined && next < regionNames.length)
    last.regions.push(...regionNames.slice(next));
  return { waves, wavesDeclared: true };
}

/** Runs a scenario to its end on virtual time. */
export async function runScenario(input: Scenario) {
  const { world, fleet, initial } = worldOf(input);
  const ports = fakePorts(world);
  const policy = testPolicy(input.policy);
  const controller = new AbortController();
  const startedAt = world.clock.now();
  let abortedAt: number | null = null;
  let finished = false;
  if (input.cancelAtMs !== null) {
    void world.clock.sleep(input.cancelAtMs).then(() => {
      if (finished) return;
      abortedAt = world.clock.now();
      controller.abort(new Error("SIGTERM"));
    });
  }
  const report = await runRelease({ fleet, policy }, ports, controller.signal);
  finished = true;
  const finishedAt = world.clock.now();
  return { world, fleet, initial, policy, report, startedAt, abortedAt, finishedAt, ports };
}

/** Every invariant of interface.md's "Under faults"; throws (through expect) on the first broken one. */
export function checkInvariants(run: Awaited<ReturnType<typeof runScenario>>): void {
  const { world, initial, policy, report, abortedAt, finishedAt } = run;
  const where = (app: string) => `${app}: ${JSON.stringify(report, null, 1)}`;

  if (abortedAt !== null) {
    expect(
      finishedAt - abortedAt,
      "a cancelled run reports within its deadline",
    ).toBeLessThanOrEqual(CANCEL_BUDGET_MS);
  }
  if (policy.mode === "plan") expect(world.writes, "a plan changes nothing").toEqual([]);

  for (const region of report.regions) {
    for (const service of region.services) {
      const app = service.app;
      const before = initial.get(app);
      const truth = world.truthOf(app);
      const performed = world.swaps.filter(
        (swap) => swap.app === app && swap.intoProduction !== null,
      );
      // No swap performed twice in one direction: at most in, then back.
      expect(performed.length, `at most one swap in and one back: ${app}`).toBeLessThanOrEqual(2);
      if (performed[0] !== undefined)
        expect(performed[0].intoProduction, `the first swap brings the new build: ${app}`).toBe(
          NEW_BUILD,
        );
      if (before?.build === NEW_BUILD)
        expect(performed, `a released service is never swapped back: ${app}`).toEqual([]);

      // The report never guesses: `before` and `after` are what the pages said, or null.
      expect([before?.build, null], `before: ${where(app)}`).toContain(service.before.production);
      const finalReadsFrom = finishedAt - FINAL_READS_WINDOW_MS;
      const answered = world.productionAnswers
        .filter((answer) => answer.app === app && answer.at >= finalReadsFrom)
        .map((answer) => answer.build);
      expect([...answered, null], `after: ${where(app)}`).toContain(
        service.after?.production ?? null,
      );

      // Production is never silently left on a build that failed its checks.
      if (truth.build === NEW_BUILD && !truth.healthy) {
        expect(
          ["released", "already-released"],
          `bad build reported released: ${where(app)}`,
        ).not.toContain(region.outcome);
        const said =
          service.error !== null ||
          (policy.rollback === "none" &&
            report.failures.some((line) => line.includes(region.name)));
        expect(said, `bad build left in production without a word: ${where(app)}`).toBe(true);
      }

      switch (region.outcome) {
        case "released":
        case "already-released":
          expect(truth, `released means new and healthy: ${where(app)}`).toEqual({
            build: NEW_BUILD,
            healthy: true,
          });
          break;
        case "rolled-back":
          expect(truth.build, `rolled back means the previous build: ${where(app)}`).toBe(
            before?.build,
          );
          break;
        case "not-started":
        case "planned":
          expect(performed, `nothing swapped in a region not started: ${where(app)}`).toEqual([]);
          break;
        case "failed":
        case "cancelled":
          if (truth.build !== before?.build && service.error === null) {
            const regionSaid = report.failures.some((line) => line.includes(region.name));
            expect(regionSaid, `a changed production is explained: ${where(app)}`).toBe(true);
          }
          break;
      }
    }
  }
  checkProgressiveDelivery(run);
  checkOutcome(report);
}

/** The invariants of waves, canary steps, analysis and `depends-on`. */
function checkProgressiveDelivery(run: Awaited<ReturnType<typeof runScenario>>): void {
  const { world, fleet, policy, report } = run;
  const where = (what: string) => `${what}: ${JSON.stringify(report, null, 1)}`;
  expect(world.swapsWhileRouted, where("no swap while a rule routes users to the slot")).toEqual(
    [],
  );
  expect(world.unpinnedProductionReads, "every read of production reaches production").toBe(0);
  const services = report.regions.flatMap((region) =>
    region.services.map((service) => ({ region, service })),
  );
  for (const [app] of world.routedToStaging) {
    const entry = services.find(({ service }) => service.app === app);
    expect(entry?.service.error ?? "", where(`a rule left on ${app} is said loudly`)).toContain(
      "TRAFFIC ROUTING STILL SET",
    );
  }
  const steps = fleet.canary?.steps ?? [];
  const metricsPerRound = fleet.analysis?.metrics.length ?? 0;
  for (const { region, service } of services) {
    const performed = world.swaps.filter(
      (swap) => swap.app === service.app && swap.intoProduction !== null,
    );
    if (fleet.canary !== undefined) {
      if (performed.length > 0 && run.initial.get(service.app)?.build === OLD_BUILD) {
        expect(
          service.canary,
          where(`swapped only after every canary step: ${service.app}`),
        ).toEqual({ highestPercent: steps[steps.length - 1], passed: true });
      }
      if (fleet.analysis !== undefined && service.canary?.passed === true) {
        const passes = (region.evaluations ?? []).filter(
          (evaluation) =>
            evaluation.service === service.name &&
            evaluation.slot === "staging" &&
            evaluation.verdict === "pass",
        );
        expect(
          passes.length,
          where(`a canary step passes only on a passing evaluation: ${service.app}`),
        ).toBeGreaterThanOrEqual(steps.length * metricsPerRound);
      }
    }
    const waveOf = fleet.waves.find((wave) => wave.regions.includes(region.name));
    const bakeMs = waveOf?.bakeTimeMs ?? policy.bakeTimeMs;
    const judged = fleet.canary !== undefined || bakeMs > 0;
    const errorPercent = world.errorPercentUnderLoad.get(`${service.app}@${NEW_BUILD}`) ?? 0;
    if (
      fleet.analysis !== undefined &&
      judged &&
      fleet.analysis.minRequests >= 50 &&
      errorPercent >= 4 &&
      world.truthOf(service.app).build === NEW_BUILD
    ) {
      expect(
        ["released", "already-released"],
        where(`a build failing its 5xx rate is never released: ${service.app}`),
      ).not.toContain(region.outcome);
    }
    if (fleet.analysis !== undefined && bakeMs > 0 && region.outcome === "released") {
      const passes = (region.evaluations ?? []).filter(
        (evaluation) =>
          evaluation.service === service.name &&
          evaluation.slot === "production" &&
          evaluation.verdict === "pass",
      );
      expect(
        passes.length,
        where(`a bake passes only on a passing evaluation: ${service.app}`),
      ).toBeGreaterThanOrEqual(metricsPerRound);
    }
  }
  checkDependencyOrder(run);
}

/** A service is swapped only after what it depends on is swapped, and swapped back before it. */
function checkDependencyOrder(run: Awaited<ReturnType<typeof runScenario>>): void {
  const { world, fleet } = run;
  for (const region of fleet.regions) {
    for (const service of region.services) {
      for (const dependencyName of service.dependsOn) {
        const dependency = region.services.find((candidate) => candidate.name === dependencyName);
        if (dependency === undefined) continue;
        const requests = world.swaps.filter((swap) => swap.app === service.app);
        const dependencyPerformed = world.swaps.filter(
          (swap) => swap.app === dependency.app && swap.intoProduction !== null,
        );
        const dependencyNeededSwap = run.initial.get(dependency.app)?.build === OLD_BUILD;
        if (dependencyNeededSwap && requests.length > 0) {
          const firstIn = dependencyPerformed[0];
          expect(firstIn, `${service.app} swapped before ${dependency.app}`).toBeDefined();
          expect(
            requests[0]?.at ?? 0,
            `${service.app} waits for ${dependency.app}`,
          ).toBeGreaterThanOrEqual((firstIn?.at ?? 0) + world.swapDurationMs);
        }
        const back = world.swaps.filter(
          (swap) => swap.app === service.app && swap.intoProduction === OLD_BUILD,
        );
        const dependencyBack = dependencyPerformed.filter(
          (swap) => swap.intoProduction === OLD_BUILD,
        );
        if (back[0] !== undefined && dependencyBack[0] !== undefined) {
          expect(
            dependencyBack[0].at,
            `${dependency.app} swapped back only after ${service.app}`,
          ).toBeGreaterThanOrEqual(back[0].at + world.swapDurationMs);
        }
      }
    }
  }
}

function checkOutcome(report: ReleaseReport): void {
  const outcomes = report.regions.map((region) => region.outcome);
  if (report.outcome === "released" || report.outcome === "already-released") {
    for (const outcome of outcomes) expect(["released", "already-released"]).toContain(outcome);
  }
  if (outcomes.some((outcome) => outcome === "failed" || outcome === "rolled-back"))
    expect(["failed", "rolled-back", "cancelled"]).toContain(report.outcome);
}
