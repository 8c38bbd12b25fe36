import { formatSeconds } from "../release/format-duration.js";
import type {
  PlanReport,
  RefreshPolicy,
  RegionReport,
  ReleaseReport,
  ServiceReport,
} from "../release/model.js";
import { buildText, oneLine, plural } from "./format.js";
import { safeLogText } from "../log-safety.js";

/**
 * What a release would do to one service, from a plan's pre-flight readings: production takes
 * what staging runs now. Shared by the log lines and the job summary so both say the same.
 */
export function servicePlan(region: RegionReport, service: ServiceReport): string {
  switch (region.outcome) {
    case "planned":
      return `swap ${buildText(service.before.production)} → ${buildText(service.before.staging)}`;
    case "already-released":
      return "already released";
    default:
      return service.error === null
        ? region.outcome
        : `${region.outcome}: ${oneLine(service.error)}`;
  }
}

/** One log line per region saying what a release would do there. */
export function regionPlanLine(region: RegionReport): string {
  switch (region.outcome) {
    case "planned": {
      const changes = region.services.map(
        (service) =>
          `${service.name} ${buildText(service.before.production)} → ${buildText(service.before.staging)}`,
      );
      return `${region.name}: swap ${plural(region.services.length, "service")} (${changes.join(", ")})`;
    }
    case "already-released":
      return `${region.name}: already released, not swapped`;
    default: {
      const problems = region.services
        .filter((service) => service.error !== null)
        .map((service) => `${service.name}: ${oneLine(service.error ?? "")}`);
      const detail = problems.length === 0 ? "" : ` (${problems.join("; ")})`;
      return `${region.name}: ${region.outcome}, not swapped${detail}`;
    }
  }
}

/**
 * The plan as log lines: the verdict, one line per region (`swap N services (api 1.4.1 →
 * 1.5.0, …)` or `already released, not swapped`), then whether a staging refresh would run.
 * `refresh` is the run's policy; the report does not carry it, and without it the last line
 * only says which staging slots would be left behind.
 */
export function describePlan(report: ReleaseReport, refresh?: RefreshPolicy): string[] {
  const toSwap = report.regions.filter((region) => region.outcome === "planned");
  const released = report.regions.filter((region) => region.outcome === "already-released");
  const blocked = report.regions.length - toSwap.length - released.length;
  const counts = [
    `${plural(toSwap.length, "region")} to release`,
    `${released.length} already released`,
    ...(blocked > 0 ? [`${blocked} blocked`] : []),
  ].join(", ");
  const verdict =
    report.outcome === "planned" || report.outcome === "already-released"
      ? `Plan for build ${report.build}: ${counts}.`
      : `Plan for build ${report.build}: a release would not start (${report.outcome}); ${counts}.`;
  const lines = [
    verdict,
    ...(report.plan === undefined
      ? report.regions.map(regionPlanLine)
      : planLines(report, report.plan)),
  ];
  for (const failure of report.failures) lines.push(`  ✗ ${oneLine(failure)}`);
  lines.push(refreshLine(report, refresh));
  // Lines for the log, holding builds and errors from status pages and Azure: never a command.
  return lines.map(safeLogText);
}

/**
 * The plan itself: each wave with its bake time, each region's line, its `depends-on` order when
 * it has one, the steps of every service, and the least time the release takes.
 */
function planLines(report: ReleaseReport, plan: PlanReport): string[] {
  const lines: string[] = [];
  const several = plan.waves.some((wave) => wave.regions.length > 1);
  for (const wave of plan.waves) {
    if (several) {
      lines.push(
        `Wave ${wave.wave}: ${wave.regions.map((region) => region.name).join(", ")}${wave.regions.length > 1 ? " together" : ""}, then bake ${formatSeconds(wave.bakeSeconds)}.`,
      );
    }
    for (const planned of wave.regions) {
      const region = report.regions.find((candidate) => candidate.name === planned.name);
      if (region !== undefined) lines.push(`${several ? "  " : ""}${regionPlanLine(region)}`);
      for (const service of region?.services ?? []) {
        if (service.differences === undefined) continue;
        lines.push(
          `${several ? "    " : "  "}${service.name}: ${differencesText(service.differences)}`,
        );
      }
      if (planned.stages.length > 1) {
        lines.push(
          `${several ? "    " : "  "}order (depends-on): ${planned.stages.map((stage) => stage.join(" + ")).join(" → ")}`,
        );
      }
    }
  }
  lines.push(`Each service: ${plan.steps.join(" → ")}.`);
  const bakes = plan.waves.map((wave) => wave.bakeSeconds);
  if (!several && bakes.some((seconds) => seconds > 0)) {
    lines.push(
      `Each region bakes ${[...new Set(bakes)].map(formatSeconds).join(" / ")} before the next starts.`,
    );
  }
  if (report.releaseWindow !== undefined) lines.push(releaseWindowLine(report.releaseWindow));
  if (plan.minimumSeconds > 0) {
    lines.push(
      `At least ${formatSeconds(plan.minimumSeconds)} (canary steps and bake times; swaps and verification add Azure's time).`,
    );
  }
  return lines;
}

/** Most settings named per service; the rest are counted. */
const MOST_DIFFERENCES_NAMED = 10;

/**
 * What a swap would change in a service's configuration, from Azure's slot diff: setting names
 * with their kind and level, never a value. Shared by the plan's log lines and the job summary.
 */
export function differencesText(differences: ServiceReport["differences"]): string {
  if (differences === undefined) return "";
  if (differences === null)
    return "configuration differences unknown (Azure's slot diff could not be read)";
  if (differences.length === 0) return "no configuration differences";
  const named = differences
    .slice(0, MOST_DIFFERENCES_NAMED)
    .map(
      (difference) =>
        `${oneLine(difference.setting)} (${oneLine(difference.type)}, ${oneLine(difference.level)})`,
    );
  const more = differences.length - named.length;
  return `${plural(differences.length, "configuration difference")}: ${named.join(", ")}${more > 0 ? `, and ${more} more` : ""}`;
}

/** Where the run stands with the manifest's release windows, in one line. */
export function releaseWindowLine(window: NonNullable<ReleaseReport["releaseWindow"]>): string {
  if (window.open) return "Release window: open now.";
  const next = window.next === null ? "" : `; the next opens ${window.next}`;
  return window.ignored
    ? `Release window: closed${next}; overridden by ignore-release-windows.`
    : `Release window: closed${next}; a release now would be refused.`;
}

/**
 * After a swap, staging runs what production ran before; in a released region it runs what it
 * runs now. Either way a slot not on the build is stale and is what a refresh would update.
 */
function staleStagingSlots(report: ReleaseReport): string[] {
  const stale: string[] = [];
  for (const region of report.regions) {
    for (const service of region.services) {
      const stagingAfter =
        region.outcome === "planned"
          ? service.before.production
          : region.outcome === "already-released"
            ? service.before.staging
            : undefined;
      if (stagingAfter === undefined) continue;
      if (stagingAfter?.trim() !== report.build.trim())
        stale.push(`${region.name}/${service.name}`);
    }
  }
  return stale;
}

function refreshLine(report: ReleaseReport, refresh: RefreshPolicy | undefined): string {
  const stale = staleStagingSlots(report);
  const slots = `${plural(stale.length, "staging slot")}${stale.length > 0 ? ` (${stale.join(", ")})` : ""}`;
  if (stale.length === 0) {
    return `Staging refresh: not needed, every staging slot would run ${report.build}.`;
  }
  switch (refresh) {
    case "mirror":
      return `Staging refresh (refresh: mirror) would run for ${slots}.`;
    case "none":
      return `Staging refresh: off (refresh: none); ${slots} would keep an older build.`;
    case undefined:
      return `Staging refresh: ${slots} would run an older build after the release; refresh: mirror updates them.`;
  }
}
