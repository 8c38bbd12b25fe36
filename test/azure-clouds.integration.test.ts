/**
 * The bundled action on clouds other than Azure's public one, against the simulator: a cloud whose
 * ARM does not offer the SDK's api-version (Azure US Government, Azure Stack Hub), and a custom
 * cloud whose Entra and ARM token audience are known only from its metadata.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runAction, simulatorInputs } from "./harness/run-action.js";
import {
  demoFleet,
  startSimulator,
  type Simulator,
  type SimulatorOptions,
} from "./simulator/index.js";

const SUBSCRIPTION = "11111111-2222-3333-4444-666666666666";
const OFFERED = ["2019-08-01", "2021-02-01", "2022-03-01"];
const STACK_AUDIENCE =
  "https://management.shoptenant.onmicrosoft.com/2c5e7a90-1b3d-4e6f-8a9b-0c1d2e3f4a5b";

const open: Simulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sim) => sim.close()));
});

/** The demo fleet on a simulator started with `options`, and its manifest's path. */
async function cloud(options: SimulatorOptions): Promise<{ sim: Simulator; manifest: string }> {
  const fleet = demoFleet(SUBSCRIPTION);
  const sim = await startSimulator({ apps: fleet.apps, swapDurationMs: 200, ...options });
  open.push(sim);
  const manifest = join(mkdtempSync(join(tmpdir(), "rss-clouds-")), "release-manifest.yml");
  writeFileSync(manifest, fleet.manifestYaml);
  return { sim, manifest };
}

/** Runs the bundled action on the cloud's fleet with the simulator's inputs and `inputs` over them. */
function release(
  sim: Simulator,
  manifest: string,
  inputs: Record<string, string> = {},
  base: Record<string, string> = simulatorInputs(sim, SUBSCRIPTION),
) {
  return runAction({
    sim,
    inputs: {
      build: "1.5.0",
      manifest,
      ...base,
      "status-interval": "100ms",
      "status-timeout": "3s",
      ...inputs,
    },
  });
}

const ARM_WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The simulator's inputs as a custom cloud's user writes them: its ARM endpoint, no authority host. */
function withoutAuthorityHost(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).filter(([name]) => name !== "authority-host"));
}

describe("arm-api-version", () => {
  it("a refused api-version fails the run with zero ARM writes, naming the input and the versions ARM listed", async () => {
    const { sim, manifest } = await cloud({ armApiVersions: OFFERED });
    const run = await release(sim, manifest);

    expect(run.exitCode, run.stdout).toBe(1);
    expect(run.outputs.outcome).toBe("failed");
    expect(sim.journal.of("arm").filter((entry) => ARM_WRITES.has(entry.method))).toEqual([]);
    expect(sim.journal.swapRequests()).toEqual([]);
    for (const truth of sim.groundTruth()) expect(truth.production.build).toBe("1.4.1");
    const refusals = sim.journal.of("arm").filter((entry) => entry.status === 400);
    expect(refusals.length).toBeGreaterThan(0);
    expect(new Set(refusals.map((entry) => entry.query["api-version"]))).toEqual(
      new Set(["2025-03-01"]),
    );
    expect(run.stdout).toContain("Set the `arm-api-version` input to one of them, e.g. 2022-03-01");
    expect(run.stdout).toContain(`it offers ${OFFERED.join(", ")}`);
    expect(run.stdout).toContain("before anything in Azure is changed");
  });

  it("with arm-api-version set to an offered one the same cloud is released", async () => {
    const { sim, manifest } = await cloud({ armApiVersions: OFFERED });
    const run = await release(sim, manifest, { "arm-api-version": "2021-02-01" });

    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.outcome).toBe("released");
    for (const truth of sim.groundTruth()) expect(truth.production.build).toBe("1.5.0");
    expect(new Set(sim.journal.of("arm").map((entry) => entry.query["api-version"]))).toEqual(
      new Set(["2021-02-01"]),
    );
  });
});

describe("a custom cloud from its metadata", () => {
  it("with arm-endpoint and no authority-host, signs in at the metadata's login endpoint for its ARM audience", async () => {
    const { sim, manifest } = await cloud({ armAudience: STACK_AUDIENCE });
    const custom = withoutAuthorityHost(simulatorInputs(sim, SUBSCRIPTION));
    const run = await release(sim, manifest, { mode: "plan" }, custom);

    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.outcome).toBe("planned");
    const metadataReads = sim.journal
      .of("arm")
      .filter((entry) => entry.path === "/metadata/endpoints");
    expect(metadataReads.map((entry) => [entry.query["api-version"], entry.status])).toEqual([
      ["2022-09-01", 200],
    ]);
    // Every ARM request after it carried a token ARM accepted: one for the metadata's audience.
    const armReads = sim.journal.of("arm").filter((entry) => entry.path !== "/metadata/endpoints");
    expect(armReads.length).toBeGreaterThan(0);
    expect(armReads.filter((entry) => entry.status === 401)).toEqual([]);
    const tokens = sim.journal.of("entra").filter((entry) => entry.method === "POST");
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.every((entry) => entry.status === 200)).toBe(true);
  });

  it("a metadata endpoint that is not there fails the run before any ARM request, naming arm-endpoint", async () => {
    const { sim, manifest } = await cloud({});
    const custom = withoutAuthorityHost(simulatorInputs(sim, SUBSCRIPTION));
    // A path under the simulator where no metadata is served.
    const run = await release(
      sim,
      manifest,
      { "arm-endpoint": `${sim.armEndpoint}/nothing-here` },
      custom,
    );

    expect(run.exitCode, run.stdout).toBe(1);
    expect(run.outputs.outcome).toBe("failed");
    expect(run.stdout).toContain(
      `input arm-endpoint: the cloud's endpoints could not be read from ${sim.armEndpoint}/nothing-here/metadata/endpoints?api-version=2022-09-01`,
    );
    expect(
      sim.journal.of("arm").filter((entry) => entry.path.startsWith("/subscriptions")),
    ).toEqual([]);
  });
});
