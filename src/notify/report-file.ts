import { mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { messageOf } from "../error-message.js";
import type { RegionReport, ReleaseReport, ServiceReport } from "../release/model.js";
import type { ReleaseLog } from "../release/ports.js";
import { timelineChart } from "./timeline-chart.js";

/** The run's timeline as a Mermaid gantt chart, beside the report. */
export const TIMELINE_FILE_NAME = "timeline.mmd";

/** The report file's name for a run: one per run, so re-runs never overwrite each other's. */
export function reportFileName(runId: string): string {
  // The run id is digits on a runner; anything else must not escape the directory.
  const safe = runId.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "");
  return `regional-slot-swap-report-${safe === "" ? "local" : safe}.json`;
}

/**
 * Writes the run's JSON report (the `report-path` output) under `RUNNER_TEMP`, or the system's
 * temporary directory when the runner did not set one, and returns its path. Every field of the
 * report is kept; keys come in the order the contract documents, so the file reads top-down.
 * Beside it goes the timeline ({@link writeTimelineFile}), whose path `log` is told.
 */
export async function writeReportFile(
  report: ReleaseReport,
  runnerTemp: string | undefined,
  runId: string,
  log?: Pick<ReleaseLog, "info" | "warning">,
): Promise<string> {
  const directory = runnerTemp === undefined || runnerTemp.trim() === "" ? tmpdir() : runnerTemp;
  await mkdir(directory, { recursive: true });
  const path = join(directory, reportFileName(runId));
  await writeFile(path, `${JSON.stringify(orderedReport(report), null, 2)}\n`, "utf8");
  await writeTimelineFile(report, path, log);
  return path;
}

/**
 * Writes the run's timeline chart as `timeline.mmd` beside the report at `reportPath` and returns
 * its path; `null` when the run has no span (a plan, a refusal in pre-flight), and then a chart
 * an earlier run left there is removed, so the file beside a report is always that report's.
 * The chart is an extra: a failure to write it is a warning in `log`, never an error.
 */
export async function writeTimelineFile(
  report: ReleaseReport,
  reportPath: string,
  log?: Pick<ReleaseLog, "info" | "warning">,
): Promise<string | null> {
  const path = join(dirname(reportPath), TIMELINE_FILE_NAME);
  const chart = timelineChart(report);
  try {
    if (chart === null) {
      await rm(path, { force: true });
      return null;
    }
    await writeFile(path, chart.text, "utf8");
  } catch (error) {
    log?.warning(`The timeline could not be written to ${path}: ${messageOf(error)}`);
    return null;
  }
  log?.info(`Timeline (Mermaid gantt chart, ${chart.tasks} tasks): ${path}`);
  return path;
}

/**
 * The report with the contract's key order. A nullable field the core left `undefined` is
 * written as `null`, since JSON would otherwise drop the key; any field added to the model
 * later is kept, after the known ones.
 */
function orderedReport(report: ReleaseReport): ReleaseReport {
  return withExtras(report, {
    build: report.build,
    mode: report.mode,
    outcome: report.outcome,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    refreshFailed: report.refreshFailed,
    failures: report.failures,
    regions: report.regions.map(orderedRegion),
  });
}

function orderedRegion(region: RegionReport): RegionReport {
  return withExtras(region, {
    name: region.name,
    outcome: region.outcome,
    durationSeconds: region.durationSeconds ?? null,
    services: region.services.map(orderedService),
  });
}

function orderedService(service: ServiceReport): ServiceReport {
  return withExtras(service, {
    name: service.name,
    app: service.app,
    before: service.before,
    after: service.after ?? null,
    swapSeconds: service.swapSeconds ?? null,
    refresh: service.refresh,
    error: service.error ?? null,
  });
}

function withExtras<T extends object>(original: T, ordered: T): T {
  const result: Record<string, unknown> = { ...(ordered as Record<string, unknown>) };
  for (const [key, value] of Object.entries(original)) {
    if (!(key in result)) result[key] = value;
  }
  return result as T;
}
