/**
 * What a release manager reads, from the bundled action against the simulator: the plan with
 * Azure's own slot diff (never a value), release windows, the timeline chart, and Slack.
 */
import { describe, expect, it } from "vitest";
import { APPS_BY_REGION, production, report, rig } from "./harness/simulator-rig.js";

const UK_SOUTH = APPS_BY_REGION["uk-south"];

describe("the plan shows Azure's slot diff", () => {
  it("names every setting a swap would change, with kind and level, and never a value", async () => {
    const { sim, release } = await rig();
    sim.setAppSettings("shop-api-uks", "staging", { CHECKOUT_V2: "secret-value-4242" });
    sim.setConnectionStrings("shop-api-uks", "staging", {
      Orders: { value: "Server=orders;Password=hunter2-4242", type: "SQLAzure" },
    });
    const run = await release({ mode: "plan", regions: "uk-south" });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.outcome).toBe("planned");
    const api = report(run).regions[0]?.services.find(
      (service) => service.app === "shop-api-uks",
    ) as { differences?: Array<{ setting: string; type: string; level: string }> } | undefined;
    const settings = (api?.differences ?? []).map((difference) => difference.setting);
    expect(settings).toEqual(expect.arrayContaining(["CHECKOUT_V2", "Orders"]));
    for (const difference of api?.differences ?? []) {
      expect(Object.keys(difference).sort()).toEqual(["level", "setting", "type"]);
    }
    // Values can be secrets: not in the report, the log or the summary.
    for (const text of [JSON.stringify(run.report), run.stdout, run.summary]) {
      expect(text).not.toContain("secret-value-4242");
      expect(text).not.toContain("hunter2-4242");
    }
    expect(run.stdout).toMatch(/api: \d+ configuration differences?: .*CHECKOUT_V2 \(AppSetting/);
    expect(run.summary).toContain("Configuration the swap changes");
    expect(run.summary).toContain("CHECKOUT\\_V2"); // Markdown-escaped
    // A plan changes nothing (the slot diff is a POST that only reads).
    expect(sim.journal.armWrites()).toEqual([]);
  });
});

/** A window over every day that opens two hours from now (UTC) and lasts an hour. */
function closedWindow(now = new Date()) {
  const from = (now.getUTCHours() + 2) % 24;
  const hour = (value: number) => `${String(value).padStart(2, "0")}:00`;
  const opening = new Date(now);
  opening.setUTCMinutes(0, 0, 0);
  opening.setUTCHours(now.getUTCHours() + 2);
  const text = `${opening.toLocaleDateString("en-GB", { weekday: "short", timeZone: "UTC" })} ${opening.toISOString().slice(0, 10)} ${hour(from)} UTC`;
  return {
    window: {
      days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
      from: hour(from),
      to: hour((from + 1) % 24),
      "time-zone": "UTC",
    },
    text,
  };
}

describe("release windows", () => {
  it("outside every window: refused with zero swaps, every region not started, the next opening named", async () => {
    const { window, text } = closedWindow();
    const { sim, release } = await rig({
      manifest: (manifest) => {
        manifest["release-windows"] = [window];
      },
    });
    const run = await release();
    expect(run.exitCode).toBe(1);
    expect(run.outputs.outcome).toBe("failed");
    expect(report(run).regions.map((region) => region.outcome)).toEqual([
      "not-started",
      "not-started",
      "not-started",
    ]);
    expect(sim.journal.armWrites()).toEqual([]);
    expect(run.stdout).toContain(`the next opens ${text}`);
    expect((run.report as { releaseWindow?: unknown }).releaseWindow).toMatchObject({
      open: false,
      ignored: false,
    });
  });

  it("ignore-release-windows releases anyway, and the report and Slack say so", async () => {
    const { window } = closedWindow();
    const { sim, release } = await rig({
      manifest: (manifest) => {
        manifest["release-windows"] = [window];
      },
    });
    const run = await release({
      regions: "uk-south",
      "ignore-release-windows": "true",
      "slack-webhook-url": sim.slackWebhookUrl,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    for (const app of UK_SOUTH) expect(production(sim, app)).toBe("1.5.0");
    expect((run.report as { releaseWindow?: unknown }).releaseWindow).toMatchObject({
      open: false,
      ignored: true,
    });
    expect(JSON.stringify(sim.slackMessages().at(-1)?.body)).toContain(
      "release windows overridden (ignore-release-windows)",
    );
  });
});

describe("the timeline and Slack", () => {
  it("draws the run as a Mermaid gantt chart in the summary and timeline.mmd; Slack links the run and names the first failure", async () => {
    const { sim, release } = await rig();
    sim.unhealthyInProduction("shop-auth-uks", "1.5.0", "database");
    const run = await release({ regions: "uk-south", "slack-webhook-url": sim.slackWebhookUrl });
    expect(run.outputs.outcome).toBe("rolled-back");
    expect(run.summary).toContain("```mermaid\ngantt");
    expect(run.summary).toMatch(/auth verification :crit, t\d+/);
    const timeline = Object.entries(run.files).find(([path]) => path.endsWith("timeline.mmd"));
    expect(timeline?.[1]).toMatch(/^gantt\n/);
    const slack = JSON.stringify(sim.slackMessages().at(-1)?.body);
    expect(slack).toContain("/actions/runs/");
    expect(slack).toContain("First failure");
    expect(slack).toContain("uk-south/auth (shop-auth-uks)");
  });
});
