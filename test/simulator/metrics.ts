import type { ServerResponse } from "node:http";
import { sendJson } from "./http-util.js";
import type { Grain, Traffic } from "./traffic.js";

/**
 * Azure Monitor platform metrics of App Service sites and slots, as Resource Manager serves them
 * (`GET {resourceId}/providers/Microsoft.Insights/metrics`, operation `Metrics_List` of
 * Azure/azure-rest-api-specs specification/monitor/…/stable/2023-10-01/metrics_API.json):
 * the answer is the spec's `Response` (`cost`, `timespan`, `interval`, `value` of `Metric`,
 * `namespace`, `resourceregion`), each metric with one time series without dimensions
 * (`metadatavalues: []`) and `errorCode: "Success"`, as the spec's GetMetricError example shows.
 *
 * Grains: the simulator's grain (`metricGrainMs`) stands for Azure's PT1M; a requested
 * `interval` of n minutes is n grains, and the answer's `interval` is what the grains really
 * span (`PT1M` at the default, `PT1S` with 1-second grains). Timestamps are aligned to the
 * interval. A grain is published `metricDelayMs` after it ends: until then its data point has
 * only `timeStamp`, never a zero; a published grain that served nothing has zeros.
 *
 * Aggregations: `Total` and `Average`. For the count metrics a grain is one sample, so
 * `average` is the total per grain of the interval; `HttpResponseTime` is the time taken per
 * request in seconds: `average` is the request-weighted mean, `total` the sum over requests.
 * Other aggregations Azure knows (`Minimum`, `Maximum`, `Count`) are left out of the points.
 */

/** The api-versions of Microsoft.Insights/metrics in the public spec (stable). */
export const METRICS_API_VERSIONS = [
  "2016-09-01",
  "2018-01-01",
  "2021-05-01",
  "2023-10-01",
  "2024-02-01",
  "2017-05-01-preview",
];

/** The length of Azure Monitor's platform-metric grain, PT1M. */
const AZURE_GRAIN_MS = 60_000;

interface MetricDefinition {
  name: string;
  localizedName: string;
  description: string;
  unit: "Count" | "Seconds";
  /** The aggregation Azure answers when none is asked for. */
  primary: "total" | "average";
  /** The metric's total over `grains` (count metrics) or its request-weighted sum. */
  value(grains: Grain[]): { total: number; average: number };
}

const counted =
  (of: (grain: Grain) => number) =>
  (grains: Grain[]): { total: number; average: number } => {
    const total = grains.reduce((sum, grain) => sum + of(grain), 0);
    return { total, average: grains.length === 0 ? 0 : total / grains.length };
  };

/** Microsoft.Web/sites metrics the simulator serves (Azure's names, units and descriptions). */
const METRICS: MetricDefinition[] = [
  {
    name: "Requests",
    localizedName: "Requests",
    description:
      "The total number of requests regardless of their resulting HTTP status code. For WebApps and FunctionApps.",
    unit: "Count",
    primary: "total",
    value: counted((grain) => grain.requests),
  },
  {
    name: "Http2xx",
    localizedName: "Http 2xx",
    description:
      "The count of requests resulting in an HTTP status code ≥ 200 but < 300. For WebApps and FunctionApps.",
    unit: "Count",
    primary: "total",
    value: counted((grain) => grain.requests - grain.errors),
  },
  {
    name: "Http5xx",
    localizedName: "Http Server Errors",
    description:
      "The count of requests resulting in an HTTP status code ≥ 500 but < 600. For WebApps and FunctionApps.",
    unit: "Count",
    primary: "total",
    value: counted((grain) => grain.errors),
  },
  {
    name: "HttpResponseTime",
    localizedName: "Response Time",
    description:
      "The time taken for the app to serve requests, in seconds. For WebApps and FunctionApps.",
    unit: "Seconds",
    primary: "average",
    value: (grains) => {
      const ms = grains.reduce((sum, grain) => sum + grain.responseMsSum, 0);
      const weight = grains.reduce((sum, grain) => sum + grain.weight, 0);
      return { total: ms / 1000, average: weight === 0 ? 0 : ms / weight / 1000 };
    },
  },
];

const AGGREGATIONS = new Set(["average", "count", "minimum", "maximum", "total"]);

/** An ISO 8601 duration for `ms` (`PT1M`, `PT1S`, `PT0.5S`, `P1D`). */
export function isoDuration(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor((ms % 86_400_000) / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  const time = `${hours ? `${hours}H` : ""}${minutes ? `${minutes}M` : ""}${seconds ? `${seconds}S` : ""}`;
  return `P${days ? `${days}D` : ""}${time ? `T${time}` : ""}`.replace(/^P$/, "PT0S");
}

/** Milliseconds of an ISO 8601 duration of days, hours, minutes and seconds; `undefined` if it is none. */
function parseDuration(text: string): number | undefined {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(
    text.trim(),
  );
  if (!match || !match.slice(1).some((part) => part !== undefined)) return undefined;
  const [days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
  return ((days! * 24 + hours!) * 60 + minutes!) * 60_000 + seconds! * 1000;
}

/** Azure Monitor's timestamps: ISO 8601 UTC without milliseconds when they are zero. */
const timestamp = (ms: number): string => new Date(ms).toISOString().replace(/\.000Z$/, "Z");

/** Azure Monitor's error answer (`{"code","message"}`, no ARM envelope). */
export function sendMonitorError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { code, message }, headers);
}

/** The timespan asked for: `start/end` or `start/duration`; default the last hour. */
function parseTimespan(
  text: string | null,
  now: number,
): { start: number; end: number } | undefined {
  if (text === null) return { start: now - 3_600_000, end: now };
  const [first, second, ...more] = text.split("/");
  if (first === undefined || second === undefined || more.length > 0) return undefined;
  const start = Date.parse(first);
  const duration = parseDuration(second);
  const end = duration === undefined ? Date.parse(second) : start + duration;
  return Number.isFinite(start) && Number.isFinite(end) && end > start ? { start, end } : undefined;
}

/** What a metrics request is about. */
export interface MetricsTarget {
  traffic: Traffic;
  now: number;
  delayMs: number;
  /** ARM id of the site or slot. */
  resourceId: string;
  app: string;
  /** The slot's name (`production` for the site). */
  slot: string;
  isSlot: boolean;
  location: string;
}

/** Answers `GET …/providers/Microsoft.Insights/metrics` for one site or slot. */
export function sendMetrics(res: ServerResponse, url: URL, target: MetricsTarget): void {
  const query = url.searchParams;
  const resourceType = target.isSlot ? "sites/slots" : "sites";
  const names = (query.get("metricnames") ?? "Requests")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const definitions: MetricDefinition[] = [];
  for (const name of names) {
    const definition = METRICS.find((known) => known.name.toLowerCase() === name.toLowerCase());
    if (!definition) {
      sendMonitorError(
        res,
        400,
        "BadRequest",
        `Failed to find metric configuration for provider: Microsoft.Web, resource Type: ${resourceType}, metric: ${name}, Valid metrics: ${METRICS.map((known) => known.name).join(",")}`,
      );
      return;
    }
    if (!definitions.includes(definition)) definitions.push(definition);
  }
  const aggregations = (query.get("aggregation") ?? "")
    .split(",")
    .map((word) => word.trim().toLowerCase())
    .filter((word) => word !== "");
  const unknown = aggregations.find((word) => !AGGREGATIONS.has(word));
  if (unknown !== undefined) {
    sendMonitorError(
      res,
      400,
      "BadRequest",
      `Invalid aggregation '${unknown}'. Valid aggregations: Average, Count, Minimum, Maximum, Total.`,
    );
    return;
  }
  const timespan = parseTimespan(query.get("timespan"), target.now);
  if (!timespan) {
    sendMonitorError(
      res,
      400,
      "BadRequest",
      `Invalid timespan '${query.get("timespan")}': expected 'startDateTime_ISO/endDateTime_ISO' with the end after the start.`,
    );
    return;
  }
  const intervalText = query.get("interval") ?? "PT1M";
  const azureInterval = parseDuration(intervalText);
  if (azureInterval === undefined || azureInterval % AZURE_GRAIN_MS !== 0 || azureInterval === 0) {
    sendMonitorError(
      res,
      400,
      "BadRequest",
      `Invalid interval '${intervalText}': the simulator serves whole minutes (PT1M, PT5M, PT1H, …).`,
    );
    return;
  }
  const { grainMs } = target.traffic;
  const grainsPerPoint = azureInterval / AZURE_GRAIN_MS;
  const intervalMs = grainsPerPoint * grainMs;
  target.traffic.accrue();

  const points: Array<{ at: number; published: boolean; grains: Grain[] }> = [];
  for (
    let at = Math.floor(timespan.start / intervalMs) * intervalMs;
    at < timespan.end;
    at += intervalMs
  ) {
    const published = at + intervalMs + target.delayMs <= target.now;
    const grains = Array.from({ length: grainsPerPoint }, (_, index) =>
      target.traffic.grain(target.app, target.slot, at + index * grainMs),
    );
    points.push({ at, published, grains });
  }
  const value = definitions.map((definition) => {
    const wanted = aggregations.length > 0 ? aggregations : [definition.primary];
    const data = points.map((point) => {
      const entry: Record<string, unknown> = { timeStamp: timestamp(point.at) };
      if (!point.published) return entry;
      const { total, average } = definition.value(point.grains);
      if (wanted.includes("total")) entry.total = total;
      if (wanted.includes("average")) entry.average = average;
      return entry;
    });
    return {
      id: `${target.resourceId}/providers/Microsoft.Insights/metrics/${definition.name}`,
      type: "Microsoft.Insights/metrics",
      name: { value: definition.name, localizedValue: definition.localizedName },
      displayDescription: definition.description,
      unit: definition.unit,
      timeseries: [{ metadatavalues: [], data }],
      errorCode: "Success",
    };
  });
  sendJson(res, 200, {
    cost: points.length * definitions.length,
    timespan: `${timestamp(timespan.start)}/${timestamp(timespan.end)}`,
    interval: isoDuration(intervalMs),
    value,
    namespace: target.isSlot ? "Microsoft.Web/sites/slots" : "Microsoft.Web/sites",
    resourceregion: target.location.replace(/\s+/g, "").toLowerCase(),
  });
}
