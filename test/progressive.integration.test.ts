/**
 * Progressive delivery by the bundled action against the simulator: waves, canary steps on
 * App Service traffic routing, analysis on Azure Monitor metrics, depends-on order. Every
 * assertion reads the simulator's ground truth and journal (routing writes, swap POSTs, which
 * slot served each status read), never the log alone. Metric grains are compressed to 500 ms
 * (Azure's are a minute) so that runs take seconds; the ingestion delay is kept at one grain.
 */
import { describe, expect, it } from "vitest";
import {
  APPS_BY_REGION,
  production,
  report,
  rig,
  type DemoManifest,
} from "./harness/simulator-rig.js";
import type { Simulator } from "./simulator/index.js";

const UK_SOUTH = APPS_BY_REGION["uk-south"];
const SWAP_MS = 300;

/** A simulator whose metrics come in 500 ms grains, published 500 ms late, with busy users. */
function progressiveRig(manifest: (manifest: DemoManifest) => void) {
  return rig({
    swapDurationMs: SWAP_MS,
    simulator: { metricGrainMs: 500, metricDelayMs: 500, userRequestsPerSecond: 400 },
    manifest,
  });
}

const analysis = {
  window: "1s",
  "min-requests": 20,
  metrics: [
    { name: "http-5xx-rate", max: 1 },
    { name: "response-time", max: 800 },
  ],
};

/** The percentages production's rules sent to other slots after each write of `app`'s rules. */
function routing(sim: Simulator, app: string): number[] {
  return sim.journal.routingHistory(app).map((write) => write.percent);
}

/** Reads of production's status page that another slot answered. */
function productionReadsServedElsewhere(sim: Simulator, app: string) {
  return sim.journal
    .statusReads(app)
    .filter((read) => read.host === "production" && read.slot !== "production");
}

describe("waves", () => {
  it("releases the two regions of a wave together, after the first wave", async () => {
    const { sim, release } = await progressiveRig((manifest) => {
      manifest.waves = [
        { regions: ["uk-south"] },
        { regions: ["west-europe", "east-us"], "bake-time": "1s" },
      ];
    });
    const run = await release();
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.outcome).toBe("released");
    expect(report(run).regions.map((region) => [region.name, region.wave, region.outcome])).toEqual(
      [
        ["uk-south", 1, "released"],
        ["west-europe", 2, "released"],
        ["east-us", 2, "released"],
      ],
    );
    const swaps = sim.journal.swapRequests();
    const at = (region: keyof typeof APPS_BY_REGION) =>
      swaps.filter((swap) => APPS_BY_REGION[region].includes(swap.app)).map((swap) => swap.at);
    // Wave 2 starts after wave 1 is done; its two regions swap at the same time.
    expect(Math.min(...at("west-europe"))).toBeGreaterThan(Math.max(...at("uk-south")) + SWAP_MS);
    expect(Math.abs(Math.min(...at("west-europe")) - Math.min(...at("east-us")))).toBeLessThan(
      SWAP_MS,
    );
    for (const apps of Object.values(APPS_BY_REGION))
      for (const app of apps) expect(production(sim, app)).toBe("1.5.0");
  });
});

describe("canary on slot traffic", () => {
  it("walks 5 → 25 → 50 % for every app, removes each rule before its swap, and reads production itself", async () => {
    const { sim, release } = await progressiveRig((manifest) => {
      manifest.canary = { steps: [5, 25, 50], "step-time": "1s" };
      manifest.analysis = analysis;
    });
    const run = await release({ regions: "uk-south" });
    expect(run.exitCode, run.stdout).toBe(0);
    for (const app of UK_SOUTH) {
      expect(routing(sim, app), app).toEqual([5, 25, 50, 0]);
      expect(production(sim, app)).toBe("1.5.0");
      expect(productionReadsServedElsewhere(sim, app)).toEqual([]);
    }
    expect(sim.journal.swapsWhileRouted()).toEqual([]);
    const uks = report(run).regions[0];
    for (const service of uks?.services ?? [])
      expect(service.canary).toEqual({ highestPercent: 50, passed: true });
    const staging = (uks?.evaluations ?? []).filter((evaluation) => evaluation.slot === "staging");
    expect(
      staging.filter((evaluation) => evaluation.verdict === "pass").length,
    ).toBeGreaterThanOrEqual(3 * 3 * 2);
  });

  it("stops at 25 % when the staging slot's 5xx rate breaches: no swap, no rule left", async () => {
    const { sim, release } = await progressiveRig((manifest) => {
      manifest.canary = { steps: [5, 25, 50], "step-time": "1s" };
      manifest.analysis = analysis;
    });
    // The new build of the api fails 4 % of its requests once a quarter of production's users reach it.
    const underLoad = setInterval(() => {
      if (routing(sim, "shop-api-uks").includes(25))
        sim.buildProfile("shop-api-uks", "1.5.0", { errorPercent: 4 });
    }, 10);
    const run = await release({ regions: "uk-south" }).finally(() => clearInterval(underLoad));
    expect(run.exitCode).toBe(1);
    expect(run.outputs.outcome).toBe("failed");
    expect(sim.journal.swapRequests()).toEqual([]);
    for (const app of UK_SOUTH) {
      expect(routing(sim, app).at(-1), app).toBe(0);
      expect(production(sim, app)).toBe("1.4.1");
    }
    expect(routing(sim, "shop-api-uks")).toEqual([5, 25, 0]);
    const uks = report(run).regions[0];
    const api = uks?.services.find((service) => service.app === "shop-api-uks");
    expect(api?.canary).toEqual({ highestPercent: 25, passed: false });
    expect(api?.error).toContain("regressed during canary 25%: http-5xx-rate of staging");
    expect(uks?.evaluations).toContainEqual(
      expect.objectContaining({
        service: "api",
        slot: "staging",
        signal: "http-5xx-rate",
        verdict: "breach",
      }),
    );
  });

  it("cancelled during a canary step: the rule is removed and nothing is swapped", async () => {
    const { sim, release } = await progressiveRig((manifest) => {
      manifest.canary = { steps: [50], "step-time": "30s" };
    });
    const run = await release(
      { regions: "uk-south" },
      { cancelWhen: () => UK_SOUTH.every((app) => routing(sim, app).includes(50)) },
    );
    expect(run.outputs.outcome).toBe("cancelled");
    expect(run.exitAfterSignalMs).toBeLessThan(5_000);
    expect(sim.journal.swapRequests()).toEqual([]);
    for (const app of UK_SOUTH) expect(routing(sim, app)).toEqual([50, 0]);
  });
});

describe("analysis on Azure Monitor metrics", () => {
  it("a bake catches production's 5xx rate while its status page says healthy", async () => {
    const { sim, release } = await progressiveRig((manifest) => {
      manifest.analysis = analysis;
    });
    sim.buildProfile("shop-api-uks", "1.5.0", { errorPercent: 4 });
    const run = await release({ regions: "uk-south", "bake-time": "3s" });
    expect(run.outputs.outcome).toBe("rolled-back");
    for (const app of UK_SOUTH) expect(production(sim, app)).toBe("1.4.1");
    // Its page said healthy on the new build all along: only the metrics saw it.
    const pages = sim.journal
      .statusReads("shop-api-uks")
      .filter((read) => read.host === "production" && read.build === "1.5.0");
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every((read) => read.status === 200)).toBe(true);
    const uks = report(run).regions[0];
    expect(uks?.services[0]?.error).toContain(
      "regressed during bake-time: http-5xx-rate of production",
    );
    expect(uks?.evaluations).toContainEqual(
      expect.objectContaining({ service: "api", slot: "production", limit: 1, verdict: "breach" }),
    );
  });
});

describe("depends-on", () => {
  it("swaps a service only after what it depends on is verified, and swaps back in reverse", async () => {
    const { sim, release } = await progressiveRig((manifest) => {
      const services = manifest.regions[0]?.services ?? [];
      const [api, auth, billing] = services;
      if (auth !== undefined) auth["depends-on"] = [api?.name ?? ""];
      if (billing !== undefined) billing["depends-on"] = [auth?.name ?? ""];
    });
    sim.unhealthyInProduction("shop-billing-uks", "1.5.0", "database");
    const run = await release({ regions: "uk-south" });
    expect(run.outputs.outcome).toBe("rolled-back");
    const swaps = sim.journal.swapRequests();
    expect(swaps.map((swap) => swap.app)).toEqual([
      "shop-api-uks",
      "shop-auth-uks",
      "shop-billing-uks",
      "shop-billing-uks",
      "shop-auth-uks",
      "shop-api-uks",
    ]);
    for (let index = 1; index < swaps.length; index++) {
      expect((swaps[index]?.at ?? 0) - (swaps[index - 1]?.at ?? 0)).toBeGreaterThanOrEqual(SWAP_MS);
    }
    for (const app of UK_SOUTH) expect(production(sim, app)).toBe("1.4.1");
  });
});
