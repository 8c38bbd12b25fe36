/*
 * The Azure adapters of progressive delivery: production's traffic-routing rules
 * (ArmSlotGateway.setTrafficRouting), Azure Monitor metrics (AzureMonitorMetrics) and the status
 * reader's way to reach production itself under a rule (`x-ms-routing-name=self`). First the
 * parsing of Azure Monitor's answer on its own, then the adapters against the simulator, whose
 * rules really route, whose users accrue metric grains by the build each slot runs, and whose
 * grains are compressed (200 ms for Azure's minute) so that a test takes about a second.
 */
import * as tls from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ArmSlotGateway } from "../src/azure/arm-slot-gateway.js";
import {
  AzureMonitorMetrics,
  durationMs,
  METRICS_API_VERSION,
  parseMetricsAnswer,
} from "../src/azure/monitor-metrics.js";
import type { MetricsAnswer, SlotAddress, StatusResponse } from "../src/release/ports.js";
import { HttpsStatusReader } from "../src/status/https-status-reader.js";
import { startSimulator, type Simulator } from "./simulator/index.js";
import { secretCredential } from "./simulator/test-clients.js";

describe("Azure Monitor's answer, parsed", () => {
  const parse = (body: unknown): MetricsAnswer =>
    parseMetricsAnswer(typeof body === "string" ? body : JSON.stringify(body), "reading");
  const metric = (name: string, unit: string, ...timeseries: unknown[]) => ({
    name: { value: name, localizedValue: name },
    unit,
    timeseries,
    errorCode: "Success",
  });

  it("reads ISO 8601 grains: PT1M, PT1S, PT5M, fractions, hours and days", () => {
    expect(durationMs("PT1M")).toBe(60_000);
    expect(durationMs("PT1S")).toBe(1_000);
    expect(durationMs("PT5M")).toBe(300_000);
    expect(durationMs("PT0.2S")).toBe(200);
    expect(durationMs("PT1H")).toBe(3_600_000);
    expect(durationMs("P1D")).toBe(86_400_000);
    expect(durationMs("pt1m")).toBe(60_000);
    for (const notAGrain of ["FULL", "PT0S", "PT", "P", "P1W", "1M", "", 60, null, undefined])
      expect(durationMs(notAGrain), String(notAGrain)).toBeUndefined();
  });

  it("keeps Azure's names, units and values, and leaves an unpublished grain without values, never 0", () => {
    const answer = parse({
      interval: "PT1M",
      value: [
        metric("Http5xx", "Count", {
          metadatavalues: [],
          data: [
            { timeStamp: "2026-12-01T10:00:00Z", total: 2, average: 2 },
            { timeStamp: "2026-12-01T10:01:00Z", total: 0, average: 0 },
            { timeStamp: "2026-12-01T10:02:00Z" },
          ],
        }),
        metric("HttpResponseTime", "Seconds", {
          data: [
            { timeStamp: "2026-12-01T10:00:00Z", average: 0.25 },
            { timeStamp: "2026-12-01T10:01:00Z", total: 12.5 },
          ],
        }),
      ],
    });

    expect(answer).toEqual({
      grainMs: 60_000,
      series: [
        {
          name: "Http5xx",
          unit: "Count",
          points: [
            { at: Date.UTC(2026, 11, 1, 10, 0), total: 2, average: 2 },
            { at: Date.UTC(2026, 11, 1, 10, 1), total: 0, average: 0 },
            { at: Date.UTC(2026, 11, 1, 10, 2) },
          ],
        },
        {
          // Seconds stay seconds: converting to the manifest's milliseconds is the core's.
          name: "HttpResponseTime",
          unit: "Seconds",
          points: [
            { at: Date.UTC(2026, 11, 1, 10, 0), average: 0.25 },
            { at: Date.UTC(2026, 11, 1, 10, 1), total: 12.5 },
          ],
        },
      ],
    });
    const unpublished = answer.series[0]!.points[2]!;
    expect("total" in unpublished || "average" in unpublished).toBe(false);
  });

  it("merges several timeseries of a metric grain by grain: totals add up, averages are averaged", () => {
    const answer = parse({
      interval: "PT1M",
      value: [
        metric(
          "Requests",
          "Count",
          {
            data: [
              { timeStamp: "2026-12-01T10:01:00Z", total: 5, average: 1 },
              { timeStamp: "2026-12-01T10:00:00Z", total: 3, average: 2 },
            ],
          },
          {
            data: [
              { timeStamp: "2026-12-01T10:00:00Z", total: 4, average: 4 },
              { timeStamp: "2026-12-01T10:01:00Z" },
            ],
          },
        ),
      ],
    });

    expect(answer.series[0]!.points).toEqual([
      { at: Date.UTC(2026, 11, 1, 10, 0), total: 7, average: 3 },
      { at: Date.UTC(2026, 11, 1, 10, 1), total: 5, average: 1 },
    ]);
  });

  it("trusts no shape: leaves out what is not a metric, a series or a point, and values that are no numbers", () => {
    const answer = parse({
      value: [
        null,
        "Http5xx",
        { name: "Http5xx", unit: "Count", timeseries: [] },
        { name: { value: "" } },
        { name: { value: "Requests" }, timeseries: "none" },
        {
          name: { value: "Http5xx" },
          timeseries: [
            null,
            { data: "none" },
            {
              data: [
                null,
                { total: 1 },
                { timeStamp: "yesterday", total: 1 },
                { timeStamp: 1764583200000, total: 1 },
                { timeStamp: "2026-12-01T10:00:00Z", total: "3", average: null },
                { timeStamp: "2026-12-01T10:05:00Z", total: 1, average: Number.NaN },
              ],
            },
          ],
        },
      ],
    });

    expect(answer).toEqual({
      // No `interval`: the grain is the smallest step between two points.
      grainMs: 300_000,
      series: [
        { name: "Requests", unit: "Unspecified", points: [] },
        {
          name: "Http5xx",
          unit: "Unspecified",
          points: [
            { at: Date.UTC(2026, 11, 1, 10, 0) },
            { at: Date.UTC(2026, 11, 1, 10, 5), total: 1 },
          ],
        },
      ],
    });
    expect(parse({ value: [] })).toEqual({ grainMs: 60_000, series: [] });
  });

  it("fails readably on an answer that is not a metrics answer, or a metric Azure could not read", () => {
    expect(() => parse("<html>Bad gateway</html>")).toThrow(
      "reading failed: Azure Monitor's answer is not JSON",
    );
    expect(() => parse({ values: [] })).toThrow(
      "reading failed: Azure Monitor's answer has no list of metrics (`value`)",
    );
    expect(() =>
      parse({
        value: [
          {
            ...metric("Requests", "Count"),
            errorCode: "Throttled",
            errorMessage: "Too many metrics.",
          },
        ],
      }),
    ).toThrow("reading failed: metric Requests: Throttled: Too many metrics.");
  });
});

const SUB = "00000000-0000-0000-0000-0000000000c4";
const RG = "rg-progressive";
const OLD = "3.0.0";
const NEW = "3.1.0";
/** Azure's PT1M grain, compressed; grains are published this long after they end. */
const GRAIN_MS = 200;
const DELAY_MS = 400;
const METRIC_NAMES = ["Http5xx", "Requests", "HttpResponseTime"];

let sim: Simulator;
let gateway: ArmSlotGateway;
let metrics: AzureMonitorMetrics;
const signal = new AbortController().signal;

const at = (app: string, slot: string): SlotAddress => ({
  subscriptionId: SUB,
  resourceGroup: RG,
  app,
  slot,
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The last `spanMs` of metrics of a slot, as the core asks for them. */
const lastMetrics = (
  slot: SlotAddress,
  spanMs = 3_000,
  reader: AzureMonitorMetrics = metrics,
  abort: AbortSignal = signal,
) => {
  const now = Date.now();
  return reader.read(slot, { metricNames: METRIC_NAMES, fromMs: now - spanMs, toMs: now }, abort);
};
const metricsRequests = () =>
  sim.journal
    .of("arm")
    .filter((entry) => /\/providers\/Microsoft\.Insights\/metrics$/i.test(entry.path));
const stagingRule = (app: string, percent: number) => [
  { name: "staging", toHost: sim.slot(app, "staging").defaultHostName, percent },
];

beforeAll(async () => {
  sim = await startSimulator({
    apps: ["pd-canary", "pd-metrics", "pd-faults", "pd-hang"].map((name) => ({
      subscriptionId: SUB,
      resourceGroup: RG,
      name,
      location: "UK South",
      kind: "container" as const,
      production: { build: OLD },
      staging: { build: NEW },
    })),
    metricGrainMs: GRAIN_MS,
    metricDelayMs: DELAY_MS,
  });
  tls.setDefaultCACertificates([...tls.getCACertificates("default"), sim.caCertPem]);
  gateway = new ArmSlotGateway(secretCredential(sim), { armEndpoint: sim.armEndpoint });
  metrics = new AzureMonitorMetrics(secretCredential(sim), { armEndpoint: sim.armEndpoint });
});

afterAll(async () => {
  await sim.close();
});

afterEach(() => {
  sim.clearFaults();
  sim.journal.clear();
});

describe("a canary's rule and the status reader", () => {
  it("routes half of production's users to staging, and the routing cookie reaches production every time", async () => {
    const production = at("pd-canary", "production");
    const url = sim.statusUrl("pd-canary", "production");
    const reader = new HttpsStatusReader();
    await gateway.setTrafficRouting(production, stagingRule("pd-canary", 50), signal);
    expect(sim.journal.routingHistory("pd-canary")).toMatchObject([
      { percent: 50, routes: [{ slot: "staging", percent: 50 }], via: "arm" },
    ]);

    const pinned: StatusResponse[] = [];
    for (let read = 0; read < 20; read++)
      pinned.push(await reader.read(url, signal, { routeToSelf: true }));
    const routed: StatusResponse[] = [];
    for (let read = 0; read < 20; read++) routed.push(await reader.read(url, signal));

    const buildsOf = (answers: StatusResponse[]) =>
      answers.map((answer) =>
        answer.kind === "response" ? (answer.body as { build: string }).build : answer.reason,
      );
    expect(buildsOf(pinned)).toEqual(Array.from({ length: 20 }, () => OLD));
    const reads = sim.journal.statusReads("pd-canary");
    expect(
      reads.slice(0, 20).every((read) => read.slot === "production" && read.routedBy === "cookie"),
    ).toBe(true);
    // Without the cookie the rule decides, and no pin the last answer set is sent back.
    expect(buildsOf(routed).filter((build) => build === NEW)).toHaveLength(10);
    expect(reads.slice(20).every((read) => read.routedBy === "rules")).toBe(true);

    await gateway.setTrafficRouting(production, [], signal);
    expect(sim.journal.routingHistory("pd-canary").at(-1)).toMatchObject({
      percent: 0,
      routes: [],
    });
    expect(await gateway.readTrafficRouting(production, signal)).toEqual([]);
    const after: StatusResponse[] = [];
    for (let read = 0; read < 10; read++) after.push(await reader.read(url, signal));
    expect(buildsOf(after)).toEqual(Array.from({ length: 10 }, () => OLD));
  });
});

describe("AzureMonitorMetrics", () => {
  it("reads the judged slot's own metrics, in Azure's units, with unpublished grains left without values", async () => {
    sim.userTraffic("pd-metrics", 1000);
    sim.buildProfile("pd-metrics", NEW, { errorPercent: 4, responseTimeMs: 800 });
    await gateway.setTrafficRouting(
      at("pd-metrics", "production"),
      stagingRule("pd-metrics", 25),
      signal,
    );
    await sleep(1_500);

    const staging = await lastMetrics(at("pd-metrics", "staging"));
    const production = await lastMetrics(at("pd-metrics", "production"));

    expect(staging.grainMs).toBe(GRAIN_MS);
    expect(staging.series.map((series) => [series.name, series.unit])).toEqual([
      ["Http5xx", "Count"],
      ["Requests", "Count"],
      ["HttpResponseTime", "Seconds"],
    ]);
    const series = (answer: MetricsAnswer, name: string) =>
      answer.series.find((one) => one.name === name)!.points;
    const total = (answer: MetricsAnswer, name: string) =>
      series(answer, name).reduce((sum, point) => sum + (point.total ?? 0), 0);
    // The grains of the last DELAY_MS are not published yet: a timestamp, no value, no zero;
    // they are the newest ones, and there is at least one.
    const requests = series(staging, "Requests");
    const firstUnpublished = requests.findIndex((point) => point.total === undefined);
    expect(firstUnpublished).toBeGreaterThan(0);
    for (const point of requests.slice(firstUnpublished))
      expect(Object.keys(point)).toEqual(["at"]);
    const published = series(staging, "Requests").filter((point) => point.total !== undefined);
    expect(published.length).toBeGreaterThan(3);
    expect(published.every((point) => point.at % GRAIN_MS === 0)).toBe(true);
    // The staging slot serves a quarter of the users, with the new build's 4 % errors and 0.8 s.
    expect(total(staging, "Http5xx") / total(staging, "Requests")).toBeCloseTo(0.04, 2);
    // A grain before the rule served no request: its average is 0, not the build's.
    const timed = series(staging, "HttpResponseTime").filter((point) => (point.average ?? 0) > 0);
    expect(timed.length).toBeGreaterThan(3);
    for (const point of timed) expect(point.average).toBeCloseTo(0.8, 9);
    expect(total(production, "Requests") / total(staging, "Requests")).toBeCloseTo(3, 0);
    expect(total(production, "Http5xx")).toBe(0);

    // The request: the slot's own resource, the documented query.
    const [stagingRead, productionRead] = metricsRequests();
    const site = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Web/sites/pd-metrics`;
    expect(stagingRead?.path).toBe(`${site}/slots/staging/providers/Microsoft.Insights/metrics`);
    expect(productionRead?.path).toBe(`${site}/providers/Microsoft.Insights/metrics`);
    expect(stagingRead?.query).toMatchObject({
      "api-version": METRICS_API_VERSION,
      metricnames: "Http5xx,Requests,HttpResponseTime",
      interval: "PT1M",
      aggregation: "Total,Average",
      timespan: expect.stringMatching(
        /^\d{4}-\d\d-\d\dT[\d:.]+Z\/\d{4}-\d\d-\d\dT[\d:.]+Z$/,
      ) as unknown,
    });
    expect(stagingRead?.status).toBe(200);
    await gateway.setTrafficRouting(at("pd-metrics", "production"), [], signal);
  });

  it("retries a throttled or failing read like the SDK, and explains a refused one", async () => {
    const staging = at("pd-faults", "staging");
    sim.failMetrics("pd-faults", { status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    await lastMetrics(staging);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    sim.failMetrics("pd-faults", { status: 503 });
    await lastMetrics(staging);
    expect(metricsRequests().map((entry) => entry.status)).toEqual([429, 200, 503, 200]);

    await expect(
      metrics.read(
        staging,
        { metricNames: ["Http5xxx"], fromMs: Date.now() - 1000, toMs: Date.now() },
        signal,
      ),
    ).rejects.toThrow(
      /^reading the Azure Monitor metrics of pd-faults\/staging failed: 400 Bad Request: BadRequest: Failed to find metric configuration for provider: Microsoft\.Web, resource Type: sites\/slots, metric: Http5xxx.*\. Azure Monitor refused the query/,
    );
    const oldCloud = new AzureMonitorMetrics(secretCredential(sim), {
      armEndpoint: sim.armEndpoint,
      metricsApiVersion: "2025-03-01",
    });
    await expect(lastMetrics(staging, 1000, oldCloud)).rejects.toThrow(
      /failed: 400 Bad Request: NoRegisteredProviderFound: .*\. Azure Resource Manager of this cloud does not offer api-version 2025-03-01 for Microsoft\.Insights metrics; it offers 2016-09-01, .*leave `analysis` out/,
    );
    sim.failMetrics("pd-faults", { status: 403 });
    await expect(lastMetrics(staging)).rejects.toThrow(
      /^reading the Azure Monitor metrics of pd-faults\/staging failed: 403 Forbidden: .*Microsoft\.Insights\/metrics\/read \(e\.g\. Monitoring Reader\), on resource group rg-progressive/,
    );
    await expect(lastMetrics(at("pd-nowhere", "staging"))).rejects.toThrow(
      /^reading the Azure Monitor metrics of pd-nowhere\/staging failed: 404 Not Found: /,
    );
    await expect(
      metrics.read(staging, { metricNames: [" "], fromMs: 0, toMs: 1 }, signal),
    ).rejects.toThrow(/no metric names/);
    await expect(
      metrics.read(staging, { metricNames: ["Requests"], fromMs: 2, toMs: 1 }, signal),
    ).rejects.toThrow(/the timespan must start before it ends/);
  });

  it("gives a hung read its time limit and retries it; a cancelled one stops at once with the caller's reason", async () => {
    const bounded = new AzureMonitorMetrics(secretCredential(sim), {
      armEndpoint: sim.armEndpoint,
      attemptTimeoutMs: 300,
    });
    const staging = at("pd-hang", "staging");
    const metricsPath = /\/providers\/Microsoft\.Insights\/metrics$/i;
    sim.hang({ app: "pd-hang", path: metricsPath });

    const answer = await lastMetrics(staging, 1000, bounded);
    expect(answer.series).toHaveLength(3);
    expect(metricsRequests().map((entry) => [entry.status, entry.fault ?? "answered"])).toEqual([
      [0, "hang"],
      [200, "answered"],
    ]);

    sim.hang({ app: "pd-hang", path: metricsPath });
    const controller = new AbortController();
    const reason = new Error("release cancelled");
    const reading = lastMetrics(staging, 1000, bounded, controller.signal);
    while (metricsRequests().length < 3) await sleep(5);
    const abortedAt = Date.now();
    controller.abort(reason);
    await expect(reading).rejects.toBe(reason);
    expect(Date.now() - abortedAt).toBeLessThan(200);

    const before = metricsRequests().length;
    await expect(lastMetrics(staging, 1000, bounded, AbortSignal.abort(reason))).rejects.toBe(
      reason,
    );
    expect(metricsRequests()).toHaveLength(before);
  });
});
