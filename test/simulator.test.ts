import type { RestError } from "@azure/core-rest-pipeline";
import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { demoFleet, startSimulator, type AppSeed, type Simulator } from "./simulator/index.js";
import {
  armClient,
  githubIdToken,
  oidcCredential,
  rawRequest,
  secretCredential,
} from "./simulator/test-clients.js";

/**
 * The simulator checked against the public REST spec with the real SDK clients
 * (`@azure/arm-appservice` 18, `@azure/identity` 4) over real HTTPS.
 */

const SUB = "00000000-0000-0000-0000-0000000000a1";
const RG = "rg-shop-uks";
const here = dirname(fileURLToPath(import.meta.url));

/** The spec's example body: from ../shared when present (the source), else the vendored copy. */
function exampleBody(name: string): Record<string, unknown> {
  const shared = join(here, "..", "..", "shared", "azure-examples", `${name}.json`);
  const path = existsSync(shared)
    ? shared
    : join(here, "simulator", "azure-examples", `${name}.json`);
  return (
    JSON.parse(readFileSync(path, "utf8")) as {
      responses: { 200: { body: Record<string, unknown> } };
    }
  ).responses[200].body;
}

const keys = (value: unknown): string[] => Object.keys(value as Record<string, unknown>).sort();
const site = (app: string, rest = "") =>
  `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Web/sites/${app}${rest}`;

let sim: Simulator;

beforeEach(async () => {
  sim = await startSimulator({ apps: demoFleet(SUB).apps, swapDurationMs: 200 });
});
afterEach(async () => {
  await sim.close();
});

const armUrl = (path: string, apiVersion: string | null = "2025-03-01") =>
  `${sim.armEndpoint}${path}${apiVersion === null ? "" : `?api-version=${apiVersion}`}`;

describe("TLS certificate", () => {
  it("is a self-signed v3 CA certificate for 127.0.0.1 and localhost", () => {
    const certificate = new X509Certificate(sim.caCertPem);
    expect(certificate.ca).toBe(true);
    expect(certificate.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(certificate.subjectAltName).toContain("DNS:localhost");
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(readFileSync(sim.caCertPath, "utf8")).toBe(sim.caCertPem);
  });
});

describe("ARM resources", () => {
  it("answers GET site and GET slot with the spec examples' keys", async () => {
    const token = sim.accessToken();
    for (const [path, example] of [
      [site("shop-api-uks"), "GetWebApp"],
      [site("shop-api-uks", "/slots/staging"), "GetWebAppSlot"],
    ] as const) {
      const response = await rawRequest(sim, "GET", armUrl(path), { token });
      expect(response.status).toBe(200);
      const body = response.json as Record<string, unknown>;
      const expected = exampleBody(example);
      expect(keys(body)).toEqual(keys(expected));
      const properties = keys(body.properties);
      const missing = keys(expected.properties).filter(
        (key) =>
          !properties.includes(key) && key !== "workloadProfileName" && key !== "resourceConfig",
      );
      expect(missing).toEqual([]);
    }
  });

  it("serves the real SDK: site, slot, slot list, config and app settings", async () => {
    const client = armClient(sim, SUB);
    const production = await client.webApps.get(RG, "shop-api-uks");
    expect(production.state).toBe("Running");
    expect(production.defaultHostName).toBe(`127.0.0.1:${sim.port}/sites/shop-api-uks`);
    const staging = await client.webApps.getSlot(RG, "shop-api-uks", "staging");
    expect(staging.name).toBe("shop-api-uks/staging");
    expect(staging.defaultHostName).toBe(`127.0.0.1:${sim.port}/sites/shop-api-uks-staging`);
    const slots = [];
    for await (const slot of client.webApps.listSlots(RG, "shop-api-uks")) slots.push(slot.name);
    expect(slots).toEqual(["shop-api-uks/staging"]);
    const config = await client.webApps.getConfigurationSlot(RG, "shop-api-uks", "staging");
    expect(config.linuxFxVersion).toBe("DOCKER|shopregistry.azurecr.io/shop-api-uks:1.5.0");
    const settings = await client.webApps.listApplicationSettingsSlot(
      RG,
      "shop-auth-uks",
      "staging",
    );
    expect(settings.properties?.WEBSITE_RUN_FROM_PACKAGE).toBe(
      "https://shopartifacts.blob.core.windows.net/releases/shop-auth-uks/1.5.0.zip",
    );
    const names = await client.webApps.listSlotConfigurationNames(RG, "shop-auth-uks");
    expect(names.appSettingNames).toEqual(["ASPNETCORE_ENVIRONMENT_SLOT"]);
  });

  it("is case-insensitive on fixed segments and names, like ARM", async () => {
    const path = `/SUBSCRIPTIONS/${SUB}/resourcegroups/RG-SHOP-UKS/providers/microsoft.web/Sites/Shop-Api-Uks/SLOTS/Staging`;
    const response = await rawRequest(sim, "GET", armUrl(path), { token: sim.accessToken() });
    expect(response.status).toBe(200);
    expect((response.json as { name: string }).name).toBe("shop-api-uks/staging");
  });

  it("answers 404 ResourceNotFound for a missing app or slot, through the SDK too", async () => {
    sim.removeSlot("shop-api-uks", "staging");
    const client = armClient(sim, SUB);
    await expect(client.webApps.getSlot(RG, "shop-api-uks", "staging")).rejects.toMatchObject({
      statusCode: 404,
      code: "ResourceNotFound",
    });
    await expect(client.webApps.get(RG, "shop-nothing-uks")).rejects.toMatchObject({
      statusCode: 404,
      code: "ResourceNotFound",
    });
    await expect(
      armClient(sim, "00000000-0000-0000-0000-00000000dead").webApps.get(RG, "shop-api-uks"),
    ).rejects.toMatchObject({ statusCode: 404, code: "SubscriptionNotFound" });
  });

  it("requires an api-version, like ARM", async () => {
    const response = await rawRequest(sim, "GET", armUrl(site("shop-api-uks"), null), {
      token: sim.accessToken(),
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: { code: "MissingApiVersionParameter" } });
  });

  it("refuses requests without a valid bearer token with 401", async () => {
    const missing = await rawRequest(sim, "GET", armUrl(site("shop-api-uks")));
    expect(missing.status).toBe(401);
    expect(missing.json).toMatchObject({ error: { code: "AuthenticationFailed" } });
    const expired = await rawRequest(sim, "GET", armUrl(site("shop-api-uks")), {
      token: sim.accessToken({ lifetimeSeconds: -60 }),
    });
    expect(expired.json).toMatchObject({ error: { code: "ExpiredAuthenticationToken" } });
    const wrongAudience = await rawRequest(sim, "GET", armUrl(site("shop-api-uks")), {
      token: sim.accessToken({ audience: "https://management.azure.com" }),
    });
    expect(wrongAudience.json).toMatchObject({
      error: { code: "InvalidAuthenticationTokenAudience" },
    });
    const other = await startSimulator({ apps: [] });
    try {
      const foreign = await rawRequest(sim, "GET", armUrl(site("shop-api-uks")), {
        token: other.accessToken({ audience: sim.origin }),
      });
      expect(foreign.status).toBe(401);
      expect(foreign.json).toMatchObject({ error: { code: "InvalidAuthenticationToken" } });
    } finally {
      await other.close();
    }
  });

  it("rejects an SDK client whose scope is not the simulator's ARM endpoint", async () => {
    const { WebSiteManagementClient } = await import("@azure/arm-appservice");
    const client = new WebSiteManagementClient(secretCredential(sim), SUB, {
      endpoint: sim.armEndpoint,
      credentialScopes: ["https://management.azure.com/.default"],
      tlsOptions: { ca: sim.caCertPem },
    });
    await expect(client.webApps.get(RG, "shop-api-uks")).rejects.toMatchObject({
      statusCode: 401,
      code: "InvalidAuthenticationTokenAudience",
    });
  });
});

describe("swap (long-running operation)", () => {
  it("swaps through beginSwapSlotAndWait: 202 + Location, polls, then the contents move", async () => {
    const client = armClient(sim, SUB);
    await client.webApps.beginSwapSlotAndWait(RG, "shop-api-uks", "staging", {
      targetSlot: "production",
      preserveVnet: true,
    });
    expect(sim.slot("shop-api-uks", "production").build).toBe("1.5.0");
    expect(sim.slot("shop-api-uks", "staging").build).toBe("1.4.1");
    // Sticky settings stay with their slot.
    expect(sim.slot("shop-api-uks", "production").appSettings.ASPNETCORE_ENVIRONMENT_SLOT).toBe(
      "Production",
    );

    const arm = sim.journal.of("arm");
    const post = arm.find((entry) => entry.method === "POST" && /\/slotsswap$/.test(entry.path));
    expect(post?.status).toBe(202);
    const polls = arm.filter((entry) => /\/operationresults\//.test(entry.path));
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(polls.at(-1)?.status).toBe(200);
    expect(polls.slice(0, -1).every((poll) => poll.status === 202)).toBe(true);
    expect(sim.journal.swapRequests()).toEqual([
      expect.objectContaining({
        app: "shop-api-uks",
        slot: "staging",
        body: { targetSlot: "production", preserveVnet: true },
        status: 202,
      }),
    ]);
    expect(sim.journal.swaps()).toEqual([
      expect.objectContaining({
        app: "shop-api-uks",
        sourceSlot: "staging",
        targetSlot: "production",
        succeeded: true,
        before: { production: "1.4.1", staging: "1.5.0" },
      }),
    ]);
    const swapped = await client.webApps.get(RG, "shop-api-uks");
    expect(swapped.slotSwapStatus).toMatchObject({
      sourceSlotName: "staging",
      destinationSlotName: "production",
    });
  });

  it("answers the first POST with Location on its own origin and Retry-After", async () => {
    const response = await rawRequest(
      sim,
      "POST",
      armUrl(site("shop-api-uks", "/slots/staging/slotsswap")),
      {
        token: sim.accessToken(),
        body: { targetSlot: "production", preserveVnet: true },
      },
    );
    expect(response.status).toBe(202);
    expect(String(response.headers.location)).toMatch(
      new RegExp(
        `^${sim.origin}/subscriptions/.+/slots/staging/operationresults/[0-9a-f-]+\\?api-version=2025-03-01$`,
      ),
    );
    expect(response.headers["retry-after"]).toBe("1");
  });

  it("swaps with the production variant (POST /slotsswap, targetSlot staging)", async () => {
    await armClient(sim, SUB).webApps.beginSwapSlotWithProductionAndWait(RG, "shop-billing-uks", {
      targetSlot: "staging",
      preserveVnet: true,
    });
    expect(sim.slot("shop-billing-uks", "production").build).toBe("1.5.0");
    expect(sim.slot("shop-billing-uks", "staging").build).toBe("1.4.1");
  });

  it("moves WEBSITE_RUN_FROM_PACKAGE with the content unless it is sticky", async () => {
    const client = armClient(sim, SUB);
    await client.webApps.beginSwapSlotAndWait(RG, "shop-auth-uks", "staging", {
      targetSlot: "production",
      preserveVnet: true,
    });
    expect(sim.slot("shop-auth-uks", "production").appSettings.WEBSITE_RUN_FROM_PACKAGE).toMatch(
      /1\.5\.0\.zip$/,
    );
    await client.webApps.updateSlotConfigurationNames(RG, "shop-auth-uks", {
      appSettingNames: ["ASPNETCORE_ENVIRONMENT_SLOT", "WEBSITE_RUN_FROM_PACKAGE"],
    });
    await client.webApps.beginSwapSlotAndWait(RG, "shop-auth-uks", "staging", {
      targetSlot: "production",
      preserveVnet: true,
    });
    expect(sim.slot("shop-auth-uks", "production").build).toBe("1.5.0");
  });

  it("rejects a failed swap in App Service's error shape and leaves the contents unchanged", async () => {
    sim.failSwap("shop-api-uks");
    const client = armClient(sim, SUB);
    const swap = client.webApps.beginSwapSlotAndWait(RG, "shop-api-uks", "staging", {
      targetSlot: "production",
      preserveVnet: true,
    });
    // App Service's `{"Code","Message",...}` is not ARM's `{"error":{...}}`: SDK 18 finds no
    // code and keeps the raw body as the message.
    const error = (await swap.catch((caught: unknown) => caught)) as RestError;
    expect(error).toMatchObject({ statusCode: 400, code: undefined });
    expect(JSON.parse(error.message)).toMatchObject({
      Code: "BadRequest",
      Message:
        "Cannot swap slots for site 'shop-api-uks' because the application initialization in 'staging' slot either took too long or failed. Please check AppInit module configuration or try using swap with preview if application initialization time is very long.",
      Details: [
        { Message: expect.any(String) },
        { Code: "BadRequest" },
        {
          ErrorEntity: {
            MessageTemplate: expect.stringContaining("Cannot swap slots for site '{0}'"),
            Parameters: ["shop-api-uks", "staging"],
          },
        },
      ],
    });
    expect(sim.slot("shop-api-uks", "production").build).toBe("1.4.1");
    expect(sim.slot("shop-api-uks", "staging").build).toBe("1.5.0");
    expect(sim.journal.swaps()).toEqual([
      expect.objectContaining({ app: "shop-api-uks", succeeded: false, reported: "Failed" }),
    ]);
    expect((await client.webApps.get(RG, "shop-api-uks")).slotSwapStatus).toBeNull();

    sim.failSwap("shop-api-uks", { shape: "arm", code: "SwapFailed", message: "Warm-up failed." });
    await expect(
      client.webApps.beginSwapSlotAndWait(RG, "shop-api-uks", "staging", {
        targetSlot: "production",
        preserveVnet: true,
      }),
    ).rejects.toMatchObject({ statusCode: 400, code: "SwapFailed", message: "Warm-up failed." });
  });

  it("answers 409 Conflict to any write to the site while its swap runs", async () => {
    sim.slowSwap("shop-api-uks", 5_000);
    const token = sim.accessToken();
    const start = await rawRequest(
      sim,
      "POST",
      armUrl(site("shop-api-uks", "/slots/staging/slotsswap")),
      { token, body: { targetSlot: "production", preserveVnet: true } },
    );
    expect(start.status).toBe(202);
    expect(sim.isSwapping("shop-api-uks")).toBe(true);
    const write = await rawRequest(
      sim,
      "PUT",
      armUrl(site("shop-api-uks", "/config/appsettings")),
      { token, body: { properties: { A: "1" } } },
    );
    expect(write.status).toBe(409);
    // App Service's own shape, as Azure answers it (ExtendedCode 59203: the site is locked).
    const operationId = String(start.headers.location)
      .split("/operationresults/")[1]
      ?.split("?")[0];
    expect(write.json).toEqual({
      Code: "Conflict",
      Message: expect.stringMatching(
        new RegExp(
          `^Cannot modify this site because another operation is in progress\\. Details: Id: ${operationId}, OperationName: SwapSiteSlots, CreatedTime: \\d+/\\d+/\\d{4} \\d+:\\d\\d:\\d\\d [AP]M, WebSystemName: websites, SubscriptionName: ${SUB}, WebspaceName: ${RG}-UKSouthwebspace, SiteName: shop-api-uks, SlotName: staging, ServerFarmName: , GeoOperationId: \\(null\\)$`,
        ),
      ),
      Target: null,
      Details: [
        { Message: expect.any(String) },
        { Code: "Conflict" },
        {
          ErrorEntity: {
            ExtendedCode: "59203",
            MessageTemplate:
              "Cannot modify this site because another operation is in progress. Details: {0}",
            Parameters: [expect.stringContaining(`Id: ${operationId}`)],
            Code: "Conflict",
            Message: expect.any(String),
          },
        },
      ],
      Innererror: null,
    });
    const client = armClient(sim, SUB);
    await expect(
      client.webApps.beginSwapSlotAndWait(RG, "shop-api-uks", "staging", {
        targetSlot: "production",
        preserveVnet: true,
      }),
    ).rejects.toMatchObject({ statusCode: 409 });
    // Reads still work, and another site is not blocked.
    expect((await client.webApps.get(RG, "shop-api-uks")).state).toBe("Running");
    await client.webApps.updateApplicationSettings(RG, "shop-auth-uks", { properties: { A: "1" } });
  });

  it("answers 400 to a swap body without targetSlot or preserveVnet", async () => {
    const token = sim.accessToken();
    for (const body of [{ preserveVnet: true }, { targetSlot: "production" }, "not json"]) {
      const response = await rawRequest(
        sim,
        "POST",
        armUrl(site("shop-api-uks", "/slots/staging/slotsswap")),
        { token, body },
      );
      expect(response.status).toBe(400);
      expect((response.json as { error: { code: string } }).error.code).toMatch(
        /BadRequest|InvalidRequestContent/,
      );
    }
    expect(sim.journal.swaps()).toEqual([]);
  });

  it("answers 400 to a swap or apply-slot-config of a slot with itself", async () => {
    const token = sim.accessToken();
    for (const path of ["/slots/staging/slotsswap", "/slots/staging/applySlotConfig"]) {
      const response = await rawRequest(sim, "POST", armUrl(site("shop-api-uks", path)), {
        token,
        body: { targetSlot: "staging", preserveVnet: true },
      });
      expect(response.status, path).toBe(400);
      expect((response.json as { error: { message: string } }).error.message).toContain("itself");
    }
    expect(sim.journal.swaps()).toEqual([]);
  });
});

describe("swap with preview", () => {
  it("applySlotConfig gives staging production's slot settings; resetSlotConfig takes them back", async () => {
    const client = armClient(sim, SUB);
    await client.webApps.applySlotConfigToProduction(RG, "shop-api-uks", {
      targetSlot: "staging",
      preserveVnet: true,
    });
    expect(sim.slot("shop-api-uks", "staging")).toMatchObject({
      previewing: true,
      appSettings: expect.objectContaining({ ASPNETCORE_ENVIRONMENT_SLOT: "Production" }),
    });
    await client.webApps.resetProductionSlotConfig(RG, "shop-api-uks");
    expect(sim.slot("shop-api-uks", "staging")).toMatchObject({
      previewing: false,
      appSettings: expect.objectContaining({ ASPNETCORE_ENVIRONMENT_SLOT: "Staging" }),
    });
  });

  it("completes with slotsswap, each slot keeping its own slot settings", async () => {
    const client = armClient(sim, SUB);
    await client.webApps.applySlotConfigurationSlot(RG, "shop-api-uks", "staging", {
      targetSlot: "production",
      preserveVnet: true,
    });
    await client.webApps.beginSwapSlotAndWait(RG, "shop-api-uks", "staging", {
      targetSlot: "production",
      preserveVnet: true,
    });
    expect(sim.slot("shop-api-uks", "production")).toMatchObject({
      build: "1.5.0",
      previewing: false,
      appSettings: expect.objectContaining({ ASPNETCORE_ENVIRONMENT_SLOT: "Production" }),
    });
    expect(sim.slot("shop-api-uks", "staging")).toMatchObject({
      build: "1.4.1",
      previewing: false,
      appSettings: expect.objectContaining({ ASPNETCORE_ENVIRONMENT_SLOT: "Staging" }),
    });
  });

  it("refuses the preview with 409 when site authentication is enabled", async () => {
    sim.setSiteAuth("shop-api-uks", true);
    await expect(
      armClient(sim, SUB).webApps.applySlotConfigToProduction(RG, "shop-api-uks", {
        targetSlot: "staging",
        preserveVnet: true,
      }),
    ).rejects.toMatchObject({ statusCode: 409, code: "Conflict" });
  });
});

describe("deployments and settings", () => {
  it("PUT app settings replaces the whole set, and a new package URL moves the build", async () => {
    const client = armClient(sim, SUB);
    const url = "https://shopartifacts.blob.core.windows.net/releases/shop-auth-uks/1.6.0.zip";
    await client.webApps.updateApplicationSettingsSlot(RG, "shop-auth-uks", "staging", {
      properties: { WEBSITE_RUN_FROM_PACKAGE: url },
    });
    const listed = await client.webApps.listApplicationSettingsSlot(RG, "shop-auth-uks", "staging");
    expect(listed.properties).toEqual({ WEBSITE_RUN_FROM_PACKAGE: url });
    expect(sim.slot("shop-auth-uks", "staging").build).toBe("1.6.0");
    expect(sim.slot("shop-auth-uks", "production").build).toBe("1.4.1");
  });

  it("a linuxFxVersion change (PATCH config/web) makes the slot run the new image's build", async () => {
    const client = armClient(sim, SUB);
    await client.webApps.updateConfigurationSlot(RG, "shop-api-uks", "staging", {
      linuxFxVersion: "DOCKER|shopregistry.azurecr.io/shop-api-uks:1.6.0",
    });
    expect(sim.slot("shop-api-uks", "staging").build).toBe("1.6.0");
    const config = await client.webApps.getConfigurationSlot(RG, "shop-api-uks", "staging");
    expect(config.linuxFxVersion).toBe("DOCKER|shopregistry.azurecr.io/shop-api-uks:1.6.0");
    expect(sim.journal.armWrites().map((entry) => entry.method)).toEqual(["PATCH"]);
  });

  it("fails a deployment update when told to, changing nothing", async () => {
    sim.failDeploymentUpdate("shop-api-uks");
    const client = armClient(sim, SUB);
    await expect(
      client.webApps.updateConfigurationSlot(RG, "shop-api-uks", "staging", {
        linuxFxVersion: "DOCKER|shopregistry.azurecr.io/shop-api-uks:1.6.0",
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
    expect(sim.slot("shop-api-uks", "staging").build).toBe("1.5.0");
  });

  it("an `other` app has neither image nor package URL", () => {
    sim.addApp({
      subscriptionId: SUB,
      resourceGroup: RG,
      name: "shop-legacy-uks",
      location: "UK South",
      kind: "other",
      production: { build: "0.9.0" },
      staging: { build: "1.0.0" },
    } satisfies AppSeed);
    const slot = sim.slot("shop-legacy-uks", "staging");
    expect(slot.build).toBe("1.0.0");
    expect(slot.linuxFxVersion).not.toMatch(/^DOCKER\|/);
    expect(slot.appSettings.WEBSITE_RUN_FROM_PACKAGE).toBe("1");
  });
});

describe("ARM faults", () => {
  it("429 with Retry-After is retried by the SDK after the announced wait", async () => {
    sim.throttle({ app: "shop-api-uks", method: "GET" }, { count: 1, retryAfterSeconds: 1 });
    const site = await armClient(sim, SUB).webApps.get(RG, "shop-api-uks");
    expect(site.state).toBe("Running");
    const attempts = sim.journal.of("arm").filter((entry) => entry.method === "GET");
    expect(attempts.map((entry) => entry.status)).toEqual([429, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it("a reset connection is retried by the SDK", async () => {
    sim.resetConnections({ app: "shop-api-uks", method: "GET" });
    expect((await armClient(sim, SUB).webApps.get(RG, "shop-api-uks")).state).toBe("Running");
    expect(sim.journal.of("arm").map((entry) => entry.status)).toEqual([0, 200]);
  });
});

describe("status pages", () => {
  const read = (url: string) => rawRequest(sim, "GET", url);

  it("answer each slot's status JSON at any path below its host, moving with a swap", async () => {
    const production = await read(sim.statusUrl("shop-api-uks", "production"));
    expect(production.status).toBe(200);
    expect(production.json).toEqual({
      status: "Healthy",
      build: "1.4.1",
      dependencies: { database: "ok", cache: "ok" },
    });
    expect((await read(sim.statusUrl("shop-api-uks", "staging", "/healthz"))).json).toMatchObject({
      build: "1.5.0",
    });
    await armClient(sim, SUB).webApps.beginSwapSlotAndWait(RG, "shop-api-uks", "staging", {
      targetSlot: "production",
      preserveVnet: true,
    });
    expect((await read(sim.statusUrl("shop-api-uks", "production"))).json).toMatchObject({
      build: "1.5.0",
    });
    expect((await read(sim.statusUrl("shop-api-uks", "staging"))).json).toMatchObject({
      build: "1.4.1",
    });
  });

  it("use each app's format: ASP.NET entries with `version`, Spring components with `app.build`", async () => {
    expect(
      (await read(sim.statusUrl("shop-auth-uks", "production", "/healthz"))).json,
    ).toMatchObject({
      status: "Healthy",
      version: "1.4.1",
      entries: { database: { status: "Healthy" } },
    });
    expect(
      (await read(sim.statusUrl("shop-billing-uks", "production", "/actuator/health"))).json,
    ).toMatchObject({
      status: "UP",
      app: { build: "1.4.1" },
      components: { db: { status: "UP" } },
    });
    sim.addApp({
      subscriptionId: SUB,
      resourceGroup: RG,
      name: "shop-ietf-uks",
      location: "UK South",
      kind: "container",
      production: { build: "2.0.0" },
      staging: undefined,
      statusFormat: { dependencyShape: "ietf", buildField: "releaseId" },
    });
    expect((await read(sim.statusUrl("shop-ietf-uks", "production"))).json).toMatchObject({
      status: "pass",
      releaseId: "2.0.0",
      checks: { "database:connections": [{ status: "pass" }] },
    });
    sim.addApp({
      subscriptionId: SUB,
      resourceGroup: RG,
      name: "shop-array-uks",
      location: "UK South",
      kind: "container",
      production: { build: "2.0.0" },
      staging: undefined,
      statusFormat: { dependencyShape: "array" },
    });
    expect((await read(sim.statusUrl("shop-array-uks", "production"))).json).toMatchObject({
      dependencies: [
        { name: "database", status: "ok" },
        { name: "cache", status: "ok" },
      ],
    });
  });

  it("report a dependency down only while production runs the named build", async () => {
    sim.unhealthyInProduction("shop-api-uks", "1.5.0", "database");
    expect((await read(sim.statusUrl("shop-api-uks", "staging"))).json).toMatchObject({
      dependencies: { database: "ok" },
    });
    const client = armClient(sim, SUB);
    await client.webApps.beginSwapSlotAndWait(RG, "shop-api-uks", "staging", {
      targetSlot: "production",
      preserveVnet: true,
    });
    expect((await read(sim.statusUrl("shop-api-uks", "production"))).json).toMatchObject({
      build: "1.5.0",
      status: "Degraded",
      dependencies: { database: "down" },
    });
    await client.webApps.beginSwapSlotAndWait(RG, "shop-api-uks", "staging", {
      targetSlot: "production",
      preserveVnet: true,
    });
    expect((await read(sim.statusUrl("shop-api-uks", "production"))).json).toMatchObject({
      build: "1.4.1",
      status: "Healthy",
      dependencies: { database: "ok" },
    });
  });

  it("answer 503 during a slow warm-up after a content change, 403 when stopped, 404 without the slot", async () => {
    sim.slowWarmUp("shop-api-uks", 60_000);
    sim.deploy("shop-api-uks", "staging", "1.6.0");
    expect((await read(sim.statusUrl("shop-api-uks", "staging"))).status).toBe(503);
    sim.setSlotState("shop-billing-uks", "staging", "Stopped");
    expect((await read(sim.statusUrl("shop-billing-uks", "staging"))).status).toBe(403);
    expect(
      (await armClient(sim, SUB).webApps.getSlot(RG, "shop-billing-uks", "staging")).state,
    ).toBe("Stopped");
    sim.removeSlot("shop-auth-uks", "staging");
    expect((await read(sim.statusUrl("shop-auth-uks", "staging"))).status).toBe(404);
  });

  it("fail the next N reads when told to, then recover", async () => {
    sim.failStatusPage("shop-api-uks", { slot: "production", count: 2, status: 502 });
    sim.failStatusPage("shop-auth-uks", { kind: "reset" });
    expect((await read(sim.statusUrl("shop-api-uks", "production"))).status).toBe(502);
    expect((await read(sim.statusUrl("shop-api-uks", "staging"))).status).toBe(200);
    expect((await read(sim.statusUrl("shop-api-uks", "production"))).status).toBe(502);
    expect((await read(sim.statusUrl("shop-api-uks", "production"))).status).toBe(200);
    await expect(read(sim.statusUrl("shop-auth-uks", "production"))).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
  });
});

describe("Entra and GitHub OIDC", () => {
  it("signs in with a GitHub OIDC token as client assertion (workload identity federation)", async () => {
    const client = armClient(sim, SUB, oidcCredential(sim));
    expect((await client.webApps.get(RG, "shop-api-uks")).state).toBe("Running");
    const oidc = sim.journal.of("oidc");
    // @azure/identity 4 may ask for the assertion more than once per token: each ask is a GET.
    expect(oidc.length).toBeGreaterThanOrEqual(1);
    for (const entry of oidc) {
      expect(entry).toMatchObject({
        method: "GET",
        path: "/oidc/token",
        query: expect.objectContaining({ audience: "api://AzureADTokenExchange" }),
        status: 200,
      });
    }
    const entra = sim.journal.of("entra");
    expect(entra.map((entry) => `${entry.method} ${entry.status}`)).toEqual([
      "GET 200",
      "POST 200",
    ]);
    // The journal never holds a secret or token.
    const journal = JSON.stringify(sim.journal.entries());
    expect(journal).not.toContain(sim.clientSecret);
    expect(journal).not.toContain(sim.oidcRequestToken);
  });

  it("refuses an assertion for another audience, a wrong secret and an unknown client", async () => {
    await expect(
      oidcCredential(sim, "https://github.com/octo-org").getToken(`${sim.armEndpoint}/.default`),
    ).rejects.toThrow(/AADSTS700212/);
    await expect(
      secretCredential(sim, "wrong").getToken(`${sim.armEndpoint}/.default`),
    ).rejects.toThrow(/AADSTS7000215/);
    const token = await rawRequest(
      sim,
      "POST",
      `${sim.authorityHost}/${sim.tenantId}/oauth2/v2.0/token`,
      {
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: "nobody",
          client_secret: "x",
          scope: `${sim.armEndpoint}/.default`,
        }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      },
    );
    expect(token.status).toBe(400);
    expect(token.json).toMatchObject({ error: "unauthorized_client", error_codes: [700016] });
  });

  it("publishes OpenID metadata with the authority's scheme and host", async () => {
    const response = await rawRequest(
      sim,
      "GET",
      `${sim.authorityHost}/${sim.tenantId}/v2.0/.well-known/openid-configuration`,
    );
    expect(response.json).toMatchObject({
      issuer: `${sim.origin}/${sim.tenantId}/v2.0`,
      token_endpoint: `${sim.origin}/${sim.tenantId}/oauth2/v2.0/token`,
      authorization_endpoint: expect.stringContaining(sim.origin),
      jwks_uri: expect.stringContaining(sim.origin),
    });
  });

  it("gives OIDC tokens only for the request token, with the asked audience", async () => {
    const refused = await rawRequest(sim, "GET", `${sim.oidcRequestUrl}&audience=x`, {
      token: "wrong",
    });
    expect(refused.status).toBe(401);
    const jwt = await githubIdToken(sim, "api://AzureADTokenExchange");
    const claims = JSON.parse(
      Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({
      aud: "api://AzureADTokenExchange",
      iss: `${sim.origin}/oidc`,
      sub: "repo:octo-org/shop:environment:production",
    });
  });
});

describe("GitHub deployments and Slack", () => {
  it("keeps deployments and their statuses, and requires authorization", async () => {
    const base = `${sim.githubApiUrl}/repos/octo-org/shop/deployments`;
    expect((await rawRequest(sim, "POST", base, { body: { ref: "main" } })).status).toBe(401);
    const auth = { authorization: "token ghs_x" };
    const created = await rawRequest(sim, "POST", base, {
      headers: auth,
      body: {
        ref: "main",
        environment: "production-uk-south",
        auto_merge: false,
        required_contexts: [],
      },
    });
    expect(created.status).toBe(201);
    const id = (created.json as { id: number }).id;
    const status = await rawRequest(sim, "POST", `${base}/${id}/statuses`, {
      headers: auth,
      body: { state: "success", description: "released 1.5.0" },
    });
    expect(status.status).toBe(201);
    expect(
      (
        await rawRequest(sim, "POST", `${base}/${id}/statuses`, {
          headers: auth,
          body: { state: "done" },
        })
      ).status,
    ).toBe(422);
    expect(sim.githubDeployments()).toEqual([
      expect.objectContaining({
        environment: "production-uk-south",
        statuses: [expect.objectContaining({ state: "success" })],
      }),
    ]);
    const listed = await rawRequest(sim, "GET", `${base}?environment=production-uk-south`, {
      headers: auth,
    });
    expect(listed.json).toEqual([
      expect.objectContaining({ id, environment: "production-uk-south" }),
    ]);
  });

  it("takes Slack messages, fails when told to, and never journals the webhook's secret path", async () => {
    const ok = await rawRequest(sim, "POST", sim.slackWebhookUrl, {
      body: { text: "hello", blocks: [] },
    });
    expect(ok).toMatchObject({ status: 200, text: "ok" });
    sim.failSlack({ kind: "no-service" });
    expect(
      await rawRequest(sim, "POST", sim.slackWebhookUrl, { body: { text: "again" } }),
    ).toMatchObject({ status: 404, text: "no_service" });
    sim.failSlack({ kind: "server-error" });
    expect(
      await rawRequest(sim, "POST", sim.slackWebhookUrl, { body: { text: "again" } }),
    ).toMatchObject({ status: 500, text: "invalid_payload" });
    expect(sim.slackMessages().map((message) => message.body.text)).toEqual(["hello"]);
    const secret = sim.slackWebhookUrl.split("/").at(-1)!;
    expect(JSON.stringify(sim.journal.entries())).not.toContain(secret);
  });
});

describe("independence", () => {
  let first: Simulator;
  let second: Simulator;
  beforeAll(async () => {
    first = await startSimulator({ apps: demoFleet(SUB).apps });
    second = await startSimulator({ apps: demoFleet(SUB).apps });
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
  });

  it("runs two simulators in one process without shared state", async () => {
    expect(first.origin).not.toBe(second.origin);
    first.deploy("shop-api-uks", "staging", "9.9.9");
    expect(second.slot("shop-api-uks", "staging").build).toBe("1.5.0");
    expect(first.caCertPem).not.toBe(second.caCertPem);
  });
});
