/**
 * The run's timeline as a Mermaid `gantt` chart, for the job summary (GitHub draws it on the run
 * page) and the `timeline.mmd` file beside the report: one section per region in wave order, one
 * task per span (canary step, swap, verification, bake, rollback, refresh), failed spans `crit`.
 *
 * Names come from the manifest, builds from status pages: they are data. Every piece of text the
 * chart shows is cut down to letters, digits and a few harmless marks, so no name can end a task,
 * start a comment or a directive (`%%{init}%%`), read as a keyword (`section`, `click`…), or close
 * the Markdown fence around the chart.
 */
import { redactSecrets } from "../redact-secrets.js";
import type { RegionReport, ReleaseReport } from "../release/model.js";
import type { SpanKind, TimelineSpan } from "../release/timeline.js";

/** Beyond this many tasks the chart merges spans (1,000 services make thousands of spans). */
export const MAX_TIMELINE_TASKS = 150;

export interface TimelineChart {
  /** The chart in Mermaid's syntax, without a Markdown fence; ends with a newline. */
  text: string;
  /** How many tasks (bars) it draws. */
  tasks: number;
  /**
   * What one task is: a span; all of a region's spans of one kind (`region-kind`); or all of a
   * region's run (`region`).
   */
  detail: "span" | "region-kind" | "region";
  /** When spans were merged or regions left out, says so in a sentence; `null` otherwise. */
  note: string | null;
}

/** Mermaid reads times in this format, in the viewer's local zone: the chart writes UTC's clock. */
const DATE_FORMAT = "YYYY-MM-DD HH:mm:ss.SSS";

interface Task {
  text: string;
  start: number;
  end: number;
  failed: boolean;
}

interface Section {
  title: string;
  tasks: Task[];
}

/**
 * The run's timeline as a Mermaid gantt chart, or `null` when the report has no span (a plan, a
 * run refused in pre-flight). Pure.
 */
export function timelineChart(
  report: ReleaseReport,
  options: { maxTasks?: number } = {},
): TimelineChart | null {
  const maxTasks = Math.max(1, options.maxTasks ?? MAX_TIMELINE_TASKS);
  const spans = (report.timeline ?? []).filter(
    (span) =>
      !Number.isNaN(Date.parse(span.startedAt)) && !Number.isNaN(Date.parse(span.finishedAt)),
  );
  if (spans.length === 0) return null;

  const regions = regionsInWaveOrder(report, spans);
  const bySpan = sectionsOf(regions, spans, spanTasks);
  let detail: TimelineChart["detail"] = "span";
  let sections = bySpan;
  if (taskCount(sections) > maxTasks) {
    detail = "region-kind";
    sections = sectionsOf(regions, spans, regionKindTasks);
  }
  if (taskCount(sections) > maxTasks) {
    detail = "region";
    sections = sectionsOf(regions, spans, (group) => [merged(group, "run")]);
  }
  const drawn = sections.slice(0, maxTasks);
  const left = sections.length - drawn.length;
  const note = noteOf(spans.length, maxTasks, detail, left);

  const start = Math.min(...spans.map((span) => Date.parse(span.startedAt)));
  const end = Math.max(...spans.map((span) => Date.parse(span.finishedAt)));
  const tick = tickFor(end - start);
  const what = report.mode === "plan" ? "Plan" : "Release";
  const lines = [
    "gantt",
    `  title ${what} ${chartText(report.build, 40) || "?"}: ${chartText(report.outcome, 20)} (UTC)`,
    `  dateFormat ${DATE_FORMAT}`,
    `  axisFormat ${tick.axisFormat}`,
    `  tickInterval ${tick.interval}`,
    "  todayMarker off",
  ];
  if (note !== null) lines.push(`  %% ${note}`);
  const notStarted = report.regions.filter(
    (region) => !spans.some((span) => span.region === region.name),
  ).length;
  if (notStarted > 0) {
    lines.push(`  %% ${notStarted} of ${report.regions.length} regions have no span: not drawn`);
  }
  let id = 0;
  for (const section of drawn) {
    lines.push(`  section ${section.title}`);
    for (const task of section.tasks) {
      id += 1;
      const tags = [...(task.failed ? ["crit"] : []), `t${id}`, time(task.start), time(task.end)];
      lines.push(`    ${task.text} :${tags.join(", ")}`);
    }
  }
  return { text: `${lines.join("\n")}\n`, tasks: id, detail, note };
}

/** The regions with spans, in wave order (the plan's, else the regions' wave numbers), then manifest order. */
function regionsInWaveOrder(
  report: ReleaseReport,
  spans: readonly TimelineSpan[],
): Array<{ name: string; wave: number | undefined }> {
  const known = new Map<string, RegionReport>(
    report.regions.map((region) => [region.name, region]),
  );
  const planned = (report.plan?.waves ?? []).flatMap((wave) =>
    // The plan numbers every wave; a section names its wave only when the manifest declared waves.
    wave.regions.map((region) => ({ name: region.name, wave: known.get(region.name)?.wave })),
  );
  const ordered =
    planned.length > 0
      ? planned
      : report.regions
          .map((region, index) => ({ name: region.name, wave: region.wave, index }))
          .sort((a, b) => (a.wave ?? 0) - (b.wave ?? 0) || a.index - b.index)
          .map(({ name, wave }) => ({ name, wave }));
  const names = new Set(ordered.map((region) => region.name));
  // A span of a region the report does not list still shows, after the others.
  for (const span of spans) {
    if (!names.has(span.region)) {
      names.add(span.region);
      ordered.push({ name: span.region, wave: known.get(span.region)?.wave });
    }
  }
  return ordered.filter((region) => spans.some((span) => span.region === region.name));
}

function sectionsOf(
  regions: ReadonlyArray<{ name: string; wave: number | undefined }>,
  spans: readonly TimelineSpan[],
  tasksOf: (spans: TimelineSpan[]) => Task[],
): Section[] {
  return regions.map((region) => {
    const name = chartText(region.name, 60) || "?";
    return {
      title: region.wave === undefined ? name : `${name} · wave ${region.wave}`,
      tasks: tasksOf(spans.filter((span) => span.region === region.name)).sort(
        (a, b) => a.start - b.start,
      ),
    };
  });
}

function spanTasks(spans: TimelineSpan[]): Task[] {
  return spans.map((span) => ({
    text: taskText(
      span.service === null ? span.label : `${chartText(span.service, 50)} ${span.label}`,
    ),
    start: Date.parse(span.startedAt),
    end: Math.max(Date.parse(span.startedAt), Date.parse(span.finishedAt)),
    failed: span.failed,
  }));
}

const KIND_WORDS: Record<SpanKind, string> = {
  canary: "canary steps",
  swap: "swaps",
  verification: "verifications",
  bake: "bake",
  rollback: "rollback",
  refresh: "refreshes",
};

/** One task per kind of span in a region: from its first start to its last end, failed if any failed. */
function regionKindTasks(spans: TimelineSpan[]): Task[] {
  const kinds = [...new Set(spans.map((span) => span.kind))];
  return kinds.map((kind) => {
    const group = spans.filter((span) => span.kind === kind);
    const services = new Set(group.map((span) => span.service).filter((name) => name !== null));
    const count = services.size > 1 ? ` (${services.size} services)` : "";
    return merged(group, `${KIND_WORDS[kind]}${count}`);
  });
}

function merged(spans: TimelineSpan[], text: string): Task {
  return {
    text: taskText(text),
    start: Math.min(...spans.map((span) => Date.parse(span.startedAt))),
    end: Math.max(...spans.map((span) => Date.parse(span.finishedAt))),
    failed: spans.some((span) => span.failed),
  };
}

function taskCount(sections: readonly Section[]): number {
  return sections.reduce((sum, section) => sum + section.tasks.length, 0);
}

function noteOf(
  spans: number,
  maxTasks: number,
  detail: TimelineChart["detail"],
  regionsLeft: number,
): string | null {
  const parts: string[] = [];
  if (detail === "region-kind") {
    parts.push(
      `${spans} spans: more than ${maxTasks} tasks, so one task per region and kind of span`,
    );
  } else if (detail === "region") {
    parts.push(`${spans} spans: more than ${maxTasks} tasks, so one task per region`);
  }
  if (regionsLeft > 0) parts.push(`${regionsLeft} more regions not drawn`);
  return parts.length === 0 ? null : parts.join("; ");
}

/**
 * Words Mermaid's gantt lexer takes for a statement when a line starts with them (it ignores
 * case), and a date at the start, which it reads as one.
 */
const LEADING_KEYWORD =
  /^(?:gantt|dateformat|inclusiveenddates|topaxis|axisformat|tickinterval|includes|excludes|todaymarker|weekday|weekend|title|accdescription|acctitle|accdescr|section|click|call|href)(?![\p{L}\p{N}_])|^\d{4}-\d\d-\d\d/iu;

/** A task's text: never empty, and never read as anything but a task's text. */
function taskText(text: string): string {
  let safe = chartText(text, 80, true).replace(/^%+/, "").trim();
  if (safe === "") safe = "?";
  // `x%…` at a line's start is a comment to the lexer, and so is a leading keyword a statement.
  if (/^.%/u.test(safe) || LEADING_KEYWORD.test(safe)) safe = `_${safe}`;
  return safe;
}

/**
 * Text from the report cut down to what cannot change the chart: letters, digits, spaces and
 * `. _ - / + @ ( ) = ,` (and `%` where the caller allows it); anything else, `:` `#` `;` `%`
 * backticks, braces, quotes, `<`, line breaks and invisible characters among them, becomes `_`.
 * Credentials are removed first, and the result is at most `max` characters.
 */
function chartText(text: string, max: number, allowPercent = false): string {
  const allowed = allowPercent ? /[\p{L}\p{N} ._\-/+@()=,%]/u : /[\p{L}\p{N} ._\-/+@()=,]/u;
  const cleaned = [...redactSecrets(text).replace(/\s+/gu, " ").trim()]
    .map((char) => (allowed.test(char) ? char : "_"))
    .join("")
    .replace(/_{2,}/g, "_")
    .replace(/%{2,}/g, "%");
  const chars = [...cleaned];
  return chars.length <= max
    ? cleaned
    : `${chars
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`;
}

/** `2026-03-01 09:30:05.250`: the instant on UTC's clock, in {@link DATE_FORMAT}. */
function time(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TICKS: Array<[number, string]> = [
  [SECOND, "1second"],
  [2 * SECOND, "2second"],
  [5 * SECOND, "5second"],
  [10 * SECOND, "10second"],
  [15 * SECOND, "15second"],
  [30 * SECOND, "30second"],
  [MINUTE, "1minute"],
  [2 * MINUTE, "2minute"],
  [5 * MINUTE, "5minute"],
  [10 * MINUTE, "10minute"],
  [15 * MINUTE, "15minute"],
  [30 * MINUTE, "30minute"],
  [HOUR, "1hour"],
  [2 * HOUR, "2hour"],
  [3 * HOUR, "3hour"],
  [6 * HOUR, "6hour"],
  [12 * HOUR, "12hour"],
  [DAY, "1day"],
  [7 * DAY, "1week"],
];

/** The axis for a run of `rangeMs`: at most about eight ticks, labelled to the precision they need. */
function tickFor(rangeMs: number): { interval: string; axisFormat: string } {
  const [step, interval] = TICKS.find(([ms]) => rangeMs / ms <= 8) ?? TICKS[TICKS.length - 1]!;
  const axisFormat = step < MINUTE ? "%H:%M:%S" : step < DAY ? "%H:%M" : "%b %d";
  return { interval, axisFormat };
}
