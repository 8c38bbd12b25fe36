/**
 * The promise, checked over random fleets, policies and fault schedules on virtual time: whatever
 * Azure and the status pages do, production ends on a verified build or the report says loudly
 * that it does not; no released region is swapped back; no swap is performed twice in one
 * direction; the report matches the fake world's ground truth; a cancelled run reports in time.
 * On failure fast-check prints the seed and the shrunk counterexample: keep each as a case in
 * `test/release-counterexamples.test.ts`.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { checkInvariants, runScenario, scenario } from "./support/release-scenarios.js";

/** Random runs per property; CI runs the default, a deep search sets RELEASE_PROPERTY_RUNS. */
const RUNS = Number(process.env.RELEASE_PROPERTY_RUNS ?? 3000);

describe("the release core under random fleets and faults", () => {
  it(`keeps every promise (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (input) => {
        checkInvariants(await runScenario(input));
      }),
      { numRuns: RUNS, verbose: 1 },
    );
  }, 600_000);
});
