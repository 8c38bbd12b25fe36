/**
 * Counterexamples fast-check found in `release-properties.test.ts`, each kept as a fixed case so
 * that the defect it revealed can never come back unnoticed.
 */
import { describe, expect, it } from "vitest";
import { checkInvariants, runScenario, type Scenario } from "./support/release-scenarios.js";

const healthyService = { swapFaults: [], productionPageFaults: [], stagingPageFaults: [] };

/** The policy most counterexamples shrank to. */
const releasePolicy: Scenario["policy"] = {
  mode: "release",
  rollback: "region",
  maxParallel: 0,
  statusTimeoutMs: 20_000,
  statusIntervalMs: 2_000,
  bakeTimeMs: 0,
  swapWithPreview: false,
  refresh: "mirror",
};

const counterexamples: Array<{ found: string; scenario: Scenario }> = [
  {
    found:
      "cancelled just after a swap completed, before verification: the bad build was in production and the report said nothing of it",
    scenario: {
      regions: [{ alreadyReleased: false, services: [{ badNewBuild: true, ...healthyService }] }],
      policy: releasePolicy,
      swapDurationMs: 0,
      cancelAtMs: 2,
    },
  },
  {
    found:
      "cancelled while a rollback swap was running: Azure completed it after the final read, and the report did not say a swap back was still in flight",
    scenario: {
      regions: [
        {
          alreadyReleased: true,
          services: [
            {
              badNewBuild: true,
              swapFaults: [],
              productionPageFaults: [],
              stagingPageFaults: [{ kind: "hang", fromMs: 1_659, toMs: 60_003 }],
            },
          ],
        },
        { alreadyReleased: false, services: [{ badNewBuild: true, ...healthyService }] },
        { alreadyReleased: true, services: [{ badNewBuild: true, ...healthyService }] },
      ],
      policy: { ...releasePolicy, statusTimeoutMs: 60_000 },
      swapDurationMs: 0,
      cancelAtMs: 60_002,
    },
  },
  {
    found:
      "a swap back that met 409 was counted as done because production's page still served the old build after a late routing flip; production stayed on the failed build",
    scenario: {
      regions: [
        {
          alreadyReleased: false,
          services: [
            { ...healthyService, badNewBuild: true, swapFaults: [{ kind: "refused" }] },
            {
              ...healthyService,
              badNewBuild: true,
              swapFaults: [
                { kind: "late", byMs: 2_001 },
                { kind: "conflict", forMs: 1_000 },
              ],
            },
          ],
        },
        { alreadyReleased: true, services: [{ badNewBuild: true, ...healthyService }] },
      ],
      policy: releasePolicy,
      swapDurationMs: 0,
      cancelAtMs: null,
    },
  },
  {
    found:
      "a swap whose answer was lost outlasted status-timeout; the region was reported rolled-back while Azure then completed the swap and left the failed build in production",
    scenario: {
      regions: [
        {
          alreadyReleased: false,
          services: [
            { ...healthyService, badNewBuild: true },
            { ...healthyService, badNewBuild: true, swapFaults: [{ kind: "lost-answer" }] },
          ],
        },
        { alreadyReleased: true, services: [{ badNewBuild: true, ...healthyService }] },
      ],
      policy: releasePolicy,
      swapDurationMs: 20_001,
      cancelAtMs: null,
    },
  },
  {
    found:
      "cancelled while finding out whether a swap with a lost answer happened: Azure had swapped, and the report did not say the swap was in question",
    scenario: {
      regions: [
        {
          alreadyReleased: false,
          services: [
            { ...healthyService, badNewBuild: true, swapFaults: [{ kind: "lost-answer" }] },
            { ...healthyService, badNewBuild: true },
          ],
        },
        { alreadyReleased: true, services: [{ badNewBuild: true, ...healthyService }] },
      ],
      policy: releasePolicy,
      swapDurationMs: 0,
      cancelAtMs: 2,
    },
  },
  {
    found:
      "cancelled during the closing reads of a run that had already ended, with a status page that hangs: the report waited for the 10 s read instead of the cancelled run's 1.5 s",
    scenario: {
      regions: [
        { alreadyReleased: false, services: [{ ...healthyService, badNewBuild: true }] },
        {
          alreadyReleased: true,
          services: [
            {
              ...healthyService,
              badNewBuild: true,
              productionPageFaults: [{ kind: "hang", fromMs: 1, toMs: 20_003 }],
            },
            { ...healthyService, badNewBuild: true },
          ],
        },
      ],
      policy: releasePolicy,
      swapDurationMs: 0,
      cancelAtMs: 20_003,
    },
  },
  {
    found:
      "cancelled during a rollback with max-parallel 1: a service still waiting for its swap back stayed on the failed build and the report said nothing of it",
    scenario: {
      regions: [
        {
          alreadyReleased: false,
          services: [
            { ...healthyService, badNewBuild: true },
            { ...healthyService, badNewBuild: true },
            { ...healthyService, badNewBuild: true, swapFaults: [{ kind: "failed" }] },
          ],
        },
        { alreadyReleased: true, services: [{ badNewBuild: true, ...healthyService }] },
      ],
      policy: { ...releasePolicy, maxParallel: 1 },
      swapDurationMs: 4,
      cancelAtMs: 2_013,
    },
  },
];

describe("counterexamples found by fast-check", () => {
  for (const { found, scenario } of counterexamples) {
    it(found, async () => {
      const run = await runScenario(scenario);
      expect(run.report.regions.length).toBeGreaterThan(0);
      checkInvariants(run);
    });
  }
});
