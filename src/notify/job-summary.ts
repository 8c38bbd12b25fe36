import type { RegionReport, ReleaseReport, ServiceReport, SlotBuilds } from "../release/model.js";
import { buildText, outcomeEmoji, regionTally, runDurationSeconds } from "./format.js";
import { formatSeconds } from "../release/format-duration.js";
import { escapeInvisible } from "../invisible-characters.js";
import { redactSecrets } from "../redact-secrets.js";
import { differencesText, releaseWindowLine, servicePlan } from "./plan-text.js";
import { timelineChart } from "./timeline-chart.js";
import { linkableRunUrl, type WorkflowRun } from "./workflow-run.js";

/** What the summary links to besides the run. */
export interface JobSummaryOptions {
  /** Where the JSON report was written (the `report-path` output). */
  reportPath?: string;
}

/**
 * Renders the job summary of a run (GitHub-flavoured Markdown): a headline, one table row per
 * service of every region, the run's timeline as a chart, the failures, and where the JSON
 * report is. For `mode: plan` the table says what a release would do instead of what happened.
 */
export function renderJobSummary(
  report: ReleaseReport,
  ctx: WorkflowRun,
  options: JobSummaryOptions = {},
): string {
  const out: string[] = [headline(report), "", facts(report, ctx), ""];
  if (report.refreshFailed) {
    out.push(
      "> [!WARNING]",
      "> The release reached its outcome, but refreshing a staging slot failed: the step fails. See the failures below.",
      "",
    );
  }
  out.push(...table(report, tableShape(report)), "");
  out.push(...planSection(report));
  out.push(...analysisSection(report));
  out.push(...timelineSection(report));
  if (report.failures.length > 0) {
    out.push("### Failures", "", ...report.failures.map((failure) => `- ${inline(failure)}`), "");
  }
  if (options.reportPath !== undefined) {
    out.push(`📄 Report: \`${options.reportPath.replace(/`/g, "")}\``, "");
  }
  return out.join("\n");
}

function headline(report: ReleaseReport): string {
  const what = report.mode === "plan" ? "Release plan" : "Release";
  return `## ${outcomeEmoji(report.outcome)} ${what} ${inline(report.build)}: ${report.outcome}`;
}

function facts(report: ReleaseReport, ctx: WorkflowRun): string {
  const parts = [
    `**Outcome** ${report.outcome}`,
    `**Build** ${inline(report.build)}`,
    `**Mode** ${report.mode}`,
  ];
  const duration = runDurationSeconds(report);
  if (duration !== undefined) parts.push(`**Duration** ${formatSeconds(duration)}`);
  parts.push(`**Regions** ${regionTally(report) || "none"}`);
  if (report.releaseWindow !== undefined)
    parts.push(inline(releaseWindowLine(report.releaseWindow)));
  const url = linkableRunUrl(ctx);
  if (url !== undefined) parts.push(`[run ${inline(ctx.runId)}](${url})`);
  return parts.join(" · ");
}

/** The columns of one table: what a run did, or what a release would do. */
interface TableShape {
  headers: string[];
  /** The cells after Region, Service and App. */
  cells(region: RegionReport, service: ServiceReport): string[];
}

const RELEASE_TABLE: TableShape = {
  headers: ["Before (prod / staging)", "After (prod / staging)", "Swap time", "Result"],
  cells: (region, service) => [
    slots(service.before),
    service.after === null ? "? / ?" : slots(service.after),
    service.swapSeconds === null ? "—" : formatSeconds(service.swapSeconds),
    serviceResult(region, service),
  ],
};

const PLAN_TABLE: TableShape = {
  headers: ["Production", "Staging", "A release would"],
  cells: (region, service) => [
    buildText(service.before.production),
    buildText(service.before.staging),
    servicePlan(region, service),
  ],
};

/** A plan that read Azure's slot diffs also says what each swap would change. */
const PLAN_TABLE_WITH_DIFFERENCES: TableShape = {
  headers: [...PLAN_TABLE.headers, "Configuration the swap changes"],
  cells: (region, service) => [
    ...PLAN_TABLE.cells(region, service),
    service.differences === undefined ? "—" : differencesText(service.differences),
  ],
};

function tableShape(report: ReleaseReport): TableShape {
  if (report.mode !== "plan") return RELEASE_TABLE;
  const diffed = report.regions.some((region) =>
    region.services.some((service) => service.differences !== undefined),
  );
  return diffed ? PLAN_TABLE_WITH_DIFFERENCES : PLAN_TABLE;
}

/** One row per service; a region without services still gets a row with its outcome. */
function table(report: ReleaseReport, shape: TableShape): string[] {
  const headers = ["Region", "Service", "App", ...shape.headers];
  const rows = [row(headers), `|${"---|".repeat(headers.length)}`];
  for (const region of report.regions) {
    if (region.services.length === 0) {
      const blanks = Array.from({ length: headers.length - 2 }, () => "");
      rows.push(row([region.name, ...blanks, regionResult(region)]));
      continue;
    }
    const name = region.wave === undefined ? region.name : `${region.name} (wave ${region.wave})`;
    for (const service of region.services) {
      rows.push(row([name, service.name, service.app, ...shape.cells(region, service)]));
    }
  }
  return rows;
}

function slots(builds: SlotBuilds): string {
  return `${buildText(builds.production)} / ${buildText(builds.staging)}`;
}

function regionResult(region: RegionReport): string {
  return `${outcomeEmoji(region.outcome)} ${region.outcome}`;
}

function serviceResult(region: RegionReport, service: ServiceReport): string {
  const parts = [regionResult(region)];
  // `not-needed` is the quiet normal case; every other refresh outcome tells the reader something.
  if (service.refresh !== "not-needed") parts.push(`refresh ${service.refresh}`);
  if (service.canary !== undefined) parts.push(canaryText(service.canary));
  if (service.error !== null) parts.push(service.error);
  return parts.join(" · ");
}

/** In a plan: the order of waves and stages, each service's steps, and the least duration. */
function planSection(report: ReleaseReport): string[] {
  const { plan } = report;
  if (plan === undefined) return [];
  const lines = ["### Plan", ""];
  for (const wave of plan.waves) {
    const regions = wave.regions.map((region) =>
      region.stages.length > 1
        ? `${inline(region.name)} (${region.stages.map((stage) => stage.map(inline).join(" + ")).join(" → ")})`
        : inline(region.name),
    );
    lines.push(`${wave.wave}. ${regions.join(", ")}; then bake ${formatSeconds(wave.bakeSeconds)}`);
  }
  lines.push(
    "",
    `Each service: ${plan.steps.map(inline).join(" → ")}. At least ${formatSeconds(plan.minimumSeconds)} (canary steps and bake times; swaps and verification add Azure's time).`,
    "",
  );
  return lines;
}

/** How far a service's canary went, in a few words. */
export function canaryText(canary: NonNullable<ServiceReport["canary"]>): string {
  if (canary.passed) return `canary passed (${canary.highestPercent}%)`;
  return canary.highestPercent === 0
    ? "canary not started"
    : `canary stopped at ${canary.highestPercent}%`;
}

/** Every metric evaluation, counted by verdict per region, with each breach spelled out. */
function analysisSection(report: ReleaseReport): string[] {
  const judged = report.regions.filter((region) => (region.evaluations ?? []).length > 0);
  if (judged.length === 0) return [];
  const lines = ["### Analysis (Azure Monitor)", ""];
  for (const region of judged) {
    const evaluations = region.evaluations ?? [];
    const count = (verdict: string) =>
      evaluations.filter((evaluation) => evaluation.verdict === verdict).length;
    lines.push(
      `- **${inline(region.name)}**: ${evaluations.length} evaluations: ${count("pass")} pass, ${count("breach")} breach, ${count("inconclusive")} inconclusive`,
    );
    for (const breach of evaluations.filter((evaluation) => evaluation.verdict === "breach")) {
      const unit = breach.signal === "http-5xx-rate" ? "%" : " ms";
      lines.push(
        `  - ${inline(breach.service)} on ${inline(breach.slot)}: ${breach.signal} ${breach.value ?? "?"}${unit} > ${breach.limit}${unit} at ${breach.at}`,
      );
    }
  }
  lines.push("");
  return lines;
}

/**
 * The run's spans as a Mermaid gantt chart, which GitHub draws on the run page; nothing when the
 * run has no span. The chart's text is safe inside the fence (see `timeline-chart.ts`).
 */
function timelineSection(report: ReleaseReport): string[] {
  const chart = timelineChart(report);
  if (chart === null) return [];
  const lines = ["### Timeline", ""];
  if (chart.note !== null) lines.push(`_${chart.note}._`, "");
  lines.push("```mermaid", chart.text.trimEnd(), "```", "");
  return lines;
}

function row(cells: string[]): string {
  return `| ${cells.map(cell).join(" | ")} |`;
}

/** A table cell: one line, with `|` escaped so it cannot open a new column. */
function cell(text: string): string {
  return inline(text).replace(/\|/g, "\\|");
}

/**
 * Free text made safe for one line of Markdown: credentials removed, HTML and emphasis escaped,
 * line breaks as `<br>` and every other control character written out.
 */
function inline(text: string): string {
  const escaped = redactSecrets(text.trim())
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]])/g, "\\$1");
  return escaped
    .split(/\s*\r?\n\s*/)
    .map(escapeInvisible)
    .join("<br>");
}
