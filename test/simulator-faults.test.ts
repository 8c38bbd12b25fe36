import type { RestError } from "@azure/core-rest-pipeline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { demoFleet, startSimulator, type Simulator } from "./simulator/index.js";
import { armClient, rawRequest, secretCredential } from "./simulator/test-clients.js";

/**
 * The simulator's fault model: what real Azure does to a release besides answering well. Each
 * fault is driven with the real `@azure/arm-appservice` 18 client or raw HTTPS, and checked
 * against the simulator's ground truth and journal.
 */

const SUB = "00000000-0000-0000-0000-0000000000a1";
const RG = "rg-shop-uks";
const APP = "shop-api-uks";
const SWAP_BODY = { targetSlot: "production", preserveVnet: true };
const site = (rest = "", app = APP) =>
  `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Web/sites/${app}${rest}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator({ apps: demoFleet(SUB).apps, swapDurationMs: 200 });
});
afterEach(async () => {
  await sim.close();
});

const armUrl = (path: string) => `${sim.armEndpoint}${path}?api-version=2025-03-01`;
const arm = (method: string, path: string, body?: unknown, timeoutMs?: number) =>
  rawRequest(sim, method, armUrl(path), { token: sim.accessToken(), body, timeoutMs });
const startSwap = () => arm("POST", site("/slots/staging/slotsswap"), SWAP_BODY);
const operationIdOf = (location: unknown) =>
  /\/operationresults\/([0-9a-f-]+)\?/.exec(String(location))?.[1];
const builds = (app = APP) => [sim.slot(app, "production").build, sim.slot(app, "staging").build];
const read = (app: string, slot: string, timeoutMs?: number) =>
  rawRequest(sim, "GET", sim.statusUrl(app, slot), { timeoutMs });
const buildOnPage = async (app: string, slot: string) =>
  ((await read(app, slot)).json as { build?: unknown } | undefined)?.build;
async function untilSwapped(app = APP): Promise<void> {
  while (sim.isSwapping(app)) await sleep(20);
}
/** A client whose retries come quickly, so a test can exhaust them. */
const quickRetries = () =>
  armClient(sim, SUB, secretCredential(sim), {
    retryOptions: { maxRetries: 3, retryDelayInMs: 20, maxRetryDelayInMs: 40 },
  });

describe("site resource fidelity", () => {
  it("reports inProgressOperationId while a swap runs and slotSwapStatus once it completes", async () => {
    sim.slowSwap(APP, 600);
    const client = armClient(sim, SUB);
    expect((await client.webApps.get(RG, APP)).inProgressOperationId).toBeNull();
    const start = await startSwap();
    const id = operationIdOf(start.headers.location);
    expect(id).toBeDefined();
    const during = [
      await client.webApps.get(RG, APP),
      await client.webApps.getSlot(RG, APP, "staging"),
    ];
    expect(during.map((resource) => resource.inProgressOperationId)).toEqual([id, id]);
    // The spec: "The time the last successful slot swap completed": not set while it runs.
    expect(during.map((resource) => resource.slotSwapStatus)).toEqual([null, null]);

    await untilSwapped();
    const after = await client.webApps.get(RG, APP);
    expect(after.inProgressOperationId).toBeNull();
    const completed = sim.journal.swaps()[0]!;
    expect(after.slotSwapStatus).toEqual({
      timestampUtc: new Date(completed.completedAt),
      sourceSlotName: "staging",
      destinationSlotName: "production",
    });
    expect(completed.completedAt - completed.startedAt).toBeGreaterThanOrEqual(550);
    expect(completed.operationId).toBe(id);
  });
});

describe("lost answers", () => {
  it("loseSwapAnswer: the swap starts, the POST's connection is reset, and Azure still swaps", async () => {
    sim.loseSwapAnswer(APP);
    await expect(startSwap()).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(sim.isSwapping(APP)).toBe(true);
    expect(sim.journal.swapRequests()).toEqual([
      expect.objectContaining({ app: APP, slot: "staging", processed: true, status: 0 }),
    ]);
    expect(sim.journal.of("arm").at(-1)?.fault).toBe("lose-answer");
    await untilSwapped();
    expect(builds()).toEqual(["1.5.0", "1.4.1"]);
  });

  it("loseSwapAnswer through the SDK: its retry meets the running swap (409) while the swap completes", async () => {
    sim.loseSwapAnswer(APP);
    const swap = quickRetries().webApps.beginSwapSlotAndWait(RG, APP, "staging", SWAP_BODY);
    await expect(swap).rejects.toMatchObject({ statusCode: 409 });
    await untilSwapped();
    expect(builds()).toEqual(["1.5.0", "1.4.1"]);
    const posts = sim.journal.swapRequests();
    expect(posts.map((post) => [post.processed, post.status])).toEqual([
      [true, 0],
      [false, 409],
    ]);
    expect(sim.journal.startedSwaps()).toHaveLength(1);
    expect(sim.journal.repeatedSwaps()).toEqual([]);
  });

  it("loseAnswers: a settings write is applied although its answer is lost", async () => {
    sim.loseAnswers({ app: APP, method: "PUT" });
    await expect(
      arm("PUT", site("/slots/staging/config/appsettings"), { properties: { A: "1" } }),
    ).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(sim.slot(APP, "staging").appSettings).toEqual({ A: "1" });
  });

  it("losePolls: polls are reset while the swap goes on; the SDK's retries carry it through", async () => {
    sim.losePolls(APP, 1);
    await quickRetries().webApps.beginSwapSlotAndWait(RG, APP, "staging", SWAP_BODY);
    expect(builds()).toEqual(["1.5.0", "1.4.1"]);
    const polls = sim.journal
      .of("arm")
      .filter((entry) => entry.path.includes("/operationresults/"));
    expect(polls[0]).toMatchObject({ status: 0, fault: "reset" });
    expect(polls.at(-1)?.status).toBe(200);
  });

  it("losePolls with 503: more failures than the SDK retries make it give up, yet Azure completes the swap", async () => {
    sim.slowSwap(APP, 800);
    sim.losePolls(APP, 4, { status: 503 });
    const swap = quickRetries().webApps.beginSwapSlotAndWait(RG, APP, "staging", SWAP_BODY);
    await expect(swap).rejects.toMatchObject({ statusCode: 503, code: "ServiceUnavailable" });
    expect(sim.isSwapping(APP)).toBe(true);
    await untilSwapped();
    expect(builds()).toEqual(["1.5.0", "1.4.1"]);
    expect(sim.journal.swaps()).toEqual([
      expect.objectContaining({ succeeded: true, reported: "Succeeded" }),
    ]);
    const polls = sim.journal
      .of("arm")
      .filter((entry) => entry.path.includes("/operationresults/"));
    expect(polls.map((poll) => poll.status)).toEqual([503, 503, 503, 503]);
    // A later poll of the same Location tells the truth.
    expect((await arm("GET", polls[0]!.path)).status).toBe(200);
  });
});

describe("swaps whose outcome and routing disagree with the answer", () => {
  it("failSwapAfterSwapping: the builds are exchanged although the operation result says failed", async () => {
    sim.failSwapAfterSwapping(APP);
    // A 500 is retried by the SDK (and fails again): quick retries keep the test short.
    const client = quickRetries();
    const error = (await client.webApps
      .beginSwapSlotAndWait(RG, APP, "staging", SWAP_BODY)
      .catch((caught: unknown) => caught)) as RestError;
    expect(error.statusCode).toBe(500);
    expect(JSON.parse(error.message)).toMatchObject({
      Code: "InternalServerError",
      Details: [
        {},
        { Code: "InternalServerError" },
        { ErrorEntity: { Code: "InternalServerError" } },
      ],
    });
    expect(builds()).toEqual(["1.5.0", "1.4.1"]);
    expect(sim.journal.swaps()).toEqual([
      expect.objectContaining({ succeeded: true, reported: "Failed" }),
    ]);
    expect((await client.webApps.get(RG, APP)).slotSwapStatus).toMatchObject({
      sourceSlotName: "staging",
    });
  });

  it("routeLate: after Succeeded, production's page serves the old build for a while", async () => {
    sim.routeLate(APP, 1_000);
    const location = String((await startSwap()).headers.location);
    await untilSwapped();
    const doneAt = sim.journal.swaps()[0]!.completedAt;
    expect((await rawRequest(sim, "GET", location, { token: sim.accessToken() })).status).toBe(200);
    expect(builds()).toEqual(["1.5.0", "1.4.1"]);
    expect(await buildOnPage(APP, "production")).toBe("1.4.1");
    expect(await buildOnPage(APP, "staging")).toBe("1.5.0");
    await sleep(doneAt + 1_050 - Date.now());
    expect(await buildOnPage(APP, "production")).toBe("1.5.0");
    expect(await buildOnPage(APP, "staging")).toBe("1.4.1");
  });
});

describe("busySite: another operation in progress", () => {
  const writes: Array<[string, string, unknown]> = [
    ["POST", "/slots/staging/slotsswap", SWAP_BODY],
    ["POST", "/slotsswap", { targetSlot: "staging", preserveVnet: true }],
    ["POST", "/applySlotConfig", { targetSlot: "staging", preserveVnet: true }],
    ["POST", "/slots/staging/resetSlotConfig", undefined],
    ["PUT", "/config/web", { properties: { alwaysOn: true } }],
    ["PATCH", "/slots/staging/config/web", { properties: { alwaysOn: true } }],
    ["PUT", "/slots/staging/config/appsettings", { properties: { A: "1" } }],
    ["POST", "/restart", undefined],
    ["POST", "/slots/staging/restart", undefined],
  ];

  it("answers every write to any slot with App Service's 409, reads as usual, and reports the operation id", async () => {
    const id = sim.busySite(APP, 60_000, "Deployment");
    const before = sim.groundTruth();
    for (const [method, path, body] of writes) {
      const response = await arm(method, site(path), body);
      expect(response.status, `${method} ${path}`).toBe(409);
      expect(response.json).toMatchObject({
        Code: "Conflict",
        Message: expect.stringMatching(
          new RegExp(
            `^Cannot modify this site because another operation is in progress\\. Details: Id: ${id}, OperationName: Deployment, CreatedTime: .+ [AP]M, RequestId: [0-9a-f-]{36}, EntityType: 3$`,
          ),
        ),
        Target: null,
        Details: [
          { Message: expect.any(String) },
          { Code: "Conflict" },
          { ErrorEntity: { ExtendedCode: "59203", Code: "Conflict" } },
        ],
        Innererror: null,
      });
    }
    expect(sim.groundTruth()).toEqual(before);
    expect(sim.journal.swapRequests().map((post) => [post.processed, post.status])).toEqual([
      [false, 409],
      [false, 409],
    ]);
    const client = armClient(sim, SUB);
    expect((await client.webApps.get(RG, APP)).inProgressOperationId).toBe(id);
    expect((await client.webApps.getSlot(RG, APP, "staging")).inProgressOperationId).toBe(id);
    expect((await client.webApps.listApplicationSettings(RG, APP)).properties).toBeDefined();
    // Other apps are not blocked.
    expect((await arm("POST", site("/restart", "shop-auth-uks"))).status).toBe(200);
    // The SDK does not retry a 409, and finds no ARM error code in App Service's shape.
    await expect(client.webApps.restart(RG, APP)).rejects.toMatchObject({
      statusCode: 409,
      code: undefined,
    });
  });

  it("ends after its time, or when the faults are cleared", async () => {
    sim.busySite(APP, 200);
    expect((await arm("POST", site("/restart"))).status).toBe(409);
    await sleep(250);
    expect((await arm("POST", site("/restart"))).status).toBe(200);
    expect((await armClient(sim, SUB).webApps.get(RG, APP)).inProgressOperationId).toBeNull();
    sim.busySite(APP, 60_000);
    sim.clearFaults();
    expect((await arm("POST", site("/restart"))).status).toBe(200);
  });
});

describe("hangs", () => {
  it("hang: an ARM request is accepted and never answered, until the client gives up", async () => {
    sim.hang({ app: APP, method: "GET" });
    await expect(arm("GET", site(), undefined, 300)).rejects.toThrow(/timed out/);
    expect(sim.journal.of("arm").at(-1)).toMatchObject({ status: 0, fault: "hang" });
    // The SDK has no timeout of its own: only the caller's abort signal ends the wait.
    sim.hang({ app: APP, method: "GET" });
    const client = armClient(sim, SUB);
    await expect(
      client.webApps.get(RG, APP, { abortSignal: AbortSignal.timeout(300) }),
    ).rejects.toMatchObject({ name: "AbortError" });
    expect((await client.webApps.get(RG, APP)).state).toBe("Running");
  });

  it("hang with processed: the swap starts although its POST is never answered", async () => {
    sim.hang({ app: APP, method: "POST", path: "/slotsswap" }, { processed: true });
    await expect(arm("POST", site("/slots/staging/slotsswap"), SWAP_BODY, 300)).rejects.toThrow(
      /timed out/,
    );
    await untilSwapped();
    expect(builds()).toEqual(["1.5.0", "1.4.1"]);
    expect(sim.journal.startedSwaps()).toEqual([expect.objectContaining({ status: 0 })]);
  });

  it("hangStatusPage and hangService: status page, Slack, GitHub, Entra and OIDC token endpoints", async () => {
    sim.hangStatusPage(APP, "production", 1);
    await expect(read(APP, "production", 300)).rejects.toThrow(/timed out/);
    expect((await read(APP, "production")).status).toBe(200);

    sim.hangService("slack", { processed: true });
    await expect(
      rawRequest(sim, "POST", sim.slackWebhookUrl, { body: { text: "hi" }, timeoutMs: 300 }),
    ).rejects.toThrow(/timed out/);
    expect(sim.slackMessages().map((message) => message.body.text)).toEqual(["hi"]);

    sim.hangService("github");
    const deployments = `${sim.githubApiUrl}/repos/octo-org/shop/deployments`;
    const github = { authorization: "token ghs_x" };
    await expect(
      rawRequest(sim, "POST", deployments, {
        headers: github,
        body: { ref: "main" },
        timeoutMs: 300,
      }),
    ).rejects.toThrow(/timed out/);
    expect(sim.githubDeployments()).toEqual([]);

    sim.hangService("entra");
    const tokenRequest = (timeoutMs?: number) =>
      rawRequest(sim, "POST", `${sim.authorityHost}/${sim.tenantId}/oauth2/v2.0/token`, {
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: sim.clientId,
          client_secret: sim.clientSecret,
          scope: `${sim.armEndpoint}/.default`,
        }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
        timeoutMs,
      });
    await expect(tokenRequest(300)).rejects.toThrow(/timed out/);
    expect(sim.journal.of("entra").at(-1)).toMatchObject({ method: "POST", fault: "hang" });
    expect((await tokenRequest()).status).toBe(200);

    sim.hangService("oidc");
    await expect(
      rawRequest(sim, "GET", `${sim.oidcRequestUrl}&audience=api://AzureADTokenExchange`, {
        token: sim.oidcRequestToken,
        timeoutMs: 300,
      }),
    ).rejects.toThrow(/timed out/);
    // Each hang was counted once: everything answers again.
    expect(
      (await rawRequest(sim, "POST", deployments, { headers: github, body: { ref: "main" } }))
        .status,
    ).toBe(201);
  });

  it("close() ends hung requests at once", async () => {
    const other = await startSimulator({ apps: demoFleet(SUB).apps });
    other.hang({ app: APP });
    other.hangStatusPage(APP);
    const pending = [
      rawRequest(other, "GET", `${other.armEndpoint}${site()}?api-version=2025-03-01`, {
        token: other.accessToken(),
      }),
      rawRequest(other, "GET", other.statusUrl(APP, "production")),
    ].map((request) =>
      request.then(
        () => "answered",
        () => "ended",
      ),
    );
    await sleep(100);
    const startedAt = Date.now();
    await other.close();
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(await Promise.all(pending)).toEqual(["ended", "ended"]);
  });
});

describe("status pages that misbehave", () => {
  it("flapStatusPage: every second read unhealthy by default, or a pattern of dependency failures", async () => {
    sim.flapStatusPage(APP, { slot: "production" });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await read(APP, "production")).status);
    expect(statuses).toEqual([200, 503, 200, 503]);
    expect((await read(APP, "staging")).status).toBe(200);

    sim.clearFaults();
    sim.flapStatusPage(APP, { pattern: "UUH", unhealthy: "dependency", count: 3 });
    const pages = [];
    for (let i = 0; i < 4; i++) pages.push((await read(APP, "staging")).json);
    expect(pages).toMatchObject([
      { status: "Degraded", dependencies: { database: "down" } },
      { status: "Degraded" },
      { status: "Healthy" },
      { status: "Healthy" },
    ]);
  });

  it("regressStatusPage: production turns unhealthy some time after the next swap, for a while", async () => {
    sim.regressStatusPage(APP, { afterMs: 500, durationMs: 500, dependency: "cache" });
    expect((await read(APP, "production")).json).toMatchObject({ status: "Healthy" });
    await startSwap();
    await untilSwapped();
    const doneAt = sim.journal.swaps()[0]!.completedAt;
    expect((await read(APP, "production")).json).toMatchObject({
      build: "1.5.0",
      status: "Healthy",
    });
    await sleep(doneAt + 550 - Date.now());
    expect((await read(APP, "production")).json).toMatchObject({
      build: "1.5.0",
      status: "Degraded",
      dependencies: { cache: "down" },
    });
    expect((await read(APP, "staging")).json).toMatchObject({ status: "Healthy" });
    await sleep(doneAt + 1_050 - Date.now());
    expect((await read(APP, "production")).json).toMatchObject({ status: "Healthy" });

    sim.regressStatusPage("shop-auth-uks", { after: "now", afterMs: 100 });
    expect((await read("shop-auth-uks", "production")).status).toBe(200);
    await sleep(120);
    expect((await read("shop-auth-uks", "production")).status).toBe(503);
    sim.clearFaults();
    expect((await read("shop-auth-uks", "production")).status).toBe(200);
  });

  it("unreachableStatusPage: every read is reset until the faults are cleared", async () => {
    sim.unreachableStatusPage(APP, "staging");
    for (let i = 0; i < 3; i++)
      await expect(read(APP, "staging")).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await read(APP, "production")).status).toBe(200);
    sim.clearFaults();
    expect((await read(APP, "staging")).status).toBe(200);
  });

  it("lieOnStatusPage: the page reports any raw build value", async () => {
    const injected = "1.5.0\n::error::pwned";
    sim.lieOnStatusPage(APP, injected, { slot: "production", count: 1 });
    expect(await buildOnPage(APP, "production")).toBe(injected);
    expect(await buildOnPage(APP, "production")).toBe("1.4.1");
    const long = "9".repeat(10_000);
    sim.lieOnStatusPage(APP, long);
    expect(await buildOnPage(APP, "staging")).toBe(long);
    sim.clearFaults();
    sim.lieOnStatusPage(APP, { major: 1 });
    expect(await buildOnPage(APP, "production")).toEqual({ major: 1 });
    // Ground truth is what the slot runs, whatever the page says.
    expect(builds()).toEqual(["1.4.1", "1.5.0"]);
  });
});

describe("the journal of swap POSTs", () => {
  it("records every swap POST with whether Azure processed it", async () => {
    sim.throttle({ app: APP, method: "POST" }, { count: 1 });
    expect((await startSwap()).status).toBe(429);
    expect(
      (await rawRequest(sim, "POST", armUrl(site("/slots/staging/slotsswap")), { body: SWAP_BODY }))
        .status,
    ).toBe(401);
    expect(
      (await arm("POST", site("/slots/staging/slotsswap"), { targetSlot: "production" })).status,
    ).toBe(400);
    const started = await startSwap();
    expect(started.status).toBe(202);
    expect((await startSwap()).status).toBe(409);
    await untilSwapped();

    const posts = sim.journal.swapRequests();
    expect(posts.map((post) => [post.status, post.processed])).toEqual([
      [429, false],
      [401, false],
      [400, false],
      [202, true],
      [409, false],
    ]);
    expect(sim.journal.startedSwaps()).toEqual([
      expect.objectContaining({
        app: APP,
        slot: "staging",
        operationId: operationIdOf(started.headers.location),
        before: { production: "1.4.1", staging: "1.5.0" },
      }),
    ]);
    expect(sim.journal.swaps()[0]?.operationId).toBe(operationIdOf(started.headers.location));
  });

  it("repeatedSwaps finds a swap started twice in one direction, not a swap back", async () => {
    const client = armClient(sim, SUB);
    const swap = () => client.webApps.beginSwapSlotAndWait(RG, APP, "staging", SWAP_BODY);
    await swap();
    await swap(); // the rollback: the other direction
    expect(sim.journal.repeatedSwaps()).toEqual([]);
    await swap(); // the release again
    expect(sim.journal.repeatedSwaps()).toEqual([
      { app: APP, before: { production: "1.4.1", staging: "1.5.0" }, count: 2 },
    ]);
  });
});
