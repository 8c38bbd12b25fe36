/**
 * The timeline chart's text (src/notify/timeline-chart.ts), its section of the job summary and its
 * file beside the report. The real Mermaid parser reads the same charts in
 * notify-timeline-mermaid.test.ts.
 */
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderJobSummary } from "../src/notify/job-summary.js";
import { writeReportFile } from "../src/notify/report-file.js";
import { timelineChart } from "../src/notify/timeline-chart.js";
import type { ReleaseReport } from "../src/release/model.js";
import type { TimelineSpan } from "../src/release/timeline.js";
import { demoLikeRelease } from "../script/timeline-scenario.js";
import { ctx, planReport, region, releasedReport } from "./notify-fixtures.js";

function span(overrides: Partial<TimelineSpan> & { region: string }): TimelineSpan {
  return {
    service: "api",
    kind: "swap",
    label: "swap",
    startedAt: "2026-11-21T10:00:00.000Z",
    finishedAt: "2026-11-21T10:00:40.000Z",
    failed: false,
    ...overrides,
  };
}

function withSpans(spans: TimelineSpan[], regions = ["uk-south", "west-europe"]): ReleaseReport {
  return {
    ...releasedReport(),
    regions: regions.map((name) => region({ name })),
    timeline: spans,
  };
}

const taskLines = (text: string) => text.split("\n").filter((line) => /^ {4}\S/.test(line));

describe("timelineChart", () => {
  it("draws the demo's third release: sections in wave order, a task per span, the caught canary crit", async () => {
    const report = await demoLikeRelease();
    const chart = timelineChart(report);
    expect(chart?.detail).toBe("span");
    const lines = chart?.text.split("\n") ?? [];
    expect(lines.slice(0, 6)).toEqual([
      "gantt",
      "  title Release 1.7.0: failed (UTC)",
      "  dateFormat YYYY-MM-DD HH:mm:ss.SSS",
      "  axisFormat %H:%M",
      "  tickInterval 5minute",
      "  todayMarker off",
    ]);
    expect(lines.filter((line) => line.startsWith("  section "))).toEqual([
      "  section uk-south · wave 1",
      "  section west-europe · wave 2",
      "  section east-us · wave 2",
    ]);
    expect(taskLines(chart?.text ?? "")).toHaveLength(report.timeline?.length ?? -1);
    expect(lines.find((line) => line.includes(":crit,"))).toMatch(
      /^ {4}billing canary 10% :crit, t\d+, 2026-11-21 10:20:45\.000, 2026-11-21 10:23:45\.000$/,
    );
    expect(lines.filter((line) => line.includes(":crit,"))).toHaveLength(1);
    expect(lines).toContain("    bake :t13, 2026-11-21 10:10:45.000, 2026-11-21 10:20:45.000");
  });

  it("is null without spans: a plan, or a run refused before its first step", () => {
    expect(timelineChart(planReport())).toBeNull();
    expect(timelineChart(withSpans([]))).toBeNull();
  });

  it("orders sections by wave, then manifest order, and leaves out regions that never started", () => {
    const report: ReleaseReport = {
      ...withSpans([span({ region: "eus" }), span({ region: "weu" }), span({ region: "uks" })]),
      regions: [
        region({ name: "eus", wave: 2 }),
        region({ name: "idle", wave: 3, outcome: "not-started" }),
        region({ name: "uks", wave: 1 }),
        region({ name: "weu", wave: 2 }),
      ],
    };
    const text = timelineChart(report)?.text ?? "";
    expect(text.split("\n").filter((line) => line.startsWith("  section "))).toEqual([
      "  section uks · wave 1",
      "  section eus · wave 2",
      "  section weu · wave 2",
    ]);
    expect(text).toContain("  %% 1 of 4 regions have no span: not drawn\n");
  });

  it("picks the axis for the run's length: seconds for a short run, hours and minutes for a long one", () => {
    const short = timelineChart(
      withSpans([span({ region: "uk-south", finishedAt: "2026-11-21T10:00:12.500Z" })]),
    );
    expect(short?.text).toContain("  axisFormat %H:%M:%S\n  tickInterval 2second\n");
    expect(short?.text).toContain(":t1, 2026-11-21 10:00:00.000, 2026-11-21 10:00:12.500\n");
    const long = timelineChart(
      withSpans([span({ region: "uk-south", finishedAt: "2026-11-21T15:30:00.000Z" })]),
    );
    expect(long?.text).toContain("  axisFormat %H:%M\n  tickInterval 1hour\n");
  });

  it("cuts every name down to text that cannot end a task, start a comment or a directive, or close the fence", () => {
    const hostile = [
      "api :crit, x9, 2020-01-01 00:00:00.000, 2030-01-01 00:00:00.000",
      "x\n    evil :x8, 2020-01-01, 1d",
      "%%{init: {'theme':'dark'}}%%",
      "#quot; ; # `` ``` <script>",
      "title hijacked",
      "click",
      "section other",
      "a%% comment",
      "2026-01-01 dated",
    ];
    const report = withSpans(
      hostile.map((name, index) =>
        span({ region: index % 2 === 0 ? "uk-south" : "west\nsection evil-region", service: name }),
      ),
      ["uk-south", "west\nsection evil-region"],
    );
    report.build = "1.0 `\n  title hijacked";
    const text = timelineChart(report)?.text ?? "";
    const body = text.split("\n").slice(6);
    expect(text.split("\n")[1]).toBe("  title Release 1.0 _ title hijacked: released (UTC)");
    expect(taskLines(text)).toHaveLength(hostile.length);
    expect(body.filter((line) => line.startsWith("  section "))).toEqual([
      "  section uk-south",
      "  section west section evil-region",
    ]);
    for (const line of taskLines(text)) {
      const [label, data] = line.split(" :");
      expect(label).toMatch(/^ {4}[\p{L}\p{N}_][\p{L}\p{N} ._\-/+@()=,%]*$/u);
      expect(label).not.toMatch(/^ {4}(title|click|section|\d{4}-)/i);
      expect(data).toMatch(/^t\d+, [\d-]+ [\d:.]+, [\d-]+ [\d:.]+$/);
    }
    expect(text).not.toMatch(/[`#;{}<>]|%%/);
  });

  it("stays bounded for 1,000 services: one task per region and kind, and says so", () => {
    const spans: TimelineSpan[] = [];
    for (const regionName of ["uk-south", "west-europe"]) {
      for (let index = 0; index < 1_000; index += 1) {
        const service = `svc-${index}`;
        spans.push(span({ region: regionName, service, kind: "canary", label: "canary 10%" }));
        spans.push(span({ region: regionName, service, failed: index === 7 }));
      }
    }
    const chart = timelineChart(withSpans(spans));
    expect(chart?.detail).toBe("region-kind");
    expect(chart?.tasks).toBe(4);
    expect(chart?.note).toBe(
      "4000 spans: more than 150 tasks, so one task per region and kind of span",
    );
    expect(chart?.text).toContain(`  %% ${chart?.note}\n`);
    expect(taskLines(chart?.text ?? "").map((line) => line.split(" :")[0]?.trim())).toEqual([
      "canary steps (1000 services)",
      "swaps (1000 services)",
      "canary steps (1000 services)",
      "swaps (1000 services)",
    ]);
    expect(chart?.text.match(/:crit,/g)).toHaveLength(2);
    expect(chart?.text.length).toBeLessThan(2_000);
  });

  it("with more regions than tasks allowed draws one task per region, and the first ones only", () => {
    const regions = Array.from({ length: 12 }, (_, index) => `r${index}`);
    const spans = regions.flatMap((name) => [
      span({ region: name }),
      span({ region: name, kind: "verification", label: "verification" }),
    ]);
    const chart = timelineChart(withSpans(spans, regions), { maxTasks: 10 });
    expect(chart?.detail).toBe("region");
    expect(chart?.tasks).toBe(10);
    expect(chart?.note).toBe(
      "24 spans: more than 10 tasks, so one task per region; 2 more regions not drawn",
    );
  });
});

describe("the timeline in the job summary and beside the report", () => {
  let runnerTemp: string;
  beforeEach(async () => {
    runnerTemp = await mkdtemp(join(tmpdir(), "notify-timeline-"));
  });
  afterEach(async () => {
    await rm(runnerTemp, { recursive: true, force: true });
  });

  it("puts the chart in a mermaid fence under Timeline, and nothing without spans", async () => {
    const report = await demoLikeRelease();
    const markdown = renderJobSummary(report, ctx);
    const chart = timelineChart(report)?.text ?? "";
    expect(markdown).toContain(`### Timeline\n\n\`\`\`mermaid\n${chart}\`\`\`\n`);
    expect(markdown.match(/^```/gm)).toHaveLength(2);
    expect(renderJobSummary(planReport(), ctx)).not.toContain("Timeline");
    expect(renderJobSummary(releasedReport(), ctx)).not.toContain("mermaid");
  });

  it("writes timeline.mmd beside the report, logs its path, and removes a stale one", async () => {
    const report = await demoLikeRelease();
    const lines: string[] = [];
    const log = {
      info: (line: string) => lines.push(line),
      warning: (line: string) => lines.push(line),
    };
    const reportPath = await writeReportFile(report, runnerTemp, "4242", log);
    const mmd = join(runnerTemp, "timeline.mmd");
    expect(await readFile(mmd, "utf8")).toBe(timelineChart(report)?.text);
    const tasks = report.timeline?.length ?? 0;
    expect(tasks).toBeGreaterThan(10);
    expect(lines).toEqual([`Timeline (Mermaid gantt chart, ${tasks} tasks): ${mmd}`]);
    expect(JSON.parse(await readFile(reportPath, "utf8")).timeline).toHaveLength(tasks);

    await writeReportFile(planReport(), runnerTemp, "4242", log);
    await expect(stat(mmd)).rejects.toThrow(/ENOENT/);
    expect(lines).toHaveLength(1);
  });
});
