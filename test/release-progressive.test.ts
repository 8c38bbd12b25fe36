/**
 * The engine's progressive delivery on the fake world: waves, canary steps on slot traffic,
 * analysis on Azure Monitor metrics, and depends-on order, judged by what the world's slots run
 * and which requests Azure saw.
 */
import { describe, expect, it } from "vitest";
import type { AnalysisPolicy, Fleet, ReleasePolicy } from "../src/release/model.js";
import { runRelease } from "../src/release/release.js";
import { FakeWorld, fakePorts, seedFleet, testPolicy } from "./support/fake-world.js";

const FIVE_XX: AnalysisPolicy = {
  windowMs: 60_000,
  minRequests: 50,
  metrics: [{ signal: "http-5xx-rate", max: 1 }],
};

function setup(regions: string[], services: string[], extra: Partial<Fleet> = {}) {
  const world = new FakeWorld();
  world.swapDurationMs = 4_000;
  const fleet: Fleet = { ...seedFleet(world, regions, services), ...extra };
  return { world, fleet, ports: fakePorts(world) };
}

async function release(
  setupResult: ReturnType<typeof setup>,
  policy: Partial<ReleasePolicy> = {},
  signal?: AbortSignal,
) {
  const { fleet, ports } = setupResult;
  return runRelease({ fleet, policy: testPolicy(policy) }, ports, signal);
}

function production(world: FakeWorld): Record<string, string | undefined> {
  return Object.fromEntries(
    [...world.apps.keys()].map((app) => [app, world.buildOf(app, "production")]),
  );
}

describe("waves", () => {
  it("releases the regions of a wave together and bakes them as one, with the wave's bake time", async () => {
    const run = setup(["uks", "weu", "eus"], ["api"], {
      waves: [
        { regions: ["uks"], bakeTimeMs: 10_000 },
        { regions: ["weu", "eus"], bakeTimeMs: 30_000 },
      ],
      wavesDeclared: true,
    });
    const report = await release(run);
    expect(report.outcome).toBe("released");
    expect(report.regions.map((region) => [region.name, region.wave, region.outcome])).toEqual([
      ["uks", 1, "released"],
      ["weu", 2, "released"],
      ["eus", 2, "released"],
    ]);
    const at = (app: string) => run.world.swaps.find((swap) => swap.app === app)?.at ?? NaN;
    // Both regions of wave 2 swap at the same moment, after wave 1 baked its 10 s.
    expect(at("api-weu")).toBe(at("api-eus"));
    expect(at("api-weu") - at("api-uks")).toBeGreaterThanOrEqual(10_000 + 4_000);
    expect(run.world.maxRunning).toBe(2);
    expect(Object.values(production(run.world))).toEqual(["2.0.0", "2.0.0", "2.0.0"]);
  });

  it("rolls back every region of the failing wave with rollback: region, and earlier waves too with all", async () => {
    for (const rollback of ["region", "all"] as const) {
      const run = setup(["uks", "weu", "eus"], ["api"], {
        waves: [
          { regions: ["uks"], bakeTimeMs: null },
          { regions: ["weu", "eus"], bakeTimeMs: null },
        ],
        wavesDeclared: true,
      });
      run.world.unhealthyInProduction.add("api-eus@2.0.0");
      const report = await release(run, { rollback });
      expect(report.outcome).toBe("rolled-back");
      expect(production(run.world)).toEqual({
        "api-uks": rollback === "all" ? "1.0.0" : "2.0.0",
        "api-weu": "1.0.0",
        "api-eus": "1.0.0",
      });
      expect(report.regions.map((region) => region.outcome)).toEqual([
        rollback === "all" ? "rolled-back" : "released",
        "rolled-back",
        "rolled-back",
      ]);
    }
  });

  it("with rollback: none leaves the wave where it is and says which services run the failed build", async () => {
    const run = setup(["weu", "eus"], ["api"], {
      waves: [{ regions: ["weu", "eus"], bakeTimeMs: null }],
      wavesDeclared: true,
    });
    run.world.unhealthyInProduction.add("api-eus@2.0.0");
    const report = await release(run, { rollback: "none" });
    expect(report.outcome).toBe("failed");
    expect(production(run.world)).toEqual({ "api-weu": "2.0.0", "api-eus": "2.0.0" });
    expect(report.failures.join("\n")).toContain(
      "weu, eus failed and rollback is none: production of weu/api, eus/api is left on 2.0.0",
    );
  });
});

describe("canary on slot traffic", () => {
  const canary = { steps: [5, 25, 50], stepTimeMs: 120_000 };

  it("walks every step, removes the rule, then swaps; reads of production reach production", async () => {
    const run = setup(["uks"], ["api"], { canary, analysis: FIVE_XX });
    run.world.userRequestsPerSecond = 50;
    const report = await release(run);
    expect(report.outcome).toBe("released");
    expect(run.world.writes.filter((write) => /^(route|swap)/.test(write))).toEqual([
      "route api-uks 5",
      "route api-uks 25",
      "route api-uks 50",
      "route api-uks 0",
      "swap api-uks",
    ]);
    expect(run.world.swapsWhileRouted).toEqual([]);
    expect(run.world.unpinnedProductionReads).toBe(0);
    expect(report.regions[0]?.services[0]?.canary).toEqual({ highestPercent: 50, passed: true });
    const evaluations = report.regions[0]?.evaluations ?? [];
    expect(
      evaluations.filter((evaluation) => evaluation.verdict === "pass").length,
    ).toBeGreaterThanOrEqual(3);
    expect(evaluations[0]).toMatchObject({
      service: "api",
      slot: "staging",
      signal: "http-5xx-rate",
      limit: 1,
    });
  });

  it("stops at 25 % when the staging slot's 5xx rate breaches: every user back on production, nothing swapped", async () => {
    const run = setup(["uks"], ["api", "auth"], { canary, analysis: FIVE_XX });
    run.world.userRequestsPerSecond = 50;
    run.world.onWrite = (line) => {
      if (line === "route api-uks 25") run.world.errorPercentUnderLoad.set("api-uks@2.0.0", 4);
    };
    const report = await release(run);
    expect(report.outcome).toBe("failed");
    expect(report.regions[0]?.outcome).toBe("failed");
    expect(run.world.swapsOf()).toEqual([]);
    expect(run.world.routedToStaging.size).toBe(0);
    const api = report.regions[0]?.services[0];
    expect(api?.canary).toEqual({ highestPercent: 25, passed: false });
    expect(api?.error).toContain("regressed during canary 25%: http-5xx-rate of staging is 4%");
    const breach = report.regions[0]?.evaluations?.find(
      (evaluation) => evaluation.verdict === "breach",
    );
    expect(breach).toMatchObject({ service: "api", slot: "staging", value: 4, limit: 1 });
    expect(Object.values(production(run.world))).toEqual(["1.0.0", "1.0.0"]);
  });

  it("too few requests are never a pass: four inconclusive evaluations in a row stop the canary", async () => {
    const run = setup(["uks"], ["api"], {
      canary: { steps: [5], stepTimeMs: 60_000 },
      analysis: FIVE_XX,
    });
    run.world.userRequestsPerSecond = 1;
    const report = await release(run);
    expect(report.outcome).toBe("failed");
    expect(run.world.swapsOf()).toEqual([]);
    const verdicts = (report.regions[0]?.evaluations ?? []).map((evaluation) => evaluation.verdict);
    expect(verdicts).toEqual(["inconclusive", "inconclusive", "inconclusive", "inconclusive"]);
    expect(report.regions[0]?.services[0]?.error).toContain(
      "4 evaluations in a row were inconclusive",
    );
  });

  it("a failed canary in a region where a service was already swapped rolls that service back", async () => {
    const run = setup(["uks"], ["db", "api"], { canary: { steps: [50], stepTimeMs: 60_000 } });
    run.fleet.regions[0]!.services[1]!.dependsOn = ["db"];
    // Unhealthy from the start would fail pre-flight: the api's staging page fails once its rule is set.
    run.world.onWrite = (line) => {
      if (line === "route api-uks 50")
        run.world.pageFaults.set("https://api-uks-staging.fake/status", [
          { kind: "unhealthy", fromMs: 0, toMs: 10_000_000 },
        ]);
    };
    const report = await release(run);
    expect(report.outcome).toBe("rolled-back");
    expect(report.regions[0]?.outcome).toBe("rolled-back");
    expect(production(run.world)).toEqual({ "db-uks": "1.0.0", "api-uks": "1.0.0" });
    expect(run.world.swapsOf()).toEqual(["swap db-uks", "swap db-uks"]);
    expect(run.world.routedToStaging.size).toBe(0);
  });

  it("cancelled during a canary step: the rule is removed and the report says where the canary stood", async () => {
    const run = setup(["uks"], ["api"], { canary });
    const controller = new AbortController();
    run.world.onWrite = (line) => {
      if (line === "route api-uks 25") {
        void run.world.clock.sleep(30_000).then(() => controller.abort(new Error("SIGTERM")));
      }
    };
    const report = await release(run, {}, controller.signal);
    expect(report.outcome).toBe("cancelled");
    expect(run.world.writes.at(-1)).toBe("route api-uks 0");
    expect(run.world.routedToStaging.size).toBe(0);
    expect(run.world.swapsOf()).toEqual([]);
    expect(report.regions[0]?.services[0]?.canary).toEqual({ highestPercent: 25, passed: false });
  });
});

describe("analysis on Azure Monitor metrics", () => {
  it("catches in the bake a build whose production 5xx rate breaches while its status page says healthy", async () => {
    const run = setup(["uks", "weu"], ["api"], { analysis: FIVE_XX });
    run.world.userRequestsPerSecond = 20;
    run.world.errorPercentUnderLoad.set("api-uks@2.0.0", 4);
    const report = await release(run, { bakeTimeMs: 240_000 });
    expect(report.outcome).toBe("rolled-back");
    expect(production(run.world)).toEqual({ "api-uks": "1.0.0", "api-weu": "1.0.0" });
    expect(run.world.swapsOf("api-weu")).toEqual([]);
    const uks = report.regions[0];
    expect(uks?.services[0]?.error).toContain(
      "regressed during bake-time: http-5xx-rate of production is 4%",
    );
    expect(uks?.evaluations?.at(-1)).toMatchObject({ slot: "production", verdict: "breach" });
  });

  it("judges response time in milliseconds though Azure reports seconds", async () => {
    const run = setup(["uks"], ["api"], {
      analysis: { ...FIVE_XX, metrics: [{ signal: "response-time", max: 800 }] },
    });
    run.world.userRequestsPerSecond = 20;
    run.world.responseTimeMsUnderLoad.set("api-uks@2.0.0", 950);
    const report = await release(run, { bakeTimeMs: 240_000 });
    expect(report.outcome).toBe("rolled-back");
    expect(report.regions[0]?.evaluations?.at(-1)).toMatchObject({
      signal: "response-time",
      value: 950,
      limit: 800,
      verdict: "breach",
    });
  });

  it("an unreadable Azure Monitor is inconclusive, and the bake passes once metrics pass again", async () => {
    const run = setup(["uks"], ["api"], { analysis: FIVE_XX });
    run.world.userRequestsPerSecond = 20;
    run.world.metricFaults.set("api-uks", [{ fromMs: 0, toMs: 200_000 }]);
    const report = await release(run, { bakeTimeMs: 180_000 });
    expect(report.outcome).toBe("released");
    const verdicts = (report.regions[0]?.evaluations ?? []).map((evaluation) => [
      evaluation.verdict,
      evaluation.value,
    ]);
    expect(verdicts.slice(0, 3)).toEqual([
      ["inconclusive", null],
      ["inconclusive", null],
      ["inconclusive", null],
    ]);
    expect(verdicts.at(-1)?.[0]).toBe("pass");
  });
});

describe("depends-on", () => {
  it("swaps and verifies a dependency before the services that need it, and swaps back in reverse", async () => {
    const run = setup(["uks"], ["migrator", "api", "web"]);
    const services = run.fleet.regions[0]!.services;
    services[1]!.dependsOn = ["migrator"];
    services[2]!.dependsOn = ["api"];
    run.world.unhealthyInProduction.add("web-uks@2.0.0");
    const report = await release(run);
    expect(report.outcome).toBe("rolled-back");
    const order = run.world.swaps.map((swap) => `${swap.app} → ${swap.intoProduction}`);
    expect(order).toEqual([
      "migrator-uks → 2.0.0",
      "api-uks → 2.0.0",
      "web-uks → 2.0.0",
      "web-uks → 1.0.0",
      "api-uks → 1.0.0",
      "migrator-uks → 1.0.0",
    ]);
    // Each swap starts only after the one before completed (4 s) and was verified.
    const at = run.world.swaps.map((swap) => swap.at);
    for (let index = 1; index < at.length; index++) {
      expect((at[index] ?? 0) - (at[index - 1] ?? 0)).toBeGreaterThanOrEqual(4_000);
    }
    expect(Object.values(production(run.world))).toEqual(["1.0.0", "1.0.0", "1.0.0"]);
  });

  it("leaves what a service depends on alone when that service could not be swapped back", async () => {
    const run = setup(["uks"], ["db", "api"]);
    run.fleet.regions[0]!.services[1]!.dependsOn = ["db"];
    run.world.unhealthyInProduction.add("api-uks@2.0.0");
    // The api's swap back is refused: db must stay on the new build the api needs.
    const swapIn = run.world.swapIntoProduction.bind(run.world);
    let apiSwaps = 0;
    run.world.swapIntoProduction = async (address, options, signal) => {
      if (address.app === "api-uks" && ++apiSwaps === 2)
        run.world.swapFaults.set("api-uks", [{ kind: "refused" }]);
      return swapIn(address, options, signal);
    };
    const report = await release(run);
    expect(report.outcome).toBe("failed");
    expect(production(run.world)).toEqual({ "db-uks": "2.0.0", "api-uks": "2.0.0" });
    expect(report.regions[0]?.services[0]?.error).toContain(
      "not swapped back: a service that depends on it",
    );
  });
});

describe("refresh while the release goes on", () => {
  async function refreshTimes(rollback: ReleasePolicy["rollback"]) {
    const run = setup(["uks", "weu"], ["api"]);
    run.world.swapDurationMs = 20_000;
    const deployedAt = new Map<string, number>();
    run.world.onWrite = (line) => {
      if (line.startsWith("deploy "))
        deployedAt.set(line.split(" ")[1] ?? "", run.world.clock.now());
    };
    const report = await release(run, { rollback });
    const weuSwap = run.world.swaps.find((swap) => swap.app === "api-weu");
    return {
      report,
      uksRefreshedAt: deployedAt.get("api-uks/staging"),
      weuSwapAt: weuSwap?.at ?? NaN,
    };
  }

  it("refreshes a released region's staging slots while the next region swaps, with rollback: region", async () => {
    const { report, uksRefreshedAt, weuSwapAt } = await refreshTimes("region");
    expect(report.outcome).toBe("released");
    expect(uksRefreshedAt).toBeLessThan(weuSwapAt + 20_000);
    expect(report.regions.map((region) => region.services[0]?.refresh)).toEqual(["done", "done"]);
  });

  it("waits with rollback: all, which needs the previous build in staging to swap back", async () => {
    const { report, uksRefreshedAt, weuSwapAt } = await refreshTimes("all");
    expect(report.outcome).toBe("released");
    expect(uksRefreshedAt).toBeGreaterThanOrEqual(weuSwapAt + 20_000);
  });

  it("keeps an early refresh when a later region fails and is rolled back; the step fails only if a refresh did", async () => {
    const run = setup(["uks", "weu"], ["api"]);
    run.world.unhealthyInProduction.add("api-weu@2.0.0");
    const report = await release(run);
    expect(report.outcome).toBe("rolled-back");
    expect(run.world.buildOf("api-uks", "staging")).toBe("2.0.0");
    expect(report.regions.map((region) => region.services[0]?.refresh)).toEqual([
      "done",
      "skipped",
    ]);
    expect(report.refreshFailed).toBe(false);
  });
});

describe("verification while the swap runs", () => {
  it("counts production seen healthy on the build before the swap's answer came, once the swap is confirmed", async () => {
    const run = setup(["uks"], ["api"]);
    run.world.swapDurationMs = 20_000;
    // The answer is lost halfway: finding out takes a while, and production changes meanwhile.
    run.world.swapFaults.set("api-uks", [{ kind: "lost-polls" }]);
    const report = await release(run, { statusIntervalMs: 2_000 });
    expect(report.outcome).toBe("released");
    const swapped = (report.timeline ?? []).find((span) => span.label === "swap");
    const verified = (report.timeline ?? []).find((span) => span.label === "verification");
    expect(verified?.startedAt).toBe(swapped?.finishedAt);
    expect(verified?.finishedAt).toBe(verified?.startedAt);
    // Production's page was read every status-interval while the swap ran.
    const from = Date.parse(swapped?.startedAt ?? "");
    const to = Date.parse(swapped?.finishedAt ?? "");
    const during = run.world.productionAnswers.filter(
      (answer) => answer.app === "api-uks" && answer.at > from && answer.at <= to,
    );
    expect(during.length).toBeGreaterThanOrEqual((to - from) / 2_000 - 1);
    expect(during.at(-1)?.build).toBe("2.0.0");
  });
});

describe("a traffic rule whose write's answer is lost", () => {
  it("is removed anyway, nothing is swapped, and the region fails", async () => {
    const run = setup(["uks"], ["api"], { canary: { steps: [25], stepTimeMs: 60_000 } });
    const write = run.world.setTrafficRouting.bind(run.world);
    let writes = 0;
    run.world.setTrafficRouting = async (address, routes, signal) => {
      await write(address, routes, signal);
      // Azure set the rule; the answer never came back.
      if (++writes === 1) throw new Error("no answer within 30s (ETIMEDOUT)");
    };
    const report = await release(run);
    expect(report.outcome).toBe("failed");
    expect(run.world.swapsOf()).toEqual([]);
    expect(run.world.routedToStaging.size).toBe(0);
    expect(run.world.buildOf("api-uks", "production")).toBe("1.0.0");
    expect(report.regions[0]?.services[0]?.error).toContain("canary 25% could not route traffic");
  });
});
