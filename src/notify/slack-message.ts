import type {
  RegionOutcome,
  RegionReport,
  ReleaseReport,
  ServiceReport,
} from "../release/model.js";
import {
  buildText,
  oneLine,
  outcomeEmoji,
  plural,
  regionTally,
  runDurationSeconds,
  truncate,
} from "./format.js";
import { formatSeconds } from "../release/format-duration.js";
import { linkableRunUrl, type WorkflowRun } from "./workflow-run.js";

/** A Slack text object. */
export interface SlackText {
  type: "plain_text" | "mrkdwn";
  text: string;
  emoji?: boolean;
}

/** The few Block Kit blocks the release message uses. */
export type SlackBlock =
  | { type: "header"; text: SlackText }
  | { type: "section"; text: SlackText }
  | { type: "divider" }
  | { type: "context"; elements: SlackText[] }
  | {
      type: "actions";
      elements: { type: "button"; text: SlackText; url: string; action_id: string }[];
    };

/** What an incoming webhook accepts: `text` is the notification line and the fallback. */
export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
}

/** Block Kit's documented limits; exceeding any of them makes Slack reject the whole message. */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
} as const;

// Blocks other than region sections: header, summary, divider, failures, actions, context,
// and the one section that sums up the regions left out.
const FIXED_BLOCKS = 7;

/**
 * Builds the Slack message of a release: what happened, region by region, and where to read
 * more. Bounded by Block Kit's limits whatever the fleet's size, so a large release still
 * gets its message.
 */
export function buildSlackMessage(report: ReleaseReport, ctx: WorkflowRun): SlackPayload {
  const url = linkableRunUrl(ctx);
  const blocks: SlackBlock[] = [
    {
      type: "header",
      text: {
        type: "plain_text",
        text: truncate(headline(report), SLACK_LIMITS.headerText),
        emoji: true,
      },
    },
    section(summaryText(report, ctx)),
  ];
  // The run's page is where a release manager goes next: the button stands right under the headline.
  if (url !== undefined) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: "Open the run" },
          url,
          action_id: "open-run",
        },
      ],
    });
  }
  blocks.push(
    { type: "divider" },
    ...regionBlocks(report.regions, SLACK_LIMITS.blocks - FIXED_BLOCKS),
  );
  if (report.failures.length > 0) {
    blocks.push(
      section(
        listText(
          "*Failures*",
          report.failures.map((failure) => freeText(failure)),
        ),
      ),
    );
  }
  const context = contextElements(ctx, url);
  if (context.length > 0) blocks.push({ type: "context", elements: context });

  const first = report.failures[0];
  const failure = first === undefined ? "" : ` — ${firstFailure(first)}`;
  const fallback = `${escapeMrkdwn(`${headline(report)}: ${regionTally(report) || "no regions"}`)}${failure}`;
  return { text: truncate(fallback, SLACK_LIMITS.sectionText), blocks };
}

function headline(report: ReleaseReport): string {
  const mode = report.mode === "plan" ? "Release plan" : "Release";
  const notes = [
    report.refreshFailed ? "staging refresh failed" : "",
    stoppedCanaries(report).length > 0 ? "canary stopped" : "",
  ].filter((note) => note !== "");
  const shown = notes.length === 0 ? "" : ` (${notes.join("; ")})`;
  return `${outcomeEmoji(report.outcome)} ${mode} ${report.build}: ${report.outcome}${shown}`;
}

/**
 * The lines under the headline: the run at a glance, then what a release manager must know
 * before reading on: the first failure, release windows overridden, canaries stopped.
 */
function summaryText(report: ReleaseReport, ctx: WorkflowRun): string {
  const parts = [`*Build* \`${codeSafe(report.build)}\``, `*Mode* ${report.mode}`];
  const duration = runDurationSeconds(report);
  if (duration !== undefined) parts.push(`*Duration* ${formatSeconds(duration)}`);
  parts.push(`*Regions* ${regionTally(report) || "none"}`);
  if (ctx.repository !== "") parts.push(`*Repository* ${escapeMrkdwn(ctx.repository)}`);
  const lines = [parts.join("  ·  ")];
  const [first, ...others] = report.failures;
  if (first !== undefined) {
    const more = others.length === 0 ? "" : ` _(and ${others.length} more below)_`;
    lines.push(`*First failure* ${firstFailure(first)}${more}`);
  }
  if (report.releaseWindow?.ignored === true) {
    lines.push("⚠️ release windows overridden (ignore-release-windows)");
  }
  const stopped = stoppedCanaries(report);
  if (stopped.length > 0) {
    const shown = stopped
      .slice(0, MOST_CANARIES_NAMED)
      .map(
        ({ region, service, percent }) => `${escapeMrkdwn(`${region}/${service}`)} at ${percent}%`,
      );
    const rest = stopped.length - shown.length;
    lines.push(`🐤 canary stopped: ${shown.join(", ")}${rest > 0 ? ` and ${rest} more` : ""}`);
  }
  return lines.join("\n");
}

/** The most characters of the first failure under the headline; the full text is in the list below. */
const FIRST_FAILURE_CHARS = 300;
/** The most stopped canaries named under the headline; each region's section names its own. */
const MOST_CANARIES_NAMED = 5;

/** The first failure on one line: credentials removed, cut, then escaped (a cut never splits an escape). */
function firstFailure(failure: string): string {
  return escapeMrkdwn(truncate(oneLine(failure), FIRST_FAILURE_CHARS));
}

/** Services whose canary stopped after reaching a step: users were served the new build and it failed. */
function stoppedCanaries(
  report: ReleaseReport,
): { region: string; service: string; percent: number }[] {
  return report.regions.flatMap((region) =>
    region.services.filter(canaryStopped).map((service) => ({
      region: region.name,
      service: service.name,
      percent: service.canary?.highestPercent ?? 0,
    })),
  );
}

function canaryStopped(service: ServiceReport): boolean {
  return (
    service.canary !== undefined && !service.canary.passed && service.canary.highestPercent > 0
  );
}

/**
 * One section per region while they fit. Beyond that the regions that need attention keep
 * their section first, the others fill what is left in manifest order, and the rest are
 * summed up by outcome in one last section.
 */
function regionBlocks(regions: RegionReport[], budget: number): SlackBlock[] {
  if (regions.length <= budget) return regions.map((region) => section(regionText(region)));
  const room = budget - 1;
  const needsAttention = (region: RegionReport): boolean =>
    ["failed", "rolled-back", "cancelled"].includes(region.outcome) ||
    region.services.some((service) => service.error !== null || service.refresh === "failed");
  const shown = new Set(regions.filter(needsAttention).slice(0, room));
  for (const region of regions) {
    if (shown.size >= room) break;
    shown.add(region);
  }
  const rest = regions.filter((region) => !shown.has(region));
  const byOutcome = new Map<RegionOutcome, string[]>();
  for (const region of rest) {
    byOutcome.set(region.outcome, [...(byOutcome.get(region.outcome) ?? []), region.name]);
  }
  const summary = [...byOutcome].map(
    ([outcome, names]) =>
      `${outcomeEmoji(outcome)} *${outcome}* (${names.length}): ${names.map(escapeMrkdwn).join(", ")}`,
  );
  return [
    ...regions.filter((region) => shown.has(region)).map((region) => section(regionText(region))),
    section(
      listText(`*${plural(rest.length, "more region")}*`, summary, "", SLACK_LIMITS.sectionText),
    ),
  ];
}

/**
 * A region's outcome and its services' production builds before → after. Services that moved
 * alike share a line, so twenty services on one build read as one line, not twenty.
 */
function regionText(region: RegionReport): string {
  const duration =
    region.durationSeconds === null ? "" : `  ·  ${formatSeconds(region.durationSeconds)}`;
  const title = `*${escapeMrkdwn(region.name)}*  ${outcomeEmoji(region.outcome)} ${region.outcome}${duration}`;
  const groups = new Map<string, string[]>();
  const lines: string[] = [];
  for (const service of region.services) {
    const change = buildChange(region, service);
    const stopped = canaryStopped(service);
    if (service.error === null && service.refresh !== "failed" && !stopped) {
      groups.set(change, [...(groups.get(change) ?? []), escapeMrkdwn(service.name)]);
      continue;
    }
    const notes = [
      service.refresh === "failed" ? "staging refresh failed" : "",
      stopped ? `canary stopped at ${service.canary?.highestPercent}%` : "",
      service.error === null ? "" : `_${freeText(service.error)}_`,
    ].filter((note) => note !== "");
    lines.push(`${escapeMrkdwn(service.name)}: ${change} — ${notes.join("; ")}`);
  }
  const grouped = [...groups].map(([change, names]) => `${names.join(", ")}: ${change}`);
  return listText(title, [...grouped, ...lines]);
}

/**
 * Production's builds: before → after in a release; in a plan, before → what a swap would
 * bring (staging's build), or just the build for a region that would not be swapped.
 */
function buildChange(region: RegionReport, service: ServiceReport): string {
  const code = (build: string | null | undefined): string => `\`${codeSafe(buildText(build))}\``;
  if (region.outcome === "planned") {
    return `${code(service.before.production)} → ${code(service.before.staging)}`;
  }
  if (region.outcome === "already-released" && service.after === null) {
    return code(service.before.production);
  }
  const before = service.before.production;
  if (before !== null && before === service.after?.production) {
    return service.swapSeconds === null ? `stays on ${code(before)}` : `back on ${code(before)}`;
  }
  return `${code(before)} → ${code(service.after?.production)}`;
}

/**
 * A title and bullet lines, cut to a section's limit with a count of what was left out.
 * Each item is cut first, so one very long error cannot push every other line out.
 */
function listText(title: string, items: string[], bullet = "• ", maxItem = 500): string {
  const limit = SLACK_LIMITS.sectionText;
  let text = title;
  for (const [index, item] of items.entries()) {
    const line = `\n${bullet}${truncate(item, maxItem)}`;
    const after = items.length - index - 1;
    const reserve = after > 0 ? `\n…and ${after} more`.length : 0;
    if (text.length + line.length + reserve > limit) {
      const tail = `\n…and ${items.length - index} more`;
      return truncate(text, limit - tail.length) + tail;
    }
    text += line;
  }
  return text;
}

function contextElements(ctx: WorkflowRun, url: string | undefined): SlackText[] {
  const parts: string[] = [];
  if (ctx.ref !== undefined) parts.push(escapeMrkdwn(ctx.ref.replace(/^refs\/(heads|tags)\//, "")));
  if (ctx.sha !== undefined) parts.push(`\`${codeSafe(ctx.sha.slice(0, 7))}\``);
  if (ctx.actor !== undefined) parts.push(`by ${escapeMrkdwn(ctx.actor)}`);
  if (url !== undefined) parts.push(`<${url}|run ${escapeMrkdwn(ctx.runId)}>`);
  return parts.length === 0 ? [] : [{ type: "mrkdwn", text: truncate(parts.join("  ·  "), 3000) }];
}

function section(text: string): SlackBlock {
  return {
    type: "section",
    text: { type: "mrkdwn", text: truncate(text, SLACK_LIMITS.sectionText) },
  };
}

/** Slack mrkdwn treats `&`, `<` and `>` as control characters; everything else is literal. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Text inside backticks: escaped, and without backticks that would end the code span. */
function codeSafe(text: string): string {
  return escapeMrkdwn(text.replace(/`/g, "'"));
}

/** Text the run did not write itself (errors): one line, credentials removed, escaped. */
function freeText(text: string): string {
  return escapeMrkdwn(oneLine(text));
}
