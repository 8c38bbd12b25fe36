import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { runAction, type ActionRun } from "../harness/run-action.js";
import {
  demoFleet,
  startSimulator,
  type AppSeed,
  type JournalEntry,
  type Simulator,
  type StatusFormat,
} from "../simulator/index.js";

/**
 * Benchmark of a full release of the bundled action (`dist/index.js`) against the simulator, for
 * several fleet shapes: wall time, time per region, ARM requests by kind, LRO polls, Entra token
 * requests, status page reads and peak concurrent swaps. It also checks the numbers for signs of
 * defects (busy polling, duplicated reads, token requests growing with the fleet) and writes
 * everything to `test/bench/RESULTS.md`.
 *
 * Run: `node_modules/.bin/node --import tsx test/bench/release-bench.ts [--quick]`
 * (`--quick`: one run per shape instead of three; `--swap-ms N`, `--retry-after S` change the
 * simulator's swap duration and Retry-After; `--only <text>` runs the shapes whose label holds
 * the text; `--write` writes RESULTS.md (not kept in the repository: `npm run bench`, i.e.
 * scale-bench.ts, writes docs/benchmarks.md); `--throttling` also runs every shape with ARM's
 * real request limits on and adds a section comparing them with the runs without limits).
 *
 * The main tables run with the simulator's ARM throttling off (`armLimits: false`): they measure
 * the action's own overhead and request pattern. With `--throttling`, each run is repeated with
 * Azure's real limits (the simulator's default) and a release that fails under them is recorded,
 * not thrown: that is a finding about the action.
 */

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const RESULTS_PATH = join(REPO_ROOT, "test", "bench", "RESULTS.md");
export const SUBSCRIPTION_ID = "00000000-0000-0000-0000-0000000000b1";
export const FROM_BUILD = "2.0.0";
export const TO_BUILD = "2.1.0";

/** One fleet shape to benchmark. */
interface Shape {
  label: string;
  regions: number;
  services: number;
  /** The `max-parallel` input; `0` is the action's default (all services of a region at once). */
  maxParallel: number;
  /** Use the simulator's own demo fleet (3 × 3) instead of a generated one. */
  demo: boolean;
}

/** What the benchmark needs to build a fleet: seeds and the manifest text. */
export interface Fleet {
  apps: AppSeed[];
  manifestYaml: string;
}

/** Numbers measured in one run. */
interface RunMetrics {
  wallSeconds: number;
  regionSecondsMean: number;
  regionSecondsMax: number;
  swapSecondsMedian: number;
  armTotal: number;
  armGet: number;
  armPost: number;
  armPut: number;
  armPatch: number;
  armOther: number;
  armNon2xx: number;
  swapPosts: number;
  lroPolls: number;
  pollsPerSwapMax: number;
  /** Polls sent before the swap's 202 `Retry-After` had elapsed. */
  earlyPolls: number;
  /** Shortest gap between two polls of one swap, leaving out the early ones. */
  minPollGapMs: number;
  preflightSeconds: number;
  tailSeconds: number;
  entraTokenRequests: number;
  entraOtherRequests: number;
  oidcTokenRequests: number;
  statusReads: number;
  statusReadsProduction: number;
  statusReadsStaging: number;
  preflightArmReads: number;
  preflightDuplicateArmReads: number;
  refreshArmReads: number;
  refreshDuplicateArmReads: number;
  peakConcurrentSwaps: number;
  completedSwaps: number;
  /** ARM requests by normalised route (`GET sites/{app}/slots/staging`), for the breakdown table. */
  armRoutes: Record<string, number>;
}

/** A run's measurements plus what the checks found suspicious. */
interface RunResult {
  metrics: RunMetrics;
  findings: string[];
}

interface Options {
  quick: boolean;
  runs: number;
  swapDurationMs: number;
  retryAfterSeconds: number;
  write: boolean;
  /** Only the shapes whose label contains this text (for trying the benchmark out). */
  only: string | undefined;
  /** Also run each shape with ARM's real request limits and compare. */
  throttling: boolean;
}

/** One run with ARM's real request limits on. */
interface ThrottledRun {
  released: boolean;
  /** Why the release failed: the checks' problems and the action's error lines. */
  failure: string | undefined;
  wallSeconds: number;
  /** Start to first swap POST; NaN when no swap started. */
  preflightSeconds: number;
  armTotal: number;
  throttled: number;
  throttledReads: number;
  throttledWrites: number;
  /** 429s before the first swap POST / between it and the last swap's end / after. */
  throttledPreflight: number;
  throttledRelease: number;
  throttledRefresh: number;
  /** 429s by normalised route. */
  throttledRoutes: Record<string, number>;
  /** Longest run of 429s one request (method + path) got in a row. */
  longestStreak: number;
  /** Requests whose last answer was a 429 (the client gave up on them). */
  abandoned: number;
  /** Given-up requests by phase (when their last 429 came). */
  abandonedByPhase: { preflight: number; release: number; refresh: number };
  /** Examples of abandoned requests: route and how many 429s in a row. */
  abandonedExamples: string[];
  /** 429s the simulator's throttle counted (equals `throttled`: no faults are injected). */
  throttleCount: number;
  /** The action's error and warning lines that speak of throttling or failure. */
  actionLines: string[];
}

const say = (text = ""): void => {
  process.stdout.write(`${text}\n`);
};

function parseOptions(argv: string[]): Options {
  const quick = argv.includes("--quick");
  const numberAfter = (flag: string, fallback: number): number => {
    const at = argv.indexOf(flag);
    if (at < 0) return fallback;
    const value = Number(argv[at + 1]);
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`${flag} needs a positive number, got '${argv[at + 1] ?? ""}'.`);
    return value;
  };
  return {
    quick,
    runs: numberAfter("--runs", quick ? 1 : 3),
    // 3 s with Retry-After 1 s: each swap should be polled about 3 times, enough to see whether
    // the action follows Retry-After or polls faster.
    swapDurationMs: numberAfter("--swap-ms", 3000),
    retryAfterSeconds: numberAfter("--retry-after", 1),
    // RESULTS.md is no longer kept: docs/benchmarks.md (npm run bench) holds the results.
    write: argv.includes("--write"),
    only: argv.includes("--only") ? argv[argv.indexOf("--only") + 1] : undefined,
    throttling: argv.includes("--throttling"),
  };
}

const SHAPES: Shape[] = [
  { label: "3 × 3 (demo)", regions: 3, services: 3, maxParallel: 0, demo: true },
  { label: "5 × 10", regions: 5, services: 10, maxParallel: 0, demo: false },
  { label: "10 × 20", regions: 10, services: 20, maxParallel: 0, demo: false },
  { label: "5 × 10, max-parallel 2", regions: 5, services: 10, maxParallel: 2, demo: false },
];

/** Status page styles cycled over the generated services, like the demo fleet's three. */
const STYLES: Array<{
  kind: AppSeed["kind"];
  statusFormat: StatusFormat;
  manifestStatus?: Record<string, string>;
}> = [
  { kind: "container", statusFormat: {} },
  {
    kind: "package",
    statusFormat: { buildField: "version", dependencyShape: "aspnet" },
    manifestStatus: { url: "https://{host}/healthz", "build-field": "version" },
  },
  {
    kind: "container",
    statusFormat: { buildField: "app.build", dependencyShape: "spring" },
    manifestStatus: { url: "https://{host}/actuator/health", "build-field": "app.build" },
  },
];

/** A fleet of `regions` × `services` apps, production on FROM_BUILD and staging on TO_BUILD. */
export function generateFleet(regions: number, services: number): Fleet {
  const apps: AppSeed[] = [];
  const manifestRegions = [];
  for (let r = 0; r < regions; r++) {
    const region = `region-${String(r + 1).padStart(2, "0")}`;
    const resourceGroup = `rg-bench-${region}`;
    const manifestServices = [];
    for (let s = 0; s < services; s++) {
      const style = STYLES[s % STYLES.length]!;
      const service = `svc-${String(s + 1).padStart(2, "0")}`;
      const app = `bench-${service}-${region}`;
      apps.push({
        subscriptionId: SUBSCRIPTION_ID,
        resourceGroup,
        name: app,
        location: region,
        kind: style.kind,
        production: { build: FROM_BUILD },
        staging: { build: TO_BUILD },
        statusFormat: style.statusFormat,
        stickySettings: {
          ASPNETCORE_ENVIRONMENT_SLOT: { production: "Production", staging: "Staging" },
        },
        appSettings: { SERVICE_NAME: service, REGION: region },
      });
      manifestServices.push({
        name: service,
        app,
        ...(style.manifestStatus ? { status: style.manifestStatus } : {}),
      });
    }
    manifestRegions.push({
      name: region,
      "resource-group": resourceGroup,
      services: manifestServices,
    });
  }
  const manifest = {
    slot: "staging",
    status: { url: "https://{host}/status", "build-field": "build" },
    regions: manifestRegions,
  };
  return {
    apps,
    manifestYaml: `# Generated by test/bench/release-bench.ts (${regions} × ${services}).\n${stringify(manifest, { aliasDuplicateObjects: false })}`,
  };
}

function fleetOf(shape: Shape): Fleet {
  if (shape.demo) {
    const fleet = demoFleet(SUBSCRIPTION_ID, { production: FROM_BUILD, staging: TO_BUILD });
    return { apps: fleet.apps, manifestYaml: fleet.manifestYaml };
  }
  return generateFleet(shape.regions, shape.services);
}

/** `GET sites/{app}/slots/staging/config/web`: the route with the app name and operation ids taken out. */
function routeOf(entry: JournalEntry): string {
  const at = entry.path.search(/\/sites\//i);
  const tail = at < 0 ? entry.path : entry.path.slice(at + 1);
  const route = tail
    .replace(/^sites\/[^/]+/i, "sites/{app}")
    .replace(/\/operationresults\/[^/]+/i, "/operationresults/{id}");
  return `${entry.method} ${route}`;
}

const isPoll = (entry: JournalEntry): boolean => /\/operationresults\//i.test(entry.path);
const is2xx = (status: number): boolean => status >= 200 && status < 300;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The most swaps running at one moment, from the simulator's start and completion times. */
function peakConcurrency(intervals: Array<{ startedAt: number; completedAt: number }>): number {
  // A swap completing at the very moment another starts does not overlap it: ends sort first.
  const events = intervals.flatMap((swap) => [
    { at: swap.startedAt, delta: 1 },
    { at: swap.completedAt, delta: -1 },
  ]);
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let running = 0;
  let peak = 0;
  for (const event of events) {
    running += event.delta;
    peak = Math.max(peak, running);
  }
  return peak;
}

interface ReportShape {
  outcome?: string;
  regions?: Array<{
    name?: string;
    outcome?: string;
    durationSeconds?: number | null;
    services?: Array<{ app?: string; swapSeconds?: number | null; refresh?: string }>;
  }>;
}

/** Throws, naming every problem, unless the run released every app to TO_BUILD. */
function verifyReleased(shape: Shape, run: ActionRun, sim: Simulator, appCount: number): void {
  const problems: string[] = [];
  const report = run.report as ReportShape | undefined;
  if (run.timedOut) problems.push("the action timed out and was killed");
  if (run.exitCode !== 0) problems.push(`exit code ${run.exitCode ?? `signal ${run.signal}`}`);
  if (run.outputs.outcome !== "released")
    problems.push(`outcome output '${run.outputs.outcome ?? "(none)"}', expected 'released'`);
  if (report?.outcome !== "released")
    problems.push(`report outcome '${report?.outcome ?? "(no report)"}', expected 'released'`);
  const regions = report?.regions ?? [];
  if (regions.length !== shape.regions)
    problems.push(`report has ${regions.length} regions, expected ${shape.regions}`);
  for (const region of regions)
    if (region.outcome !== "released")
      problems.push(`region ${region.name ?? "?"} outcome '${region.outcome ?? "?"}'`);
  const truth = sim.groundTruth();
  if (truth.length !== appCount)
    problems.push(`simulator holds ${truth.length} apps, expected ${appCount}`);
  for (const app of truth) {
    if (app.production.build !== TO_BUILD)
      problems.push(
        `${app.app}: production runs '${app.production.build ?? "nothing"}', expected ${TO_BUILD}`,
      );
    // refresh: mirror is the default, so staging must run the released build too.
    if (app.staging?.build !== TO_BUILD)
      problems.push(
        `${app.app}: staging runs '${app.staging?.build ?? "nothing"}' after refresh, expected ${TO_BUILD}`,
      );
  }
  if (problems.length > 0) {
    throw new Error(
      `release of ${shape.label} did not succeed:\n  - ${problems.slice(0, 20).join("\n  - ")}` +
        (problems.length > 20 ? `\n  - … and ${problems.length - 20} more` : "") +
        `\n--- action stdout (last 3000 chars) ---\n${run.stdout.slice(-3000)}\n--- stderr ---\n${run.stderr.slice(-3000)}`,
    );
  }
}

/** Measures one run from the journal and the report, and lists what looks wrong in it. */
function measure(
  shape: Shape,
  run: ActionRun,
  sim: Simulator,
  options: Options,
  startedAt: number,
): RunResult {
  const entries = sim.journal.entries();
  const arm = entries.filter((entry) => entry.service === "arm");
  const polls = arm.filter(isPoll);
  const swapRequests = sim.journal.swapRequests();
  const completed = sim.journal.swaps();
  const status = entries.filter((entry) => entry.service === "status");
  const entra = entries.filter((entry) => entry.service === "entra");
  const entraTokens = entra.filter(
    (entry) => entry.method === "POST" && /\/oauth2\/v2\.0\/token$/i.test(entry.path),
  );
  const oidc = entries.filter((entry) => entry.service === "oidc" && /\/token$/i.test(entry.path));
  const report = run.report as ReportShape;
  const regionSeconds = (report.regions ?? []).map(
    (region) => region.durationSeconds ?? Number.NaN,
  );
  const swapSeconds = (report.regions ?? []).flatMap((region) =>
    (region.services ?? []).map((service) => service.swapSeconds ?? Number.NaN),
  );

  // Polls per operation. A poll sent before the 202's Retry-After elapsed is "early"; the gaps
  // between the later ones show whether the action follows Retry-After or polls faster.
  const retryAfterMs = options.retryAfterSeconds * 1000;
  const pollsByOperation = new Map<string, number[]>();
  let earlyPolls = 0;
  for (const poll of polls) {
    const id = /\/operationresults\/([^/]+)/i.exec(poll.path)?.[1] ?? poll.path;
    pollsByOperation.set(id, [...(pollsByOperation.get(id) ?? []), poll.at]);
    const app = /\/sites\/([^/]+)/i.exec(poll.path)?.[1]?.toLowerCase();
    const swapAt = swapRequests
      .filter((swap) => swap.app.toLowerCase() === app && swap.at <= poll.at)
      .reduce((latest, swap) => Math.max(latest, swap.at), Number.NEGATIVE_INFINITY);
    if (poll.at - swapAt < retryAfterMs * 0.8) earlyPolls++;
  }
  let minPollGapMs = Number.POSITIVE_INFINITY;
  for (const times of pollsByOperation.values()) {
    const swapAt = times[0]!;
    for (let i = 1; i < times.length; i++)
      if (times[i]! - swapAt >= retryAfterMs * 0.8)
        minPollGapMs = Math.min(minPollGapMs, times[i]! - times[i - 1]!);
  }
  const firstSwapAt = swapRequests.length
    ? Math.min(...swapRequests.map((swap) => swap.at))
    : Infinity;
  const lastSwapDoneAt = completed.length
    ? Math.max(...completed.map((swap) => swap.completedAt))
    : Infinity;
  const preflight = arm.filter((entry) => entry.at < firstSwapAt && isArmRead(entry));
  const refresh = arm.filter((entry) => entry.at > lastSwapDoneAt && isArmRead(entry));
  const preflightRepeats = repeatedPaths(preflight);
  const refreshRepeats = repeatedPaths(refresh);
  const duplicateReads = preflightRepeats.total;

  const armRoutes: Record<string, number> = {};
  for (const entry of arm) armRoutes[routeOf(entry)] = (armRoutes[routeOf(entry)] ?? 0) + 1;

  const count = (method: string) => arm.filter((entry) => entry.method === method).length;
  const metrics: RunMetrics = {
    wallSeconds: run.durationMs / 1000,
    regionSecondsMean: regionSeconds.reduce((a, b) => a + b, 0) / Math.max(1, regionSeconds.length),
    regionSecondsMax: Math.max(...regionSeconds),
    swapSecondsMedian: median(swapSeconds),
    armTotal: arm.length,
    armGet: count("GET"),
    armPost: count("POST"),
    armPut: count("PUT"),
    armPatch: count("PATCH"),
    armOther: arm.length - count("GET") - count("POST") - count("PUT") - count("PATCH"),
    armNon2xx: arm.filter((entry) => !is2xx(entry.status)).length,
    swapPosts: swapRequests.length,
    lroPolls: polls.length,
    pollsPerSwapMax: Math.max(0, ...[...pollsByOperation.values()].map((times) => times.length)),
    earlyPolls,
    minPollGapMs: Number.isFinite(minPollGapMs) ? minPollGapMs : Number.NaN,
    preflightSeconds: (firstSwapAt - startedAt) / 1000,
    tailSeconds: (startedAt + run.durationMs - lastSwapDoneAt) / 1000,
    entraTokenRequests: entraTokens.length,
    entraOtherRequests: entra.length - entraTokens.length,
    oidcTokenRequests: oidc.length,
    statusReads: status.length,
    statusReadsProduction: status.filter(
      (entry) => !/\/sites\/[^/]+-staging(\/|$)/i.test(entry.path),
    ).length,
    statusReadsStaging: status.filter((entry) => /\/sites\/[^/]+-staging(\/|$)/i.test(entry.path))
      .length,
    preflightArmReads: preflight.length,
    preflightDuplicateArmReads: duplicateReads,
    refreshArmReads: refresh.length,
    refreshDuplicateArmReads: refreshRepeats.total,
    peakConcurrentSwaps: peakConcurrency(completed),
    completedSwaps: completed.length,
    armRoutes,
  };

  const findings: string[] = [];
  const apps = shape.regions * shape.services;
  const expectedPollsPerSwap = Math.ceil(options.swapDurationMs / retryAfterMs);
  // Polls paced by Retry-After: duration / Retry-After, plus one for timer jitter.
  const pollBudget = swapRequests.length * (expectedPollsPerSwap + 1);
  if (polls.length > pollBudget)
    findings.push(
      `LRO polls ${polls.length} exceed swaps × (duration / Retry-After + 1) = ${swapRequests.length} × ${expectedPollsPerSwap + 1} = ${pollBudget}`,
    );
  if (earlyPolls > 0)
    findings.push(
      `${earlyPolls} polls (${(earlyPolls / Math.max(1, swapRequests.length)).toFixed(1)} per swap) were sent before the swap's Retry-After (${options.retryAfterSeconds} s) had elapsed`,
    );
  if (metrics.minPollGapMs < retryAfterMs * 0.8)
    findings.push(
      `after the first Retry-After, two polls of one swap came only ${metrics.minPollGapMs} ms apart (busy polling?)`,
    );
  if (swapRequests.length !== apps)
    findings.push(`${swapRequests.length} swap POSTs for ${apps} apps (expected exactly one each)`);
  if (completed.length !== apps)
    findings.push(`${completed.length} completed swaps for ${apps} apps`);
  if (completed.some((swap) => !swap.succeeded)) findings.push("a swap failed in the simulator");
  if (preflightRepeats.total > 0)
    findings.push(
      `${preflightRepeats.total} repeated ARM reads before the first swap, e.g. ${preflightRepeats.examples.join("; ")}`,
    );
  if (refreshRepeats.total > 0)
    findings.push(
      `${refreshRepeats.total} repeated ARM reads after the last swap (refresh), e.g. ${refreshRepeats.examples.join("; ")}`,
    );
  if (entraTokens.length > 1)
    findings.push(
      `${entraTokens.length} Entra token requests (token lifetime 3599 s: one should do)`,
    );
  if (oidc.length > entraTokens.length)
    findings.push(
      `${oidc.length} GitHub OIDC token requests for ${entraTokens.length} Entra token requests`,
    );
  const widthLimit = shape.maxParallel > 0 ? shape.maxParallel : shape.services;
  if (metrics.peakConcurrentSwaps > widthLimit)
    findings.push(
      `peak ${metrics.peakConcurrentSwaps} concurrent swaps, above the limit ${widthLimit}`,
    );
  if (metrics.peakConcurrentSwaps < widthLimit)
    findings.push(
      `peak ${metrics.peakConcurrentSwaps} concurrent swaps, below the expected ${widthLimit}`,
    );
  const crossRegion = swapsOverlappingAcrossRegions(sim, completed);
  if (crossRegion > 0) findings.push(`${crossRegion} swaps overlapped a swap of another region`);
  if (metrics.armNon2xx > 0) {
    const failed = arm.filter((entry) => !is2xx(entry.status)).slice(0, 3);
    findings.push(
      `${metrics.armNon2xx} ARM answers were not 2xx, e.g. ${failed.map((entry) => `${entry.status} ${routeOf(entry)}`).join("; ")}`,
    );
  }
  // Pre-flight reads both slots' status pages, release reads production at least once after the
  // swap, refresh reads staging once: 4 per app at the least.
  if (status.length < apps * 4)
    findings.push(`only ${status.length} status reads for ${apps} apps (expected ≥ 4 per app)`);
  return { metrics, findings };
}

/** An ARM request that only reads: a GET other than a poll, or a `…/list` POST. */
function isArmRead(entry: JournalEntry): boolean {
  return (
    (entry.method === "GET" && !isPoll(entry)) ||
    (entry.method === "POST" && /\/list$/i.test(entry.path))
  );
}

/** How many reads repeat a (method, path) already read, with the three most repeated. */
function repeatedPaths(entries: JournalEntry[]): { total: number; examples: string[] } {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const key = `${entry.method} ${entry.path.replace(/^.*\/sites\//i, "sites/")}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const repeated = [...counts.entries()].filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1]);
  return {
    total: repeated.reduce((sum, [, n]) => sum + n - 1, 0),
    examples: repeated.slice(0, 3).map(([key, n]) => `${n}× ${key}`),
  };
}

/** How many swaps ran while a swap of another region (by resource group) was running. */
function swapsOverlappingAcrossRegions(
  sim: Simulator,
  swaps: Array<{ app: string; startedAt: number; completedAt: number }>,
): number {
  const groupOf = new Map(
    sim.groundTruth().map((app) => [app.app.toLowerCase(), app.resourceGroup]),
  );
  let overlapping = 0;
  for (const a of swaps) {
    const group = groupOf.get(a.app.toLowerCase());
    if (
      swaps.some(
        (b) =>
          groupOf.get(b.app.toLowerCase()) !== group &&
          b.startedAt < a.completedAt &&
          a.startedAt < b.completedAt,
      )
    )
      overlapping++;
  }
  return overlapping;
}

async function runOnce(shape: Shape, options: Options): Promise<RunResult> {
  return runShape(shape, options, false, (run, sim, fleet, startedAt) => {
    verifyReleased(shape, run, sim, fleet.apps.length);
    return measure(shape, run, sim, options, startedAt);
  });
}

/** One run with Azure's real ARM limits: a failed release is recorded, not thrown. */
async function runThrottled(shape: Shape, options: Options): Promise<ThrottledRun> {
  return runShape(shape, options, true, (run, sim, fleet, startedAt) => {
    let failure: string | undefined;
    try {
      verifyReleased(shape, run, sim, fleet.apps.length);
    } catch (error) {
      // The problems only; the action's own lines are kept separately.
      failure = (error instanceof Error ? error.message : String(error)).split(
        "\n--- action stdout",
      )[0];
    }
    return measureThrottling(run, sim, startedAt, failure);
  });
}

/** The 429s of a run, where they fell, and whether the client gave any request up. */
function measureThrottling(
  run: ActionRun,
  sim: Simulator,
  startedAt: number,
  failure: string | undefined,
): ThrottledRun {
  const arm = sim.journal.of("arm");
  const throttled = arm.filter((entry) => entry.status === 429);
  const swaps = sim.journal.swapRequests();
  const completed = sim.journal.swaps();
  const firstSwapAt = swaps.length ? Math.min(...swaps.map((swap) => swap.at)) : Infinity;
  const lastSwapDoneAt = completed.length
    ? Math.max(...completed.map((swap) => swap.completedAt))
    : Infinity;
  const throttledRoutes: Record<string, number> = {};
  for (const entry of throttled)
    throttledRoutes[routeOf(entry)] = (throttledRoutes[routeOf(entry)] ?? 0) + 1;
  // Requests to one (method, path) in order: a 429 streak is one request retried; a streak at
  // the end with no success after it is a request the client gave up on.
  const byRequest = new Map<string, JournalEntry[]>();
  for (const entry of arm) {
    const key = `${entry.method} ${entry.path}`;
    byRequest.set(key, [...(byRequest.get(key) ?? []), entry]);
  }
  const abandonedByPhase = { preflight: 0, release: 0, refresh: 0 };
  let longestStreak = 0;
  let abandoned = 0;
  const abandonedExamples: string[] = [];
  for (const [key, entries] of byRequest) {
    let streak = 0;
    for (const entry of entries) {
      streak = entry.status === 429 ? streak + 1 : 0;
      longestStreak = Math.max(longestStreak, streak);
    }
    if (streak > 0) {
      abandoned++;
      const at = entries[entries.length - 1]!.at;
      if (at < firstSwapAt) abandonedByPhase.preflight++;
      else if (at <= lastSwapDoneAt) abandonedByPhase.release++;
      else abandonedByPhase.refresh++;
      if (abandonedExamples.length < 5)
        abandonedExamples.push(
          `${key.replace(/^(\S+) .*\/sites\//i, "$1 sites/")} (${streak} × 429 in a row)`,
        );
    }
  }
  return {
    released: failure === undefined,
    failure,
    wallSeconds: run.durationMs / 1000,
    preflightSeconds: Number.isFinite(firstSwapAt) ? (firstSwapAt - startedAt) / 1000 : Number.NaN,
    armTotal: arm.length,
    throttled: throttled.length,
    throttledReads: throttled.filter((entry) => entry.method === "GET").length,
    throttledWrites: throttled.filter((entry) => entry.method !== "GET").length,
    throttledPreflight: throttled.filter((entry) => entry.at < firstSwapAt).length,
    throttledRelease: throttled.filter(
      (entry) => entry.at >= firstSwapAt && entry.at <= lastSwapDoneAt,
    ).length,
    throttledRefresh: throttled.filter((entry) => entry.at > lastSwapDoneAt).length,
    throttledRoutes,
    longestStreak,
    abandoned,
    abandonedByPhase,
    abandonedExamples,
    throttleCount: sim.armThrottledCount(),
    actionLines: `${run.stdout}\n${run.stderr}`
      .split("\n")
      .filter((line) => /::(error|warning)|throttl|429|TooManyRequests/i.test(line))
      .map((line) => (line.length > 600 ? `${line.slice(0, 600)}…` : line))
      .slice(0, 12),
  };
}

async function runShape<T>(
  shape: Shape,
  options: Options,
  realLimits: boolean,
  evaluate: (run: ActionRun, sim: Simulator, fleet: Fleet, startedAt: number) => T,
): Promise<T> {
  const fleet = fleetOf(shape);
  const sim = await startSimulator({
    apps: fleet.apps,
    swapDurationMs: options.swapDurationMs,
    retryAfterSeconds: options.retryAfterSeconds,
    // undefined: the simulator's default, Azure's real limits.
    ...(realLimits ? {} : { armLimits: false as const }),
  });
  const workDir = mkdtempSync(join(tmpdir(), "regional-slot-swap-bench-"));
  try {
    const manifestPath = join(workDir, "release-manifest.yml");
    writeFileSync(manifestPath, fleet.manifestYaml);
    const inputs: Record<string, string> = {
      build: TO_BUILD,
      manifest: manifestPath,
      "subscription-id": SUBSCRIPTION_ID,
      "tenant-id": sim.tenantId,
      "client-id": sim.clientId, // no client-secret: GitHub OIDC, as the demo signs in
      "arm-endpoint": sim.armEndpoint,
      "authority-host": sim.authorityHost,
      "status-interval": "1s",
      "status-timeout": "30s",
    };
    if (shape.maxParallel > 0) inputs["max-parallel"] = String(shape.maxParallel);
    const startedAt = Date.now();
    const run = await runAction({ sim, inputs, timeoutMs: 15 * 60_000 });
    return evaluate(run, sim, fleet, startedAt);
  } finally {
    await sim.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

// --- Output -----------------------------------------------------------------------------------

type MetricKey = Exclude<keyof RunMetrics, "armRoutes">;

const ROWS: Array<{ key: MetricKey; label: string; digits: number }> = [
  { key: "wallSeconds", label: "wall time of the action (s)", digits: 1 },
  {
    key: "preflightSeconds",
    label: "start to first swap POST (s: start-up, sign-in, pre-flight)",
    digits: 1,
  },
  {
    key: "tailSeconds",
    label: "last swap done to exit (s: last verification, refresh, report)",
    digits: 1,
  },
  { key: "regionSecondsMean", label: "time per region, mean (s, report)", digits: 1 },
  { key: "regionSecondsMax", label: "time per region, slowest (s, report)", digits: 1 },
  { key: "swapSecondsMedian", label: "swap time per service, median (s, report)", digits: 1 },
  { key: "armTotal", label: "ARM requests, total", digits: 0 },
  { key: "armGet", label: "ARM GET (incl. polls)", digits: 0 },
  { key: "armPost", label: "ARM POST (incl. swaps)", digits: 0 },
  { key: "armPut", label: "ARM PUT", digits: 0 },
  { key: "armPatch", label: "ARM PATCH", digits: 0 },
  { key: "armNon2xx", label: "ARM answers not 2xx", digits: 0 },
  { key: "swapPosts", label: "swap POSTs", digits: 0 },
  { key: "lroPolls", label: "LRO polls (operationresults GETs)", digits: 0 },
  { key: "pollsPerSwapMax", label: "polls of the most-polled swap", digits: 0 },
  { key: "earlyPolls", label: "polls sent before the 202's Retry-After elapsed", digits: 0 },
  { key: "minPollGapMs", label: "shortest gap between 2 later polls of a swap (ms)", digits: 0 },
  { key: "preflightArmReads", label: "ARM reads before the first swap", digits: 0 },
  { key: "preflightDuplicateArmReads", label: "… repeating a read already made", digits: 0 },
  { key: "refreshArmReads", label: "ARM reads after the last swap (refresh)", digits: 0 },
  { key: "refreshDuplicateArmReads", label: "… repeating a read already made", digits: 0 },
  { key: "entraTokenRequests", label: "Entra token requests", digits: 0 },
  { key: "entraOtherRequests", label: "other Entra requests (metadata)", digits: 0 },
  { key: "oidcTokenRequests", label: "GitHub OIDC token requests", digits: 0 },
  { key: "statusReads", label: "status page reads", digits: 0 },
  { key: "statusReadsProduction", label: "… of production pages", digits: 0 },
  { key: "statusReadsStaging", label: "… of staging pages", digits: 0 },
  { key: "peakConcurrentSwaps", label: "peak concurrent swaps", digits: 0 },
];

function cell(values: number[], digits: number): string {
  const format = (value: number) => (Number.isNaN(value) ? "–" : value.toFixed(digits));
  if (values.length === 1) return format(values[0]!);
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high
    ? format(median(values))
    : `${format(median(values))} (${format(low)}–${format(high)})`;
}

function resultsTable(shapes: Shape[], results: Map<Shape, RunResult[]>): string {
  const header = `| metric | ${shapes.map((shape) => shape.label).join(" | ")} |`;
  const rule = `|---|${shapes.map(() => "---:").join("|")}|`;
  const apps = `| apps (regions × services) | ${shapes.map((shape) => String(shape.regions * shape.services)).join(" | ")} |`;
  const rows = ROWS.map(
    (row) =>
      `| ${row.label} | ${shapes
        .map((shape) =>
          cell(
            (results.get(shape) ?? []).map((result) => result.metrics[row.key]),
            row.digits,
          ),
        )
        .join(" | ")} |`,
  );
  const perApp = (key: MetricKey, label: string) =>
    `| ${label} | ${shapes
      .map((shape) => {
        const n = shape.regions * shape.services;
        return cell(
          (results.get(shape) ?? []).map((result) => result.metrics[key] / n),
          2,
        );
      })
      .join(" | ")} |`;
  return [
    header,
    rule,
    apps,
    ...rows,
    perApp("armTotal", "ARM requests per app"),
    perApp("lroPolls", "LRO polls per swap"),
    perApp("statusReads", "status reads per app"),
  ].join("\n");
}

function routesTable(shapes: Shape[], results: Map<Shape, RunResult[]>): string {
  const routes = new Set<string>();
  for (const runs of results.values())
    for (const run of runs)
      for (const route of Object.keys(run.metrics.armRoutes)) routes.add(route);
  const header = `| ARM route (per app, first run) | ${shapes.map((shape) => shape.label).join(" | ")} |`;
  const rule = `|---|${shapes.map(() => "---:").join("|")}|`;
  const rows = [...routes].sort().map((route) => {
    const cells = shapes.map((shape) => {
      const first = results.get(shape)?.[0];
      const n = shape.regions * shape.services;
      const count = first?.metrics.armRoutes[route] ?? 0;
      return count === 0 ? "0" : (count / n).toFixed(2);
    });
    return `| \`${route}\` | ${cells.join(" | ")} |`;
  });
  return [header, rule, ...rows].join("\n");
}

function findingsText(shapes: Shape[], results: Map<Shape, RunResult[]>): string[] {
  const lines: string[] = [];
  for (const shape of shapes) {
    const runs = results.get(shape) ?? [];
    // One line per kind of finding: runs differ only in their examples.
    const byKind = new Map<string, string>();
    for (const finding of runs.flatMap((run) => run.findings)) {
      const kind = finding.replace(/, e\.g\. .*$/, "");
      if (!byKind.has(kind)) byKind.set(kind, finding);
    }
    const unique = [...byKind.values()];
    if (unique.length === 0) lines.push(`- **${shape.label}**: nothing suspicious.`);
    else for (const finding of unique) lines.push(`- **${shape.label}**: ${finding}`);
  }
  // Cross-shape: does anything that should stay constant grow with the fleet?
  const tokens = shapes.map((shape) =>
    median((results.get(shape) ?? []).map((run) => run.metrics.entraTokenRequests)),
  );
  if (Math.max(...tokens) > Math.min(...tokens))
    lines.push(
      `- **across shapes**: Entra token requests vary with the fleet (${shapes.map((shape, i) => `${shape.label}: ${tokens[i]}`).join(", ")})`,
    );
  const perApp = shapes.map(
    (shape) =>
      median((results.get(shape) ?? []).map((run) => run.metrics.armTotal)) /
      (shape.regions * shape.services),
  );
  if (Math.max(...perApp) > Math.min(...perApp) * 1.25)
    lines.push(
      `- **across shapes**: ARM requests per app vary by more than 25 % (${shapes.map((shape, i) => `${shape.label}: ${perApp[i]!.toFixed(2)}`).join(", ")})`,
    );
  // What was found behind these findings when the benchmark was written, shown only when they occur.
  const text = lines.join("\n");
  const notes = KNOWN_CAUSES.filter((known) => known.finding.test(text)).map(
    (known) => `- ${known.cause}`,
  );
  if (notes.length > 0)
    lines.push(
      "",
      "Causes found when this benchmark was written (re-check if the code changed):",
      "",
      ...notes,
    );
  return lines;
}

/** Explanations of findings, traced to the code when the benchmark was written. */
const KNOWN_CAUSES: Array<{ finding: RegExp; cause: string }> = [
  {
    finding: /before the swap's Retry-After|LRO polls \d+ exceed/,
    cause:
      "Early polls: `beginSwapSlotAndWait` (arm-appservice 18) calls `beginSwapSlot`, which polls once right after the 202, and then `pollUntilDone` (core-lro 2.7) polls again before its first delay; the 202's `Retry-After` is ignored (azure-protocol.md says so). So every swap costs two polls within a few ms of the POST, on top of duration / Retry-After paced ones. Later polls follow Retry-After (see the shortest gap).",
  },
  {
    finding: /GitHub OIDC token requests for/,
    cause:
      "Two GitHub OIDC tokens per Entra token: msal-node resolves the client-assertion callback once when it builds the client configuration (`ClientApplication.getClientAssertion`) and again for the token request (`ConfidentialClientApplication`), so `getIdToken` runs twice per sign-in.",
  },
  {
    finding: /repeated ARM reads after the last swap/,
    cause:
      "Refresh of a run-from-package app lists the staging slot's app settings twice: `readDeployment(staging)` (to see whether it already matches production) and again in `applyDeployment` (to build the full PUT); `src/azure/arm-slot-gateway.ts`.",
  },
];

function machine(): string {
  let nproc = String(cpus().length);
  try {
    nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
  } catch {
    // nproc is missing on some systems: os.cpus() is close enough.
  }
  return `nproc ${nproc}, ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}, ${process.platform} ${process.arch}`;
}

/** The section comparing runs with ARM's real limits against the runs without. */
function throttlingText(
  shapes: Shape[],
  results: Map<Shape, RunResult[]>,
  throttledResults: Map<Shape, ThrottledRun[]>,
): string[] {
  const runsOf = (shape: Shape) => throttledResults.get(shape) ?? [];
  const row = (label: string, value: (shape: Shape) => string) =>
    `| ${label} | ${shapes.map(value).join(" | ")} |`;
  const on = (shape: Shape, key: keyof ThrottledRun, digits = 0) =>
    cell(
      runsOf(shape).map((run) => run[key] as number),
      digits,
    );
  const offWall = (shape: Shape) =>
    median((results.get(shape) ?? []).map((run) => run.metrics.wallSeconds));
  const offPreflight = (shape: Shape) =>
    median((results.get(shape) ?? []).map((run) => run.metrics.preflightSeconds));
  const lines = [
    `| metric (real limits on) | ${shapes.map((shape) => shape.label).join(" | ")} |`,
    `|---|${shapes.map(() => "---:").join("|")}|`,
    row(
      "releases that succeeded",
      (shape) => `${runsOf(shape).filter((run) => run.released).length} of ${runsOf(shape).length}`,
    ),
    row("wall time, limits off (s, from Results)", (shape) => offWall(shape).toFixed(1)),
    row("wall time, limits on (s)", (shape) => on(shape, "wallSeconds", 1)),
    row("wall time throttling cost (s, median on − median off)", (shape) =>
      (median(runsOf(shape).map((run) => run.wallSeconds)) - offWall(shape)).toFixed(1),
    ),
    row("start to first swap POST, limits off (s)", (shape) => offPreflight(shape).toFixed(1)),
    row("start to first swap POST, limits on (s)", (shape) => on(shape, "preflightSeconds", 1)),
    row("ARM requests, total (incl. 429s)", (shape) => on(shape, "armTotal")),
    row("429 answers", (shape) => on(shape, "throttled")),
    row("… to reads (GET)", (shape) => on(shape, "throttledReads")),
    row("… to writes (POST, PUT, PATCH)", (shape) => on(shape, "throttledWrites")),
    row("… before the first swap (pre-flight)", (shape) => on(shape, "throttledPreflight")),
    row("… during the swaps", (shape) => on(shape, "throttledRelease")),
    row("… after the last swap (refresh)", (shape) => on(shape, "throttledRefresh")),
    row("most 429s one request got in a row", (shape) => on(shape, "longestStreak")),
    row("requests whose last answer was a 429 (given up)", (shape) => on(shape, "abandoned")),
    row("… given up in pre-flight / during the swaps / in refresh", (shape) =>
      runsOf(shape)
        .map(
          (run) =>
            `${run.abandonedByPhase.preflight} / ${run.abandonedByPhase.release} / ${run.abandonedByPhase.refresh}`,
        )
        .join("; "),
    ),
  ];
  const routes = new Set<string>();
  for (const runs of throttledResults.values())
    for (const run of runs) for (const route of Object.keys(run.throttledRoutes)) routes.add(route);
  if (routes.size > 0) {
    lines.push(
      "",
      `| 429s by ARM route (first run) | ${shapes.map((shape) => shape.label).join(" | ")} |`,
      `|---|${shapes.map(() => "---:").join("|")}|`,
      ...[...routes]
        .sort()
        .map(
          (route) =>
            `| \`${route}\` | ${shapes.map((shape) => String(runsOf(shape)[0]?.throttledRoutes[route] ?? 0)).join(" | ")} |`,
        ),
    );
  }
  const failures: string[] = [];
  for (const shape of shapes)
    runsOf(shape).forEach((run, index) => {
      if (run.released && run.abandoned === 0) return;
      failures.push(
        "",
        `**${shape.label}, run ${index + 1}** (limits on): ${run.released ? "released" : "did not release"}; ${run.throttled} × 429, ${run.abandoned} request(s) given up after ${run.longestStreak} 429s in a row.`,
      );
      if (run.abandonedExamples.length)
        failures.push(
          "",
          "Given up:",
          "",
          ...run.abandonedExamples.map((example) => `- \`${example}\``),
        );
      if (run.failure) failures.push("", "```text", run.failure, "```");
      if (run.actionLines.length)
        failures.push("", "The action printed:", "", "```text", ...run.actionLines, "```");
    });
  if (failures.length) lines.push("", "### Runs where the client gave up", ...failures);
  return lines;
}

function markdown(
  options: Options,
  shapes: Shape[],
  results: Map<Shape, RunResult[]>,
  startedAt: Date,
  totalSeconds: number,
  throttledResults: Map<Shape, ThrottledRun[]>,
): string {
  return [
    "# regional-slot-swap release benchmark",
    "",
    "Generated by `test/bench/release-bench.ts`; run it again to compare.",
    "",
    `- date: ${startedAt.toISOString()}`,
    `- machine: ${machine()}`,
    `- mode: ${options.quick ? "quick" : "full"}, ${options.runs} run(s) per shape, ${totalSeconds.toFixed(0)} s in all`,
    `- simulator: swap duration ${options.swapDurationMs} ms, Retry-After ${options.retryAfterSeconds} s on the swap's 202 answers, Entra token lifetime 3599 s, no warm-up, no faults, ARM request throttling off in the main tables${options.throttling ? " (on with the real limits in the Throttling section)" : ""}`,
    `- action: the bundled \`dist/index.js\`, run by \`test/harness/run-action.ts\` as a runner does; sign-in through GitHub OIDC; default inputs except \`status-interval: 1s\`, \`status-timeout: 30s\` (and \`max-parallel\` where the shape says so); \`refresh: mirror\` (the default) runs after the release`,
    `- every run was checked: exit code 0, outcome \`released\`, every region \`released\`, and every production and staging slot on ${TO_BUILD} in the simulator's ground truth`,
    "",
    "## What the numbers mean",
    "",
    `The simulator's swap takes a fixed ${options.swapDurationMs} ms and status pages answer at once, so these numbers measure`,
    "the action's own overhead (start-up, sign-in, pre-flight, status verification, refresh) and its request",
    "behaviour (ARM polls per swap, whether it busy-polls, repeated reads), not Azure's real swap time,",
    "which is minutes. Times are `median (min–max)` over the runs. A region's time is the report's",
    "`durationSeconds` (swaps, verification and bake time of that region); the wall time also holds",
    "start-up, pre-flight and the refresh. Counts come from the simulator's request journal.",
    "With Retry-After 1 s, a swap should be polled about duration / Retry-After times.",
    "",
    "## Results",
    "",
    resultsTable(shapes, results),
    "",
    "## ARM requests by route, per app",
    "",
    routesTable(shapes, results),
    "",
    "## Automatic checks",
    "",
    ...findingsText(shapes, results),
    "",
    ...(throttledResults.size > 0
      ? [
          "## Throttling: the same runs with ARM's real request limits",
          "",
          "The simulator's ARM throttles like Azure's (request-limits-and-throttling.md): per subscription,",
          "principal and operation type a token bucket of 250 reads refilled at 25/s and 200 writes refilled at",
          "10/s (a POST action such as `…/appsettings/list` is a write), plus a subscription-wide bucket 15 times",
          "as large; an empty bucket answers 429 `SubscriptionRequestsThrottled` with `Retry-After` = seconds",
          "until the next token, at least 1. The action's SDK (`@azure/core-rest-pipeline`) retries a 429 at most",
          "3 times, each after `Retry-After`. Each shape ran as often as above with these limits on; the",
          '"limits off" numbers are the Results table\'s medians.',
          "",
          ...throttlingText(shapes, results, throttledResults),
          "",
        ]
      : []),
  ].join("\n");
}

async function main(): Promise<number> {
  if (!existsSync(join(REPO_ROOT, "dist", "index.js"))) {
    say("dist/index.js is missing: build the action first with `npm run build`.");
    return 1;
  }
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const shapes = SHAPES.filter(
    (shape) => options.only === undefined || shape.label.includes(options.only),
  );
  if (shapes.length === 0)
    throw new Error(
      `--only '${options.only}' matches no shape; shapes: ${SHAPES.map((shape) => shape.label).join(", ")}.`,
    );
  const results = new Map<Shape, RunResult[]>();
  const throttledRuns = new Map<Shape, ThrottledRun[]>();
  for (const shape of shapes) {
    const runs: RunResult[] = [];
    for (let i = 0; i < options.runs; i++) {
      const result = await runOnce(shape, options);
      say(
        `${shape.label} run ${i + 1}/${options.runs}: ${result.metrics.wallSeconds.toFixed(1)} s, ${result.metrics.armTotal} ARM requests, ${result.metrics.lroPolls} polls, ${result.metrics.statusReads} status reads` +
          (result.findings.length ? ` — ${result.findings.length} finding(s)` : ""),
      );
      runs.push(result);
      if (options.throttling) {
        const throttled = await runThrottled(shape, options);
        say(
          `${shape.label} run ${i + 1}/${options.runs} with ARM limits: ${throttled.wallSeconds.toFixed(1)} s, ${throttled.throttled} × 429, ${throttled.released ? "released" : "NOT released"}` +
            (throttled.abandoned ? `, ${throttled.abandoned} request(s) given up` : ""),
        );
        throttledRuns.set(shape, [...(throttledRuns.get(shape) ?? []), throttled]);
      }
    }
    results.set(shape, runs);
  }
  const totalSeconds = (Date.now() - startedAt.getTime()) / 1000;
  const text = markdown(options, shapes, results, startedAt, totalSeconds, throttledRuns);
  say();
  say(text);
  if (options.write) {
    writeFileSync(RESULTS_PATH, text);
    say(`written to ${RESULTS_PATH}`);
  }
  return 0;
}

// Run as a script, not when scale-bench.ts borrows its fleet generator.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exitCode = await main();
