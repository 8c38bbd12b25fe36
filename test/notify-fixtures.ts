import type { RegionReport, ReleaseReport, ServiceReport } from "../src/release/model.js";
import type { WorkflowRun } from "../src/notify/workflow-run.js";

/** Sample reports and a run context shared by the notify tests. */

export const ctx: WorkflowRun = {
  repository: "contoso/shop",
  runId: "4242",
  serverUrl: "https://github.com",
  sha: "abcdef1234567890",
  ref: "refs/tags/v1.4.2",
  actor: "octocat",
};

export const RUN_URL = "https://github.com/contoso/shop/actions/runs/4242";

/** The run context outside a workflow run: no repository or run id, so no run link. */
export const unknownRun: WorkflowRun = {
  repository: "",
  runId: "",
  serverUrl: "https://github.com",
};

export function service(overrides: Partial<ServiceReport> & { name: string }): ServiceReport {
  return {
    app: `shop-${overrides.name}`,
    before: { production: "1.4.1", staging: "1.4.2" },
    after: { production: "1.4.2", staging: "1.4.1" },
    swapSeconds: 41.2,
    refresh: "not-needed",
    error: null,
    ...overrides,
  };
}

export function region(overrides: Partial<RegionReport> & { name: string }): RegionReport {
  return { outcome: "released", durationSeconds: 63, services: [], ...overrides };
}

function report(overrides: Partial<ReleaseReport>): ReleaseReport {
  return {
    build: "1.4.2",
    mode: "release",
    outcome: "released",
    startedAt: "2026-11-21T10:00:00Z",
    finishedAt: "2026-11-21T10:04:12Z",
    refreshFailed: false,
    failures: [],
    regions: [],
    ...overrides,
  };
}

export function releasedReport(): ReleaseReport {
  return report({
    regions: [
      region({
        name: "uk-south",
        services: [
          service({
            name: "api",
            app: "shop-api-uks",
            refresh: "done",
            after: { production: "1.4.2", staging: "1.4.2" },
          }),
          service({
            name: "auth",
            app: "shop-auth-uks",
            refresh: "done",
            swapSeconds: 38,
            after: { production: "1.4.2", staging: "1.4.2" },
          }),
        ],
      }),
      region({
        name: "west-europe",
        durationSeconds: 70.5,
        services: [
          service({
            name: "api",
            app: "shop-api-weu",
            refresh: "done",
            after: { production: "1.4.2", staging: "1.4.2" },
          }),
        ],
      }),
    ],
  });
}

export function rolledBackReport(): ReleaseReport {
  return report({
    outcome: "rolled-back",
    failures: [
      "west-europe/api: production status page reported build 1.4.1, expected 1.4.2, after 5m",
    ],
    regions: [
      region({
        name: "uk-south",
        services: [service({ name: "api", app: "shop-api-uks", refresh: "skipped" })],
      }),
      region({
        name: "west-europe",
        outcome: "rolled-back",
        durationSeconds: 312,
        services: [
          service({
            name: "api",
            app: "shop-api-weu",
            refresh: "skipped",
            after: { production: "1.4.1", staging: "1.4.2" },
            error: "production status page reported build 1.4.1, expected 1.4.2, after 5m",
          }),
        ],
      }),
      region({
        name: "east-us",
        outcome: "not-started",
        durationSeconds: null,
        services: [
          service({
            name: "api",
            app: "shop-api-eus",
            refresh: "skipped",
            swapSeconds: null,
            after: { production: "1.4.1", staging: "1.4.2" },
          }),
        ],
      }),
    ],
  });
}

export function planReport(): ReleaseReport {
  return report({
    build: "1.5.0",
    mode: "plan",
    outcome: "planned",
    regions: [
      region({
        name: "uk-south",
        outcome: "planned",
        durationSeconds: null,
        services: [
          service({
            name: "api",
            before: { production: "1.4.1", staging: "1.5.0" },
            after: null,
            swapSeconds: null,
            refresh: "skipped",
          }),
          service({
            name: "auth",
            before: { production: "1.4.1", staging: "1.5.0" },
            after: null,
            swapSeconds: null,
            refresh: "skipped",
          }),
        ],
      }),
      region({
        name: "west-europe",
        outcome: "already-released",
        durationSeconds: null,
        services: [
          service({
            name: "api",
            before: { production: "1.5.0", staging: "1.5.0" },
            after: null,
            swapSeconds: null,
            refresh: "skipped",
          }),
        ],
      }),
    ],
  });
}

export function cancelledReport(): ReleaseReport {
  return report({
    outcome: "cancelled",
    failures: ["uk-south: the run was cancelled while swapping"],
    regions: [
      region({
        name: "uk-south",
        outcome: "cancelled",
        durationSeconds: 12,
        services: [
          service({
            name: "api",
            after: null,
            swapSeconds: null,
            refresh: "skipped",
            error: "cancelled before the swap finished",
          }),
        ],
      }),
      region({
        name: "west-europe",
        outcome: "not-started",
        durationSeconds: null,
        services: [service({ name: "api", after: null, swapSeconds: null, refresh: "skipped" })],
      }),
    ],
  });
}

/** A fleet of `regions` × `services`; regions whose index is in `failing` rolled back. */
export function largeReport(
  regions: number,
  services: number,
  failing: number[] = [],
): ReleaseReport {
  return report({
    outcome: failing.length > 0 ? "rolled-back" : "released",
    failures: failing.map((index) => `region-${index}/service-0: status page unhealthy`),
    regions: Array.from({ length: regions }, (_, r) =>
      region({
        name: `region-${r}`,
        outcome: failing.includes(r) ? "rolled-back" : "released",
        services: Array.from({ length: services }, (_, s) =>
          service({
            name: `service-${s}`,
            app: `shop-service-${s}-region-${r}`,
            error: failing.includes(r) && s === 0 ? "status page unhealthy" : null,
          }),
        ),
      }),
    ),
  });
}
