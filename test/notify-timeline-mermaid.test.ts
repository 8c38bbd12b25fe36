/**
 * The timeline chart read by the real Mermaid parser (mermaid 11, with linkedom for a DOM), so a
 * chart GitHub could not draw fails CI. The parser is not one of the project's dependencies (it
 * is about 160 MB): script/ensure-mermaid.mjs installs its pinned versions into .cache/mermaid/
 * the first time (some 15 s with the npm registry in reach), and this test loads it from there.
 * Charts come from real runs of the release core on the fake world.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderJobSummary } from "../src/notify/job-summary.js";
import { timelineChart } from "../src/notify/timeline-chart.js";
import type { Fleet, ReleasePolicy, ReleaseReport } from "../src/release/model.js";
import { runRelease } from "../src/release/release.js";
import { demoLikeRelease } from "../script/timeline-scenario.js";
import { ctx } from "./notify-fixtures.js";
import { FakeWorld, fakePorts, seedFleet, testPolicy } from "./support/fake-world.js";

/** What Mermaid's gantt database holds once it has parsed a chart. */
interface ParsedTask {
  section: string;
  task: string;
  id: string;
  crit?: boolean;
  startTime: Date;
  endTime: Date;
}
interface GanttDb {
  getTasks(): ParsedTask[];
  getSections(): string[];
  getDiagramTitle(): string;
}
interface Mermaid {
  parse(text: string): Promise<unknown>;
  mermaidAPI: { getDiagramFromText(text: string): Promise<{ type: string; db: GanttDb }> };
}

let mermaid: Mermaid;
let restore = () => {};

beforeAll(async () => {
  // The install's own output goes to the test's output; the directory is the last line.
  const out = execFileSync(process.execPath, [join("script", "ensure-mermaid.mjs")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const directory = out.trim().split("\n").at(-1) ?? "";
  const loaded = (await import(pathToFileURL(join(directory, "load.mjs")).href)) as {
    loadMermaid(): Promise<{ mermaid: Mermaid; restore(): void }>;
  };
  ({ mermaid, restore } = await loaded.loadMermaid());
}, 300_000);

afterAll(() => restore());

/** The chart as Mermaid reads it: rejects what its grammar rejects. */
async function parsed(text: string) {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  expect(diagram.type).toBe("gantt");
  const tasks = diagram.db.getTasks();
  for (const task of tasks) {
    expect(Number.isNaN(task.startTime.getTime())).toBe(false);
    expect(task.endTime.getTime()).toBeGreaterThanOrEqual(task.startTime.getTime());
  }
  return { title: diagram.db.getDiagramTitle(), sections: diagram.db.getSections(), tasks };
}

/** The chart of a report, parsed, checked against the report's spans one task for one span. */
async function chartOf(report: ReleaseReport) {
  const chart = timelineChart(report);
  if (chart === null) throw new Error("no chart");
  const result = await parsed(chart.text);
  const spans = report.timeline ?? [];
  if (chart.detail === "span") {
    expect(result.tasks).toHaveLength(spans.length);
    expect(result.tasks.filter((task) => task.crit === true)).toHaveLength(
      spans.filter((span) => span.failed).length,
    );
    // Durations survive the trip through Mermaid's dates (each span's own length, to the ms).
    const lengths = (items: number[]) => [...items].sort((a, b) => a - b);
    expect(
      lengths(result.tasks.map((task) => task.endTime.getTime() - task.startTime.getTime())),
    ).toEqual(
      lengths(spans.map((span) => Date.parse(span.finishedAt) - Date.parse(span.startedAt))),
    );
  }
  return { chart, ...result };
}

function world(regions: string[], services: string[], extra: Partial<Fleet> = {}) {
  const fake = new FakeWorld();
  fake.swapDurationMs = 30_000;
  const fleet: Fleet = { ...seedFleet(fake, regions, services), ...extra };
  return { fake, fleet };
}

async function release(
  run: ReturnType<typeof world>,
  policy: Partial<ReleasePolicy> = {},
): Promise<ReleaseReport> {
  return runRelease({ fleet: run.fleet, policy: testPolicy(policy) }, fakePorts(run.fake));
}

describe("the timeline chart, read by Mermaid's own parser", () => {
  it("parses a released run: every span a task, none crit", async () => {
    const run = world(["uks", "weu"], ["api", "auth"]);
    const report = await release(run, { bakeTimeMs: 120_000 });
    expect(report.outcome).toBe("released");
    const { title, sections, tasks } = await chartOf(report);
    expect(title).toBe("Release 2.0.0: released (UTC)");
    expect(sections).toEqual(["uks", "weu"]);
    expect(tasks.some((task) => task.crit === true)).toBe(false);
    expect(tasks.map((task) => task.task.trim())).toContain("api refresh");
  });

  it("parses a rolled-back run with its failed verification crit", async () => {
    const run = world(["uks", "weu"], ["api"]);
    run.fake.unhealthyInProduction.add("api-weu@2.0.0");
    const report = await release(run, { statusTimeoutMs: 20_000, rollback: "all" });
    expect(report.outcome).toBe("rolled-back");
    const { tasks } = await chartOf(report);
    const crit = tasks.filter((task) => task.crit === true);
    expect(crit.map((task) => [task.section, task.task.trim()])).toEqual([
      ["weu", "api verification"],
    ]);
    expect(tasks.map((task) => task.task.trim())).toEqual(
      expect.arrayContaining(["api swap back", "api rollback verification"]),
    );
  });

  it("parses the demo's third release: waves in order, canary steps, the caught one crit", async () => {
    const { sections, tasks } = await chartOf(await demoLikeRelease());
    expect(sections).toEqual(["uk-south · wave 1", "west-europe · wave 2", "east-us · wave 2"]);
    expect(tasks.filter((task) => task.crit === true).map((task) => task.task.trim())).toEqual([
      "billing canary 10%",
    ]);
    expect(tasks.filter((task) => task.task.includes("canary 50%"))).toHaveLength(3);
  });

  it("parses waves in wave order whatever the manifest's region order", async () => {
    const run = world(["eus", "uks", "weu"], ["api"], {
      waves: [
        { regions: ["uks"], bakeTimeMs: 60_000 },
        { regions: ["eus", "weu"], bakeTimeMs: 60_000 },
      ],
      wavesDeclared: true,
    });
    const { sections, tasks } = await chartOf(await release(run));
    expect(sections).toEqual(["uks · wave 1", "eus · wave 2", "weu · wave 2"]);
    expect(tasks.filter((task) => task.task.trim() === "bake")).toHaveLength(3);
  });

  it("parses a run of hostile names, which add no task, section or title", async () => {
    const hostile = [
      "api :crit, x9, 2020-01-01 00:00:00.000, 2030-01-01 00:00:00.000",
      "x\n    evil :x8, 2020-01-01 00:00:00.000, 2030-01-01 00:00:00.000",
      "%%{init: {'theme':'dark'}}%%",
      "title hijacked",
      "section hijacked",
      "click",
      "a%%b",
      "#quot;#59; ``` <b>",
    ];
    // Names are the manifest's (and so the report's); the apps keep names Azure would take.
    const run = world(
      ["uks", "weu"],
      hostile.map((_, index) => `s${index}`),
    );
    run.fleet.regions = run.fleet.regions.map((region, index) => ({
      ...region,
      name: index === 0 ? region.name : "weu\nsection evil",
      services: region.services.map((service, at) => ({ ...service, name: hostile[at] ?? "" })),
    }));
    run.fleet.waves = run.fleet.regions.map((region) => ({
      regions: [region.name],
      bakeTimeMs: null,
    }));
    const report = await release(run);
    expect(report.outcome).toBe("released");
    const { title, sections, tasks } = await chartOf(report);
    expect(title).toBe("Release 2.0.0: released (UTC)");
    expect(sections).toEqual(["uks", "weu section evil"]);
    expect(tasks.some((task) => task.crit === true)).toBe(false);
    const ids = tasks.map((task) => task.id);
    expect(ids).toEqual(ids.map((_, index) => `t${index + 1}`));
    // The job summary's fence holds the chart whole: it opens once and closes once.
    const markdown = renderJobSummary(report, ctx);
    const fence = markdown.slice(markdown.indexOf("```mermaid"));
    expect(fence.match(/^```/gm)).toHaveLength(2);
  });

  it("parses the chart of 1,000 services, merged to a task per region and kind", async () => {
    const run = world(
      ["uks", "weu"],
      Array.from({ length: 1_000 }, (_, index) => `svc-${index}`),
    );
    run.fake.swapDurationMs = 1_000;
    const { chart, tasks } = await chartOf(await release(run, { maxParallel: 50 }));
    expect(chart.detail).toBe("region-kind");
    expect(tasks.length).toBe(chart.tasks);
    expect(tasks.length).toBeLessThanOrEqual(150);
  }, 120_000);

  it("rejects a malformed chart, so the checks above can fail", async () => {
    const { chart } = await chartOf(await demoLikeRelease());
    // A task without its `:` and data.
    const broken = chart.text.replace(/ :crit, t\d+, [^\n]+/, "");
    expect(broken).not.toBe(chart.text);
    await expect(mermaid.parse(broken)).rejects.toThrow(/Parse error/);
    // And a name written as it came, unsanitized, does inject a task of its own.
    const injected = chart.text.replace(
      "billing canary 10% :crit",
      "billing :x0, 2020-01-01 00:00:00.000, 2030-01-01 00:00:00.000\n    canary 10% :crit",
    );
    const { tasks } = await parsed(injected);
    expect(tasks.length).toBe(chart.tasks + 1);
  });
});
