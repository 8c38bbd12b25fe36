import { describe, expect, it } from "vitest";
import { describePlan } from "../src/notify/plan-text.js";
import { planReport, region, service } from "./notify-fixtures.js";

describe("describePlan", () => {
  it("says per region what a release would swap, then what a refresh would do", () => {
    expect(describePlan(planReport(), "mirror")).toEqual([
      "Plan for build 1.5.0: 1 region to release, 1 already released.",
      "uk-south: swap 2 services (api 1.4.1 → 1.5.0, auth 1.4.1 → 1.5.0)",
      "west-europe: already released, not swapped",
      "Staging refresh (refresh: mirror) would run for 2 staging slots (uk-south/api, uk-south/auth).",
    ]);
  });

  it("prints the engine's plan when the report carries it: waves, depends-on order, steps, least time", () => {
    const report = planReport();
    report.plan = {
      waves: [
        { wave: 1, bakeSeconds: 900, regions: [{ name: "uk-south", stages: [["api"], ["auth"]] }] },
        { wave: 2, bakeSeconds: 3600, regions: [{ name: "west-europe", stages: [["api"]] }] },
      ],
      steps: ["canary 5% for 5m", "swap", "verify"],
      minimumSeconds: 2 * 300 + 900 + 300 + 3600,
    };
    report.plan.waves[1]!.regions.push({ name: "east-us", stages: [["api"]] });
    expect(describePlan(report, "none").slice(0, 8)).toEqual([
      "Plan for build 1.5.0: 1 region to release, 1 already released.",
      "Wave 1: uk-south, then bake 15m.",
      "  uk-south: swap 2 services (api 1.4.1 → 1.5.0, auth 1.4.1 → 1.5.0)",
      "    order (depends-on): api → auth",
      "Wave 2: west-europe, east-us together, then bake 1h.",
      "  west-europe: already released, not swapped",
      "Each service: canary 5% for 5m → swap → verify.",
      "At least 1h30m (canary steps and bake times; swaps and verification add Azure's time).",
    ]);
  });

  it("counts stale slots of released regions too, and says when refresh is off", () => {
    const report = planReport();
    report.regions[1]!.services[0]!.before = { production: "1.5.0", staging: "1.4.1" };
    expect(describePlan(report, "none").at(-1)).toBe(
      "Staging refresh: off (refresh: none); 3 staging slots (uk-south/api, uk-south/auth, west-europe/api) would keep an older build.",
    );
    expect(describePlan(report).at(-1)).toBe(
      "Staging refresh: 3 staging slots (uk-south/api, uk-south/auth, west-europe/api) would run an older build after the release; refresh: mirror updates them.",
    );
  });

  it("says when no refresh is needed", () => {
    const report = planReport();
    report.regions = [report.regions[1]!];
    report.outcome = "already-released";
    expect(describePlan(report, "mirror")).toEqual([
      "Plan for build 1.5.0: 0 regions to release, 1 already released.",
      "west-europe: already released, not swapped",
      "Staging refresh: not needed, every staging slot would run 1.5.0.",
    ]);
  });

  it("names what blocks a plan that cannot be released", () => {
    const report = planReport();
    report.outcome = "failed";
    report.failures = ["east-us/api: staging slot is Stopped; start it"];
    report.regions.push(
      region({
        name: "east-us",
        outcome: "failed",
        durationSeconds: null,
        services: [
          service({ name: "api", error: "staging slot is Stopped;\nstart it", after: null }),
        ],
      }),
    );
    const lines = describePlan(report, "mirror");
    expect(lines[0]).toBe(
      "Plan for build 1.5.0: a release would not start (failed); 1 region to release, 1 already released, 1 blocked.",
    );
    expect(lines).toContain(
      "east-us: failed, not swapped (api: staging slot is Stopped; start it)",
    );
    expect(lines).toContain("  ✗ east-us/api: staging slot is Stopped; start it");
  });

  it("logs a reported build and Azure's errors as data: one escaped line each, the build cut at 200", () => {
    const report = planReport();
    report.regions[0]!.services[0]!.before.staging = `1.0\n::error::pwned${"x".repeat(10_000)}`;
    report.failures = ["uk-south/api: ##[error]pwned\n::error::again\u001b[2J"];
    const lines = describePlan(report, "mirror");
    for (const line of lines) {
      for (const control of ["\r", "\n", "\u001b"]) expect(line).not.toContain(control);
      expect(line.trimStart()).not.toMatch(/^::/);
      expect(line).not.toContain("##[");
    }
    expect(lines[1]).toBe(
      String.raw`uk-south: swap 2 services (api 1.4.1 → 1.0\n::error::pwned${"x".repeat(180)}…, auth 1.4.1 → 1.5.0)`,
    );
    expect(lines).toContain(String.raw`  ✗ uk-south/api: ##\[error]pwned ::error::again\u001b[2J`);
  });
});
