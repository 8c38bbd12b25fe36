import { describe, expect, it } from "vitest";
import { renderJobSummary } from "../src/notify/job-summary.js";
import {
  cancelledReport,
  ctx,
  planReport,
  region,
  releasedReport,
  rolledBackReport,
  RUN_URL,
  service,
  unknownRun,
} from "./notify-fixtures.js";

/** The cells of a table row, split on the `|` that are not escaped. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

function rowsOf(markdown: string): string[][] {
  return markdown
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| Region"))
    .map(cells);
}

describe("renderJobSummary", () => {
  it("tells a release in a headline and one row per service", () => {
    const markdown = renderJobSummary(releasedReport(), ctx, {
      reportPath: "/runner/temp/report.json",
    });
    const lines = markdown.split("\n");
    expect(lines[0]).toBe("## ✅ Release 1.4.2: released");
    expect(lines[2]).toBe(
      `**Outcome** released · **Build** 1.4.2 · **Mode** release · **Duration** 4m12s · **Regions** 2 released · [run 4242](${RUN_URL})`,
    );
    expect(markdown).toContain(
      "| Region | Service | App | Before (prod / staging) | After (prod / staging) | Swap time | Result |\n|---|---|---|---|---|---|---|",
    );
    expect(rowsOf(markdown)).toEqual([
      [
        "uk-south",
        "api",
        "shop-api-uks",
        "1.4.1 / 1.4.2",
        "1.4.2 / 1.4.2",
        "41.2s",
        "✅ released · refresh done",
      ],
      [
        "uk-south",
        "auth",
        "shop-auth-uks",
        "1.4.1 / 1.4.2",
        "1.4.2 / 1.4.2",
        "38s",
        "✅ released · refresh done",
      ],
      [
        "west-europe",
        "api",
        "shop-api-weu",
        "1.4.1 / 1.4.2",
        "1.4.2 / 1.4.2",
        "41.2s",
        "✅ released · refresh done",
      ],
    ]);
    expect(markdown).not.toContain("### Failures");
    expect(markdown).toContain("📄 Report: `/runner/temp/report.json`");
  });

  it("lists a rolled-back release's failures under the table", () => {
    const markdown = renderJobSummary(rolledBackReport(), ctx);
    expect(markdown.split("\n")[0]).toBe("## ↩️ Release 1.4.2: rolled-back");
    expect(rowsOf(markdown)).toEqual([
      [
        "uk-south",
        "api",
        "shop-api-uks",
        "1.4.1 / 1.4.2",
        "1.4.2 / 1.4.1",
        "41.2s",
        "✅ released · refresh skipped",
      ],
      [
        "west-europe",
        "api",
        "shop-api-weu",
        "1.4.1 / 1.4.2",
        "1.4.1 / 1.4.2",
        "41.2s",
        "↩️ rolled-back · refresh skipped · production status page reported build 1.4.1, expected 1.4.2, after 5m",
      ],
      [
        "east-us",
        "api",
        "shop-api-eus",
        "1.4.1 / 1.4.2",
        "1.4.1 / 1.4.2",
        "—",
        "⏸️ not-started · refresh skipped",
      ],
    ]);
    expect(markdown).toContain(
      "### Failures\n\n- west-europe/api: production status page reported build 1.4.1, expected 1.4.2, after 5m\n",
    );
    expect(markdown).not.toContain("📄 Report");
  });

  it("shows pages that could not be read as ?, in a cancelled release", () => {
    const markdown = renderJobSummary(cancelledReport(), ctx);
    expect(markdown.split("\n")[0]).toBe("## 🛑 Release 1.4.2: cancelled");
    expect(rowsOf(markdown)[0]).toEqual([
      "uk-south",
      "api",
      "shop-api",
      "1.4.1 / 1.4.2",
      "? / ?",
      "—",
      "🛑 cancelled · refresh skipped · cancelled before the swap finished",
    ]);
  });

  it("says what a release would do for a plan", () => {
    const markdown = renderJobSummary(planReport(), ctx);
    expect(markdown.split("\n")[0]).toBe("## 📝 Release plan 1.5.0: planned");
    expect(markdown).toContain(
      "| Region | Service | App | Production | Staging | A release would |",
    );
    expect(rowsOf(markdown)).toEqual([
      ["uk-south", "api", "shop-api", "1.4.1", "1.5.0", "swap 1.4.1 → 1.5.0"],
      ["uk-south", "auth", "shop-auth", "1.4.1", "1.5.0", "swap 1.4.1 → 1.5.0"],
      ["west-europe", "api", "shop-api", "1.5.0", "1.5.0", "already released"],
    ]);
  });

  it("warns when the staging refresh failed", () => {
    const report = releasedReport();
    report.refreshFailed = true;
    expect(renderJobSummary(report, ctx)).toContain(
      "> [!WARNING]\n> The release reached its outcome, but refreshing a staging slot failed",
    );
  });

  it("keeps a cell in its column whatever the text holds", () => {
    const report = rolledBackReport();
    report.regions = [report.regions[1]!];
    report.regions[0]!.services = [
      service({
        name: "a|b",
        error:
          "line one | pipe\nline two <b>bold</b> *star* https://x.blob.core.windows.net/p.zip?sig=SECRET",
      }),
    ];
    report.failures = ["multi\nline failure"];
    const markdown = renderJobSummary(report, ctx);
    const [row] = rowsOf(markdown);
    expect(row).toHaveLength(7);
    expect(row![1]).toBe("a\\|b");
    expect(row![6]).toBe(
      "↩️ rolled-back · line one \\| pipe<br>line two &lt;b&gt;bold&lt;/b&gt; \\*star\\* https://x.blob.core.windows.net/p.zip?…",
    );
    expect(markdown).not.toContain("SECRET");
    expect(markdown).toContain("- multi<br>line failure");
  });

  it("shows a reported build and Azure's errors as data: one line, escaped, the build cut at 200", () => {
    const hostileBuild = `1.0\n::error::pwned${"x".repeat(10_000)}`;
    const report = releasedReport();
    const [api] = report.regions[0]!.services;
    api!.before = { production: hostileBuild, staging: "1.4.2" };
    api!.error = "Conflict\r\n::error::pwned \u001b[31m <script>";
    const markdown = renderJobSummary(report, ctx);
    expect(markdown.split("\n").filter((line) => line.trimStart().startsWith("::"))).toEqual([]);
    expect(markdown).not.toContain("x".repeat(181));
    const [row] = rowsOf(markdown);
    expect(row![3]).toBe(String.raw`1.0\\n::error::pwned${"x".repeat(180)}… / 1.4.2`);
    expect(row![6]).toContain(String.raw`Conflict<br>::error::pwned \u001b\[31m &lt;script&gt;`);
  });

  it("leaves the run link out when the run is unknown", () => {
    const markdown = renderJobSummary(releasedReport(), unknownRun);
    expect(markdown).not.toContain("/actions/runs/");
  });

  it("gives a region without services a row with its outcome", () => {
    const report = releasedReport();
    report.regions = [region({ name: "empty", outcome: "not-started", durationSeconds: null })];
    expect(rowsOf(renderJobSummary(report, ctx))).toEqual([
      ["empty", "", "", "", "", "", "⏸️ not-started"],
    ]);
    report.mode = "plan";
    expect(rowsOf(renderJobSummary(report, ctx))).toEqual([
      ["empty", "", "", "", "", "⏸️ not-started"],
    ]);
  });
});
