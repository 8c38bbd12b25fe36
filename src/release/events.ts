/**
 * What happens in a run, as typed events: the ledger keeps them in order, the report's failures
 * and evaluations are made from them, and listeners (GitHub deployments) hear them.
 */
import type { MetricEvaluation, RegionOutcome } from "./model.js";
import type { SwapDirection } from "./swap.js";

/** Where in the run a regression was seen. */
export type RegressionPhase = "canary" | "verification" | "bake";

/** Which health signal saw it: a status page, or a metric of the analysis. */
export type HealthSignalName = "status-page" | MetricEvaluation["signal"];

/** The service an event is about: `region/service`. */
export interface ServiceRef {
  region: string;
  service: string;
}

export type RunEvent =
  | { kind: "WaveStarted"; wave: number; regions: string[] }
  | { kind: "WaveFinished"; wave: number; released: boolean }
  | { kind: "RegionStarted"; region: string }
  | { kind: "RegionFinished"; region: string; outcome: RegionOutcome }
  | ({ kind: "CanaryStepStarted"; percent: number } & ServiceRef)
  | ({ kind: "CanaryStepPassed"; percent: number } & ServiceRef)
  | ({ kind: "TrafficRouteRemoved" } & ServiceRef)
  | ({ kind: "SwapStarted"; direction: SwapDirection } & ServiceRef)
  | ({ kind: "SwapCompleted"; direction: SwapDirection; seconds: number } & ServiceRef)
  /** The swap did not happen, or nobody could tell (see the service's error). */
  | ({ kind: "SwapFailed"; direction: SwapDirection } & ServiceRef)
  | ({ kind: "VerificationStarted" } & ServiceRef)
  | { kind: "BakeStarted"; wave: number; regions: string[] }
  | { kind: "BakeFinished"; wave: number; held: boolean }
  | ({ kind: "RefreshStarted" } & ServiceRef)
  | ({ kind: "RefreshFinished"; refreshed: boolean } & ServiceRef)
  | ({ kind: "ServiceVerified"; build: string | null } & ServiceRef)
  | ({ kind: "MetricEvaluated"; evaluation: MetricEvaluation } & ServiceRef)
  | ({
      kind: "Regression";
      phase: RegressionPhase;
      signal: HealthSignalName;
      message: string;
    } & ServiceRef)
  /** Anything that makes the run or a service fail, as one line; `service` `null` for the run. */
  | { kind: "Failure"; region: string | null; service: string | null; line: string };

export type RunEventKind = RunEvent["kind"];

/** An event and when it happened (the run's clock, epoch milliseconds). */
export type TimedEvent = RunEvent & { at: number };

/**
 * Hears every event of a run, e.g. to record GitHub deployments. Must not throw; the core gives
 * each call a time limit and does not wait for it past a cancellation.
 */
export interface RunEventListener {
  handle(event: RunEvent): Promise<void>;
}

/** The events of one kind, typed. */
export function eventsOfKind<K extends RunEventKind>(
  events: readonly TimedEvent[],
  kind: K,
): Extract<TimedEvent, { kind: K }>[] {
  return events.filter((event): event is Extract<TimedEvent, { kind: K }> => event.kind === kind);
}
