import { describe, expect, it } from "vitest";
import {
  buildSlackMessage,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackPayload,
} from "../src/notify/slack-message.js";
import {
  cancelledReport,
  ctx,
  largeReport,
  planReport,
  region,
  releasedReport,
  rolledBackReport,
  RUN_URL,
  service,
  unknownRun,
} from "./notify-fixtures.js";

function texts(payload: SlackPayload): string[] {
  return payload.blocks.flatMap((block: SlackBlock) => {
    switch (block.type) {
      case "header":
      case "section":
        return [block.text.text];
      case "context":
        return block.elements.map((element) => element.text);
      case "actions":
        return block.elements.map((element) => element.text.text);
      case "divider":
        return [];
    }
  });
}

/** Every Block Kit limit the message must respect, whatever went into it. */
function expectWithinLimits(payload: SlackPayload): void {
  expect(payload.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  expect(payload.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
  for (const block of payload.blocks) {
    if (block.type === "header")
      expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (block.type === "section")
      expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    if (block.type === "context")
      expect(block.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
  }
}

function sectionFor(payload: SlackPayload, name: string): string {
  const found = texts(payload).find((text) => text.startsWith(`*${name}*`));
  if (found === undefined) throw new Error(`no section for ${name}`);
  return found;
}

describe("buildSlackMessage", () => {
  it("says a release went out, region by region, and links to the run", () => {
    const payload = buildSlackMessage(releasedReport(), ctx);
    expectWithinLimits(payload);
    expect(payload.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "✅ Release 1.4.2: released", emoji: true },
    });
    expect(payload.text).toBe("✅ Release 1.4.2: released: 2 released");
    // Two services that moved alike share one line.
    expect(sectionFor(payload, "uk-south")).toBe(
      "*uk-south*  ✅ released  ·  1m3s\n• api, auth: `1.4.1` → `1.4.2`",
    );
    expect(sectionFor(payload, "west-europe")).toContain("api: `1.4.1` → `1.4.2`");
    const actions = payload.blocks.find((block) => block.type === "actions");
    expect(actions).toMatchObject({ elements: [{ type: "button", url: RUN_URL }] });
    expect(texts(payload).join("\n")).toContain("*Duration* 4m12s");
    expect(texts(payload).join("\n")).toContain("v1.4.2  ·  `abcdef1`  ·  by octocat");
    expect(texts(payload).some((text) => text.startsWith("*Failures*"))).toBe(false);
  });

  it("lists the failures and the failing service of a rolled-back release", () => {
    const payload = buildSlackMessage(rolledBackReport(), ctx);
    expectWithinLimits(payload);
    expect(payload.blocks[0]).toMatchObject({ text: { text: "↩️ Release 1.4.2: rolled-back" } });
    expect(payload.text).toContain("1 released, 1 rolled-back, 1 not-started");
    expect(sectionFor(payload, "west-europe")).toBe(
      "*west-europe*  ↩️ rolled-back  ·  5m12s\n• api: back on `1.4.1` — _production status page reported build 1.4.1, expected 1.4.2, after 5m_",
    );
    expect(sectionFor(payload, "east-us")).toContain("⏸️ not-started\n");
    const failures = texts(payload).find((text) => text.startsWith("*Failures*"));
    expect(failures).toBe(
      "*Failures*\n• west-europe/api: production status page reported build 1.4.1, expected 1.4.2, after 5m",
    );
  });

  it("shows unread status pages as ? in a cancelled release", () => {
    const payload = buildSlackMessage(cancelledReport(), ctx);
    expect(payload.blocks[0]).toMatchObject({ text: { text: "🛑 Release 1.4.2: cancelled" } });
    expect(sectionFor(payload, "uk-south")).toContain("`1.4.1` → `?`");
  });

  it("gives each of 30 regions × 20 services its section within Block Kit's limits", () => {
    const payload = buildSlackMessage(largeReport(30, 20), ctx);
    expectWithinLimits(payload);
    for (let r = 0; r < 30; r += 1) {
      expect(sectionFor(payload, `region-${r}`)).toContain("service-19");
    }
  });

  it("sums up regions beyond the block budget but keeps those that need attention", () => {
    const payload = buildSlackMessage(largeReport(120, 20, [3, 97]), ctx);
    expectWithinLimits(payload);
    expect(sectionFor(payload, "region-3")).toContain("status page unhealthy");
    expect(sectionFor(payload, "region-97")).toContain("↩️ rolled-back");
    const shown = texts(payload).filter((text) => /^\*region-\d+\*/.test(text)).length;
    // The remaining room goes to regions in manifest order; the rest are summed up by outcome.
    expect(sectionFor(payload, "region-0")).toContain("service-0");
    expect(shown).toBe(42);
    const summary = texts(payload).find((text) => text.startsWith(`*${120 - shown} more regions*`));
    expect(summary).toMatch(
      /\n✅ \*released\* \(78\): region-41, region-42, .*, region-96, region-98, .*region-119$/,
    );
  });

  it("shows a plan as the swap it would make", () => {
    const payload = buildSlackMessage(planReport(), ctx);
    expect(payload.blocks[0]).toMatchObject({ text: { text: "📝 Release plan 1.5.0: planned" } });
    expect(sectionFor(payload, "uk-south")).toBe(
      "*uk-south*  📝 planned\n• api, auth: `1.4.1` → `1.5.0`",
    );
    expect(sectionFor(payload, "west-europe")).toBe(
      "*west-europe*  ☑️ already-released\n• api: `1.5.0`",
    );
  });

  it("cuts long errors and long failure lists and says how many were left out", () => {
    const report = rolledBackReport();
    report.failures = Array.from(
      { length: 400 },
      (_, i) => `failure number ${i} ${"x".repeat(60)}`,
    );
    report.regions[1]!.services[0]!.error = "e".repeat(10_000);
    const payload = buildSlackMessage(report, ctx);
    expectWithinLimits(payload);
    const failures = texts(payload).find((text) => text.startsWith("*Failures*")) ?? "";
    const shown = failures.split("\n").filter((line) => line.startsWith("• ")).length;
    expect(shown).toBeGreaterThan(10);
    expect(failures).toMatch(new RegExp(`\\n…and ${400 - shown} more$`));
  });

  it("escapes Slack's control characters and never carries credentials", () => {
    const report = releasedReport();
    report.regions[0]!.services = [
      service({
        name: "<!channel> & co",
        error: "package https://st.blob.core.windows.net/p.zip?sv=2024&sig=SECRETSIG failed",
      }),
      service({
        name: "web",
        refresh: "failed",
        error: "posting to https://hooks.slack.com/services/T0/B0/HOOKSECRET failed",
      }),
    ];
    report.failures = ["web: see https://hooks.slack.com/services/T0/B0/HOOKSECRET"];
    const payload = buildSlackMessage(report, ctx);
    const all = JSON.stringify(payload);
    expect(all).not.toContain("SECRETSIG");
    expect(all).not.toContain("HOOKSECRET");
    expect(all).not.toContain("<!channel>");
    const text = sectionFor(payload, "uk-south");
    expect(text).toContain(
      "&lt;!channel&gt; &amp; co: `1.4.1` → `1.4.2` — _package https://st.blob.core.windows.net/p.zip?…",
    );
    expect(text).toContain(
      "web: `1.4.1` → `1.4.2` — staging refresh failed; _posting to https://hooks.slack.com/… failed_",
    );
  });

  it("shows a reported build as escaped data, at most 200 characters of it", () => {
    const report = releasedReport();
    report.regions[0]!.services = [
      service({
        name: "api",
        before: { production: `1.0\n::error::pwned${"x".repeat(10_000)}`, staging: "1.4.2" },
        after: { production: "<!here>&1.4.2", staging: "1.4.1" },
      }),
    ];
    const payload = buildSlackMessage(report, ctx);
    expectWithinLimits(payload);
    expect(JSON.stringify(payload)).not.toContain("x".repeat(181));
    expect(sectionFor(payload, "uk-south").split("\n")[1]).toBe(
      `• api: \`1.0\\n::error::pwned${"x".repeat(180)}…\` → \`&lt;!here&gt;&amp;1.4.2\``,
    );
  });

  it("leaves the link out when the run is unknown", () => {
    const payload = buildSlackMessage(releasedReport(), unknownRun);
    expect(payload.blocks.some((block) => block.type === "actions")).toBe(false);
    expect(JSON.stringify(payload)).not.toContain("/actions/runs/");
  });

  it("handles a region without services", () => {
    const report = releasedReport();
    report.regions = [region({ name: "empty" })];
    expect(sectionFor(buildSlackMessage(report, ctx), "empty")).toBe(
      "*empty*  ✅ released  ·  1m3s",
    );
  });

  it("puts the run's button and the first failure, in one line, right under the headline", () => {
    const report = rolledBackReport();
    report.failures.push("west-europe: rolled back");
    const payload = buildSlackMessage(report, ctx);
    expectWithinLimits(payload);
    expect(payload.blocks[2]).toMatchObject({ type: "actions", elements: [{ url: RUN_URL }] });
    const summary = texts(payload)[1] ?? "";
    expect(summary.split("\n")[1]).toBe(
      "*First failure* west-europe/api: production status page reported build 1.4.1, expected 1.4.2, after 5m _(and 1 more below)_",
    );
    // The notification line says it too, for a reader who sees only the phone's banner.
    expect(payload.text).toBe(
      "↩️ Release 1.4.2: rolled-back: 1 released, 1 rolled-back, 1 not-started — west-europe/api: production status page reported build 1.4.1, expected 1.4.2, after 5m",
    );
    expect(texts(buildSlackMessage(releasedReport(), ctx))[1]).not.toContain("First failure");
  });

  it("cuts the first failure, keeps it on one line, and makes it safe", () => {
    const report = rolledBackReport();
    report.failures = [
      `<!channel> & https://hooks.slack.com/services/T0/B0/HOOKSECRET\n::error::pwned ${"x".repeat(5_000)}`,
    ];
    const payload = buildSlackMessage(report, ctx);
    expectWithinLimits(payload);
    const line = (texts(payload)[1] ?? "").split("\n")[1] ?? "";
    expect(line).toMatch(
      /^\*First failure\* &lt;!channel&gt; &amp; https:\/\/hooks\.slack\.com\/… ::error::pwned x+…$/,
    );
    expect(line.length).toBeLessThan(350);
    expect(JSON.stringify(payload)).not.toContain("HOOKSECRET");
    expect(payload.text).not.toContain("\n");
    expect(payload.text.length).toBeLessThan(450);
  });

  it("says when release windows were overridden for a hotfix", () => {
    const report = releasedReport();
    report.releaseWindow = { open: false, ignored: true, next: "2026-12-07T09:00:00+00:00" };
    const summary = texts(buildSlackMessage(report, ctx))[1] ?? "";
    expect(summary.split("\n")).toContain("⚠️ release windows overridden (ignore-release-windows)");
    report.releaseWindow = { open: true, ignored: false, next: "2026-12-07T10:00:00+00:00" };
    expect(JSON.stringify(buildSlackMessage(report, ctx))).not.toContain("overridden");
  });

  it("says in the headline when a canary stopped, naming where and at which step", () => {
    const report = rolledBackReport();
    report.regions[1]!.services[0]!.canary = { highestPercent: 25, passed: false };
    // A canary that never sent anyone to the new build did not stop; one that passed did not either.
    report.regions[0]!.services[0]!.canary = { highestPercent: 50, passed: true };
    report.regions[2]!.services[0]!.canary = { highestPercent: 0, passed: false };
    const payload = buildSlackMessage(report, ctx);
    expect(payload.blocks[0]).toMatchObject({
      text: { text: "↩️ Release 1.4.2: rolled-back (canary stopped)" },
    });
    expect((texts(payload)[1] ?? "").split("\n")).toContain(
      "🐤 canary stopped: west-europe/api at 25%",
    );
    expect(sectionFor(payload, "west-europe")).toContain("canary stopped at 25%");
    expect(JSON.stringify(buildSlackMessage(releasedReport(), ctx))).not.toContain("canary");
  });

  it("names the first five stopped canaries of a large fleet and counts the rest", () => {
    const report = largeReport(30, 20);
    for (const region of report.regions) {
      region.services[0]!.canary = { highestPercent: 5, passed: false };
    }
    const payload = buildSlackMessage(report, ctx);
    expectWithinLimits(payload);
    expect((texts(payload)[1] ?? "").split("\n").at(-1)).toBe(
      "🐤 canary stopped: region-0/service-0 at 5%, region-1/service-0 at 5%, region-2/service-0 at 5%, region-3/service-0 at 5%, region-4/service-0 at 5% and 25 more",
    );
  });
});
