import { afterEach, describe, expect, it } from "vitest";
import {
  demoFleet,
  startSimulator,
  type Simulator,
  type SimulatorOptions,
} from "./simulator/index.js";
import { armClient, rawRequest, secretCredential } from "./simulator/test-clients.js";

/**
 * The simulator's ARM throttles like Azure's (request-limits-and-throttling.md): token buckets
 * per subscription, principal and operation type, a subscription-wide bucket shared by all
 * principals, remaining-request headers on every answer, and 429 with `Retry-After` when a
 * bucket is empty. Small limits keep the waits to about a second.
 */

const SUB = "00000000-0000-0000-0000-0000000000a1";
const RG = "rg-shop-uks";
const APP = "shop-api-uks";
const site = (rest = "") =>
  `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Web/sites/${APP}${rest}`;

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: SimulatorOptions = {}): Promise<Simulator> {
  sim = await startSimulator({ apps: demoFleet(SUB).apps, swapDurationMs: 200, ...options });
  return sim;
}

const armUrl = (s: Simulator, path: string) => `${s.armEndpoint}${path}?api-version=2025-03-01`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const header = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value.join(",") : value;

/**
 * Records every attempt the real SDK client makes (a policy after its retry policy): status,
 * remaining reads of the principal and of the subscription, and `Retry-After`.
 */
function attemptsOf(
  client: ReturnType<typeof armClient>,
): Array<[number, string | null, string | null, string | null]> {
  const seen: Array<[number, string | null, string | null, string | null]> = [];
  client.pipeline.addPolicy(
    {
      name: "record-attempts",
      sendRequest: async (request, next) => {
        const response = await next(request);
        const get = (name: string) => response.headers.get(name) ?? null;
        seen.push([
          response.status,
          get("x-ms-ratelimit-remaining-subscription-reads"),
          get("x-ms-ratelimit-remaining-subscription-global-reads"),
          get("retry-after"),
        ]);
        return response;
      },
    },
    { afterPhase: "Retry" },
  );
  return seen;
}

describe("ARM throttling", () => {
  it("is on by default with Azure's real limits (reads 250, subscription-wide 15 × 250)", async () => {
    const s = await start();
    const response = await rawRequest(s, "GET", armUrl(s, site()), { token: s.accessToken() });
    expect(response.status).toBe(200);
    expect(header(response.headers["x-ms-ratelimit-remaining-subscription-reads"])).toBe("249");
    expect(header(response.headers["x-ms-ratelimit-remaining-subscription-global-reads"])).toBe(
      "3749",
    );
    const write = await rawRequest(s, "POST", armUrl(s, site("/config/appsettings/list")), {
      token: s.accessToken(),
    });
    expect(write.status).toBe(200);
    expect(header(write.headers["x-ms-ratelimit-remaining-subscription-writes"])).toBe("199");
    expect(write.headers["x-ms-ratelimit-remaining-subscription-reads"]).toBeUndefined();
  });

  it("answers the 6th quick GET with 429 and Retry-After, counting down before, passing after the wait", async () => {
    const s = await start({ armLimits: { reads: { bucket: 5, refillPerSecond: 1 } } });
    const token = s.accessToken();
    const remaining: Array<string | undefined> = [];
    for (let i = 0; i < 5; i++) {
      const response = await rawRequest(s, "GET", armUrl(s, site()), { token });
      expect(response.status).toBe(200);
      remaining.push(header(response.headers["x-ms-ratelimit-remaining-subscription-reads"]));
    }
    expect(remaining).toEqual(["4", "3", "2", "1", "0"]);

    const throttled = await rawRequest(s, "GET", armUrl(s, site("/slots/staging")), { token });
    expect(throttled.status).toBe(429);
    expect(header(throttled.headers["retry-after"])).toBe("1");
    expect(header(throttled.headers["x-ms-ratelimit-remaining-subscription-reads"])).toBe("0");
    const error = (throttled.json as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("SubscriptionRequestsThrottled");
    expect(error.message).toContain(`Number of 'read' requests for subscription '${SUB}'`);
    expect(error.message).toContain("Please try again after '1' seconds");
    expect(s.armThrottledCount()).toBe(1);
    const journal = s.journal.of("arm");
    expect(journal.map((entry) => entry.status)).toEqual([200, 200, 200, 200, 200, 429]);

    await sleep(1100);
    const again = await rawRequest(s, "GET", armUrl(s, site("/slots/staging")), { token });
    expect(again.status).toBe(200);
    expect(header(again.headers["x-ms-ratelimit-remaining-subscription-reads"])).toBe("0");
  });

  it("counts reads and writes in separate buckets", async () => {
    const s = await start({
      armLimits: {
        reads: { bucket: 2, refillPerSecond: 0.1 },
        writes: { bucket: 1, refillPerSecond: 0.1 },
      },
    });
    const token = s.accessToken();
    const get = () => rawRequest(s, "GET", armUrl(s, site("/config/web")), { token });
    const list = () =>
      rawRequest(s, "POST", armUrl(s, site("/config/appsettings/list")), { token });

    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
    // Reads are spent, a write still passes: its own bucket.
    const write = await list();
    expect(write.status).toBe(200);
    expect(header(write.headers["x-ms-ratelimit-remaining-subscription-writes"])).toBe("0");
    const refused = await list();
    expect(refused.status).toBe(429);
    // 1 token at 0.1/s: ten seconds away.
    expect(header(refused.headers["retry-after"])).toBe("10");
    expect((refused.json as { error: { message: string } }).error.message).toContain(
      "Number of 'write' requests",
    );
  });

  it("gives each principal its own bucket and all of them one subscription-wide bucket", async () => {
    // Per principal 4 reads; subscription-wide 1.5 × 4 = 6.
    const s = await start({
      armLimits: { reads: { bucket: 4, refillPerSecond: 0.1 }, globalFactor: 1.5 },
    });
    // Two principals: the simulator's raw token names the app id only, Entra's token an object id.
    const first = s.accessToken();
    const second = (await secretCredential(s).getToken(`${s.armEndpoint}/.default`)).token;
    const get = (token: string) => rawRequest(s, "GET", armUrl(s, site()), { token });

    for (let i = 0; i < 4; i++) expect((await get(first)).status).toBe(200);
    expect((await get(first)).status).toBe(429);
    const other = await get(second);
    expect(other.status).toBe(200);
    expect(header(other.headers["x-ms-ratelimit-remaining-subscription-reads"])).toBe("3");
    expect(header(other.headers["x-ms-ratelimit-remaining-subscription-global-reads"])).toBe("1");
    expect((await get(second)).status).toBe(200);
    // The second principal has 2 of its own left, but the subscription's bucket is empty.
    const refused = await get(second);
    expect(refused.status).toBe(429);
    expect(header(refused.headers["x-ms-ratelimit-remaining-subscription-reads"])).toBe("2");
    expect(header(refused.headers["x-ms-ratelimit-remaining-subscription-global-reads"])).toBe("0");
  });

  it("charges one principal separately in each subscription, the SDK client seeing each count", async () => {
    const OTHER = "00000000-0000-0000-0000-0000000000b2";
    const s = await start({ armLimits: { reads: { bucket: 3, refillPerSecond: 0.1 } } });
    s.addApp({
      subscriptionId: OTHER,
      resourceGroup: RG,
      name: "shop-api-b2",
      location: "UK South",
      kind: "container",
      production: { build: "1.4.1" },
      staging: { build: "1.5.0" },
    });
    const credential = secretCredential(s);
    const here = armClient(s, SUB, credential, { retryOptions: { maxRetries: 0 } });
    const there = armClient(s, OTHER, credential, { retryOptions: { maxRetries: 0 } });
    const seenHere = attemptsOf(here);
    const seenThere = attemptsOf(there);
    for (let i = 0; i < 3; i++) await here.webApps.get(RG, APP);
    await expect(here.webApps.get(RG, APP)).rejects.toMatchObject({ statusCode: 429 });
    // The same principal in another subscription: full buckets of its own.
    await there.webApps.get(RG, "shop-api-b2");
    await there.webApps.getSlot(RG, "shop-api-b2", "staging");
    expect(seenHere).toEqual([
      [200, "2", "44", null],
      [200, "1", "43", null],
      [200, "0", "42", null],
      [429, "0", "42", "10"],
    ]);
    expect(seenThere).toEqual([
      [200, "2", "44", null],
      [200, "1", "43", null],
    ]);
  });

  it("answers an injected ARM throttle without taking a token, with the caller's real count and the subscription's bucket empty", async () => {
    const s = await start();
    s.throttle(APP, { count: 1, retryAfterSeconds: 1 });
    const client = armClient(s, SUB);
    const seen = attemptsOf(client);
    // The real client waits the Retry-After and tries again.
    expect((await client.webApps.get(RG, APP)).name).toBe(APP);
    expect(seen).toEqual([
      [429, "250", "0", "1"],
      [200, "249", "3749", null],
    ]);
    // ARM's own throttle refused nothing: the 429 was injected.
    expect(s.armThrottledCount()).toBe(0);
  });

  it("sends the remaining counts on error answers too: 404, App Service's 409, ARM's 429", async () => {
    const s = await start({ armLimits: { writes: { bucket: 3, refillPerSecond: 0.1 } } });
    const token = s.accessToken();
    const missing = await rawRequest(s, "GET", armUrl(s, site("/slots/nope")), { token });
    expect(missing.status).toBe(404);
    expect(header(missing.headers["x-ms-ratelimit-remaining-subscription-reads"])).toBe("249");
    expect(header(missing.headers["x-ms-ratelimit-remaining-subscription-global-reads"])).toBe(
      "3749",
    );
    const applied = await rawRequest(s, "POST", armUrl(s, site("/applySlotConfig")), {
      token,
      body: { targetSlot: "staging", preserveVnet: true },
    });
    expect(applied.status).toBe(200);
    expect(header(applied.headers["x-ms-ratelimit-remaining-subscription-writes"])).toBe("2");
    const locked = await rawRequest(
      s,
      "PUT",
      armUrl(s, site("/slots/staging/config/appsettings")),
      {
        token,
        body: { properties: { A: "b" } },
      },
    );
    expect(locked.status).toBe(409);
    expect(header(locked.headers["x-ms-ratelimit-remaining-subscription-writes"])).toBe("1");
    expect(header(locked.headers["x-ms-ratelimit-remaining-subscription-global-writes"])).toBe(
      "43",
    );
    await rawRequest(s, "POST", armUrl(s, site("/resetSlotConfig")), { token });
    const throttled = await rawRequest(s, "POST", armUrl(s, site("/resetSlotConfig")), { token });
    expect(throttled.status).toBe(429);
    expect(header(throttled.headers["x-ms-ratelimit-remaining-subscription-writes"])).toBe("0");
    expect(header(throttled.headers["x-ms-ratelimit-remaining-subscription-global-writes"])).toBe(
      "42",
    );
  });

  it("can be turned off", async () => {
    const s = await start({ armLimits: false });
    const token = s.accessToken();
    const responses = await Promise.all(
      Array.from({ length: 260 }, () => rawRequest(s, "GET", armUrl(s, site()), { token })),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(responses[0]!.headers["x-ms-ratelimit-remaining-subscription-reads"]).toBeUndefined();
    expect(s.armThrottledCount()).toBe(0);
  });

  it("is ridden out by the real WebSiteManagementClient, which waits Retry-After", async () => {
    const s = await start({ armLimits: { reads: { bucket: 2, refillPerSecond: 1 } } });
    const client = armClient(s, SUB);
    for (let i = 0; i < 3; i++) {
      const app = await client.webApps.get(RG, APP);
      expect(app.name).toBe(APP);
    }
    const gets = s.journal.of("arm").filter((entry) => entry.method === "GET");
    expect(gets.map((entry) => entry.status)).toEqual([200, 200, 429, 200]);
    // The retry came after the 429's Retry-After (1 s), not at once.
    expect(gets[3]!.at - gets[2]!.at).toBeGreaterThanOrEqual(950);
    expect(s.armThrottledCount()).toBe(1);
  });
});
