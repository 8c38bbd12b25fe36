import type { RestError } from "@azure/core-rest-pipeline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { demoFleet, startSimulator, type Simulator } from "./simulator/index.js";
import { armClient, rawRequest } from "./simulator/test-clients.js";

/**
 * Swap with preview as App Service does it, driven with the real SDK client in the form the
 * Azure CLI uses (`az webapp deployment slot swap --action preview`: production-site
 * `applySlotConfig {targetSlot: staging}`): staging restarts with production's slot settings,
 * its content unchanged; production is never restarted; the reset restores staging's own; and
 * while the preview is applied App Service refuses config writes to both slots with its 409
 * "The slot cannot be changed because its configuration settings have been prepared for swap."
 * (Azure/azure-cli#27820), until the swap completes or the preview is reset.
 */

const SUB = "00000000-0000-0000-0000-0000000000a1";
const RG = "rg-shop-uks";
const APP = "shop-api-uks";
const PREPARED =
  "The slot cannot be changed because its configuration settings have been prepared for swap.";

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator({ apps: demoFleet(SUB).apps, swapDurationMs: 200 });
});
afterEach(async () => {
  await sim.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a rejected SDK call carried: status and App Service's error body. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await call;
  } catch (error) {
    const rest = error as RestError;
    return {
      status: rest.statusCode ?? 0,
      body: JSON.parse(rest.response?.bodyAsText ?? "null") as unknown,
    };
  }
  throw new Error("the call was not refused");
}

/** Applies production's settings to staging, as `az webapp deployment slot swap --action preview` does. */
async function preview(): Promise<void> {
  await armClient(sim, SUB).webApps.applySlotConfigToProduction(RG, APP, {
    targetSlot: "staging",
    preserveVnet: true,
  });
}

/** Every config write a preview locks, on production and on staging, through the SDK. */
function configWrites() {
  const { webApps } = armClient(sim, SUB, undefined, { retryOptions: { maxRetries: 0 } });
  return {
    "PUT staging appsettings": () =>
      webApps.updateApplicationSettingsSlot(RG, APP, "staging", {
        properties: { ...sim.slot(APP, "staging").appSettings, FEATURE_X: "on" },
      }),
    "PUT production appsettings": () =>
      webApps.updateApplicationSettings(RG, APP, {
        properties: { ...sim.slot(APP, "production").appSettings, FEATURE_X: "on" },
      }),
    "PATCH staging config/web": () =>
      webApps.updateConfigurationSlot(RG, APP, "staging", {
        linuxFxVersion: "DOCKER|shopregistry.azurecr.io/shop-api-uks:9.9.9",
      }),
    "PATCH production config/web": () => webApps.updateConfiguration(RG, APP, { alwaysOn: false }),
    "PUT slotConfigNames": () =>
      webApps.updateSlotConfigurationNames(RG, APP, {
        appSettingNames: ["ASPNETCORE_ENVIRONMENT_SLOT", "FEATURE_X"],
      }),
  };
}

describe("swap with preview (App Service's behaviour)", () => {
  it("refuses every config write to either slot with App Service's 409 while applied; reads go on", async () => {
    await preview();
    const before = {
      production: sim.slot(APP, "production"),
      staging: sim.slot(APP, "staging"),
    };
    for (const [name, write] of Object.entries(configWrites())) {
      const { status, body } = await refusal(write());
      expect(status, name).toBe(409);
      expect(body, name).toMatchObject({
        Code: "Conflict",
        Message: PREPARED,
        Target: null,
        Details: [
          { Message: PREPARED },
          { Code: "Conflict" },
          { ErrorEntity: { Code: "Conflict", Message: PREPARED, MessageTemplate: PREPARED } },
        ],
        Innererror: null,
      });
    }
    // Ground truth: nothing was written, the preview is still applied.
    expect(sim.slot(APP, "production")).toEqual(before.production);
    expect(sim.slot(APP, "staging")).toEqual(before.staging);
    expect(sim.slot(APP, "staging").previewing).toBe(true);
    const client = armClient(sim, SUB);
    expect((await client.webApps.getConfigurationSlot(RG, APP, "staging")).linuxFxVersion).toBe(
      before.staging.linuxFxVersion,
    );
    expect(
      (await client.webApps.listApplicationSettingsSlot(RG, APP, "staging")).properties,
    ).toEqual(before.staging.appSettings);
  });

  it("refuses config writes until the preview is reset, then takes them", async () => {
    await preview();
    expect((await refusal(configWrites()["PUT staging appsettings"]())).status).toBe(409);
    await armClient(sim, SUB).webApps.resetProductionSlotConfig(RG, APP);
    for (const [name, write] of Object.entries(configWrites())) {
      await expect(write(), name).resolves.toBeDefined();
    }
    expect(sim.slot(APP, "staging").appSettings).toMatchObject({
      ASPNETCORE_ENVIRONMENT_SLOT: "Staging",
      FEATURE_X: "on",
    });
    expect(sim.slot(APP, "staging").linuxFxVersion).toBe(
      "DOCKER|shopregistry.azurecr.io/shop-api-uks:9.9.9",
    );
  });

  it("refuses config writes until the swap completes, which ends the preview, then takes them", async () => {
    await preview();
    expect((await refusal(configWrites()["PATCH production config/web"]())).status).toBe(409);
    await armClient(sim, SUB).webApps.beginSwapSlotAndWait(RG, APP, "staging", {
      targetSlot: "production",
      preserveVnet: true,
    });
    expect(sim.slot(APP, "production")).toMatchObject({ build: "1.5.0", previewing: false });
    expect(sim.slot(APP, "staging")).toMatchObject({ build: "1.4.1", previewing: false });
    await expect(configWrites()["PUT staging appsettings"]()).resolves.toBeDefined();
    await expect(configWrites()["PATCH production config/web"]()).resolves.toBeDefined();
  });

  it("locks the slots in the PowerShell form too (slots/staging/applySlotConfig {targetSlot: production})", async () => {
    await armClient(sim, SUB).webApps.applySlotConfigurationSlot(RG, APP, "staging", {
      targetSlot: "production",
      preserveVnet: true,
    });
    expect((await refusal(configWrites()["PUT staging appsettings"]())).status).toBe(409);
    expect((await refusal(configWrites()["PUT production appsettings"]())).status).toBe(409);
    await armClient(sim, SUB).webApps.resetSlotConfigurationSlot(RG, APP, "staging");
    await expect(configWrites()["PUT staging appsettings"]()).resolves.toBeDefined();
  });

  it("restarts staging with production's slot settings, content unchanged, and never restarts production", async () => {
    sim.slowWarmUp(APP, 400);
    await sleep(450); // both slots warm
    const production = sim.slot(APP, "production");
    const page = async (slot: string) => {
      const response = await rawRequest(sim, "GET", sim.statusUrl(APP, slot));
      return { status: response.status, build: (response.json as { build?: string })?.build };
    };
    const siteOf = async (slot: string) =>
      slot === "production"
        ? await armClient(sim, SUB).webApps.get(RG, APP)
        : await armClient(sim, SUB).webApps.getSlot(RG, APP, slot);
    const productionModified = (await siteOf("production")).lastModifiedTimeUtc;
    const stagingModified = (await siteOf("staging")).lastModifiedTimeUtc;

    await preview();
    // Staging is starting with its new settings: briefly unavailable.
    expect(await page("staging")).toMatchObject({ status: 503 });
    expect(await page("production")).toEqual({ status: 200, build: "1.4.1" });
    await sleep(450);
    // Same content (build), production's slot settings.
    expect(await page("staging")).toEqual({ status: 200, build: "1.5.0" });
    expect(sim.slot(APP, "staging")).toMatchObject({
      build: "1.5.0",
      previewing: true,
      appSettings: expect.objectContaining({ ASPNETCORE_ENVIRONMENT_SLOT: "Production" }),
    });
    expect((await siteOf("staging")).lastModifiedTimeUtc).not.toEqual(stagingModified);

    await armClient(sim, SUB).webApps.resetProductionSlotConfig(RG, APP);
    // The reset restarts staging on its own settings; production is untouched throughout.
    expect(await page("staging")).toMatchObject({ status: 503 });
    expect(await page("production")).toEqual({ status: 200, build: "1.4.1" });
    await sleep(450);
    expect(await page("staging")).toEqual({ status: 200, build: "1.5.0" });
    expect(sim.slot(APP, "staging").appSettings).toMatchObject({
      ASPNETCORE_ENVIRONMENT_SLOT: "Staging",
    });
    expect(sim.slot(APP, "production")).toEqual(production);
    expect((await siteOf("production")).lastModifiedTimeUtc).toEqual(productionModified);
  });
});
