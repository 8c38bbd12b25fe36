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
}

/** One region's line of the report. */
export interface RegionReport {
  name: string;
  outcome: RegionOutcome;
  /** Seconds from the region's first swap to its end (verification, bake, rollback); `null` when not started. */
  durationSeconds: number | null;
  services: ServiceReport[];
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
}
