/**
 * The bundled action under the faults a real Azure produces, one run each, against the simulator.
 * Every assertion reads the simulator's ground truth (which build each slot runs) and journal
 * (which requests Azure saw and performed), never the log alone.
 */
import { describe, expect, it } from "vitest";
import {
  ALL_APPS,
  APPS_BY_REGION,
  production,
  report,
  rig,
  staging,
} from "./harness/simulator-rig.js";

const UK_SOUTH = APPS_BY_REGION["uk-south"];
const LATER_REGIONS = [...APPS_BY_REGION["west-europe"], ...APPS_BY_REGION["east-us"]];

/** How many swaps of `app` Azure started (refused requests not counted). */
function swapsStarted(sim: Awaited<ReturnType<typeof rig>>["sim"], app: string): number {
  return sim.journal.startedSwaps().filter((swap) => swap.app === app).length;
}

/** No app had a swap started twice in the same direction. */
function expectNoSwapRepeated(sim: Awaited<ReturnType<typeof rig>>["sim"]): void {
  expect(sim.journal.repeatedSwaps()).toEqual([]);
}

describe("bake-time counts every answer", () => {
  it("production answering 503 from 1.5 s after its swap through the bake rolls the region back", async () => {
    const { sim, release } = await rig();
    sim.regressStatusPage("shop-api-uks", { afterMs: 1_500, durationMs: 5_000 });
    const run = await release({
      "bake-time": "6s",
      "status-timeout": "10s",
      "status-interval": "500ms",
    });

    expect(run.exitCode, run.stdout).toBe(1);
    expect(run.outputs.outcome).toBe("rolled-back");
    for (const app of UK_SOUTH) expect(production(sim, app)).toBe("1.4.1");
    for (const app of LATER_REGIONS) expect(production(sim, app)).toBe("1.4.1");
    expect(report(run).regions[0]?.services[0]?.error).toContain("regressed during bake-time");
  });

  it("a page unhealthy on every second read fails the bake", async () => {
    const { sim, release } = await rig();
    sim.regressStatusPage("shop-auth-uks", { afterMs: 0, durationMs: 0 });
    sim.flapStatusPage("shop-auth-uks", { slot: "production", pattern: "HHU", count: 30 });
    const run = await release({ "bake-time": "3s", "status-interval": "300ms" });

    expect(run.outputs.outcome).toBe("rolled-back");
    for (const app of UK_SOUTH) expect(production(sim, app)).toBe("1.4.1");
  });
});

describe("a swap is never assumed", () => {
  it("a swap whose answer is lost is found done (Azure did it), verified, and never sent again", async () => {
    const { sim, release } = await rig({ swapDurationMs: 1_500 });
    sim.loseSwapAnswer("shop-api-uks");
    const run = await release();

    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.outcome).toBe("released");
    for (const app of ALL_APPS) expect(production(sim, app)).toBe("1.5.0");
    expect(swapsStarted(sim, "shop-api-uks")).toBe(1);
    expectNoSwapRepeated(sim);
  });

  it("lost polls while Azure completes the swap: counted as swapped, and swapped back with its region", async () => {
    const { sim, release } = await rig({ swapDurationMs: 1_500 });
    sim.losePolls("shop-api-uks", 10);
    sim.unhealthyInProduction("shop-billing-uks", "1.5.0", "database");
    const run = await release();

    expect(run.outputs.outcome).toBe("rolled-back");
    for (const app of UK_SOUTH) expect(production(sim, app)).toBe("1.4.1");
    expect(swapsStarted(sim, "shop-api-uks")).toBe(2);
    expectNoSwapRepeated(sim);
  });

  it("a swap Azure reports failed although it swapped is counted as swapped: verified, and swapped back when its build is bad", async () => {
    const good = await rig();
    good.sim.failSwapAfterSwapping("shop-auth-uks");
    const released = await good.release();
    expect(released.exitCode, released.stdout).toBe(0);
    for (const app of ALL_APPS) expect(production(good.sim, app)).toBe("1.5.0");
    expectNoSwapRepeated(good.sim);

    const bad = await rig();
    bad.sim.failSwapAfterSwapping("shop-auth-uks");
    bad.sim.unhealthyInProduction("shop-auth-uks", "1.5.0", "database");
    const run = await bad.release();
    expect(run.exitCode).toBe(1);
    for (const app of UK_SOUTH) expect(production(bad.sim, app)).toBe("1.4.1");
    expect(report(run).regions[0]?.outcome).toBe("rolled-back");
    expect(swapsStarted(bad.sim, "shop-auth-uks")).toBe(2);
    expectNoSwapRepeated(bad.sim);
  });

  it("routing that flips late after Azure says done: verification waits for it, and a swap back is really sent", async () => {
    const { sim, release } = await rig();
    sim.routeLate("shop-api-uks", 1_500);
    sim.unhealthyInProduction("shop-billing-uks", "1.5.0", "database");
    const run = await release();

    expect(run.outputs.outcome).toBe("rolled-back");
    for (const app of UK_SOUTH) expect(production(sim, app)).toBe("1.4.1");
    expect(swapsStarted(sim, "shop-api-uks")).toBe(2);
    expectNoSwapRepeated(sim);
  });

  it("a swap that truly failed is not swapped back, which would swap the new build in", async () => {
    const { sim, release } = await rig();
    sim.failSwap("shop-auth-uks");
    const run = await release();

    expect(run.outputs.outcome).toBe("rolled-back");
    expect(production(sim, "shop-auth-uks")).toBe("1.4.1");
    expect(swapsStarted(sim, "shop-auth-uks")).toBe(1);
    expect(report(run).regions[0]?.services[1]?.error).toMatch(/swap failed: .*Cannot swap slots/);
    expectNoSwapRepeated(sim);
  });
});

describe("another operation in progress (409)", () => {
  it("is waited out, then the swap goes through", async () => {
    const { sim, release } = await rig();
    sim.busySite("shop-api-uks", 2_500, "Deployment");
    const run = await release({ "status-timeout": "15s" });

    expect(run.exitCode, run.stdout).toBe(0);
    for (const app of ALL_APPS) expect(production(sim, app)).toBe("1.5.0");
    const refused = sim.journal
      .swapRequests()
      .filter((request) => request.app === "shop-api-uks" && request.status === 409);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expectNoSwapRepeated(sim);
  });

  it("past status-timeout, fails the service with App Service's own message, not its JSON", async () => {
    const { sim, release } = await rig();
    sim.busySite("shop-api-uks", 60_000, "Deployment");
    const run = await release({ "status-timeout": "4s" });

    expect(run.exitCode).toBe(1);
    for (const app of ALL_APPS) expect(production(sim, app)).toBe("1.4.1");
    const error = report(run).regions[0]?.services[0]?.error ?? "";
    expect(error).toContain(
      "another operation kept running on the app for the whole status-timeout",
    );
    expect(error).toContain("Cannot modify this site because another operation is in progress");
    expect(error).not.toContain('"Code"');
  });
});

describe("every request is bounded", () => {
  it("a hung ARM read and a hung status page read cost one attempt each, and the release goes on", async () => {
    const { sim, release } = await rig();
    sim.hang({ app: "shop-api-weu", method: "GET", slot: "production" }, { count: 1 });
    sim.hangStatusPage("shop-auth-eus", "staging", 1);
    const run = await release({ "status-timeout": "30s" });

    expect(run.exitCode, run.stdout).toBe(0);
    for (const app of ALL_APPS) expect(production(sim, app)).toBe("1.5.0");
  }, 120_000);
});

describe("a re-run never turns a broken release into success", () => {
  it("production left on the build but failing its checks: pre-flight refuses, zero writes, staging untouched", async () => {
    const { sim, release } = await rig();
    sim.unhealthyInProduction("shop-api-weu", "1.5.0", "database");
    const first = await release({ rollback: "none" });
    expect(first.outputs.outcome).toBe("failed");
    expect(production(sim, "shop-api-weu")).toBe("1.5.0");
    sim.journal.clear();

    const again = await release();
    expect(again.exitCode).toBe(1);
    expect(again.outputs.outcome).toBe("failed");
    expect(sim.journal.armWrites()).toEqual([]);
    expect(staging(sim, "shop-api-weu")).toBe("1.4.1");
    expect(again.stdout).toContain("production runs a build that fails its checks");
  });
});

describe("status pages are data", () => {
  it("a build with a newline and a workflow command, 10,000 characters long, never reaches the runner raw", async () => {
    const { sim, release } = await rig();
    const lie = `1.4.1\n::error title=pwned::the runner obeyed a status page${"x".repeat(10_000)}`;
    sim.lieOnStatusPage("shop-api-uks", lie, { slot: "production" });
    const run = await release({ "slack-webhook-url": sim.slackWebhookUrl });

    expect(
      run.stdout.split(/\r?\n/).filter((line) => /^\s*::error title=pwned/.test(line)),
    ).toEqual([]);
    const before = (report(run).regions[0]?.services[0]?.before as { production: string })
      .production;
    expect(before.length).toBeLessThanOrEqual(200);
    expect(before).not.toContain("\n");
    expect(run.summary).not.toContain("x".repeat(300));
    expect(JSON.stringify(sim.slackMessages().at(-1)?.body)).not.toContain("x".repeat(300));
  });
});

describe("cancellation keeps its 5 seconds in every phase", () => {
  /** Exit times measured here go to the closing note; the contract is 5 s. */
  const measured: Record<string, number> = {};

  async function cancelIn(
    phase: string,
    arrange: (sim: Awaited<ReturnType<typeof rig>>["sim"]) => void,
    when: (sim: Awaited<ReturnType<typeof rig>>["sim"]) => boolean,
    inputs: Record<string, string> = {},
  ) {
    const { sim, release } = await rig({ swapDurationMs: 3_000 });
    arrange(sim);
    const run = await release(
      { "slack-webhook-url": sim.slackWebhookUrl, "github-deployments": "true", ...inputs },
      { cancelWhen: () => when(sim) },
    );
    measured[phase] = run.exitAfterSignalMs ?? Number.NaN;
    expect(run.exitAfterSignalMs, `${phase}: ${run.stdout}`).not.toBeNull();
    expect(run.exitAfterSignalMs, phase).toBeLessThan(5_000);
    expect(run.exitCode, phase).not.toBe(0);
    expect(run.outputs.outcome, phase).toBe("cancelled");
    expect(report(run).outcome, phase).toBe("cancelled");
    return { sim, run };
  }

  it("in pre-flight, with a status page that never answers (a plan too)", async () => {
    const { sim } = await cancelIn(
      "pre-flight (plan)",
      (s) => s.hangStatusPage("shop-api-eus", "staging", 5),
      (s) => s.journal.of("status").length > 10,
      { mode: "plan" },
    );
    expect(sim.journal.armWrites()).toEqual([]);
  });

  it("mid-swap: Azure finishes the swap, the report says so", async () => {
    const { sim, run } = await cancelIn(
      "swap",
      () => undefined,
      (s) => s.isSwapping("shop-api-uks"),
    );
    expect(report(run).regions[0]?.outcome).toBe("cancelled");
    expect(sim.journal.startedSwaps().every((swap) => swap.app.endsWith("-uks"))).toBe(true);
  });

  it("in verification, while production is not healthy yet", async () => {
    await cancelIn(
      "verification",
      (s) => s.unhealthyInProduction("shop-api-uks", "1.5.0", "database"),
      (s) => s.slot("shop-api-uks", "production").build === "1.5.0",
      { "status-timeout": "60s" },
    );
  });

  it("in the bake", async () => {
    await cancelIn(
      "bake",
      () => undefined,
      (s) => UK_SOUTH.every((app) => s.slot(app, "production").build === "1.5.0"),
      { "bake-time": "60s" },
    );
  });

  it("in a rollback: the region is not reported released", async () => {
    const { run } = await cancelIn(
      "rollback",
      (s) => s.unhealthyInProduction("shop-api-weu", "1.5.0", "database"),
      (s) => swapsStarted(s, "shop-auth-weu") === 2,
      { rollback: "all" },
    );
    expect(report(run).regions[1]?.outcome).not.toBe("released");
  });

  it("with swap with preview applied: it is reset", async () => {
    const { sim } = await cancelIn(
      "preview",
      // Healthy in pre-flight, then 503 under production's settings: the preview waits.
      (s) => s.flapStatusPage("shop-api-uks", { slot: "staging", pattern: `H${"U".repeat(500)}` }),
      (s) => s.journal.armWrites().some((entry) => entry.path.endsWith("/applySlotConfig")),
      { "swap-with-preview": "true", "status-timeout": "60s" },
    );
    expect(sim.journal.armWrites().some((entry) => entry.path.endsWith("/resetSlotConfig"))).toBe(
      true,
    );
  });

  it("in the closing reads and notifications, with a status page, GitHub and Slack that never answer", async () => {
    await cancelIn(
      "closing reads and notifications",
      (s) => {
        s.hangService("slack", { count: 5 });
        s.hangService("github", { count: 50 });
        s.hangStatusPage("shop-billing-eus", "production", 50);
      },
      (s) => s.journal.of("status").length > 0 && s.isSwapping("shop-api-uks"),
    );
  });

  it("reports what it measured", () => {
    console.log(`cancellation: ms from SIGTERM to exit, by phase: ${JSON.stringify(measured)}`);
    expect(Object.keys(measured).length).toBeGreaterThan(0);
  });
});
