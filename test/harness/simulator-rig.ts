/**
 * A simulator with the demo fleet and a way to run the bundled action on it, for the tests that
 * drive the action as a runner does; plus the questions those tests ask of the simulator.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { runAction, type ActionRun, type RunActionOptions, simulatorInputs } from "./run-action.js";
import { parse, stringify } from "yaml";
import {
  demoFleet,
  startSimulator,
  type Simulator,
  type SimulatorOptions,
} from "../simulator/index.js";

export const SUBSCRIPTION = "11111111-2222-3333-4444-555555555555";
export const APPS_BY_REGION = {
  "uk-south": ["shop-api-uks", "shop-auth-uks", "shop-billing-uks"],
  "west-europe": ["shop-api-weu", "shop-auth-weu", "shop-billing-weu"],
  "east-us": ["shop-api-eus", "shop-auth-eus", "shop-billing-eus"],
};
export const ALL_APPS = Object.values(APPS_BY_REGION).flat();

/** A simulator, the manifest of its fleet, and a release against it. */
export interface Rig {
  sim: Simulator;
  manifestPath: string;
  release(
    inputs?: Record<string, string>,
    options?: Pick<RunActionOptions, "cancelAfterMs" | "cancelWhen" | "cancelSignal" | "env">,
  ): Promise<ActionRun>;
}

const open: Simulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sim) => sim.close()));
});

/** A simulator with the demo fleet (production 1.4.1, staging 1.5.0) and a way to run the action on it. */
export async function rig(
  options: {
    swapDurationMs?: number;
    tokenLifetimeSeconds?: number;
    /** More simulator options, e.g. a compressed metric grain. */
    simulator?: Omit<SimulatorOptions, "apps">;
    /** Changes the demo manifest (parsed YAML) before it is written, e.g. to add `waves`. */
    manifest?: (manifest: DemoManifest) => void;
  } = {},
): Promise<Rig> {
  const fleet = demoFleet(SUBSCRIPTION);
  const sim = await startSimulator({
    ...options.simulator,
    apps: fleet.apps,
    swapDurationMs: options.swapDurationMs ?? 200,
    ...(options.tokenLifetimeSeconds === undefined
      ? {}
      : { tokenLifetimeSeconds: options.tokenLifetimeSeconds }),
  });
  open.push(sim);
  const manifestPath = join(mkdtempSync(join(tmpdir(), "rss-manifest-")), "release-manifest.yml");
  let manifestYaml = fleet.manifestYaml;
  if (options.manifest !== undefined) {
    const manifest = parse(manifestYaml) as DemoManifest;
    options.manifest(manifest);
    manifestYaml = stringify(manifest);
  }
  writeFileSync(manifestPath, manifestYaml);
  return {
    sim,
    manifestPath,
    release: (inputs = {}, runOptions = {}) =>
      runAction({
        sim,
        ...runOptions,
        inputs: {
          build: "1.5.0",
          manifest: manifestPath,
          ...simulatorInputs(sim, SUBSCRIPTION),
          "status-interval": "100ms",
          "status-timeout": "3s",
          ...inputs,
        },
      }),
  };
}

/** The demo manifest as parsed YAML, for tests that add progressive-delivery fields. */
export interface DemoManifest {
  regions: Array<{ name: string; services: Array<{ name: string; "depends-on"?: string[] }> }>;
  [field: string]: unknown;
}

/** The build production runs, by the simulator's ground truth. */
export function production(sim: Simulator, app: string): string | null {
  return sim.slot(app, "production").build;
}
/** The build the staging slot runs, by the simulator's ground truth. */
export function staging(sim: Simulator, app: string): string | null {
  return sim.slot(app, "staging").build;
}
/** The apps of every swap request ARM received, in order. */
export function swappedApps(sim: Simulator): string[] {
  return sim.journal.swapRequests().map((request) => request.app);
}
/** The parts of the JSON report the tests read. */
export interface ReportShape {
  outcome: string;
  regions: Array<{
    name: string;
    outcome: string;
    wave?: number;
    evaluations?: Array<{
      at: string;
      service: string;
      slot: string;
      signal: string;
      value: number | null;
      limit: number;
      verdict: string;
    }>;
    services: Array<{
      name: string;
      app: string;
      before: unknown;
      after: unknown;
      refresh: string;
      error: string | null;
      swapSeconds: number | null;
      canary?: { highestPercent: number; passed: boolean };
    }>;
  }>;
  plan?: { steps: string[]; minimumSeconds: number };
}
/** The run's JSON report. */
export function report(run: ActionRun): ReportShape {
  return run.report as ReportShape;
}
