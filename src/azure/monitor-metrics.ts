/**
 * Azure Monitor platform metrics of a slot (`Microsoft.Insights/metrics`), read through Azure
 * Resource Manager with one GET per evaluation.
 *
 * Why not `@azure/arm-monitor`: the analysis needs one request of one operation, and that SDK
 * would bring a second generated client (its models, mappers and serializers for every
 * Microsoft.Insights resource) into the bundle that every run loads, cold start included. This
 * module sends the same request through `@azure/core-rest-pipeline`, which the action already
 * ships, with the same sign-in, retries and per-attempt time limit as the App Service client
 * (see {@link armPipeline}), and reads the answer defensively: it is data from the network, so
 * nothing in it is trusted to have the documented shape.
 */
import { RestError, type PipelineResponse } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";
import {
  PRODUCTION_SLOT,
  type MetricPoint,
  type MetricSeries,
  type MetricsAnswer,
  type SlotAddress,
  type SlotMetricsReader,
} from "../release/ports.js";
import { armFailure, jsonField } from "./arm-error.js";
import type { ArmRequestBudget } from "./arm-pacing.js";
import { armPipeline, getAnswer, type ArmRequestSender } from "./arm-pipeline.js";
import { armTokenScope } from "./sign-in.js";

/** Where Resource Manager is and how long one attempt may take; the same values as the ArmSlotGateway's. */
export interface AzureMonitorMetricsOptions {
  /** Azure Resource Manager base URL, e.g. `https://management.azure.com`. */
  armEndpoint: string;
  /** Token audience of ARM when it is not `armEndpoint` (Azure Stack Hub's, from the cloud's metadata). */
  armAudience?: string;
  /** Time limit of one attempt of one request; a hung connection is a failed attempt, retried. */
  attemptTimeoutMs?: number;
  /**
   * api-version of `Microsoft.Insights/metrics`, for a cloud that does not offer
   * {@link METRICS_API_VERSION}. Not the `arm-api-version` input: that one is Microsoft.Web's.
   */
  metricsApiVersion?: string;
  /** The run's ARM request budget, shared with the slot gateway: metrics reads take read tokens too. */
  budget?: ArmRequestBudget;
}

/** The api-version of the metrics request: the newest stable one of Microsoft.Insights metrics. */
export const METRICS_API_VERSION = "2023-10-01";

/** The grain asked for; Azure answers the grain it used in `interval`. */
const REQUESTED_INTERVAL = "PT1M";
const ONE_MINUTE_MS = 60_000;

/**
 * Reads `Http5xx`, `Requests`, `HttpResponseTime`, … of one slot as Azure Monitor answers them:
 * Azure's names and units (the core converts), one point per grain, and a grain Azure has not
 * published yet (a `timeStamp` with neither `total` nor `average`) stays without values, never 0.
 */
export class AzureMonitorMetrics implements SlotMetricsReader {
  private readonly sender: ArmRequestSender;
  private readonly armEndpoint: string;
  private readonly apiVersion: string;

  constructor(credential: TokenCredential, options: AzureMonitorMetricsOptions) {
    this.armEndpoint = options.armEndpoint.replace(/\/+$/, "");
    this.apiVersion = options.metricsApiVersion ?? METRICS_API_VERSION;
    this.sender = armPipeline(credential, {
      tokenScope: armTokenScope(options.armAudience ?? this.armEndpoint),
      attemptTimeoutMs: options.attemptTimeoutMs,
      budget: options.budget,
    });
  }

  async read(
    slot: SlotAddress,
    query: { metricNames: string[]; fromMs: number; toMs: number },
    signal: AbortSignal,
  ): Promise<MetricsAnswer> {
    signal.throwIfAborted();
    const operation = `reading the Azure Monitor metrics of ${slot.app}/${slot.slot}`;
    const url = this.metricsUrl(slot, query, operation);
    const where = { ...slot, reading: "metrics" as const };
    const response = await getAnswer(
      (request) => this.sender.sendRequest(request),
      url,
      signal,
      (error) => armFailure(operation, error, where),
    );
    if (response.status !== 200) {
      throw armFailure(operation, answerError(response), where);
    }
    return parseMetricsAnswer(response.bodyAsText, operation);
  }

  private metricsUrl(
    slot: SlotAddress,
    query: { metricNames: string[]; fromMs: number; toMs: number },
    operation: string,
  ): string {
    const names = query.metricNames.map((name) => name.trim()).filter((name) => name !== "");
    if (names.length === 0) throw new Error(`${operation}: no metric names were asked for`);
    if (
      !Number.isFinite(query.fromMs) ||
      !Number.isFinite(query.toMs) ||
      query.fromMs >= query.toMs
    ) {
      throw new Error(
        `${operation}: the timespan must start before it ends (from ${query.fromMs} to ${query.toMs})`,
      );
    }
    const segment = encodeURIComponent;
    const site = `/subscriptions/${segment(slot.subscriptionId)}/resourceGroups/${segment(slot.resourceGroup)}/providers/Microsoft.Web/sites/${segment(slot.app)}`;
    const resource = slot.slot === PRODUCTION_SLOT ? site : `${site}/slots/${segment(slot.slot)}`;
    const timespan = `${new Date(query.fromMs).toISOString()}/${new Date(query.toMs).toISOString()}`;
    // Each value percent-encoded; the commas between metric names stay, as Azure documents them.
    const parameters = [
      `api-version=${segment(this.apiVersion)}`,
      `metricnames=${names.map(segment).join(",")}`,
      `timespan=${segment(timespan)}`,
      `interval=${REQUESTED_INTERVAL}`,
      "aggregation=Total,Average",
    ].join("&");
    return `${this.armEndpoint}${resource}/providers/Microsoft.Insights/metrics?${parameters}`;
  }
}

/** A refusal as the SDK would have thrown it, so that arm-error reads its status and body alike. */
function answerError(response: PipelineResponse): RestError {
  return new RestError(`Azure Monitor answered ${response.status}`, {
    statusCode: response.status,
    request: response.request,
    response,
  });
}

/**
 * Azure Monitor's answer, `{interval, value: [{name: {value}, unit, timeseries: [{data: [{timeStamp,
 * total, average}]}]}]}`, as a {@link MetricsAnswer}. Items, series and points that are not what
 * the documentation says are left out; only a body that is not a metrics answer at all is an error.
 */
export function parseMetricsAnswer(
  bodyText: string | null | undefined,
  operation: string,
): MetricsAnswer {
  let body: unknown;
  try {
    body = JSON.parse(bodyText ?? "");
  } catch {
    throw new Error(`${operation} failed: Azure Monitor's answer is not JSON`);
  }
  const items = jsonField(body, "value");
  if (!Array.isArray(items)) {
    throw new Error(
      `${operation} failed: Azure Monitor's answer has no list of metrics (\`value\`)`,
    );
  }
  const series: MetricSeries[] = [];
  for (const item of items) {
    const name = jsonField(jsonField(item, "name"), "value");
    if (typeof name !== "string" || name === "") continue;
    const failed = metricError(item);
    if (failed !== undefined) throw new Error(`${operation} failed: metric ${name}: ${failed}`);
    const unit = jsonField(item, "unit");
    series.push({
      name,
      unit: typeof unit === "string" && unit !== "" ? unit : "Unspecified",
      points: mergedPoints(jsonField(item, "timeseries")),
    });
  }
  const points = series.flatMap((one) => one.points);
  return {
    grainMs: durationMs(jsonField(body, "interval")) ?? smallestStep(points) ?? ONE_MINUTE_MS,
    series,
  };
}

/** A metric Azure could not read carries `errorCode` other than `Success` and an `errorMessage`. */
function metricError(item: unknown): string | undefined {
  const code = jsonField(item, "errorCode");
  if (typeof code !== "string" || code === "" || /^success$/i.test(code)) return undefined;
  const message = jsonField(item, "errorMessage");
  return typeof message === "string" && message !== "" ? `${code}: ${message}` : code;
}

/**
 * The points of every timeseries of one metric, one per grain, oldest first. Without a dimension
 * filter Azure answers one timeseries; should there be several (one per dimension value), totals
 * of a grain add up and averages are averaged (unweighted: Azure's counts per series are not asked
 * for). A value is only ever copied from a series that has it: an unpublished grain stays empty.
 */
function mergedPoints(timeseries: unknown): MetricPoint[] {
  const grains = new Map<number, { totals: number[]; averages: number[] }>();
  for (const one of Array.isArray(timeseries) ? timeseries : []) {
    const data = jsonField(one, "data");
    for (const datum of Array.isArray(data) ? data : []) {
      const stamp = jsonField(datum, "timeStamp");
      const at = typeof stamp === "string" ? Date.parse(stamp) : Number.NaN;
      if (!Number.isFinite(at)) continue;
      let grain = grains.get(at);
      if (grain === undefined) {
        grain = { totals: [], averages: [] };
        grains.set(at, grain);
      }
      const total = jsonField(datum, "total");
      const average = jsonField(datum, "average");
      if (typeof total === "number" && Number.isFinite(total)) grain.totals.push(total);
      if (typeof average === "number" && Number.isFinite(average)) grain.averages.push(average);
    }
  }
  return [...grains.entries()]
    .sort(([a], [b]) => a - b)
    .map(([at, { totals, averages }]) => {
      const point: MetricPoint = { at };
      if (totals.length > 0) point.total = sum(totals);
      if (averages.length > 0) point.average = sum(averages) / averages.length;
      return point;
    });
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Without an `interval` in the answer, the grain is the smallest step between two points. */
function smallestStep(points: MetricPoint[]): number | undefined {
  const stamps = [...new Set(points.map((point) => point.at))].sort((a, b) => a - b);
  let smallest: number | undefined;
  for (let index = 1; index < stamps.length; index++) {
    const step = stamps[index]! - stamps[index - 1]!;
    if (smallest === undefined || step < smallest) smallest = step;
  }
  return smallest;
}

const DURATION =
  /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * An ISO 8601 duration of days, hours, minutes and seconds (`PT1M`, `PT1S`, `PT5M`, `PT1H`,
 * `P1D`) in milliseconds; `undefined` for anything else (`FULL`, weeks, months, zero).
 */
export function durationMs(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const found = DURATION.exec(value.trim());
  if (found === null || found.slice(1).every((part) => part === undefined)) return undefined;
  const [days, hours, minutes, seconds] = found.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
  ];
  const ms = Math.round(((days * 24 + hours) * 60 + minutes) * 60_000 + seconds * 1000);
  return ms > 0 ? ms : undefined;
}
