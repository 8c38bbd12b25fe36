/**
 * Client-side pacing of ARM requests: the budget on a virtual clock, then the real SDK client
 * against the simulator with ARM's real token buckets, where it must meet no 429.
 */
import * as tls from "node:tls";
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArmRequestBudget, operationTypeOf, subscriptionOf } from "../src/azure/arm-pacing.js";
import { ArmSlotGateway } from "../src/azure/arm-slot-gateway.js";
import { systemClock } from "../src/system-clock.js";
import { startSimulator, type Simulator } from "./simulator/index.js";
import { secretCredential } from "./simulator/test-clients.js";
import { VirtualClock } from "./support/virtual-clock.js";

const SUBSCRIPTION = "00000000-0000-0000-0000-0000000000c1";

function answer(status: number, headers: Record<string, string>) {
  return {
    status,
    headers: createHttpHeaders(headers),
    request: createPipelineRequest({ url: "https://arm.test/" }),
  };
}

/** When each of `count` takes of one bucket got its token, ms after the start. */
async function takeTimes(
  budget: ArmRequestBudget,
  clock: VirtualClock,
  count: number,
  type: "reads" | "writes",
) {
  const start = clock.now();
  return Promise.all(
    Array.from({ length: count }, async () => {
      await budget.take(SUBSCRIPTION, type);
      return clock.now() - start;
    }),
  );
}

describe("the ARM request budget", () => {
  it("lets a burst through up to the bucket, then paces at ARM's refill rate", async () => {
    const clock = new VirtualClock();
    const budget = new ArmRequestBudget(clock);
    const reads = await takeTimes(budget, clock, 300, "reads");
    // 250 in the bucket, 5 kept in reserve: 245 at once, then 25 a second.
    expect(reads.filter((ms) => ms === 0)).toHaveLength(245);
    expect(Math.max(...reads)).toBeGreaterThanOrEqual(((300 - 245) / 25) * 1000 - 40);
    expect(Math.max(...reads)).toBeLessThanOrEqual(((300 - 245) / 25) * 1000 + 100);
    const writes = await takeTimes(new ArmRequestBudget(clock), clock, 215, "writes");
    expect(Math.max(...writes)).toBeGreaterThanOrEqual(((215 - 195) / 10) * 1000 - 100);
    expect(budget.counts.held).toBe(55);
  });

  it("believes what ARM says is left, and holds the bucket for a 429's Retry-After", async () => {
    const clock = new VirtualClock();
    const budget = new ArmRequestBudget(clock);
    // Another tool of the same principal spent most of the bucket: ARM says 10 are left.
    budget.observeAnswer(
      SUBSCRIPTION,
      "reads",
      answer(200, { "x-ms-ratelimit-remaining-subscription-reads": "10" }),
    );
    const times = await takeTimes(budget, clock, 10, "reads");
    expect(times.filter((ms) => ms === 0)).toHaveLength(5);
    budget.observeAnswer(SUBSCRIPTION, "writes", answer(429, { "retry-after": "7" }));
    const [first] = await takeTimes(budget, clock, 1, "writes");
    expect(first).toBeGreaterThanOrEqual(7_000);
    expect(budget.counts.throttled).toBe(1);
  });

  it("a cancelled wait rejects at once and does not hold up the requests behind it", async () => {
    const clock = new VirtualClock();
    const budget = new ArmRequestBudget(clock);
    budget.observeAnswer(
      SUBSCRIPTION,
      "reads",
      answer(200, { "x-ms-ratelimit-remaining-subscription-reads": "0" }),
    );
    const controller = new AbortController();
    const cancelled = budget.take(SUBSCRIPTION, "reads", controller.signal);
    const next = budget.take(SUBSCRIPTION, "reads");
    controller.abort(new Error("SIGTERM"));
    await expect(cancelled).rejects.toThrow("SIGTERM");
    await expect(next).resolves.toBeUndefined();
  });

  it("counts requests as ARM does, and paces only what names a subscription", () => {
    expect(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"].map(operationTypeOf)).toEqual([
      "reads",
      "reads",
      "writes",
      "writes",
      "writes",
      "deletes",
    ]);
    expect(subscriptionOf(`https://arm.test/subscriptions/${SUBSCRIPTION}/resourceGroups/rg`)).toBe(
      SUBSCRIPTION,
    );
    expect(
      subscriptionOf("https://arm.test/metadata/endpoints?api-version=2022-09-01"),
    ).toBeUndefined();
  });
});

describe("the gateway against ARM's real token buckets", () => {
  let sim: Simulator;
  const apps = Array.from({ length: 40 }, (_, index) => `shop-app-${index}`);

  beforeAll(async () => {
    sim = await startSimulator({
      apps: apps.map((name) => ({
        subscriptionId: SUBSCRIPTION,
        resourceGroup: "rg-pacing",
        name,
        location: "UK South",
        kind: "container" as const,
        production: { build: "1.0.0" },
        staging: { build: "1.1.0" },
      })),
    });
    tls.setDefaultCACertificates([...tls.getCACertificates("default"), sim.caCertPem]);
  });
  afterAll(() => sim.close());

  it("reads 600 slots (more than the bucket holds) with no 429", async () => {
    const budget = new ArmRequestBudget(systemClock);
    const gateway = new ArmSlotGateway(secretCredential(sim), {
      armEndpoint: sim.armEndpoint,
      budget,
    });
    const signal = new AbortController().signal;
    await Promise.all(
      Array.from({ length: 600 }, (_, index) =>
        gateway.describeSlot(
          {
            subscriptionId: SUBSCRIPTION,
            resourceGroup: "rg-pacing",
            app: apps[index % apps.length] ?? "",
            slot: index % 2 === 0 ? "production" : "staging",
          },
          signal,
        ),
      ),
    );
    expect(sim.armThrottledCount()).toBe(0);
    expect(budget.counts.throttled).toBe(0);
    // What the bucket could not hold waited for its token instead of meeting a 429.
    expect(budget.counts.held).toBeGreaterThan(300);
  }, 60_000);
});
