import type { SlotDifference } from "./ports.js";
import type { TimelineSpan } from "./timeline.js";

/**
 * The release's vocabulary: what the manifest and inputs describe, and what a run reports.
 * Pure data; no GitHub, HTTP or Azure SDK types.
 */

/** Which build a status page reports, and where its health lives in the JSON body. */
export interface StatusPageRule {
  /** URL template; `{host}` `{app}` `{slot}` `{region}` `{service}` are filled in per slot. */
  urlTemplate: string;
  /** Dot path to the build identifier in the JSON body. */
  buildField: string;
  /** Dot path to the dependencies; when absent the well-known field names are tried. */
  dependenciesField?: string;
}

/** One microservice of one region: an App Service app with a production and a source slot. */
export interface ServiceTarget {
  name: string;
  app: string;
  status: StatusPageRule;
  /** Names of services of the same region swapped and verified before this one (`depends-on`). */
  dependsOn: string[];
}

/** One region: released as a unit, in manifest order. */
export interface RegionTarget {
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  services: ServiceTarget[];
}

/** The targeted part of the manifest, after the `regions` filter. */
export interface Fleet {
  /** Name of the slot every service is swapped from (the manifest's `slot`, default `staging`). */
  sourceSlot: string;
  regions: RegionTarget[];
  /**
   * Regions released together, in release order; every region of `regions` is in exactly one.
   * Without the manifest's `waves`, each region is its own wave, in manifest order.
   */
  waves: WaveTarget[];
  /** True when the manifest declares `waves` (the report then numbers each region's wave). */
  wavesDeclared?: boolean;
  /** Traffic shifted to the source slot before each swap (`canary`); absent: swap at once. */
  canary?: CanaryPolicy;
  /** Azure Monitor metrics judged in canary steps and bake (`analysis`); absent: status pages only. */
  analysis?: AnalysisPolicy;
  /** When swaps may start (`release-windows`); absent: at any time. */
  releaseWindows?: ReleaseWindow[];
}

/** One entry of the manifest's `release-windows`: a weekly span of local time in which swaps may start. */
export interface ReleaseWindow {
  /** The days the window starts on, as the manifest writes them. */
  days: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
  /** Minutes after local midnight the window opens (inclusive), 0-1439. */
  fromMinutes: number;
  /** Minutes after local midnight it closes (exclusive), 1-1440; earlier than `fromMinutes`: the next day. */
  toMinutes: number;
  /** IANA time zone name, as the manifest writes it. */
  timeZone: string;
}

/** One wave of the manifest, after the `regions` filter (never empty). */
export interface WaveTarget {
  /** Region names, in manifest order of `waves[n].regions`. */
  regions: string[];
  /** The wave's own bake time; `null`: the `bake-time` input. */
  bakeTimeMs: number | null;
}

/** The manifest's `canary`: shares of production's users sent to the source slot, step by step. */
export interface CanaryPolicy {
  /** Percentages, strictly increasing, 1-99. */
  steps: number[];
  /** How long each step is watched before the next. */
  stepTimeMs: number;
}

/** A metric the analysis judges: `http-5xx-rate` in percent, `response-time` in milliseconds. */
export type MetricSignal = "http-5xx-rate" | "response-time";

/** The manifest's `analysis`: thresholds on Azure Monitor platform metrics of the judged slot. */
export interface AnalysisPolicy {
  /** Look-back of each evaluation; also how often one happens. */
  windowMs: number;
  /** Fewer requests than this in the window: inconclusive, never a pass. */
  minRequests: number;
  metrics: { signal: MetricSignal; max: number }[];
}

export type Mode = "release" | "plan";
export type RollbackPolicy = "region" | "all" | "none";
export type RefreshPolicy = "mirror" | "none";

/** How a release behaves: the core's view of the action's inputs. Durations are milliseconds. */
export interface ReleasePolicy {
  build: string;
  mode: Mode;
  rollback: RollbackPolicy;
  /** Services swapped at once inside a region; 0 means all of them. */
  maxParallel: number;
  statusTimeoutMs: number;
  statusIntervalMs: number;
  bakeTimeMs: number;
  swapWithPreview: boolean;
  preserveVnet: boolean;
  refresh: RefreshPolicy;
  /** `ignore-release-windows`: swaps may start outside the manifest's release windows (a hotfix). */
  ignoreReleaseWindows?: boolean;
}

export type ReleaseOutcome =
  "released" | "already-released" | "planned" | "rolled-back" | "failed" | "cancelled";

export type RegionOutcome =
  | "released"
  | "already-released"
  | "planned"
  | "rolled-back"
  | "failed"
  | "not-started"
  | "cancelled";

export type RefreshOutcome = "done" | "failed" | "not-needed" | "skipped";

/** Builds as the status pages reported them; `null` where a page could not be read. */
export interface SlotBuilds {
  production: string | null;
  staging: string | null;
}

/** One service's line of the report. */
export interface ServiceReport {
  name: string;
  app: string;
  before: SlotBuilds;
  /**
   * What the status pages reported at the end of the run. The core always reads both and writes
   * `null` for the one whose page could not be read; readers also accept a whole `null`.
   */
  after: SlotBuilds | null;
  /** Seconds the swap into production took; `null` when the service was not swapped. */
  swapSeconds: number | null;
  refresh: RefreshOutcome;
  error: string | null;
  /** With `canary`: the highest step reached, and whether every step passed. */
  canary?: CanaryReport;
  /**
   * In a plan: what the swap would change in the service's configuration, from Azure's slot diff
   * (setting name, kind and level, never a value); `null` when Azure's diff could not be read.
   */
  differences?: SlotDifference[] | null;
}

/** How far a service's canary went: `highestPercent` 0 when no step started. */
export interface CanaryReport {
  highestPercent: number;
  passed: boolean;
}

export type MetricVerdict = "pass" | "breach" | "inconclusive";

/** One judgement of one metric of one slot (interface.md, "Analysis"). */
export interface MetricEvaluation {
  /** ISO 8601, when the evaluation was made. */
  at: string;
  service: string;
  /** `production` or the source slot's name. */
  slot: string;
  signal: MetricSignal;
  /** In the signal's unit (percent or milliseconds); `null` when the metrics could not be read or no request was counted. */
  value: number | null;
  limit: number;
  verdict: MetricVerdict;
  /** How many requests the window counted; `null` when the metrics could not be read. */
  requests: number | null;
}

/** One region's line of the report. */
export interface RegionReport {
  name: string;
  outcome: RegionOutcome;
  /** Seconds from the region's first swap to its end (verification, bake, rollback); `null` when not started. */
  durationSeconds: number | null;
  services: ServiceReport[];
  /** With `waves`: the region's wave, 1-based. */
  wave?: number;
  /** With `analysis`: every metric evaluation of the region's slots, in order. */
  evaluations?: MetricEvaluation[];
}

/** The JSON report a run writes, failed or not; the shape is part of the user-facing contract. */
export interface ReleaseReport {
  build: string;
  mode: Mode;
  outcome: ReleaseOutcome;
  startedAt: string;
  finishedAt: string;
  /** True when a staging refresh failed: the outcome stays, but the step fails. */
  refreshFailed: boolean;
  /** Every failure of the run in the order it happened, for annotations and messages. */
  failures: string[];
  regions: RegionReport[];
  /** In a plan: the plan the engine would follow. */
  plan?: PlanReport;
  /** The run's spans of time (canary steps, swaps, verifications, bakes, rollbacks, refreshes). */
  timeline?: TimelineSpan[];
  /** With `release-windows`: whether the run started inside one, and the next opening. */
  releaseWindow?: ReleaseWindowReport;
}

/** The release-window check of pre-flight, as the report shows it. */
export interface ReleaseWindowReport {
  open: boolean;
  /** True when `ignore-release-windows` let the run start outside every window. */
  ignored: boolean;
  /** The next opening, ISO 8601 with its zone's offset; `null` when there is none. */
  next: string | null;
}

/** The engine's plan as the report shows it: waves, `depends-on` stages, steps, least duration. */
export interface PlanReport {
  waves: {
    wave: number;
    bakeSeconds: number;
    /** Each region's services in stages: a stage starts once every earlier stage is verified. */
    regions: { name: string; stages: string[][] }[];
  }[];
  /** The steps every service runs, in order, e.g. `canary 5% for 5m`, `swap`, `verify`. */
  steps: string[];
  /** Canary steps and bake times added up along the plan; swaps and verifications come on top. */
  minimumSeconds: number;
}
