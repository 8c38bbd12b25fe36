import type { RegionOutcome } from "./model.js";

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

/** What Azure Resource Manager says of a slot. */
export type SlotDescription =
  { exists: false } | { exists: true; state: string; defaultHostName: string };

/** What a slot runs, as far as a refresh can mirror it. */
export type Deployment =
  | { kind: "container"; linuxFxVersion: string }
  | { kind: "package"; packageUrl: string }
  | { kind: "unsupported"; reason: string };

/** A traffic-routing ("testing in production") rule: a share of production's users sent to another slot. */
export interface TrafficRoute {
  name: string;
  toHost: string;
  percent: number;
}

/** Slot operations in Azure Resource Manager. Every method throws on failure with a readable message. */
export interface SlotGateway {
  describeSlot(slot: SlotAddress): Promise<SlotDescription>;
  /** Swaps `sourceSlot` into production and resolves when the long-running operation has finished. */
  swapIntoProduction(app: SlotAddress, options: { preserveVnet: boolean }): Promise<void>;
  /** Swap with preview, phase 1: applies production's settings to the source slot. */
  applyProductionConfig(app: SlotAddress, options: { preserveVnet: boolean }): Promise<void>;
  /** Cancels a swap with preview: restores the source slot's own settings. */
  resetProductionConfig(app: SlotAddress): Promise<void>;
  readDeployment(slot: SlotAddress): Promise<Deployment>;
  /** Production's traffic-routing rules; a swap with any of them active leaves that share of users on the slot swapped out. */
  readTrafficRouting(production: SlotAddress): Promise<TrafficRoute[]>;
  /** Makes `slot` run `deployment` (container image via site config, package URL via app settings). */
  applyDeployment(slot: SlotAddress, deployment: Deployment): Promise<void>;
}

/** One answer of a status page, before any health rule is applied. */
export type StatusResponse =
  | { kind: "response"; httpStatus: number; body: unknown; bodyIsJson: boolean }
  | { kind: "unreachable"; reason: string };

/** Reads status pages. One call is one HTTP request: the core decides about retries. */
export interface StatusPageReader {
  read(url: string, signal?: AbortSignal): Promise<StatusResponse>;
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

/** Hears about regions starting and ending, e.g. to record GitHub deployments. Must not throw. */
export interface RegionListener {
  regionStarted(region: string): Promise<void>;
  regionFinished(region: string, outcome: RegionOutcome): Promise<void>;
}

/** The collaborators a release needs. */
export interface ReleasePorts {
  slots: SlotGateway;
  statusPages: StatusPageReader;
  clock: Clock;
  log: ReleaseLog;
  listener?: RegionListener;
}
