import type { RunEventListener } from "./events.js";

/**
 * The few small interfaces through which the release core talks to the world.
 * Adapters implement them for Azure Resource Manager, HTTP status pages, Slack and GitHub;
 * tests implement them in memory.
 */

/** Addresses one slot of one App Service app. `slot` is `production` for the production slot. */
export interface SlotAddress {
  subscriptionId: string;
  resourceGroup: string;
  app: string;
  slot: string;
}

/** The slot name that means "the app itself". */
export const PRODUCTION_SLOT = "production";

/** What Azure Resource Manager says of a slot. Production's description also carries its swap activity. */
export type SlotDescription =
  | { exists: false }
  | {
      exists: true;
      state: string;
      defaultHostName: string;
      swapActivity?: SwapActivity;
      /** What the slot runs, when the description alone tells (a container image); else ask `readDeployment`. */
      deployment?: Deployment;
      /** What the description already said of the slot's site config, for `readDeployment`. */
      siteConfig?: KnownSiteConfig;
    };

/**
 * The part of a slot's site config a description carries, so that `readDeployment` need not read
 * it again; opaque to the core, which only hands it back.
 */
export interface KnownSiteConfig {
  linuxFxVersion: string;
  windowsFxVersion?: string;
}

/** A resource group of one subscription: where a region's apps live. */
export interface ResourceGroupAddress {
  subscriptionId: string;
  resourceGroup: string;
}

/**
 * What the production site resource says about swaps: the only witness, beside the status page,
 * of whether a swap whose answer was lost happened.
 */
export interface SwapActivity {
  /** True while Azure runs an operation on the site (`inProgressOperationId` is set). */
  operationInProgress: boolean;
  /**
   * When the last successful swap completed, as Azure wrote it (`slotSwapStatus.timestampUtc`);
   * `null` when none is recorded. Compared only for change, never with our own clock.
   */
  lastSwapCompleted: string | null;
}

/**
 * How a swap request ended, as far as anyone can tell. Only `completed` and `refused` are sure;
 * the core finds out the truth of the others before deciding anything.
 */
export type SwapResult =
  | { kind: "completed" }
  /** Azure answered that it did not start the swap (a 4xx other than 409). */
  | { kind: "refused"; message: string }
  /** 409: another operation runs on the site; nothing was started. Worth waiting out. */
  | { kind: "conflict"; message: string }
  /** The request, its answer or its polling failed or timed out, or Azure reported the operation failed. */
  | { kind: "uncertain"; message: string };

/**
 * Thrown by a write that App Service refused with 409 because another operation runs on the site
 * (a deployment, a restart, a swap): the core waits it out within `status-timeout`.
 */
export class OperationConflictError extends Error {
  override readonly name = "OperationConflictError";
}

/** What a slot runs, as far as a refresh can mirror it. */
export type Deployment =
  | { kind: "container"; linuxFxVersion: string }
  | { kind: "package"; packageUrl: string }
  | { kind: "unsupported"; reason: string };

/**
 * One configuration difference a swap of a slot into production would bring, as Azure's slot
 * diff (`slotsdiffs`) reports it: what differs, never a value (values can be secrets). The
 * texts are Azure's, trimmed and cut to a bounded length; renderers escape them for their medium.
 */
export interface SlotDifference {
  /** The setting's name, e.g. an app setting's `API_URL` or a site config `linuxFxVersion`. */
  setting: string;
  /** Azure's `settingType`: `General` (site config), `AppSetting` or `ConnectionString`. */
  type: string;
  /** Azure's `level`: `Information`, `Warning` or `Error`. */
  level: string;
}

/** A traffic-routing ("testing in production") rule: a share of production's users sent to another slot. */
export interface TrafficRoute {
  name: string;
  toHost: string;
  percent: number;
}

/**
 * Slot operations in Azure Resource Manager. Every method honours `signal` (cancellation) and
 * every request it makes has a time limit. Methods other than the swap throw on failure with a
 * readable message; a write refused because another operation runs throws {@link OperationConflictError}.
 */
export interface SlotGateway {
  describeSlot(slot: SlotAddress, signal: AbortSignal): Promise<SlotDescription>;
  /**
   * Every app and slot of a resource group in as few reads as ARM allows (one list, paged), so
   * pre-flight need not read each slot. Keyed by `app/slot` in lower case, `slot` being
   * `production` for the app itself.
   */
  listSlots(
    group: ResourceGroupAddress,
    signal: AbortSignal,
  ): Promise<Map<string, SlotDescription>>;
  /** Production's swap activity, read from the site resource. */
  readSwapActivity(production: SlotAddress, signal: AbortSignal): Promise<SwapActivity>;
  /**
   * Sends ONE swap of `app.slot` with production (never repeated by the HTTP pipeline) and follows
   * its long-running operation. Resolves with what is known; throws only when `signal` aborts.
   */
  swapIntoProduction(
    app: SlotAddress,
    options: { preserveVnet: boolean },
    signal: AbortSignal,
  ): Promise<SwapResult>;
  /** Swap with preview, phase 1: applies production's settings to the source slot. */
  applyProductionConfig(
    app: SlotAddress,
    options: { preserveVnet: boolean },
    signal: AbortSignal,
  ): Promise<void>;
  /** Cancels a swap with preview: restores the source slot's own settings. */
  resetProductionConfig(app: SlotAddress, signal: AbortSignal): Promise<void>;
  /** What `slot` runs; with `known`, the site config its description gave is not read again. */
  readDeployment(
    slot: SlotAddress,
    signal: AbortSignal,
    known?: KnownSiteConfig,
  ): Promise<Deployment>;
  /** Production's traffic-routing rules; a swap with any of them active leaves that share of users on the slot swapped out. */
  readTrafficRouting(production: SlotAddress, signal: AbortSignal): Promise<TrafficRoute[]>;
  /**
   * The configuration differences a swap of `source` into production would bring (Azure's
   * `slotsdiffs` with `targetSlot: production`), every page of them; names and kinds, never values.
   */
  readSlotDifferences(
    source: SlotAddress,
    options: { preserveVnet: boolean },
    signal: AbortSignal,
  ): Promise<SlotDifference[]>;
  /** Makes `slot` run `deployment` (container image via site config, package URL via app settings). */
  applyDeployment(slot: SlotAddress, deployment: Deployment, signal: AbortSignal): Promise<void>;
  /**
   * Replaces production's traffic-routing rules with `routes` (`siteConfig.experiments.rampUpRules`
   * on production's `config/web`); `[]` removes every rule, so every user reaches production.
   */
  setTrafficRouting(
    production: SlotAddress,
    routes: TrafficRoute[],
    signal: AbortSignal,
  ): Promise<void>;
}

/** One grain of one Azure Monitor metric; a grain Azure has not published yet has neither value. */
export interface MetricPoint {
  /** Start of the grain, epoch milliseconds. */
  at: number;
  total?: number;
  average?: number;
}

/** One metric of one slot, as Azure Monitor answered it. */
export interface MetricSeries {
  /** Azure's metric name, e.g. `Http5xx`, `Requests`, `HttpResponseTime`. */
  name: string;
  /** Azure's unit, e.g. `Count`, `Seconds`. */
  unit: string;
  points: MetricPoint[];
}

/** Azure Monitor's answer for one slot and timespan. */
export interface MetricsAnswer {
  /** Length of one grain as Azure answered it (`interval`), milliseconds. */
  grainMs: number;
  series: MetricSeries[];
}

/**
 * Reads Azure Monitor platform metrics of a slot through Resource Manager
 * (`Microsoft.Insights/metrics`), one-minute grains, totals and averages. Throws on failure.
 */
export interface SlotMetricsReader {
  read(
    slot: SlotAddress,
    query: { metricNames: string[]; fromMs: number; toMs: number },
    signal: AbortSignal,
  ): Promise<MetricsAnswer>;
}

/** One answer of a status page, before any health rule is applied. */
export type StatusResponse =
  | { kind: "response"; httpStatus: number; body: unknown; bodyIsJson: boolean }
  | { kind: "unreachable"; reason: string };

/** Reads status pages. One call is one HTTP request with a time limit: the core decides about retries. */
export interface StatusPageReader {
  /**
   * With `routeToSelf`, the request carries App Service's `x-ms-routing-name=self` cookie, so a
   * read of production's page reaches production even while a traffic-routing rule is set.
   */
  read(
    url: string,
    signal: AbortSignal,
    options?: { routeToSelf?: boolean },
  ): Promise<StatusResponse>;
}

/** Time, and waiting, so that tests of timeouts run in milliseconds. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Where the story of a run is told: the GitHub log in the action, the console in the demo. */
export interface ReleaseLog {
  info(message: string): void;
  warning(message: string): void;
  /** A failure: an error annotation in the action. */
  error(message: string, title?: string): void;
  group<T>(name: string, body: () => Promise<T>): Promise<T>;
}

/** The collaborators a release needs. */
export interface ReleasePorts {
  slots: SlotGateway;
  /** Needed only with the manifest's `analysis`. */
  metrics?: SlotMetricsReader;
  statusPages: StatusPageReader;
  clock: Clock;
  log: ReleaseLog;
  listener?: RunEventListener;
}
