/**
 * What one run knows about each region and service as it goes: the mutable ledger the report is
 * made from. It lives for one run only and is passed around, never global.
 */
import type {
  CanaryReport,
  ReleaseWindowReport,
  Fleet,
  RefreshOutcome,
  RegionOutcome,
  RegionTarget,
  ReleasePolicy,
  ServiceTarget,
  SlotBuilds,
} from "./model.js";
import {
  PRODUCTION_SLOT,
  type Deployment,
  type KnownSiteConfig,
  type ReleasePorts,
  type SlotAddress,
  type SlotDifference,
} from "./ports.js";
import { messageOf } from "../error-message.js";
import { StatusWatcher, type StatusPage } from "./status-polling.js";
import type { ReleasePlan } from "./plan.js";
import type { Baseline, SwapDirection } from "./swap.js";
import type { RunEvent, TimedEvent } from "./events.js";

/** One service's progress through the run. */
export interface ServiceRun {
  region: RegionTarget;
  target: ServiceTarget;
  production: SlotAddress;
  source: SlotAddress;
  /** Known once pre-flight has read the slot's host name from ARM. */
  productionPage?: StatusPage;
  sourcePage?: StatusPage;
  before: SlotBuilds;
  after: SlotBuilds;
  /** What each slot's resource group list told pre-flight of what it runs. */
  listed: {
    production?: { deployment?: Deployment; siteConfig?: KnownSiteConfig };
    source?: { deployment?: Deployment; siteConfig?: KnownSiteConfig };
  };
  /**
   * What the source slot ran in pre-flight: production's deployment once the swap is done, so a
   * refresh after the swap need not read it again.
   */
  incomingDeployment?: Deployment;
  /** True when pre-flight found production healthy on the build it reported. */
  productionHealthy: boolean;
  /** Why production was not healthy in pre-flight, when it was not. */
  productionProblem: string | null;
  /**
   * The site's record of its last completed swap as last known (`undefined`: not known), so that a
   * swap whose answer was lost can be recognised when Azure records it.
   */
  swapMarker?: string | null;
  /** True while production runs what the source slot had: set when a swap completes, cleared by a swap back. */
  swapped: boolean;
  /**
   * Set when nobody could tell whether Azure performed this service's last swap (within
   * `status-timeout`): such a swap is never undone blindly, only after finding out.
   */
  unresolvedSwap?: { direction: SwapDirection; baseline: Baseline };
  /**
   * When production's page was seen healthy on the build while its swap ran (the swap then
   * completed): verification holds at once. `null`: verify after the swap.
   */
  verifiedAt: number | null;
  /** True when the run stopped while a swap request of this service was out: Azure may still complete it. */
  cancelledMidSwap: boolean;
  /** True while a swap with preview has applied production's settings to the source slot and not completed. */
  previewApplied: boolean;
  /**
   * The share of production's users a canary rule of ours may be sending to the source slot: set
   * before the rule is written (its answer may be lost), 0 once a removal is confirmed.
   */
  routedPercent: number;
  /** With `canary`: the highest step reached, and whether every step passed. */
  canary?: CanaryReport;
  /** In a plan: Azure's slot diff into production; `null` when it could not be read. */
  differences?: SlotDifference[] | null;
  swapSeconds: number | null;
  refresh: RefreshOutcome;
  error: string | null;
}

/** One region's progress through the run. */
export interface RegionRun {
  target: RegionTarget;
  services: ServiceRun[];
  /** The services in `depends-on` order: each stage only after every earlier one is verified. */
  stages: ServiceRun[][];
  /** The region's wave, 1-based; `null` when no wave of the plan has it. */
  wave: number | null;
  outcome: RegionOutcome;
  startedAt: number | null;
  finishedAt: number | null;
}

/** Everything a phase of the run needs: the request, the collaborators, and the ledger. */
export interface ReleaseLedger {
  policy: ReleasePolicy;
  fleet: Fleet;
  /** The plan the engine follows. */
  plan: ReleasePlan;
  ports: ReleasePorts;
  signal: AbortSignal;
  regions: RegionRun[];
  sourceSlot: string;
  /** What happened, in order: failures, swaps, canary steps, evaluations (see events.ts). */
  events: TimedEvent[];
  /** Pre-flight's look at the manifest's release windows; absent without windows. */
  releaseWindow?: ReleaseWindowReport;
  /** Refreshes started while later waves swap, by region; each resolves true when it held. */
  refreshes: Map<RegionRun, Promise<boolean>>;
  /** Status pages, read with the run's `status-timeout`, `status-interval` and cancellation. */
  status: StatusWatcher;
}

/** Builds the ledger for a fleet: every service not started, nothing known yet. */
export function createLedger(
  fleet: Fleet,
  policy: ReleasePolicy,
  ports: ReleasePorts,
  signal: AbortSignal,
  plan: ReleasePlan,
): ReleaseLedger {
  const regions = fleet.regions.map((region): RegionRun => {
    const services = region.services.map((service): ServiceRun => {
      const app = {
        subscriptionId: region.subscriptionId,
        resourceGroup: region.resourceGroup,
        app: service.app,
      };
      return {
        region,
        target: service,
        production: { ...app, slot: PRODUCTION_SLOT },
        source: { ...app, slot: fleet.sourceSlot },
        before: { production: null, staging: null },
        after: { production: null, staging: null },
        listed: {},
        productionHealthy: false,
        productionProblem: null,
        swapped: false,
        cancelledMidSwap: false,
        verifiedAt: null,
        previewApplied: false,
        routedPercent: 0,
        ...(fleet.canary === undefined ? {} : { canary: { highestPercent: 0, passed: false } }),
        swapSeconds: null,
        refresh: "skipped",
        error: null,
      };
    });
    const planned = plan.waves
      .flatMap((wave) => wave.regions.map((planned) => ({ wave: wave.number, planned })))
      .find(({ planned }) => planned.region === region.name);
    const stages =
      planned === undefined
        ? [services]
        : planned.planned.stages.map((stage) =>
            services.filter((service) =>
              stage.services.some((entry) => entry.service === service.target.name),
            ),
          );
    return {
      target: region,
      services,
      stages,
      wave: planned?.wave ?? null,
      outcome: "not-started",
      startedAt: null,
      finishedAt: null,
    };
  });
  const status = new StatusWatcher(ports.statusPages, ports.clock, {
    timeoutMs: policy.statusTimeoutMs,
    intervalMs: policy.statusIntervalMs,
    signal,
  });
  return {
    policy,
    fleet,
    plan,
    ports,
    signal,
    regions,
    sourceSlot: fleet.sourceSlot,
    events: [],
    refreshes: new Map(),
    status,
  };
}

/** `region/service (app)`: how a service is named in every message. */
export function describeService(service: ServiceRun): string {
  return `${service.region.name}/${service.target.name} (${service.target.app})`;
}

/** Adds to the service's error what the report must say of it, without making it a failure of its own. */
export function addNote(service: ServiceRun, note: string): void {
  service.error = service.error === null ? note : `${service.error}; ${note}`;
}

/** Records a failure on the service and in the run, and logs it as an error annotation. */
export function recordFailure(
  context: ReleaseLedger,
  service: ServiceRun | null,
  message: string,
): void {
  const line = service === null ? message : `${describeService(service)}: ${message}`;
  if (service !== null) addNote(service, message);
  record(context, {
    kind: "Failure",
    region: service?.region.name ?? null,
    service: service?.target.name ?? null,
    line,
  });
  context.ports.log.error(line, "regional-slot-swap");
}

/** Adds an event to the ledger, stamped with the run's clock. */
export function record(context: ReleaseLedger, event: RunEvent): void {
  context.events.push({ ...event, at: context.ports.clock.now() });
}

/** `{region, service}` of a service, as events name it. */
export function serviceRef(service: ServiceRun): { region: string; service: string } {
  return { region: service.region.name, service: service.target.name };
}

/**
 * True when production already reported the build, healthy, in pre-flight: such a service is never
 * swapped (a swap would put the previous build back), whether its whole region is released or not.
 */
export function runsTheBuild(context: ReleaseLedger, service: ServiceRun): boolean {
  return reportsTheBuild(context, service) && service.productionHealthy;
}

/** True when production reported the build in pre-flight, healthy or not. */
export function reportsTheBuild(context: ReleaseLedger, service: ServiceRun): boolean {
  return service.before.production === context.policy.build.trim();
}

/** Seconds between two clock readings, to one decimal, as the report shows them. */
export function secondsBetween(startMs: number, endMs: number): number {
  return Math.round((endMs - startMs) / 100) / 10;
}

/**
 * True when every per-service step resolved true. A step that threw instead (a defect, not an
 * Azure answer: those are recorded where they happen) is recorded here, so no failure goes unsaid.
 */
export function everyServiceSucceeded(
  context: ReleaseLedger,
  services: readonly ServiceRun[],
  results: readonly PromiseSettledResult<boolean>[],
): boolean {
  context.signal.throwIfAborted();
  results.forEach((result, index) => {
    const service = services[index];
    if (result.status === "rejected" && service !== undefined) {
      recordFailure(context, service, `unexpected error: ${messageOf(result.reason)}`);
    }
  });
  return results.every((result) => result.status === "fulfilled" && result.value);
}
