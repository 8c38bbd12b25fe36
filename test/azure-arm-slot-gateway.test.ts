import * as tls from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ArmSlotGateway } from "../src/azure/arm-slot-gateway.js";
import { OperationConflictError, type SlotAddress } from "../src/release/ports.js";
import { startSimulator, type AppSeed, type Simulator } from "./simulator/index.js";
import { armClient, rawRequest, secretCredential } from "./simulator/test-clients.js";

const SUBSCRIPTION = "00000000-0000-0000-0000-0000000000a1";
const RG = "rg-shop-uks";

function seed(name: string, kind: AppSeed["kind"], more: Partial<AppSeed> = {}): AppSeed {
  return {
    subscriptionId: SUBSCRIPTION,
    resourceGroup: RG,
    name,
    location: "UK South",
    kind,
    production: { build: "1.4.1" },
    staging: { build: "1.4.2" },
    ...more,
  };
}

/** Every swap POST ARM received, answered or not. */
function swapPosts() {
  return sim.journal
    .of("arm")
    .filter((entry) => entry.method === "POST" && entry.path.endsWith("/slotsswap"));
}

function at(app: string, slot = "staging"): SlotAddress {
  return { subscriptionId: SUBSCRIPTION, resourceGroup: RG, app, slot };
}

let sim: Simulator;
let gateway: ArmSlotGateway;
const signal = new AbortController().signal;

beforeAll(async () => {
  sim = await startSimulator({
    apps: [
      seed("shop-api-uks", "container"),
      seed("shop-cart-uks", "container"),
      seed("shop-busy-uks", "container"),
      seed("shop-fail-uks", "container"),
      seed("shop-web-uks", "package", {
        appSettings: { FEATURE_CHECKOUT: "on" },
        stickySettings: { DB_NAME: { production: "shop-prod", staging: "shop-staging" } },
      }),
      seed("shop-auth-uks", "container", { siteAuth: true }),
      seed("shop-legacy-uks", "other"),
      // The simulator gives `other` apps WEBSITE_RUN_FROM_PACKAGE=1, a package in the file system.
      seed("shop-local-uks", "other"),
      seed("shop-stopped-uks", "container", { staging: { build: "1.4.2", state: "Stopped" } }),
      seed("shop-solo-uks", "container", { staging: undefined }),
      seed("shop-drop-uks", "container"),
      seed("shop-cancel-uks", "container"),
      seed("shop-sidecar-uks", "sitecontainers"),
      seed("shop-canary-uks", "container"),
    ],
  });
  // The production code takes no CA option: trust the simulator the way a runner trusts a
  // corporate CA, but for this worker process only (NODE_EXTRA_CA_CERTS is read at start).
  tls.setDefaultCACertificates([...tls.getCACertificates("default"), sim.caCertPem]);
  gateway = new ArmSlotGateway(secretCredential(sim), { armEndpoint: sim.armEndpoint });
});

afterAll(async () => {
  await sim.close();
});

afterEach(() => {
  sim.clearFaults();
  sim.journal.clear();
});

describe("ArmSlotGateway.describeSlot", () => {
  it("describes production and the source slot from ARM", async () => {
    expect(await gateway.describeSlot(at("shop-api-uks", "production"), signal)).toEqual({
      exists: true,
      state: "Running",
      defaultHostName: sim.slot("shop-api-uks", "production").defaultHostName,
      swapActivity: { operationInProgress: false, lastSwapCompleted: null },
    });
    expect(await gateway.describeSlot(at("shop-api-uks"), signal)).toEqual({
      exists: true,
      state: "Running",
      defaultHostName: sim.slot("shop-api-uks", "staging").defaultHostName,
    });
    expect(await gateway.describeSlot(at("shop-stopped-uks"), signal)).toMatchObject({
      exists: true,
      state: "Stopped",
    });
  });

  it("reports a missing slot or app as not existing", async () => {
    expect(await gateway.describeSlot(at("shop-solo-uks"), signal)).toEqual({ exists: false });
    expect(await gateway.describeSlot(at("shop-nowhere-uks", "production"), signal)).toEqual({
      exists: false,
    });
  });

  it("fails loudly when the resource group does not exist: that is a manifest mistake", async () => {
    const wrongGroup = { ...at("shop-api-uks"), resourceGroup: "rg-typo" };

    await expect(gateway.describeSlot(wrongGroup, signal)).rejects.toThrow(
      /^reading shop-api-uks\/staging failed: 404 Not Found: ResourceGroupNotFound: Resource group 'rg-typo' could not be found\. Check the subscription id, resource group \(rg-typo\)/,
    );
  });

  it("waits as long as ARM's Retry-After says when throttled, then succeeds", async () => {
    sim.throttle({ app: "shop-cart-uks", method: "GET" }, { count: 1, retryAfterSeconds: 1 });

    expect(await gateway.describeSlot(at("shop-cart-uks"), signal)).toMatchObject({ exists: true });

    const reads = sim.journal
      .of("arm")
      .filter((entry) => entry.path.endsWith("/sites/shop-cart-uks/slots/staging"));
    expect(reads.map((entry) => entry.status)).toEqual([429, 200]);
    // The SDK's throttling policy sleeps Retry-After (1 s) before the retry; a retry without
    // waiting would come within a few milliseconds.
    expect(reads[1]!.at - reads[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("names the throttling in the error when ARM keeps answering 429", async () => {
    sim.throttle({ app: "shop-cart-uks", method: "GET" }, { count: 10, retryAfterSeconds: 0 });

    await expect(gateway.describeSlot(at("shop-cart-uks"), signal)).rejects.toThrow(
      /^reading shop-cart-uks\/staging failed: 429 Too Many Requests: SubscriptionRequestsThrottled: .*lower `max-parallel`/,
    );
  });
});

describe("ArmSlotGateway.swapIntoProduction", () => {
  it("swaps the source slot into production, polling at Retry-After pace, and says it completed", async () => {
    expect(
      await gateway.swapIntoProduction(at("shop-api-uks"), { preserveVnet: true }, signal),
    ).toEqual({ kind: "completed" });

    expect(sim.slot("shop-api-uks", "production").build).toBe("1.4.2");
    expect(sim.slot("shop-api-uks", "staging").build).toBe("1.4.1");
    expect(sim.isSwapping("shop-api-uks")).toBe(false);
    expect(sim.journal.swapRequests()).toMatchObject([
      {
        app: "shop-api-uks",
        slot: "staging",
        body: { targetSlot: "production", preserveVnet: true },
        status: 202,
      },
    ]);
    // A 1 s swap with Retry-After: 1 costs one or two polls, never a burst right after the 202.
    const polls = sim.journal
      .of("arm")
      .filter((entry) => entry.path.includes("/operationresults/"));
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(polls.length).toBeLessThanOrEqual(2);

    // Rolling back is the same swap again.
    await gateway.swapIntoProduction(at("shop-api-uks"), { preserveVnet: false }, signal);
    expect(sim.slot("shop-api-uks", "production").build).toBe("1.4.1");
    expect(sim.journal.swapRequests()[1]?.body).toEqual({
      targetSlot: "production",
      preserveVnet: false,
    });
  });

  it("calls a swap that fails on its final poll uncertain, with Azure's message, and the contents stay", async () => {
    sim.failSwap("shop-fail-uks", {
      code: "SwapFailed",
      message: "Warm-up of the source slot timed out.",
    });

    const result = await gateway.swapIntoProduction(
      at("shop-fail-uks"),
      { preserveVnet: true },
      signal,
    );
    expect(result).toEqual({
      kind: "uncertain",
      message: expect.stringMatching(
        /^swap of shop-fail-uks\/staging: Azure reported the swap failed \(400: SwapFailed: Warm-up of the source slot timed out\.\)$/,
      ),
    });
    expect(sim.slot("shop-fail-uks", "production").build).toBe("1.4.1");
  });

  it("says conflict, with App Service's own message, when another operation runs on the app", async () => {
    sim.slowSwap("shop-busy-uks", 1500);
    const first = gateway.swapIntoProduction(at("shop-busy-uks"), { preserveVnet: true }, signal);
    while (!sim.isSwapping("shop-busy-uks")) await new Promise((resolve) => setImmediate(resolve));

    const second = await gateway.swapIntoProduction(
      at("shop-busy-uks"),
      { preserveVnet: true },
      signal,
    );
    expect(second.kind).toBe("conflict");
    expect(second.kind === "conflict" && second.message).toMatch(
      /^swap of shop-busy-uks\/staging: 409: Conflict: Cannot modify .*another operation is in progress/,
    );
    expect(second.kind === "conflict" && second.message).not.toContain("{");
    expect(await first).toEqual({ kind: "completed" });
    expect(sim.slot("shop-busy-uks", "production").build).toBe("1.4.2");
  });

  it("says refused for a source slot that does not exist", async () => {
    const result = await gateway.swapIntoProduction(
      at("shop-solo-uks"),
      { preserveVnet: true },
      signal,
    );
    expect(result.kind).toBe("refused");
    expect(result.kind === "refused" && result.message).toMatch(
      /^swap of shop-solo-uks\/staging: 404: ResourceNotFound: /,
    );
  });

  it("sends the swap POST exactly once when its connection drops, and says uncertain", async () => {
    sim.resetConnections({ app: "shop-drop-uks", method: "POST", path: "slotsswap" });

    const result = await gateway.swapIntoProduction(
      at("shop-drop-uks"),
      { preserveVnet: true },
      signal,
    );
    expect(result.kind).toBe("uncertain");
    expect(swapPosts()).toHaveLength(1);
  });

  it("never sends a second swap POST after a 500, and says uncertain", async () => {
    sim.serverError({ app: "shop-drop-uks", method: "POST", path: "slotsswap" }, { count: 5 });

    const result = await gateway.swapIntoProduction(
      at("shop-drop-uks"),
      { preserveVnet: true },
      signal,
    );
    expect(result.kind).toBe("uncertain");
    expect(swapPosts()).toHaveLength(1);
    expect(sim.slot("shop-drop-uks", "production").build).toBe("1.4.1");
  });

  it("stops at once when cancelled mid-swap, and Azure finishes the swap anyway", async () => {
    sim.slowSwap("shop-cancel-uks", 1500);
    const controller = new AbortController();
    const swapping = gateway.swapIntoProduction(
      at("shop-cancel-uks"),
      { preserveVnet: true },
      controller.signal,
    );
    while (!sim.isSwapping("shop-cancel-uks"))
      await new Promise((resolve) => setImmediate(resolve));
    const abortedAt = Date.now();
    controller.abort(new Error("SIGTERM"));
    await expect(swapping).rejects.toThrow();
    expect(Date.now() - abortedAt).toBeLessThan(500);
    while (sim.isSwapping("shop-cancel-uks"))
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sim.slot("shop-cancel-uks", "production").build).toBe("1.4.2");
  });

  it("never includes a token in a message", async () => {
    sim.failSwap("shop-fail-uks");
    const result = await gateway.swapIntoProduction(
      at("shop-fail-uks"),
      { preserveVnet: true },
      signal,
    );
    expect(JSON.stringify(result)).not.toMatch(/eyJ|Bearer/);
  });
});

describe("ArmSlotGateway.readSwapActivity", () => {
  it("reads when the last swap completed from the production site", async () => {
    const before = await gateway.readSwapActivity(at("shop-api-uks", "production"), signal);
    await gateway.swapIntoProduction(at("shop-api-uks"), { preserveVnet: true }, signal);
    const after = await gateway.readSwapActivity(at("shop-api-uks", "production"), signal);
    expect(after.operationInProgress).toBe(false);
    expect(after.lastSwapCompleted).not.toBeNull();
    expect(after.lastSwapCompleted).not.toBe(before.lastSwapCompleted);
  });
});

describe("ArmSlotGateway swap with preview", () => {
  it("applies production's slot settings to the source slot, and the reset restores its own", async () => {
    const app = at("shop-web-uks");

    await gateway.applyProductionConfig(app, { preserveVnet: true }, signal);
    expect(sim.slot("shop-web-uks", "staging")).toMatchObject({ previewing: true });
    expect(sim.slot("shop-web-uks", "staging").appSettings["DB_NAME"]).toBe("shop-prod");
    expect(sim.journal.armWrites().map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      `POST /subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Web/sites/shop-web-uks/slots/staging/applySlotConfig`,
    ]);

    await gateway.resetProductionConfig(app, signal);
    expect(sim.slot("shop-web-uks", "staging")).toMatchObject({ previewing: false });
    expect(sim.slot("shop-web-uks", "staging").appSettings["DB_NAME"]).toBe("shop-staging");
    // Production never moved.
    expect(sim.slot("shop-web-uks", "production").build).toBe("1.4.1");
  });

  it("explains a refused preview", async () => {
    await expect(
      gateway.applyProductionConfig(at("shop-auth-uks"), { preserveVnet: true }, signal),
    ).rejects.toThrow(
      /^applying production's settings to shop-auth-uks\/staging \(swap with preview\) failed: 409 Conflict: Conflict: Swap with preview cannot be used/,
    );
  });
});

describe("ArmSlotGateway deployments", () => {
  it("reads a container app's image and a run-from-package app's URL", async () => {
    expect(await gateway.readDeployment(at("shop-cart-uks", "production"), signal)).toEqual({
      kind: "container",
      linuxFxVersion: "DOCKER|shopregistry.azurecr.io/shop-cart-uks:1.4.1",
    });
    expect(await gateway.readDeployment(at("shop-web-uks", "production"), signal)).toEqual({
      kind: "package",
      packageUrl: "https://shopartifacts.blob.core.windows.net/releases/shop-web-uks/1.4.1.zip",
    });
  });

  it("says what it found and what is supported when a deployment cannot be mirrored", async () => {
    // Code deployed by zip/git into the file system: no image, no package setting at all.
    await armClient(sim, SUBSCRIPTION).webApps.updateApplicationSettings(RG, "shop-legacy-uks", {
      properties: { WEBSITE_HTTPLOGGING_RETENTION_DAYS: "7" },
    });
    const legacy = await gateway.readDeployment(at("shop-legacy-uks", "production"), signal);
    expect(legacy.kind).toBe("unsupported");
    expect(legacy.kind === "unsupported" && legacy.reason).toMatch(
      /NODE\|22-lts.*supported: a Linux container/,
    );

    const local = await gateway.readDeployment(at("shop-local-uks", "production"), signal);
    expect(local.kind).toBe("unsupported");
    expect(local.kind === "unsupported" && local.reason).toMatch(
      /^WEBSITE_RUN_FROM_PACKAGE=1 .*cannot be mirrored/,
    );
  });

  it("names a Linux sidecar app (linuxFxVersion SITECONTAINERS) unsupported, saying why", async () => {
    // Ground truth, through the real SDK: the site config says SITECONTAINERS, the build is the
    // main container's image, set through the site containers API.
    const { webApps } = armClient(sim, SUBSCRIPTION);
    expect((await webApps.getConfiguration(RG, "shop-sidecar-uks")).linuxFxVersion).toBe(
      "SITECONTAINERS",
    );
    const containers = [];
    for await (const container of webApps.listSiteContainers(RG, "shop-sidecar-uks"))
      containers.push(container);
    expect(containers).toMatchObject([
      { name: "main", isMain: true, image: "shopregistry.azurecr.io/shop-sidecar-uks:1.4.1" },
    ]);

    const sidecar = await gateway.readDeployment(at("shop-sidecar-uks", "production"), signal);
    expect(sidecar.kind).toBe("unsupported");
    const reason = sidecar.kind === "unsupported" ? sidecar.reason : "";
    expect(reason).toMatch(/^the slot runs a sidecar app \(linuxFxVersion `SITECONTAINERS`\)/);
    expect(reason).toContain("site containers API");
    expect(reason).toContain("does not mirror site containers");
    expect(reason).toContain("`refresh: none`");
    expect(reason).not.toMatch(/file system/);
    expect(sim.journal.armWrites()).toEqual([]);
  });

  it("points a container slot at production's image, changing nothing else", async () => {
    const production = await gateway.readDeployment(at("shop-cart-uks", "production"), signal);

    await gateway.applyDeployment(at("shop-cart-uks"), production, signal);

    expect(sim.slot("shop-cart-uks", "staging")).toMatchObject({
      build: "1.4.1",
      linuxFxVersion: "DOCKER|shopregistry.azurecr.io/shop-cart-uks:1.4.1",
    });
    expect(sim.journal.armWrites().map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      `PATCH /subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Web/sites/shop-cart-uks/slots/staging/config/web`,
    ]);
  });

  it("sets a package slot's WEBSITE_RUN_FROM_PACKAGE and keeps every other setting", async () => {
    const before = sim.slot("shop-web-uks", "staging").appSettings;
    const production = await gateway.readDeployment(at("shop-web-uks", "production"), signal);

    await gateway.applyDeployment(at("shop-web-uks"), production, signal);

    const after = sim.slot("shop-web-uks", "staging");
    expect(after.build).toBe("1.4.1");
    expect(after.appSettings).toEqual({
      ...before,
      WEBSITE_RUN_FROM_PACKAGE:
        "https://shopartifacts.blob.core.windows.net/releases/shop-web-uks/1.4.1.zip",
    });
    expect(after.appSettings["FEATURE_CHECKOUT"]).toBe("on");
    expect(after.appSettings["DB_NAME"]).toBe("shop-staging");
  });

  it("reports a rejected update with the operation, slot and ARM's error", async () => {
    sim.failDeploymentUpdate("shop-cart-uks", {
      code: "BadRequest",
      message: "The image could not be pulled.",
    });

    await expect(
      gateway.applyDeployment(
        at("shop-cart-uks"),
        {
          kind: "container",
          linuxFxVersion: "DOCKER|nope:1",
        },
        signal,
      ),
    ).rejects.toThrow(
      "setting the container image of shop-cart-uks/staging failed: 400 Bad Request: BadRequest: The image could not be pulled",
    );
  });

  it("refuses to apply an unsupported deployment, with the reason", async () => {
    await expect(
      gateway.applyDeployment(
        at("shop-legacy-uks"),
        {
          kind: "unsupported",
          reason: "code in the file system",
        },
        signal,
      ),
    ).rejects.toThrow(
      "cannot make shop-legacy-uks/staging run the same deployment: code in the file system",
    );
    expect(sim.journal.armWrites()).toEqual([]);
  });
});

describe("ArmSlotGateway traffic routing", () => {
  const production = at("shop-canary-uks", "production");
  const configPath = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Web/sites/shop-canary-uks/config/web`;
  /** Production's `config/web` as ARM answers it: what `az webapp traffic-routing show` prints from. */
  const productionConfig = async (): Promise<Record<string, unknown>> => {
    const answer = await rawRequest(
      sim,
      "GET",
      `${sim.armEndpoint}${configPath}?api-version=2022-03-01`,
      {
        token: sim.accessToken(),
      },
    );
    expect(answer.status).toBe(200);
    return (answer.json as { properties: Record<string, unknown> }).properties;
  };

  it("sets production's rampUpRules with one PATCH of config/web, the request the Azure CLI sends, and [] clears them", async () => {
    const toHost = sim.slot("shop-canary-uks", "staging").defaultHostName;
    const before = await productionConfig();

    await gateway.setTrafficRouting(production, [{ name: "staging", toHost, percent: 25 }], signal);

    const after = await productionConfig();
    expect(after["experiments"]).toEqual({
      rampUpRules: [{ name: "staging", actionHostName: toHost, reroutePercentage: 25 }],
    });
    // Only experiments changed: a PATCH merges, and nothing read earlier was written back.
    expect({ ...after, experiments: undefined }).toEqual({ ...before, experiments: undefined });
    expect(sim.journal.armWrites().map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      `PATCH ${configPath}`,
    ]);
    expect(await gateway.readTrafficRouting(production, signal)).toEqual([
      { name: "staging", toHost, percent: 25 },
    ]);
    // The staging slot's own config holds no rule, and nothing moved.
    expect(
      (
        await armClient(sim, SUBSCRIPTION).webApps.getConfigurationSlot(
          RG,
          "shop-canary-uks",
          "staging",
        )
      ).experiments?.rampUpRules ?? [],
    ).toEqual([]);
    expect(sim.slot("shop-canary-uks", "production").build).toBe("1.4.1");

    await gateway.setTrafficRouting(production, [{ name: "staging", toHost, percent: 50 }], signal);
    expect((await gateway.readTrafficRouting(production, signal))[0]?.percent).toBe(50);

    await gateway.setTrafficRouting(production, [], signal);
    expect((await productionConfig())["experiments"]).toEqual({ rampUpRules: [] });
    expect(await gateway.readTrafficRouting(production, signal)).toEqual([]);
  });

  it("throws OperationConflictError, with App Service's message, while another operation runs", async () => {
    sim.busySite("shop-canary-uks", 60_000, "Deployment");
    const toHost = sim.slot("shop-canary-uks", "staging").defaultHostName;

    const setting = gateway.setTrafficRouting(
      production,
      [{ name: "staging", toHost, percent: 5 }],
      signal,
    );
    await expect(setting).rejects.toBeInstanceOf(OperationConflictError);
    await expect(setting).rejects.toThrow(
      /^setting the traffic-routing rules of shop-canary-uks\/production \(5 % to .+\) failed: 409 Conflict: Conflict: Cannot modify this site because another operation is in progress/,
    );
    await expect(gateway.setTrafficRouting(production, [], signal)).rejects.toThrow(
      /^removing the traffic-routing rules of shop-canary-uks\/production failed: 409 Conflict/,
    );
    sim.clearFaults();
    expect(await gateway.readTrafficRouting(production, signal)).toEqual([]);
  });

  it("gives a hung write its time limit and retries it; a cancelled one stops at once", async () => {
    const bounded = new ArmSlotGateway(secretCredential(sim), {
      armEndpoint: sim.armEndpoint,
      attemptTimeoutMs: 300,
    });
    const toHost = sim.slot("shop-canary-uks", "staging").defaultHostName;
    sim.hang({ app: "shop-canary-uks", method: "PATCH", path: "/config/web" });

    await bounded.setTrafficRouting(production, [{ name: "staging", toHost, percent: 5 }], signal);
    expect(
      sim.journal
        .armWrites()
        .map((entry) => [entry.method, entry.status, entry.fault ?? "answered"]),
    ).toEqual([
      ["PATCH", 0, "hang"],
      ["PATCH", 200, "answered"],
    ]);

    sim.hang({ app: "shop-canary-uks", method: "PATCH", path: "/config/web" });
    const controller = new AbortController();
    const clearing = bounded.setTrafficRouting(production, [], controller.signal);
    while (sim.journal.armWrites().length < 3)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const abortedAt = Date.now();
    controller.abort(new Error("SIGTERM"));
    await expect(clearing).rejects.toThrow();
    expect(Date.now() - abortedAt).toBeLessThan(200);
    sim.clearFaults();
    await gateway.setTrafficRouting(production, [], signal);
  });

  it("refuses rules that are not production's or not a share of users", async () => {
    await expect(gateway.setTrafficRouting(at("shop-canary-uks"), [], signal)).rejects.toThrow(
      /rules are production's/,
    );
    await expect(
      gateway.setTrafficRouting(
        production,
        [{ name: "staging", toHost: "x", percent: 120 }],
        signal,
      ),
    ).rejects.toThrow(/0 to 100 percent/);
    expect(sim.journal.armWrites()).toEqual([]);
  });
});
