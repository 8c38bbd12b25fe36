import { describe, expect, it } from "vitest";
import { releasedRegions, stepFails } from "../src/release/report.js";
import { runRelease } from "../src/release/release.js";
import { FakeWorld, fakePorts, seedFleet, testPolicy } from "./support/fake-world.js";

const REGIONS = ["uk-south", "west-europe", "east-us"];
const SERVICES = ["api", "auth"];

function setup() {
  const world = new FakeWorld();
  const fleet = seedFleet(world, REGIONS, SERVICES);
  const ports = fakePorts(world);
  return { world, fleet, ports };
}

function builds(
  world: FakeWorld,
  slot: "production" | "staging",
): Record<string, string | undefined> {
  return Object.fromEntries([...world.apps.keys()].map((app) => [app, world.buildOf(app, slot)]));
}

describe("a release that goes well", () => {
  it("swaps every region in manifest order, verifies, and refreshes staging", async () => {
    const { world, fleet, ports } = setup();
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);

    expect(report.outcome).toBe("released");
    expect(Object.values(builds(world, "production"))).toEqual(Array(6).fill("2.0.0"));
    expect(Object.values(builds(world, "staging"))).toEqual(Array(6).fill("2.0.0"));
    const swapOrder = world.swapsOf().map((write) => write.split("-").pop());
    expect(swapOrder).toEqual(["south", "south", "europe", "europe", "us", "us"]);
    expect(report.regions.map((region) => region.outcome)).toEqual([
      "released",
      "released",
      "released",
    ]);
    const api = report.regions[0]?.services[0];
    expect(api).toMatchObject({
      name: "api",
      app: "api-uk-south",
      before: { production: "1.0.0", staging: "2.0.0" },
      after: { production: "2.0.0", staging: "2.0.0" },
      refresh: "done",
      error: null,
    });
    expect(api?.swapSeconds).not.toBeNull();
    expect(releasedRegions(report)).toEqual(REGIONS);
    expect(stepFails(report)).toBe(false);
  });

  it("never swaps an already-released region, and refreshes its stale staging slots", async () => {
    const { world, fleet, ports } = setup();
    for (const service of SERVICES) {
      const app = `${service}-uk-south`;
      world.addApp(app, "2.0.0", "1.0.0");
    }
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);

    expect(report.outcome).toBe("released");
    expect(world.swapsOf("api-uk-south")).toEqual([]);
    expect(report.regions[0]?.outcome).toBe("already-released");
    expect(world.buildOf("api-uk-south", "staging")).toBe("2.0.0");
    expect(report.regions[0]?.services[0]?.refresh).toBe("done");
  });

  it("never swaps a service whose production already runs the build, even in a region still to release", async () => {
    const { world, fleet, ports } = setup();
    world.addApp("api-west-europe", "2.0.0", "1.0.0"); // its swap finished after a cancelled run
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);

    expect(report.outcome).toBe("released");
    expect(world.swapsOf("api-west-europe")).toEqual([]);
    expect(world.swapsOf("auth-west-europe")).toHaveLength(1);
    expect(world.buildOf("api-west-europe", "production")).toBe("2.0.0");
    expect(world.buildOf("api-west-europe", "staging")).toBe("2.0.0");
    expect(report.regions[1]?.outcome).toBe("released");
    expect(report.regions[1]?.services[0]?.swapSeconds).toBeNull();
  });

  it("leaves a service that already ran the build in production when its region rolls back", async () => {
    const { world, fleet, ports } = setup();
    world.addApp("api-west-europe", "2.0.0", "1.0.0");
    world.unhealthyInProduction.add("auth-west-europe@2.0.0");
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);

    expect(report.outcome).toBe("rolled-back");
    expect(world.swapsOf("api-west-europe")).toEqual([]);
    expect(world.buildOf("api-west-europe", "production")).toBe("2.0.0");
    expect(world.buildOf("auth-west-europe", "production")).toBe("1.0.0");
  });

  it("says already-released and swaps nothing when every region already runs the build", async () => {
    const world = new FakeWorld();
    world.addApp("api-uk-south", "2.0.0", "2.0.0");
    const fleet = seedFleet(world, ["uk-south"], ["api"]);
    const report = await runRelease({ fleet, policy: testPolicy() }, fakePorts(world));

    expect(report.outcome).toBe("already-released");
    expect(world.writes).toEqual([]);
    expect(report.regions[0]?.services[0]?.refresh).toBe("not-needed");
  });

  it("swaps at most max-parallel services at once", async () => {
    const world = new FakeWorld();
    const fleet = seedFleet(world, ["uk-south"], ["a", "b", "c", "d"]);
    await runRelease({ fleet, policy: testPolicy({ maxParallel: 2 }) }, fakePorts(world));
    expect(world.swapsOf()).toHaveLength(4);
    expect(world.maxRunning).toBe(2);
  });

  it("swaps every service of a region at once with max-parallel 0", async () => {
    const world = new FakeWorld();
    const fleet = seedFleet(world, ["uk-south"], ["a", "b", "c", "d"]);
    await runRelease({ fleet, policy: testPolicy({ maxParallel: 0 }) }, fakePorts(world));
    expect(world.maxRunning).toBe(4);
  });

  it("waits for a production page that is still warming up", async () => {
    const { world, fleet, ports } = setup();
    world.flakyPages.set("https://api-west-europe.fake/status", 3);
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    expect(report.outcome).toBe("released");
  });

  it("leaves staging alone with refresh none", async () => {
    const { world, fleet, ports } = setup();
    const report = await runRelease({ fleet, policy: testPolicy({ refresh: "none" }) }, ports);
    expect(report.outcome).toBe("released");
    expect(world.buildOf("api-uk-south", "staging")).toBe("1.0.0");
    expect(world.writes.filter((write) => write.startsWith("deploy"))).toEqual([]);
  });
});

describe("pre-flight", () => {
  it("fails with zero swaps and names every offending service", async () => {
    const { world, fleet, ports } = setup();
    world.addApp("auth-west-europe", "1.0.0", "1.9.9");
    world.addApp("api-east-us", "1.0.0", "1.9.9");
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);

    expect(report.outcome).toBe("failed");
    expect(world.writes).toEqual([]);
    expect(report.failures).toHaveLength(2);
    expect(report.failures[0]).toContain("west-europe/auth (auth-west-europe)");
    expect(report.failures[0]).toContain("reports build 1.9.9, expected 2.0.0");
    expect(report.failures[1]).toContain("east-us/api (api-east-us)");
    expect(report.regions.map((region) => region.outcome)).toEqual([
      "not-started",
      "failed",
      "failed",
    ]);
    expect(stepFails(report)).toBe(true);
  });

  it("fails at once on a readable staging page with another build, without waiting", async () => {
    const world = new FakeWorld();
    world.addApp("api-uk-south", "1.0.0", "1.9.9");
    const fleet = seedFleet(world, ["uk-south"], ["api"]);
    await runRelease({ fleet, policy: testPolicy() }, fakePorts(world));
    expect(world.reads.get("https://api-uk-south-staging.fake/status")).toBe(2); // pre-flight once, closing read once
  });

  it("retries a staging page that answers 503 until it is healthy", async () => {
    const { world, fleet, ports } = setup();
    world.flakyPages.set("https://api-uk-south-staging.fake/status", 2);
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    expect(report.outcome).toBe("released");
  });

  it("reports a missing staging slot and a stopped production slot", async () => {
    const { world, fleet, ports } = setup();
    world.addApp("api-uk-south", "1.0.0", null);
    const auth = world.apps.get("auth-uk-south");
    if (auth) auth.production.state = "Stopped";
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);

    expect(report.outcome).toBe("failed");
    expect(world.writes).toEqual([]);
    expect(report.failures.join("\n")).toMatch(/uk-south\/api .*staging slot does not exist/);
    expect(report.failures.join("\n")).toMatch(
      /uk-south\/auth .*production slot is Stopped, not Running/,
    );
  });

  it("refuses to start while production routes part of its traffic to another slot", async () => {
    const { world, fleet, ports } = setup();
    world.routedToStaging.set("api-east-us", 10);
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    expect(report.outcome).toBe("failed");
    expect(world.writes).toEqual([]);
    expect(report.failures[0]).toMatch(
      /east-us\/api .*production routes 10% of its traffic to api-east-us-staging\.fake/,
    );
  });

  it("ignores a routing rule at 0%", async () => {
    const { world, fleet, ports } = setup();
    world.routedToStaging.set("api-east-us", 0);
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    expect(report.outcome).toBe("released");
  });

  it("refuses to start when refresh: mirror could not copy a deployment", async () => {
    const { world, fleet, ports } = setup();
    world.addApp("auth-east-us", "1.0.0", "2.0.0", "other");
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    expect(report.outcome).toBe("failed");
    expect(world.writes).toEqual([]);
    expect(report.failures[0]).toMatch(/east-us\/auth .*refresh: mirror cannot copy/);
  });

  it("lets an uncopyable deployment through with refresh: none", async () => {
    const { world, fleet, ports } = setup();
    world.addApp("auth-east-us", "1.0.0", "2.0.0", "other");
    const report = await runRelease({ fleet, policy: testPolicy({ refresh: "none" }) }, ports);
    expect(report.outcome).toBe("released");
  });
});

describe("plan mode", () => {
  it("pre-flights, plans, and changes nothing", async () => {
    const { world, fleet, ports } = setup();
    world.addApp("api-uk-south", "2.0.0", "1.0.0");
    world.addApp("auth-uk-south", "2.0.0", "1.0.0");
    const report = await runRelease({ fleet, policy: testPolicy({ mode: "plan" }) }, ports);
    expect(report.outcome).toBe("planned");
    expect(world.writes).toEqual([]);
    expect(report.regions.map((region) => region.outcome)).toEqual([
      "already-released",
      "planned",
      "planned",
    ]);
  });
});

describe("verification failure and rollback", () => {
  function failInWestEurope() {
    const context = setup();
    context.world.unhealthyInProduction.add("auth-west-europe@2.0.0");
    return context;
  }

  it("rollback region: swaps back the failed region only and stops", async () => {
    const { world, fleet, ports } = failInWestEurope();
    const report = await runRelease({ fleet, policy: testPolicy({ rollback: "region" }) }, ports);

    expect(report.outcome).toBe("rolled-back");
    expect(report.regions.map((region) => region.outcome)).toEqual([
      "released",
      "rolled-back",
      "not-started",
    ]);
    expect(world.buildOf("api-uk-south", "production")).toBe("2.0.0");
    expect(world.buildOf("auth-west-europe", "production")).toBe("1.0.0");
    expect(world.buildOf("api-west-europe", "production")).toBe("1.0.0");
    expect(world.swapsOf("api-east-us")).toEqual([]);
    expect(report.failures[0]).toContain(
      "west-europe/auth (auth-west-europe): production not healthy on 2.0.0",
    );
    expect(report.failures[0]).toContain("dependency database is not healthy");
    expect(releasedRegions(report)).toEqual(["uk-south"]);
    expect(report.regions[1]?.services[1]?.refresh).toBe("skipped");
    expect(stepFails(report)).toBe(true);
  });

  it("rollback all: also swaps back regions released earlier in this run, newest first", async () => {
    const { world, fleet, ports } = failInWestEurope();
    const report = await runRelease({ fleet, policy: testPolicy({ rollback: "all" }) }, ports);

    expect(report.outcome).toBe("rolled-back");
    expect(report.regions.map((region) => region.outcome)).toEqual([
      "rolled-back",
      "rolled-back",
      "not-started",
    ]);
    expect(Object.values(builds(world, "production")).every((build) => build === "1.0.0")).toBe(
      true,
    );
    const swapBacks = world
      .swapsOf()
      .slice(4)
      .map((write) => write.replace(/^swap \w+-/, ""));
    expect(swapBacks).toEqual(["west-europe", "west-europe", "uk-south", "uk-south"]);
  });

  it("rollback all never swaps back a region that was already released before the run", async () => {
    const { world, fleet, ports } = failInWestEurope();
    world.addApp("api-uk-south", "2.0.0", "1.0.0");
    world.addApp("auth-uk-south", "2.0.0", "1.0.0");
    const report = await runRelease({ fleet, policy: testPolicy({ rollback: "all" }) }, ports);
    expect(world.swapsOf("api-uk-south")).toEqual([]);
    expect(world.buildOf("api-uk-south", "production")).toBe("2.0.0");
    expect(report.regions[0]?.outcome).toBe("already-released");
  });

  it("rollback none: leaves the region as it is, fails, and says so loudly", async () => {
    const { world, fleet, ports } = failInWestEurope();
    const report = await runRelease({ fleet, policy: testPolicy({ rollback: "none" }) }, ports);

    expect(report.outcome).toBe("failed");
    expect(world.buildOf("auth-west-europe", "production")).toBe("2.0.0");
    expect(report.regions.map((region) => region.outcome)).toEqual([
      "released",
      "failed",
      "not-started",
    ]);
    expect(ports.log.errors().join("\n")).toContain(
      "rollback is none: production of api, auth is left on 2.0.0",
    );
    expect(report.regions[1]?.services[1]?.after?.production).toBe("2.0.0");
  });

  it("a failed swap rolls back the services of the region that did swap", async () => {
    const { world, fleet, ports } = setup();
    world.failingSwaps.set("auth-uk-south", 1);
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);

    expect(report.outcome).toBe("rolled-back");
    expect(world.buildOf("api-uk-south", "production")).toBe("1.0.0");
    expect(world.swapsOf("api-uk-south")).toHaveLength(2);
    expect(world.swapsOf("auth-uk-south")).toHaveLength(1);
    expect(report.regions[0]?.services[1]?.error).toContain("swap failed");
  });

  it("a rollback that fails is reported loudly and the outcome is failed", async () => {
    const { world, fleet, ports } = failInWestEurope();
    const swap = world.swapIntoProduction.bind(world);
    let swapsOfAuth = 0;
    world.swapIntoProduction = async (address, options, signal) => {
      if (address.app === "auth-west-europe" && ++swapsOfAuth === 2)
        return { kind: "refused", message: "400 BadRequest: the slot is locked" };
      return swap(address, options, signal);
    };
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);

    expect(report.outcome).toBe("failed");
    expect(report.regions[1]?.outcome).toBe("failed");
    expect(ports.log.errors().join("\n")).toContain("ROLLBACK FAILED");
    expect(world.buildOf("auth-west-europe", "production")).toBe("2.0.0");
    expect(report.regions[1]?.services[1]?.after?.production).toBe("2.0.0");
  });

  it("a status reader that breaks its contract (throws) fails the region loudly and rolls it back", async () => {
    const { world, fleet, ports } = setup();
    const read = world.read.bind(world);
    world.read = async (url, signal) => {
      if (
        url === "https://auth-uk-south.fake/status" &&
        world.buildOf("auth-uk-south", "production") === "2.0.0"
      ) {
        throw new Error("socket hang up in a reader that should not throw");
      }
      return read(url, signal);
    };
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    expect(report.outcome).toBe("rolled-back");
    expect(report.failures[0]).toBe(
      "uk-south/auth (auth-uk-south): unexpected error: socket hang up in a reader that should not throw",
    );
    expect(world.buildOf("auth-uk-south", "production")).toBe("1.0.0");
  });

  it("bake-time catches a regression after verification and rolls back", async () => {
    const { world, fleet, ports } = setup();
    let reads = 0;
    const read = world.read.bind(world);
    world.read = async (url, signal) => {
      if (
        url === "https://api-uk-south.fake/status" &&
        world.buildOf("api-uk-south", "production") === "2.0.0" &&
        ++reads > 2
      ) {
        world.unhealthyInProduction.add("api-uk-south@2.0.0");
      }
      return read(url, signal);
    };
    const report = await runRelease({ fleet, policy: testPolicy({ bakeTimeMs: 60_000 }) }, ports);
    expect(report.outcome).toBe("rolled-back");
    expect(report.failures[0]).toContain("regressed during bake-time");
    expect(world.buildOf("api-uk-south", "production")).toBe("1.0.0");
  });
});

describe("swap with preview", () => {
  it("applies production settings, verifies staging, then completes the swap", async () => {
    const world = new FakeWorld();
    const fleet = seedFleet(world, ["uk-south"], ["api"]);
    const report = await runRelease(
      { fleet, policy: testPolicy({ swapWithPreview: true }) },
      fakePorts(world),
    );
    expect(report.outcome).toBe("released");
    expect(world.writes.slice(0, 2)).toEqual(["apply-config api-uk-south", "swap api-uk-south"]);
  });

  it("resets the settings and swaps nothing when staging is unhealthy under production settings", async () => {
    const world = new FakeWorld();
    const fleet = seedFleet(world, ["uk-south"], ["api"]);
    world.unhealthyUnderProductionConfig.add("api-uk-south");
    const report = await runRelease(
      { fleet, policy: testPolicy({ swapWithPreview: true }) },
      fakePorts(world),
    );
    expect(report.outcome).toBe("failed");
    expect(world.writes).toEqual(["apply-config api-uk-south", "reset-config api-uk-south"]);
    expect(world.buildOf("api-uk-south", "production")).toBe("1.0.0");
  });
});

describe("refresh", () => {
  it("a failed refresh keeps the outcome released but fails the step", async () => {
    const { world, fleet, ports } = setup();
    world.failingDeployments.add("auth-east-us");
    const report = await runRelease({ fleet, policy: testPolicy() }, ports);
    expect(report.outcome).toBe("released");
    expect(report.refreshFailed).toBe(true);
    expect(report.regions[2]?.services[1]?.refresh).toBe("failed");
    expect(stepFails(report)).toBe(true);
  });

  it("refreshes at most 8 services at once, whatever max-parallel says, to spare ARM's read budget", async () => {
    const world = new FakeWorld();
    const services = Array.from({ length: 20 }, (_, index) => `svc${index}`);
    const fleet = seedFleet(world, ["uk-south"], services);
    const report = await runRelease(
      { fleet, policy: testPolicy({ maxParallel: 0 }) },
      fakePorts(world),
    );
    expect(report.outcome).toBe("released");
    expect(world.maxRunning).toBe(20);
    expect(world.maxDeploying).toBe(8);
  });

  it("mirrors run-from-package apps through their package URL", async () => {
    const world = new FakeWorld();
    world.addApp("api-uk-south", "1.0.0", "2.0.0", "package");
    const fleet = seedFleet(world, ["uk-south"], ["api"]);
    await runRelease({ fleet, policy: testPolicy() }, fakePorts(world));
    expect(world.writes).toContain("deploy api-uk-south/staging 2.0.0");
    expect(world.buildOf("api-uk-south", "staging")).toBe("2.0.0");
  });
});

describe("cancellation", () => {
  it("starts no new swap, reports the region cancelled and where everything stands", async () => {
    const { world, fleet, ports } = setup();
    world.holdSwapsOf.add("api-west-europe");
    const controller = new AbortController();
    const running = runRelease({ fleet, policy: testPolicy() }, ports, controller.signal);
    while (!world.heldSwaps.has("api-west-europe"))
      await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error("SIGTERM"));
    const report = await running;

    expect(report.outcome).toBe("cancelled");
    expect(report.regions.map((region) => region.outcome)).toEqual([
      "released",
      "cancelled",
      "not-started",
    ]);
    expect(world.swapsOf("api-east-us")).toEqual([]);
    expect(report.regions[1]?.services[0]?.error).toContain("cancelled while its swap was running");
    expect(report.regions[1]?.services[0]?.after).toEqual({
      production: "1.0.0",
      staging: "2.0.0",
    });
    expect(stepFails(report)).toBe(true);
  });
});
