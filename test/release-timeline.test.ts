/** The run's timeline: spans made from the events of real runs on the fake world. */
import { describe, expect, it } from "vitest";
import { runRelease } from "../src/release/release.js";
import { FakeWorld, fakePorts, seedFleet, testPolicy } from "./support/fake-world.js";

function spansOf(report: Awaited<ReturnType<typeof runRelease>>) {
  return (report.timeline ?? []).map((span) => ({
    where: `${span.region}/${span.service ?? "*"}`,
    label: span.label,
    failed: span.failed,
    seconds: (Date.parse(span.finishedAt) - Date.parse(span.startedAt)) / 1000,
  }));
}

describe("the timeline", () => {
  it("has a span per canary step, swap, verification, bake and refresh, in the order they started", async () => {
    const world = new FakeWorld();
    world.swapDurationMs = 6_000;
    const fleet = {
      ...seedFleet(world, ["uks"], ["api"]),
      canary: { steps: [10, 50], stepTimeMs: 30_000 },
    };
    const report = await runRelease(
      { fleet, policy: testPolicy({ bakeTimeMs: 60_000 }) },
      fakePorts(world),
    );
    expect(report.outcome).toBe("released");
    expect(spansOf(report).map(({ where, label, failed }) => [where, label, failed])).toEqual([
      ["uks/api", "canary 10%", false],
      ["uks/api", "canary 50%", false],
      ["uks/api", "swap", false],
      ["uks/api", "verification", false],
      ["uks/*", "bake", false],
      ["uks/api", "refresh", false],
    ]);
    const [canary10, , swap, , bake] = spansOf(report);
    expect(canary10?.seconds).toBe(30);
    expect(swap?.seconds).toBeGreaterThanOrEqual(6);
    expect(bake?.seconds).toBe(60);
  });

  it("marks what failed: the regressed verification, and the swap back and its verification", async () => {
    const world = new FakeWorld();
    world.swapDurationMs = 2_000;
    const fleet = seedFleet(world, ["uks"], ["api"]);
    world.unhealthyInProduction.add("api-uks@2.0.0");
    const report = await runRelease(
      { fleet, policy: testPolicy({ statusTimeoutMs: 20_000 }) },
      fakePorts(world),
    );
    expect(report.outcome).toBe("rolled-back");
    expect(spansOf(report).map(({ label, failed }) => [label, failed])).toEqual([
      ["swap", false],
      ["verification", true],
      ["swap back", false],
      ["rollback verification", false],
    ]);
  });

  it("ends a span the run left open at the run's end, failed", async () => {
    const world = new FakeWorld();
    const fleet = {
      ...seedFleet(world, ["uks"], ["api"]),
      canary: { steps: [50], stepTimeMs: 600_000 },
    };
    const controller = new AbortController();
    void world.clock.sleep(100_000).then(() => controller.abort(new Error("SIGTERM")));
    const report = await runRelease(
      { fleet, policy: testPolicy() },
      fakePorts(world),
      controller.signal,
    );
    expect(report.outcome).toBe("cancelled");
    expect(spansOf(report).map(({ label, failed }) => [label, failed])).toEqual([
      ["canary 50%", true],
    ]);
  });
});
