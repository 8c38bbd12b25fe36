import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  METRICS_API_VERSIONS,
  startSimulator,
  type AppSeed,
  type Simulator,
  type SimulatorOptions,
} from "./simulator/index.js";
import { findAz, signedInAzureCli } from "./simulator/azure-cli.js";
import { armClient, rawRequest, type RawResponse } from "./simulator/test-clients.js";

/**
 * The simulator for progressive delivery, driven with the real `@azure/arm-appservice` client
 * and raw HTTPS: production's traffic-routing rules (`siteConfig.experiments.rampUpRules`)
 * really route requests to production's host, `x-ms-routing-name` pins (query string, cookie)
 * as App Service documents them, simulated users accrue Azure Monitor grains by the build each
 * slot runs, and `Microsoft.Insights/metrics` answers through ARM in the spec's shape, with
 * the ingestion delay, ARM's read throttling and Azure Monitor's errors.
 */

const SUB = "00000000-0000-0000-0000-0000000000b7";
const RG = "rg-canary";
const APP = "canary-api";
const OLD = "1.0.0";
const NEW = "1.1.0";
const seed: AppSeed = {
  subscriptionId: SUB,
  resourceGroup: RG,
  name: APP,
  location: "UK South",
  kind: "container",
  production: { build: OLD },
  staging: { build: NEW },
};
/** A compressed grain (Azure: PT1M) and delay, so that metrics tests take about a second. */
const GRAIN_MS = 200;
const DELAY_MS = 400;

let sim: Simulator;
afterEach(async () => {
  await sim?.close();
});

async function start(options: SimulatorOptions = {}): Promise<Simulator> {
  sim = await startSimulator({
    apps: [seed],
    swapDurationMs: 200,
    metricGrainMs: GRAIN_MS,
    metricDelayMs: DELAY_MS,
    ...options,
  });
  return sim;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const site = (rest = "") =>
  `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Web/sites/${APP}${rest}`;
const host = (slot: string) => sim.slot(APP, slot).defaultHostName;

/** A rule sending `percent` of production's users to the slot with host `actionHostName`. */
const rule = (percent: number, actionHostName = host("staging")) => ({
  name: "staging",
  actionHostName,
  reroutePercentage: percent,
});

/** Sets production's rules as the action does: the SDK's PATCH of `config/web`. */
async function setRules(rules: unknown[]): Promise<void> {
  await armClient(sim, SUB).webApps.updateConfiguration(RG, APP, {
    experiments: { rampUpRules: rules as never },
  });
}

/** Swaps staging into production with the production-site form of the SDK. */
const swapWithProduction = () =>
  armClient(sim, SUB).webApps.beginSwapSlotWithProductionAndWait(RG, APP, {
    targetSlot: "staging",
    preserveVnet: true,
  });

/** Reads production's status page `times` times; `cookie`/`query` pin with `x-ms-routing-name`. */
async function readProduction(
  times: number,
  pin: { cookie?: string; query?: string } = {},
): Promise<RawResponse[]> {
  const url = sim.statusUrl(
    APP,
    "production",
    pin.query ? `/status?x-ms-routing-name=${pin.query}` : "/status",
  );
  const headers: Record<string, string> = pin.cookie
    ? { cookie: `x-ms-routing-name=${pin.cookie}` }
    : {};
  const answers: RawResponse[] = [];
  for (let read = 0; read < times; read++)
    answers.push(await rawRequest(sim, "GET", url, { headers }));
  return answers;
}

const builds = (answers: RawResponse[]) =>
  answers.map((answer) => (answer.json as { build?: string }).build);
const count = <T>(values: T[], wanted: T) => values.filter((value) => value === wanted).length;
const cookieOf = (answer: RawResponse) => String(answer.headers["set-cookie"] ?? "");

describe("traffic routing", () => {
  it("sends exactly the rule's share of unpinned requests to the slot and pins each with the cookie", async () => {
    await start();
    await setRules([rule(25)]);
    const answers = await readProduction(100);
    expect(count(builds(answers), NEW)).toBe(25);
    expect(count(builds(answers), OLD)).toBe(75);
    for (const answer of answers) {
      const build = (answer.json as { build: string }).build;
      expect(cookieOf(answer)).toMatch(
        new RegExp(`^x-ms-routing-name=${build === NEW ? "staging" : "self"};`),
      );
    }
    const reads = sim.journal.statusReads(APP);
    expect(reads).toHaveLength(100);
    expect(
      count(
        reads.map((read) => read.slot),
        "staging",
      ),
    ).toBe(25);
    expect(reads.every((read) => read.host === "production" && read.routedBy === "rules")).toBe(
      true,
    );
    expect(sim.journal.routingHistory(APP)).toMatchObject([
      { app: APP, percent: 25, routes: [{ slot: "staging", percent: 25 }], via: "arm" },
    ]);
  });

  it("serves production to x-ms-routing-name=self, by query string or cookie, whatever the rules", async () => {
    await start();
    await setRules([rule(100)]);
    expect(builds(await readProduction(1))).toEqual([NEW]);
    expect(new Set(builds(await readProduction(20, { cookie: "self" })))).toEqual(new Set([OLD]));
    const byQuery = await readProduction(20, { query: "self" });
    expect(new Set(builds(byQuery))).toEqual(new Set([OLD]));
    expect(cookieOf(byQuery[0]!)).toMatch(/^x-ms-routing-name=self;/);
    // The query string wins over the cookie.
    expect(builds(await readProduction(1, { cookie: "staging", query: "self" }))).toEqual([OLD]);
    expect(sim.journal.statusReads(APP).at(-1)).toMatchObject({
      slot: "production",
      build: OLD,
      routedBy: "query",
    });
  });

  it("keeps a client pinned to a slot while a rule names it, 0 % included, and not once it is gone", async () => {
    await start();
    await setRules([rule(10)]);
    expect(new Set(builds(await readProduction(20, { cookie: "staging" })))).toEqual(
      new Set([NEW]),
    );
    expect(sim.journal.statusReads(APP).at(-1)).toMatchObject({
      slot: "staging",
      routedBy: "cookie",
    });
    await setRules([rule(0)]);
    expect(new Set(builds(await readProduction(10, { cookie: "staging" })))).toEqual(
      new Set([NEW]),
    );
    expect(new Set(builds(await readProduction(100)))).toEqual(new Set([OLD]));
    await setRules([]);
    const unpinned = await readProduction(10, { cookie: "staging" });
    expect(new Set(builds(unpinned))).toEqual(new Set([OLD]));
    expect(cookieOf(unpinned[0]!)).toMatch(/^x-ms-routing-name=self;/);
    expect(sim.journal.routingHistory(APP).map((write) => write.percent)).toEqual([10, 0, 0]);
    // A slot's own host name is never routed and sets no cookie.
    const staging = await rawRequest(sim, "GET", sim.statusUrl(APP, "staging"));
    expect(staging.json).toMatchObject({ build: NEW });
    expect(staging.headers["set-cookie"]).toBeUndefined();
  });

  it("takes a full site config PUT, ignores rules naming no slot, and knows the Azure CLI's slot host name", async () => {
    await start();
    const { webApps } = armClient(sim, SUB);
    const config = await webApps.getConfiguration(RG, APP);
    await webApps.createOrUpdateConfiguration(RG, APP, {
      ...config,
      experiments: { rampUpRules: [rule(50, "nowhere.azurewebsites.net")] },
    });
    expect(new Set(builds(await readProduction(20)))).toEqual(new Set([OLD]));
    expect(sim.journal.routingHistory(APP).at(-1)).toMatchObject({ percent: 0, routes: [] });
    expect((await webApps.getConfiguration(RG, APP)).experiments?.rampUpRules).toMatchObject([
      { actionHostName: "nowhere.azurewebsites.net", reroutePercentage: 50 },
    ]);

    // `az webapp traffic-routing set` names the slot `<first label>-<slot>.<rest>` of defaultHostName.
    const production = host("production");
    const dot = production.indexOf(".");
    const cliHost = `${production.slice(0, dot)}-staging${production.slice(dot)}`;
    await webApps.createOrUpdateConfiguration(RG, APP, {
      ...(await webApps.getConfiguration(RG, APP)),
      experiments: { rampUpRules: [rule(50, cliHost)] },
    });
    expect(count(builds(await readProduction(20)), NEW)).toBe(10);
    expect(sim.journal.routingHistory(APP).at(-1)).toMatchObject({ percent: 50 });
  });

  it("journals the share routed away from production when ARM received each swap POST", async () => {
    await start();
    const { webApps } = armClient(sim, SUB);
    await setRules([rule(5)]);
    await swapWithProduction();
    await setRules([]);
    await webApps.beginSwapSlotAndWait(RG, APP, "staging", {
      targetSlot: "production",
      preserveVnet: true,
    });
    expect(sim.journal.swapRequests().map((request) => request.routedPercent)).toEqual([5, 0]);
    expect(sim.journal.swapsWhileRouted()).toHaveLength(1);
    expect(sim.journal.routingHistory(APP).map((write) => [write.percent, write.via])).toEqual([
      [5, "arm"],
      [0, "arm"],
    ]);
    sim.routeTraffic(APP, "staging", 30);
    expect(sim.journal.routingHistory(APP).at(-1)).toMatchObject({ percent: 30, via: "simulator" });
  });
});

/** The vendored spec example (Monitor 2023-10-01 Metrics_List, GetMetricError): its successful metric. */
const example = (
  JSON.parse(
    readFileSync(
      new URL("./simulator/azure-examples/GetMetricError.json", import.meta.url),
      "utf8",
    ),
  ) as {
    responses: {
      200: { body: { value: Array<Record<string, unknown>> } & Record<string, unknown> };
    };
  }
).responses[200].body;

interface MetricsBody {
  cost: number;
  timespan: string;
  interval: string;
  namespace: string;
  resourceregion: string;
  value: Array<{
    id: string;
    type: string;
    name: { value: string; localizedValue: string };
    unit: string;
    errorCode: string;
    timeseries: Array<{
      metadatavalues: unknown[];
      data: Array<{ timeStamp: string; total?: number; average?: number }>;
    }>;
  }>;
}

/** `GET {slot}/providers/Microsoft.Insights/metrics` as the action sends it, over the last `spanMs`. */
function readMetrics(
  slot: string,
  options: { spanMs?: number; names?: string; apiVersion?: string; token?: string | null } = {},
): Promise<RawResponse> {
  const now = Date.now();
  const query = new URLSearchParams({
    "api-version": options.apiVersion ?? "2023-10-01",
    metricnames: options.names ?? "Http5xx,Requests,HttpResponseTime",
    timespan: `${new Date(now - (options.spanMs ?? 4000)).toISOString()}/${new Date(now).toISOString()}`,
    interval: "PT1M",
    aggregation: "Total,Average",
  });
  const path = slot === "production" ? site() : site(`/slots/${slot}`);
  return rawRequest(
    sim,
    "GET",
    `${sim.armEndpoint}${path}/providers/Microsoft.Insights/metrics?${query}`,
    {
      token: options.token === null ? undefined : (options.token ?? sim.accessToken()),
    },
  );
}

/** The published grains of one metric (with a value; starting at `from` or later), and the sum of their totals. */
function published(body: MetricsBody, name: string, from = 0) {
  const data = body.value.find((metric) => metric.name.value === name)!.timeseries[0]!.data;
  const points = data.filter(
    (point) => point.total !== undefined && Date.parse(point.timeStamp) >= from,
  );
  return { data, points, total: points.reduce((sum, point) => sum + point.total!, 0) };
}

describe("Azure Monitor metrics through ARM", () => {
  it("answers the spec's shape: units, namespace, grain-spaced aligned timestamps, the ingestion delay", async () => {
    await start();
    await sleep(1500);
    const answer = await readMetrics("production");
    expect(answer.status).toBe(200);
    const body = answer.json as MetricsBody;
    expect(Object.keys(body).sort()).toEqual(Object.keys(example).sort());
    const exampleMetric = example.value[1]!;
    for (const metric of body.value) {
      expect(Object.keys(metric).sort()).toEqual(Object.keys(exampleMetric).sort());
      expect(Object.keys(metric.timeseries[0]!).sort()).toEqual(["data", "metadatavalues"]);
      expect(metric).toMatchObject({ type: "Microsoft.Insights/metrics", errorCode: "Success" });
      expect(metric.id).toBe(`${site()}/providers/Microsoft.Insights/metrics/${metric.name.value}`);
    }
    expect(body.value.map((metric) => [metric.name.value, metric.unit])).toEqual([
      ["Http5xx", "Count"],
      ["Requests", "Count"],
      ["HttpResponseTime", "Seconds"],
    ]);
    expect(body).toMatchObject({
      interval: "PT0.2S",
      namespace: "Microsoft.Web/sites",
      resourceregion: "uksouth",
    });
    const { data, points } = published(body, "Requests");
    const times = data.map((point) => Date.parse(point.timeStamp));
    expect(times.every((time) => time % GRAIN_MS === 0)).toBe(true);
    expect(times.slice(1).map((time, index) => time - times[index]!)).toEqual(
      times.slice(1).map(() => GRAIN_MS),
    );
    // Grains that ended less than the delay ago come back with a timestamp only: never a zero.
    const now = Date.now();
    const unpublished = data.filter(
      (point) => Date.parse(point.timeStamp) + GRAIN_MS + DELAY_MS > now - 100,
    );
    expect(unpublished.length).toBeGreaterThanOrEqual(2);
    for (const point of unpublished.slice(-2)) expect(Object.keys(point)).toEqual(["timeStamp"]);
    // 20 users a second: 4 requests a grain once the grains are whole.
    expect(points.length).toBeGreaterThan(0);
    expect(points.at(-1)!.total).toBe(4);
    const slot = (await readMetrics("staging")).json as MetricsBody;
    expect(slot.namespace).toBe("Microsoft.Web/sites/slots");
    expect(slot.value[0]!.id).toBe(
      `${site("/slots/staging")}/providers/Microsoft.Insights/metrics/Http5xx`,
    );
  });

  it("shows published grains without traffic as zeros", async () => {
    await start();
    sim.userTraffic(APP, 0);
    await sleep(1000);
    const { points } = published((await readMetrics("production")).json as MetricsBody, "Requests");
    expect(points.length).toBeGreaterThan(0);
    expect(points.every((point) => point.total === 0)).toBe(true);
  });

  it("accrues each slot's share of users by the build it runs, and moves with a swap", async () => {
    await start();
    sim.userTraffic(APP, 2000);
    sim.buildProfile(APP, NEW, { errorPercent: 4, responseTimeMs: 800 });
    await setRules([rule(25)]);
    const routedAt = Date.now();
    await sleep(1500);
    const staging = (await readMetrics("staging")).json as MetricsBody;
    const production = (await readMetrics("production")).json as MetricsBody;
    const stagingRequests = published(staging, "Requests").total;
    expect(stagingRequests).toBeGreaterThan(400);
    expect(published(staging, "Http5xx").total / stagingRequests).toBeCloseTo(0.04, 2);
    // Grains before the rule was set served no one here: zeros.
    const served = published(staging, "HttpResponseTime").points.filter((point) => point.average);
    expect(served.length).toBeGreaterThan(3);
    for (const point of served) expect(point.average).toBeCloseTo(0.8, 9);
    const whole = (body: MetricsBody) => published(body, "Requests", routedAt + GRAIN_MS).total;
    expect(whole(production) / whole(staging)).toBeCloseTo(3, 1);
    expect(published(production, "Http5xx").total).toBe(0);

    await setRules([]);
    await swapWithProduction();
    const swappedAt = Date.now();
    await sleep(1200);
    const after = (await readMetrics("production", { spanMs: Date.now() - swappedAt }))
      .json as MetricsBody;
    const afterRequests = published(after, "Requests");
    expect(afterRequests.total).toBeGreaterThan(1000);
    expect(published(after, "Http5xx").total / afterRequests.total).toBeCloseTo(0.04, 2);
    const stagingAfter = (await readMetrics("staging", { spanMs: Date.now() - swappedAt }))
      .json as MetricsBody;
    expect(published(stagingAfter, "Requests").total).toBe(0);
  });

  it("counts in ARM's read bucket and wants a bearer token", async () => {
    await start({ armLimits: { reads: { bucket: 3, refillPerSecond: 0.5 } } });
    expect((await readMetrics("production", { token: null })).status).toBe(401);
    const answers = [];
    for (let read = 0; read < 4; read++) answers.push(await readMetrics("production"));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    expect(answers[2]!.headers["x-ms-ratelimit-remaining-subscription-reads"]).toBe("0");
    expect(answers[3]!.json).toMatchObject({ error: { code: "SubscriptionRequestsThrottled" } });
    expect(answers[3]!.headers["retry-after"]).toBeDefined();
  });

  it("refuses an unknown metric in Azure Monitor's error shape and an unknown api-version like ARM", async () => {
    await start();
    const unknown = await readMetrics("production", { names: "Requests,Http5xxx" });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({
      code: "BadRequest",
      message: expect.stringMatching(
        /^Failed to find metric configuration for provider: Microsoft\.Web, resource Type: sites, metric: Http5xxx, Valid metrics: /,
      ) as unknown,
    });
    for (const version of METRICS_API_VERSIONS)
      expect((await readMetrics("production", { apiVersion: version })).status).toBe(200);
    const badVersion = await readMetrics("production", { apiVersion: "2025-03-01" });
    expect(badVersion.status).toBe(400);
    expect(badVersion.json).toMatchObject({
      error: {
        code: "NoRegisteredProviderFound",
        message: expect.stringContaining("for type 'metrics'") as unknown,
      },
    });
  });

  it("fails, throttles and hangs on demand", async () => {
    await start();
    sim.failMetrics(APP, { status: 503, count: 1 });
    const failed = await readMetrics("staging");
    expect(failed.status).toBe(503);
    expect(failed.json).toEqual({
      code: "ServiceUnavailable",
      message: expect.any(String) as unknown,
    });
    sim.failMetrics(APP, { status: 429, retryAfterSeconds: 2 });
    const throttled = await readMetrics("production");
    expect(throttled.status).toBe(429);
    expect(throttled.headers["retry-after"]).toBe("2");
    expect(throttled.json).toMatchObject({ error: { code: "SubscriptionRequestsThrottled" } });
    expect((await readMetrics("production")).status).toBe(200);
    sim.hang({ app: APP, path: /\/providers\/Microsoft\.Insights\/metrics$/i });
    await expect(
      rawRequest(
        sim,
        "GET",
        `${sim.armEndpoint}${site()}/providers/Microsoft.Insights/metrics?api-version=2023-10-01`,
        {
          token: sim.accessToken(),
          timeoutMs: 300,
        },
      ),
    ).rejects.toThrow(/timed out/);
    expect(sim.journal.entries().at(-1)).toMatchObject({ fault: "hang", status: 0 });
  });
});

/** Debian's `az` (2.45), if installed: `az webapp traffic-routing set/clear` against the simulator. */
const azPath = findAz();

describe.runIf(azPath !== undefined)("Azure CLI traffic routing", { timeout: 120_000 }, () => {
  it("az webapp traffic-routing set routes the share, clear brings every user back", async () => {
    await start();
    const { az, close } = await signedInAzureCli(sim, azPath!);
    try {
      const app = ["--resource-group", RG, "--name", APP];
      const from = sim.journal.entries().length;
      await az("webapp", "traffic-routing", "set", ...app, "--distribution", "staging=20");
      expect(
        sim.journal
          .entries()
          .slice(from)
          .filter((entry) => entry.service === "arm")
          .map((entry) => `${entry.method} ${entry.path.replace(/^.*\/sites\/[^/]+/i, "") || "/"}`),
      ).toEqual(["GET /", "GET /config/web", "PATCH /config/web"]);
      expect(sim.journal.routingHistory(APP)).toMatchObject([
        { percent: 20, routes: [{ slot: "staging", percent: 20 }], via: "arm" },
      ]);
      expect(count(builds(await readProduction(50)), NEW)).toBe(10);
      await az("webapp", "traffic-routing", "clear", ...app);
      expect(sim.journal.routingHistory(APP).at(-1)).toMatchObject({ percent: 0, rules: [] });
      expect(new Set(builds(await readProduction(20)))).toEqual(new Set([OLD]));
    } finally {
      close();
    }
  });
});
