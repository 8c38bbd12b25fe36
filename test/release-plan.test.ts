/** The planner: fleet and policy in, waves, stages and steps out; pure data, no world needed. */
import { describe, expect, it } from "vitest";
import type { Fleet, ServiceTarget } from "../src/release/model.js";
import { dependencyStages, minimumDurationMs, planRelease } from "../src/release/plan.js";
import { testPolicy } from "./support/fake-world.js";

function service(name: string, dependsOn: string[] = []): ServiceTarget {
  return {
    name,
    app: `${name}-app`,
    status: { urlTemplate: "https://{host}/status", buildField: "build" },
    dependsOn,
  };
}

function fleetOf(regions: Record<string, ServiceTarget[]>, extra: Partial<Fleet> = {}): Fleet {
  const names = Object.keys(regions);
  return {
    sourceSlot: "staging",
    regions: names.map((name) => ({
      name,
      subscriptionId: "00000000-0000-0000-0000-000000000001",
      resourceGroup: `rg-${name}`,
      services: regions[name] ?? [],
    })),
    waves: names.map((name) => ({ regions: [name], bakeTimeMs: null })),
    ...extra,
  };
}

describe("the planner", () => {
  it("without waves, canary or depends-on: a wave per region, one stage, swap then verify", () => {
    const plan = planRelease(
      fleetOf({ a: [service("api"), service("auth")], b: [service("api")] }),
      testPolicy({ bakeTimeMs: 60_000 }),
    );
    expect(plan.waves.map((wave) => [wave.number, wave.bakeTimeMs, wave.regions.length])).toEqual([
      [1, 60_000, 1],
      [2, 60_000, 1],
    ]);
    const stages = plan.waves[0]?.regions[0]?.stages ?? [];
    expect(stages).toHaveLength(1);
    expect(stages[0]?.services.map((entry) => entry.service)).toEqual(["api", "auth"]);
    expect(stages[0]?.services[0]?.steps).toEqual([{ kind: "swap" }, { kind: "verify" }]);
  });

  it("waves keep their own bake time, fall back to the input, and skip regions filtered out", () => {
    const plan = planRelease(
      fleetOf(
        { a: [service("api")], c: [service("api")] },
        {
          waves: [
            { regions: ["a"], bakeTimeMs: 900_000 },
            { regions: ["b"], bakeTimeMs: 1_000 },
            { regions: ["c", "b"], bakeTimeMs: null },
          ],
        },
      ),
      testPolicy({ bakeTimeMs: 5_000 }),
    );
    expect(
      plan.waves.map((wave) => ({
        number: wave.number,
        bake: wave.bakeTimeMs,
        regions: wave.regions.map((region) => region.region),
      })),
    ).toEqual([
      { number: 1, bake: 900_000, regions: ["a"] },
      { number: 2, bake: 5_000, regions: ["c"] },
    ]);
  });

  it("gives every service its canary steps, then preview, swap and verify", () => {
    const plan = planRelease(
      fleetOf({ a: [service("api")] }, { canary: { steps: [5, 25, 50], stepTimeMs: 300_000 } }),
      testPolicy({ swapWithPreview: true }),
    );
    expect(plan.waves[0]?.regions[0]?.stages[0]?.services[0]?.steps).toEqual([
      { kind: "canary", percent: 5, durationMs: 300_000 },
      { kind: "canary", percent: 25, durationMs: 300_000 },
      { kind: "canary", percent: 50, durationMs: 300_000 },
      { kind: "preview" },
      { kind: "swap" },
      { kind: "verify" },
    ]);
  });

  it("orders services by depends-on: chains, diamonds, manifest order inside a stage", () => {
    const names = (stages: ServiceTarget[][]) =>
      stages.map((stage) => stage.map((entry) => entry.name));
    expect(
      names(dependencyStages([service("api", ["db"]), service("web", ["api"]), service("db")])),
    ).toEqual([["db"], ["api"], ["web"]]);
    expect(
      names(
        dependencyStages([
          service("web", ["api", "auth"]),
          service("auth", ["db"]),
          service("api", ["db"]),
          service("db"),
          service("cron"),
        ]),
      ),
    ).toEqual([["db", "cron"], ["auth", "api"], ["web"]]);
  });

  it("never drops a service, even from a cycle that slipped past validation", () => {
    const stages = dependencyStages([service("a", ["b"]), service("b", ["a"]), service("c")]);
    expect(stages.map((stage) => stage.map((entry) => entry.name))).toEqual([["c"], ["a", "b"]]);
  });

  it("computes the least duration: canary steps per stage and each wave's bake", () => {
    const plan = planRelease(
      fleetOf(
        { a: [service("db"), service("api", ["db"])], b: [service("api")] },
        {
          canary: { steps: [10, 50], stepTimeMs: 60_000 },
          waves: [{ regions: ["a", "b"], bakeTimeMs: 600_000 }],
        },
      ),
      testPolicy(),
    );
    // Region a has two stages of two canary minutes each; b one; the wave then bakes ten minutes.
    expect(minimumDurationMs(plan)).toBe(2 * 120_000 + 600_000);
    expect(minimumDurationMs(plan, 10_000)).toBe(2 * 130_000 + 600_000);
  });
});
