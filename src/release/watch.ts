/**
 * Watching slots that already passed their checks, for a bake or a canary step: one health port,
 * with a provider per signal (status pages, Azure Monitor metrics), each giving healthy,
 * unhealthy or inconclusive. Every judgement counts: unhealthy is a regression at once, 4
 * inconclusive in a row are a regression, and a watch ends only on a healthy judgement of every
 * signal of every slot.
 */
import { messageOf } from "../error-message.js";
import { ANALYSIS_METRIC_NAMES, judgeMetrics, type SignalJudgement } from "./analysis.js";
import { forEachLimited } from "./concurrency.js";
import type { HealthSignalName, RegressionPhase } from "./events.js";
import { formatSeconds } from "./format-duration.js";
import type { AnalysisPolicy, MetricEvaluation } from "./model.js";
import type { SlotAddress } from "./ports.js";
import {
  recordFailure,
  record,
  serviceRef,
  type ReleaseLedger,
  type ServiceRun,
} from "./run-state.js";
import type { StatusPage } from "./status-polling.js";

/** Inconclusive judgements in a row that count as a regression (interface.md). */
export const MAX_INCONCLUSIVE_IN_A_ROW = 4;

/** One slot under watch. */
export interface WatchTarget {
  service: ServiceRun;
  /** Production during a bake, the source slot during a canary step. */
  slot: SlotAddress;
  page: StatusPage;
  /** What the slot must run. */
  build: string;
}

/** One provider's word on one slot. */
export interface Judgement {
  health: "healthy" | "unhealthy" | "inconclusive";
  /** Why it is not healthy; `null` when it is. */
  problem: string | null;
  /** Which signal gave the word, when a provider judges more than one (a breached metric). */
  signal?: HealthSignalName;
}

/** A health signal: how often it is judged, and how. */
export interface HealthProvider {
  signal: HealthSignalName | "metrics";
  intervalMs: number;
  /** Judges one slot; `sinceMs` is when the watch started. Throws only when `signal` aborts. */
  judge(target: WatchTarget, sinceMs: number, signal: AbortSignal): Promise<Judgement>;
}

/** What is being watched, for messages: `bake-time`, `canary 25%`. */
export interface WatchPhase {
  phase: RegressionPhase;
  label: string;
}

/** The providers of a run: status pages always, metrics with `analysis`. */
export function healthProviders(ledger: ReleaseLedger): HealthProvider[] {
  const providers = [statusPageProvider(ledger)];
  const { analysis } = ledger.fleet;
  if (analysis !== undefined) providers.push(metricsProvider(ledger, analysis));
  return providers;
}

/**
 * Watches `targets` for `durationMs` with every provider; resolves false on a regression (recorded
 * as a failure and a `Regression` event), true once every signal of every slot ended healthy.
 * Throws when the run is cancelled.
 */
export async function watch(
  ledger: ReleaseLedger,
  targets: readonly WatchTarget[],
  durationMs: number,
  phase: WatchPhase,
): Promise<boolean> {
  const stop = new AbortController();
  const signal = AbortSignal.any([ledger.signal, stop.signal]);
  const started = ledger.ports.clock.now();
  const results = await Promise.allSettled(
    healthProviders(ledger).map(async (provider) => {
      const held = await watchWith(ledger, provider, targets, durationMs, phase, started, signal);
      if (!held) stop.abort();
      return held;
    }),
  );
  ledger.signal.throwIfAborted();
  const failure = results.find(
    (result): result is PromiseRejectedResult =>
      result.status === "rejected" && !stop.signal.aborted,
  );
  if (failure !== undefined) throw failure.reason;
  return results.every((result) => result.status === "fulfilled" && result.value);
}

/** One provider's part of a watch: judge every interval until the end, then until settled. */
async function watchWith(
  ledger: ReleaseLedger,
  provider: HealthProvider,
  targets: readonly WatchTarget[],
  durationMs: number,
  phase: WatchPhase,
  started: number,
  signal: AbortSignal,
): Promise<boolean> {
  const { clock } = ledger.ports;
  const inconclusiveInARow = new Map<WatchTarget, number>();
  const judgeAll = async (toJudge: readonly WatchTarget[]): Promise<boolean> => {
    let regressed = false;
    await forEachLimited(toJudge, 0, async (target) => {
      const judgement = await provider.judge(target, started, signal);
      if (judgement.health === "healthy") {
        inconclusiveInARow.set(target, 0);
        return;
      }
      const inARow = (inconclusiveInARow.get(target) ?? 0) + 1;
      const inconclusive = judgement.health === "inconclusive";
      inconclusiveInARow.set(target, inconclusive ? inARow : 0);
      if (inconclusive && inARow < MAX_INCONCLUSIVE_IN_A_ROW) return;
      regressed = true;
      const message = inconclusive
        ? `regressed during ${phase.label}: ${inARow} ${provider.signal === "status-page" ? "reads in a row could not reach the page" : "evaluations in a row were inconclusive"}: ${judgement.problem}`
        : `regressed during ${phase.label}: ${judgement.problem}`;
      record(ledger, {
        kind: "Regression",
        ...serviceRef(target.service),
        phase: phase.phase,
        signal:
          judgement.signal ?? (provider.signal === "metrics" ? "http-5xx-rate" : provider.signal),
        message,
      });
      recordFailure(ledger, target.service, message);
    });
    signal.throwIfAborted();
    return !regressed;
  };
  // Judged for the first time at once when the watch is shorter than the provider's interval.
  while (clock.now() - started < durationMs) {
    await clock.sleep(Math.min(provider.intervalMs, durationMs - (clock.now() - started)), signal);
    if (!(await judgeAll(targets))) return false;
  }
  if (durationMs <= 0 && !(await judgeAll(targets))) return false;
  // The watch ends on a healthy judgement of every slot: one still inconclusive is judged again,
  // within the same allowance of inconclusive judgements.
  for (;;) {
    const unsettled = targets.filter((target) => (inconclusiveInARow.get(target) ?? 0) > 0);
    if (unsettled.length === 0) return true;
    await clock.sleep(provider.intervalMs, signal);
    if (!(await judgeAll(unsettled))) return false;
  }
}

/** Status pages: every answer counts (5xx is unhealthy, unreachable and 429 are inconclusive). */
function statusPageProvider(ledger: ReleaseLedger): HealthProvider {
  return {
    signal: "status-page",
    intervalMs: ledger.policy.statusIntervalMs,
    async judge(target, _sinceMs, signal) {
      const answer = await ledger.status.readOnce(target.page, target.build, signal);
      return {
        health: answer.healthy ? "healthy" : answer.inconclusive ? "inconclusive" : "unhealthy",
        problem: answer.problem,
      };
    },
  };
}

/**
 * Azure Monitor metrics of the watched slot, judged once per `window` over the grains published
 * since the watch started; every evaluation is recorded for the report.
 */
function metricsProvider(ledger: ReleaseLedger, analysis: AnalysisPolicy): HealthProvider {
  return {
    signal: "metrics",
    intervalMs: analysis.windowMs,
    async judge(target, sinceMs, signal) {
      const reader = ledger.ports.metrics;
      const now = ledger.ports.clock.now();
      const slotName = target.slot.slot;
      let judgements: (Omit<SignalJudgement, "requests"> & { requests: number | null })[];
      let unreadable: string | null = null;
      try {
        if (reader === undefined) throw new Error("no Azure Monitor reader is configured");
        const answer = await reader.read(
          target.slot,
          {
            metricNames: [...ANALYSIS_METRIC_NAMES],
            fromMs: Math.min(sinceMs, now - analysis.windowMs) - METRICS_LOOK_BACK_SLACK_MS,
            toMs: now,
          },
          signal,
        );
        judgements = judgeMetrics(answer, analysis, sinceMs);
      } catch (error) {
        signal.throwIfAborted();
        unreadable = `Azure Monitor metrics of ${slotName} could not be read: ${messageOf(error)}`;
        judgements = analysis.metrics.map(({ signal: metric, max }) => ({
          signal: metric,
          value: null,
          limit: max,
          verdict: "inconclusive",
          requests: null,
        }));
      }
      for (const judgement of judgements) {
        recordEvaluation(ledger, target, {
          at: new Date(now).toISOString(),
          service: target.service.target.name,
          slot: slotName,
          ...judgement,
        });
      }
      if (unreadable !== null) return { health: "inconclusive", problem: unreadable };
      const breach = judgements.find((judgement) => judgement.verdict === "breach");
      if (breach !== undefined) {
        const unit = breach.signal === "http-5xx-rate" ? "%" : " ms";
        return {
          health: "unhealthy",
          signal: breach.signal,
          problem: `${breach.signal} of ${slotName} is ${breach.value}${unit} over the last ${formatSeconds(analysis.windowMs / 1000)} (${breach.requests} requests), above ${breach.limit}${unit}`,
        };
      }
      const inconclusive = judgements.find((judgement) => judgement.verdict === "inconclusive");
      if (inconclusive !== undefined) {
        return {
          health: "inconclusive",
          signal: inconclusive.signal,
          problem: `too few requests on ${slotName} to judge: ${inconclusive.requests} in the published window, at least ${analysis.minRequests} needed`,
        };
      }
      return { health: "healthy", problem: null };
    },
  };
}

/**
 * How much earlier than the window the metrics are asked for: Azure publishes grains a minute or
 * more late, so the newest published window lies that much before now.
 */
const METRICS_LOOK_BACK_SLACK_MS = 5 * 60_000;

function recordEvaluation(
  ledger: ReleaseLedger,
  target: WatchTarget,
  evaluation: MetricEvaluation,
): void {
  record(ledger, { kind: "MetricEvaluated", ...serviceRef(target.service), evaluation });
  ledger.ports.log.info(
    `${target.service.region.name}/${target.service.target.name}: ${evaluation.signal} on ${evaluation.slot} ${evaluation.value ?? "n/a"} (limit ${evaluation.limit}, ${evaluation.requests ?? "?"} requests): ${evaluation.verdict}.`,
  );
}
