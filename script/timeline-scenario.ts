/**
 * A representative run for the timeline chart, made by the real release core on the fake world
 * (virtual time, so minutes take milliseconds): the demo's third release at a real pace. Three
 * regions, api, auth and billing in each; uk-south is wave 1, west-europe and east-us wave 2;
 * every app goes through canary steps of 10 % and 50 % (5 minutes each) judged by its 5xx rate,
 * is swapped, verified and baked; east-us's billing fails 6 % of its requests at 10 %, and its
 * canary stops the release there. Used by script/render-timeline.mjs and the chart's tests.
 */
import type { AnalysisPolicy, Fleet, ReleaseReport } from "../src/release/model.js";
import { runRelease } from "../src/release/release.js";
import { FakeWorld, fakePorts, seedFleet, testPolicy } from "../test/support/fake-world.js";

const FIVE_XX: AnalysisPolicy = {
  windowMs: 60_000,
  minRequests: 50,
  metrics: [{ signal: "http-5xx-rate", max: 1 }],
};

export async function demoLikeRelease(): Promise<ReleaseReport> {
  const world = new FakeWorld();
  world.swapDurationMs = 45_000;
  world.userRequestsPerSecond = 50;
  const regions = ["uk-south", "west-europe", "east-us"];
  const services = ["api", "auth", "billing"];
  for (const region of regions) {
    for (const service of services) world.addApp(`${service}-${region}`, "1.6.0", "1.7.0");
  }
  const fleet: Fleet = {
    ...seedFleet(world, regions, services),
    waves: [
      { regions: ["uk-south"], bakeTimeMs: 10 * 60_000 },
      { regions: ["west-europe", "east-us"], bakeTimeMs: 15 * 60_000 },
    ],
    wavesDeclared: true,
    canary: { steps: [10, 50], stepTimeMs: 5 * 60_000 },
    analysis: FIVE_XX,
  };
  world.onWrite = (line) => {
    if (line === "route billing-east-us 10") {
      world.errorPercentUnderLoad.set("billing-east-us@1.7.0", 6);
    }
  };
  return runRelease(
    { fleet, policy: testPolicy({ build: "1.7.0", statusIntervalMs: 10_000 }) },
    fakePorts(world),
  );
}
