/**
 * Analysis on Azure Monitor platform metrics (interface.md, "Analysis"): pure judgement of one
 * answer. A grain Azure has not published yet is left out, never counted as zero; too few
 * requests are inconclusive, never a pass.
 */
import type { AnalysisPolicy, MetricSignal, MetricVerdict } from "./model.js";
import type { MetricPoint, MetricsAnswer } from "./ports.js";

/** The Azure Monitor metrics every evaluation reads. */
export const ANALYSIS_METRIC_NAMES = ["Requests", "Http5xx", "HttpResponseTime"] as const;

/** One signal's judgement of one window. */
export interface SignalJudgement {
  signal: MetricSignal;
  /** Percent for `http-5xx-rate`, milliseconds for `response-time`; `null` when nothing was counted. */
  value: number | null;
  limit: number;
  verdict: MetricVerdict;
  /** Requests the window counted. */
  requests: number;
}

/**
 * Judges the most recent `window` of published grains that started at or after `sinceMs` (grains
 * from before the judged phase began, e.g. before a swap, say nothing about what is judged now).
 */
export function judgeMetrics(
  answer: MetricsAnswer,
  policy: AnalysisPolicy,
  sinceMs: number,
): SignalJudgement[] {
  const requests = publishedTotals(answer, "Requests", sinceMs);
  const latest = Math.max(-Infinity, ...requests.keys());
  const windowStart = latest + answer.grainMs - policy.windowMs;
  const inWindow = [...requests.keys()].filter((at) => at >= windowStart);
  const errors = publishedTotals(answer, "Http5xx", sinceMs);
  const responseTimes = publishedValues(answer, "HttpResponseTime", "average", sinceMs);
  const counted = sum(inWindow.map((at) => requests.get(at) ?? 0));
  return policy.metrics.map(({ signal, max }) => {
    const value =
      counted === 0
        ? null
        : signal === "http-5xx-rate"
          ? (sum(inWindow.map((at) => errors.get(at) ?? 0)) / counted) * 100
          : weightedResponseTimeMs(inWindow, requests, responseTimes);
    const verdict: MetricVerdict =
      counted < policy.minRequests || value === null
        ? "inconclusive"
        : value > max
          ? "breach"
          : "pass";
    return {
      signal,
      value: value === null ? null : round(value),
      limit: max,
      verdict,
      requests: counted,
    };
  });
}

/** Average response time over the window, each grain weighted by its requests; Azure reports seconds. */
function weightedResponseTimeMs(
  grains: readonly number[],
  requests: ReadonlyMap<number, number>,
  averageSeconds: ReadonlyMap<number, number>,
): number | null {
  let weighted = 0;
  let weight = 0;
  for (const at of grains) {
    const average = averageSeconds.get(at);
    const count = requests.get(at) ?? 0;
    if (average === undefined || count === 0) continue;
    weighted += average * count;
    weight += count;
  }
  return weight === 0 ? null : (weighted / weight) * 1000;
}

function publishedTotals(answer: MetricsAnswer, name: string, sinceMs: number) {
  return publishedValues(answer, name, "total", sinceMs);
}

/** The grains of one metric that Azure has published, by start time. */
function publishedValues(
  answer: MetricsAnswer,
  name: string,
  field: keyof Pick<MetricPoint, "total" | "average">,
  sinceMs: number,
): Map<number, number> {
  const values = new Map<number, number>();
  const series = answer.series.filter(
    (candidate) => candidate.name.toLowerCase() === name.toLowerCase(),
  );
  for (const point of series.flatMap((candidate) => candidate.points)) {
    const value = point[field];
    if (typeof value !== "number" || !Number.isFinite(value) || point.at < sinceMs) continue;
    // Totals of one grain split over several time series add up; an average is taken as given.
    values.set(point.at, field === "total" ? (values.get(point.at) ?? 0) + value : value);
  }
  return values;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
