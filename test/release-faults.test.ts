/**
 * The release core against each fault of issue 6, one case each, on the fake world's ground
 * truth: which build production runs, which swaps Azure performed. Each case failed before the fix.
 */
import { describe, expect, it } from "vitest";
import { runRelease } from "../src/release/release.js";
import { stepFails } from "../src/release/report.js";
import { FakeWorld, fakePorts, seedFleet, testPolicy } from "./support/fake-world.js";

const PAGE = (app: string) => `https://${app}.fake/status`;

function oneRegion(services = ["api"]) {
  const world = new FakeWorld();
  const fleet = seedFleet(world, ["uk-south", "west-europe"], services);
  return { world, fleet, ports: fakePorts(world) };
}

function performedSwaps(world: FakeWorld, app: string): Array<string | null> {
  return world.swaps.filter((swap) => swap.app === app).map((swap) => swap.intoProduction);
}

describe("bake-time counts every answer", () => {
  it("a page answering 503 through the bake is a regression at once, not a transient to wait out", async () => {
    const { world, fleet, ports } = oneRegion();
    world.pageFaults.set(PAGE("api-uk-south"), [{ kind: "http-503", fromMs: 1_500, toMs: 7_000 }]);
    const report = await runRelease(
      {
        fleet,
        policy: testPolicy({ bakeTimeMs: 6_000, statusTimeoutMs: 10_000, statusIntervalMs: 1_000 }),
      },
      ports,
    );
    expect(report.outcome).toBe("rolled-back");
    expect(report.regions[0]?.services[0]?.error).toContain("regressed during bake-time: HTTP 503");
    expect(world.buildOf("api-uk-south", "production")).toBe("1.0.0");
    expect(performedSwaps(world, "api-west-europe")).toEqual([]);
  });

  it("a page that answers unhealthy on every second read fails the bake", async () => {
    const { world, fleet, ports } = oneRegion();
    world.pageFaults.set(PAGE("api-uk-south"), [{ kind: "flap", fromMs: 0, toMs: 600_000 }]);
    const report = await runRelease({ fleet, policy: testPolicy({ bakeTimeMs: 30_000 }) }, ports);
    expect(report.outcome).toBe("rolled-back");
    expect(world.buildOf("api-uk-south", "production")).toBe("1.0.0");
  });

  it("an unreachable page is inconclusive: three reads in a row pass, four fail", async () => {
    const passes = oneRegion();
    passes.world.pageFaults.set(PAGE("api-uk-south"), [
      { kind: "unreachable", fromMs: 9_000, toMs: 24_000 },
    ]);
    const passed = await runRelease(
      { fleet: passes.fleet, policy: testPolicy({ bakeTimeMs: 60_000 }) },
      passes.ports,
    );
    expect(passed.outcome).toBe("released");

    const fails = oneRegion();
    fails.world.pageFaults.set(PAGE("api-uk-south"), [
      { kind: "unreachable", fromMs: 4_000, toMs: 40_000 },
    ]);
    const failed = await runRelease(
      { fleet: fails.fleet, policy: testPolicy({ bakeTimeMs: 60_000 }) },
      fails.ports,
    );
    expect(failed.outcome).toBe("rolled-back");
    expect(failed.failures[0]).toContain("4 reads in a row could not reach the page");
  });

  it("the last read at the end of the bake must be healthy", async () => {
    const { world, fleet, ports } = oneRegion();
    world.pageFaults.set(PAGE("api-uk-south"), [
      { kind: "unreachable", fromMs: 59_000, toMs: 90_000 },
    ]);
    const report = await runRelease({ fleet, policy: testPolicy({ bakeTimeMs: 60_000 }) }, ports);
    expect(report.outcome).toBe("rolled-back");
  });
});

describe("a swap is never assumed", () => {
  it("a swap whose answer was lost, and that Azure completes later, is counted as swapped and verified", async () => {
    const { world, fleet, ports } = oneRegion();
    world.swapDurationMs = 12_000;
    world.swapFaults.set("api-uk-south", [{ kind: "lost-answer" }]);
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    expect(report.outcome).toBe("released");
    expect(performedSwaps(world, "api-uk-south")).toEqual(["2.0.0"]);
    expect(world.buildOf("api-uk-south", "production")).toBe("2.0.0");
  });

  it("a lost swap that Azure completes late is swapped back with its region", async () => {
    const { world, fleet, ports } = oneRegion(["api", "auth"]);
    world.swapDurationMs = 12_000;
    world.swapFaults.set("api-uk-south", [{ kind: "lost-polls" }]);
    world.unhealthyInProduction.add("auth-uk-south@2.0.0");
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    expect(report.outcome).toBe("rolled-back");
    expect(performedSwaps(world, "api-uk-south")).toEqual(["2.0.0", "1.0.0"]);
    expect(world.buildOf("api-uk-south", "production")).toBe("1.0.0");
    expect(world.buildOf("auth-uk-south", "production")).toBe("1.0.0");
  });

  it("a swap Azure reports failed but performed anyway is rolled back, not left", async () => {
    const { world, fleet, ports } = oneRegion();
    world.swapFaults.set("api-uk-south", [{ kind: "failed-but-done" }]);
    world.unhealthyInProduction.add("api-uk-south@2.0.0");
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    expect(world.buildOf("api-uk-south", "production")).toBe("1.0.0");
    expect(report.regions[0]?.outcome).toBe("rolled-back");
  });

  it("a swap that truly failed is not swapped back (that would swap the new build in)", async () => {
    const { world, fleet, ports } = oneRegion();
    world.swapFaults.set("api-uk-south", [{ kind: "failed" }]);
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    expect(report.outcome).toBe("failed");
    expect(performedSwaps(world, "api-uk-south")).toEqual([null]);
    expect(world.buildOf("api-uk-south", "production")).toBe("1.0.0");
  });

  it("a swap nobody can tell about within status-timeout fails the region loudly and is never swapped back blindly", async () => {
    const { world, fleet, ports } = oneRegion();
    world.swapDurationMs = 200_000;
    world.swapFaults.set("api-uk-south", [{ kind: "lost-answer" }]);
    const report = await runRelease(
      { fleet, policy: testPolicy({ statusTimeoutMs: 20_000 }) },
      ports,
    );
    expect(report.outcome).toBe("failed");
    expect(report.regions[0]?.services[0]?.error).toContain("could not tell within status-timeout");
    expect(world.swapsOf("api-uk-south")).toHaveLength(1);
  });
});

describe("another operation in progress (409)", () => {
  it("is waited out with back-off within status-timeout, then the swap goes through", async () => {
    const { world, fleet, ports } = oneRegion();
    world.swapFaults.set("api-uk-south", [{ kind: "conflict", forMs: 9_000 }]);
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    expect(report.outcome).toBe("released");
    expect(performedSwaps(world, "api-uk-south")).toEqual([null, null, null, "2.0.0"]);
  });

  it("fails the service with the message past status-timeout, and nothing was swapped", async () => {
    const { world, fleet, ports } = oneRegion();
    world.swapFaults.set("api-uk-south", [{ kind: "conflict", forMs: 600_000 }]);
    const report = await runRelease(
      { fleet, policy: testPolicy({ statusTimeoutMs: 20_000 }) },
      ports,
    );
    expect(report.outcome).toBe("failed");
    expect(report.regions[0]?.services[0]?.error).toMatch(
      /swap not started: another operation kept running on the app for the whole status-timeout \(20s\): 409 Conflict/,
    );
    expect(world.buildOf("api-uk-south", "production")).toBe("1.0.0");
  });

  it("a refresh write that meets 409 is waited out too", async () => {
    const { world, fleet, ports } = oneRegion();
    const apply = world.applyDeployment.bind(world);
    let first = true;
    world.applyDeployment = async (address, deployment, signal) => {
      if (first && address.app === "api-uk-south") {
        first = false;
        world.apps.get("api-uk-south")!.busyUntil = world.clock.now() + 5_000;
      }
      return apply(address, deployment, signal);
    };
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    expect(report.refreshFailed).toBe(false);
    expect(world.buildOf("api-uk-south", "staging")).toBe("2.0.0");
  });
});

describe("a re-run never turns a broken release into success", () => {
  it("production on the build but failing its checks is a pre-flight problem: zero swaps, no refresh", async () => {
    const { world, fleet, ports } = oneRegion();
    world.addApp("api-uk-south", "2.0.0", "1.0.0"); // left by a run with rollback: none
    world.unhealthyInProduction.add("api-uk-south@2.0.0");
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    expect(report.outcome).toBe("failed");
    expect(report.regions[0]?.services[0]?.error).toContain(
      "production runs a build that fails its checks",
    );
    expect(world.writes).toEqual([]);
    expect(world.buildOf("api-uk-south", "staging")).toBe("1.0.0");
    expect(stepFails(report)).toBe(true);
  });
});

describe("pre-flight fails closed", () => {
  it("a check that throws is a problem of its service, and nothing is swapped", async () => {
    const { world, fleet, ports } = oneRegion();
    world.readTrafficRouting = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'experiments')");
    };
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    expect(report.outcome).toBe("failed");
    expect(report.failures.join("\n")).toContain("could not read production's traffic routing");
    expect(world.writes).toEqual([]);
  });

  it("a describe that throws something odd is caught too", async () => {
    const { world, fleet, ports } = oneRegion();
    const inspect = world.describeSlot.bind(world);
    // The resource group's list fails, so each slot is read by itself, and one read throws.
    world.listSlots = async () => {
      throw new RangeError("bad list");
    };
    world.describeSlot = async (address, signal) => {
      if (address.app === "api-west-europe") throw new RangeError("bad description");
      return inspect(address, signal);
    };
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    expect(report.outcome).toBe("failed");
    expect(report.failures.join("\n")).toContain("bad description");
    expect(world.writes).toEqual([]);
  });

  it("lists each resource group once instead of reading each slot, and falls back when a list fails", async () => {
    const { world, fleet, ports } = oneRegion(["api", "auth", "cart"]);
    const describe = world.describeSlot.bind(world);
    let slotReads = 0;
    world.describeSlot = async (address, signal) => {
      slotReads += 1;
      return describe(address, signal);
    };
    const listed = world.listSlots.bind(world);
    world.listSlots = async (group, signal) => {
      if (group.resourceGroup === "rg-west-europe") throw new Error("503 ServiceUnavailable");
      return listed(group, signal);
    };
    const report = await runRelease({ fleet, policy: testPolicy({ mode: "plan" }) }, ports);
    expect(report.outcome).toBe("planned");
    expect(world.listings).toEqual(["rg-uk-south"]);
    // Only west-europe's six slots, whose list failed, are read one by one.
    expect(slotReads).toBe(6);
  });

  it("a deployment read that throws something odd is caught too", async () => {
    const { world, fleet, ports } = oneRegion();
    world.addApp("api-west-europe", "1.0.0", "2.0.0", "package");
    const inspect = world.readDeployment.bind(world);
    world.readDeployment = async (address, signal) => {
      if (address.app === "api-west-europe") throw new RangeError("bad deployment");
      return inspect(address, signal);
    };
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    expect(report.outcome).toBe("failed");
    expect(world.writes).toEqual([]);
  });
});

describe("swap with preview", () => {
  it("is reset when the swap itself is refused", async () => {
    const { world, fleet, ports } = oneRegion();
    world.swapFaults.set("api-uk-south", [{ kind: "refused" }]);
    await runRelease({ fleet, policy: testPolicy({ swapWithPreview: true }) }, ports);
    expect(world.writes).toEqual([
      "apply-config api-uk-south",
      "swap api-uk-south",
      "reset-config api-uk-south",
    ]);
    expect(world.previewing.has("api-uk-south")).toBe(false);
  });

  it("is reset when the run is cancelled after the preview was applied, before the swap", async () => {
    const { world, fleet, ports } = oneRegion();
    // Healthy in pre-flight, then unhealthy under production's settings: the preview waits.
    world.unhealthyUnderProductionConfig.add("api-uk-south");
    const controller = new AbortController();
    void world.clock.sleep(5_000).then(() => controller.abort(new Error("SIGTERM")));
    const report = await runRelease(
      { fleet, policy: testPolicy({ swapWithPreview: true }) },
      ports,
      controller.signal,
    );
    expect(report.outcome).toBe("cancelled");
    expect(world.writes).toEqual(["apply-config api-uk-south", "reset-config api-uk-south"]);
    expect(world.previewing.has("api-uk-south")).toBe(false);
  });

  it("is not reset under a swap that was in flight when the run was cancelled; the report says what to do", async () => {
    const { world, fleet, ports } = oneRegion();
    world.holdSwapsOf.add("api-uk-south");
    const controller = new AbortController();
    const running = runRelease(
      { fleet, policy: testPolicy({ swapWithPreview: true }) },
      ports,
      controller.signal,
    );
    while (!world.heldSwaps.has("api-uk-south"))
      await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error("SIGTERM"));
    const report = await running;
    expect(report.outcome).toBe("cancelled");
    expect(world.writes).toEqual(["apply-config api-uk-south", "swap api-uk-south"]);
    expect(report.regions[0]?.services[0]?.error).toContain("--action reset");
  });

  it("says loudly that it is still applied when the reset cannot be done", async () => {
    const { world, fleet, ports } = oneRegion();
    world.swapFaults.set("api-uk-south", [{ kind: "refused" }]);
    world.resetProductionConfig = async () => {
      throw new Error("500 InternalServerError");
    };
    const report = await runRelease(
      { fleet, policy: testPolicy({ swapWithPreview: true }) },
      ports,
    );
    expect(report.failures.join("\n")).toContain("SWAP WITH PREVIEW STILL APPLIED");
  });
});

describe("cancellation", () => {
  it("a cancelled plan is cancelled, not planned", async () => {
    const { world, fleet, ports } = oneRegion();
    world.pageFaults.set(PAGE("api-west-europe"), [{ kind: "hang", fromMs: 0, toMs: 600_000 }]);
    const controller = new AbortController();
    void world.clock.sleep(2_000).then(() => controller.abort(new Error("SIGTERM")));
    const report = await runRelease(
      { fleet, policy: testPolicy({ mode: "plan" }) },
      ports,
      controller.signal,
    );
    expect(report.outcome).toBe("cancelled");
    expect(world.writes).toEqual([]);
  });

  it("a region cancelled under rollback is not reported released", async () => {
    const { world, fleet, ports } = oneRegion(["api", "auth"]);
    world.unhealthyInProduction.add("auth-west-europe@2.0.0");
    world.holdSwapsOf.add("api-west-europe");
    const controller = new AbortController();
    const running = runRelease(
      { fleet, policy: testPolicy({ rollback: "all" }) },
      ports,
      controller.signal,
    );
    // The first swap of api-west-europe is held too: let it go, and hold its swap back.
    while (!world.heldSwaps.has("api-west-europe"))
      await new Promise((resolve) => setImmediate(resolve));
    world.holdSwapsOf.delete("api-west-europe");
    world.releaseSwap("api-west-europe");
    world.heldSwaps.clear();
    world.holdSwapsOf.add("api-uk-south");
    while (!world.heldSwaps.has("api-uk-south"))
      await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error("SIGTERM"));
    const report = await running;
    expect(report.outcome).toBe("cancelled");
    const ukSouth = report.regions[0];
    expect(ukSouth?.outcome).toBe("cancelled");
    expect(ukSouth?.services[0]?.error).toContain("cancelled while its swap back was running");
    expect(report.regions[1]?.outcome).toBe("rolled-back");
  });
});

describe("status pages are data", () => {
  it("a build with a newline and a workflow command, 10,000 characters long, is escaped and cut to 200", async () => {
    const { world, fleet, ports } = oneRegion();
    const lie = `1.0.0\n::error::pwned${"x".repeat(10_000)}`;
    const read = world.read.bind(world);
    world.read = async (url, signal) => {
      const answer = await read(url, signal);
      if (url === PAGE("api-uk-south") && answer.kind === "response")
        return { ...answer, body: { ...(answer.body as object), build: lie } };
      return answer;
    };
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    const before = report.regions[0]?.services[0]?.before.production ?? "";
    expect(before.length).toBeLessThanOrEqual(200);
    expect(before).not.toContain("\n");
    expect(before.startsWith("1.0.0\\n::error::pwned")).toBe(true);
    for (const line of ports.log.lines) expect(line).not.toMatch(/\n::/);
  });
});
