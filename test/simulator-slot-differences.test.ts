import type { SlotDifference as SdkSlotDifference } from "@azure/arm-appservice";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  SLOT_DIFFERENCES_PAGE_SIZE,
  startSimulator,
  type AppSeed,
  type Simulator,
} from "./simulator/index.js";
import { armClient, rawRequest } from "./simulator/test-clients.js";

const SUBSCRIPTION = "00000000-0000-0000-0000-0000000000d1";
const RG = "rg-shop-diff";
const API = "2025-03-01";

function seed(name: string, more: Partial<AppSeed> = {}): AppSeed {
  return {
    subscriptionId: SUBSCRIPTION,
    resourceGroup: RG,
    name,
    location: "West Europe",
    kind: "container",
    production: { build: "2.0.0" },
    staging: { build: "2.1.0" },
    ...more,
  };
}

let sim: Simulator;

function diffUrl(app: string, slot = "staging"): string {
  const site = `${sim.armEndpoint}/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Web/sites/${app}`;
  return `${slot === "production" ? site : `${site}/slots/${slot}`}/slotsdiffs?api-version=${API}`;
}

/** Every difference through the real SDK's paged list (POST, then GETs of `nextLink`). */
async function sdkDifferences(app: string): Promise<SdkSlotDifference[]> {
  const differences: SdkSlotDifference[] = [];
  const client = armClient(sim, SUBSCRIPTION);
  for await (const difference of client.webApps.listSlotDifferencesSlot(RG, app, "staging", {
    targetSlot: "production",
    preserveVnet: true,
  }))
    differences.push(difference);
  return differences;
}

/** The spec's properties of each difference, without values or description. */
function summary(differences: SdkSlotDifference[]) {
  return differences.map(({ settingType, settingName, diffRule, level }) => ({
    settingType,
    settingName,
    diffRule,
    level,
  }));
}

beforeAll(async () => {
  sim = await startSimulator({
    swapDurationMs: 50,
    apps: [
      seed("shop-diff-api", {
        appSettings: { FEATURE_CHECKOUT: "on" },
        stickySettings: { DB_NAME: { production: "shop-prod", staging: "shop-staging" } },
        connectionStrings: { Orders: { value: "Server=orders;Password=p4ss", type: "SQLAzure" } },
      }),
      seed("shop-diff-same"),
      seed("shop-diff-many"),
      seed("shop-diff-swap"),
    ],
  });
});

afterAll(async () => {
  await sim.close();
});

afterEach(() => {
  sim.clearFaults();
  sim.journal.clear();
});

describe("the simulator's slotsdiffs", () => {
  it("answers the spec's shape: value of {id, name, type, properties{…seven…}} and nextLink", async () => {
    sim.setAppSettings("shop-diff-same", "staging", { NEW_FLAG: "1" });
    const answer = await rawRequest(sim, "POST", diffUrl("shop-diff-same"), {
      token: sim.accessToken(),
      body: { targetSlot: "production", preserveVnet: true },
    });

    expect(answer.status).toBe(200);
    const body = answer.json as { value: Array<Record<string, unknown>>; nextLink: unknown };
    expect(Object.keys(body).sort()).toEqual(["nextLink", "value"]);
    expect(body.nextLink).toBeNull();
    const appSetting = body.value.find(
      (item) => (item.properties as { settingName: string }).settingName === "NEW_FLAG",
    );
    expect(appSetting).toEqual({
      id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Web/sites/shop-diff-same/slots/staging/slotsdiffs/AppSetting-NEW_FLAG`,
      name: "NEW_FLAG",
      type: "Microsoft.Web/sites/slots/slotsdiffs",
      properties: {
        level: "Information",
        settingType: "AppSetting",
        diffRule: "SettingsWillBeAddedToDestination",
        settingName: "NEW_FLAG",
        valueInCurrentSlot: "1",
        valueInTargetSlot: "",
        description: "App setting 'NEW_FLAG' with value '1' will be added to slot 'production'.",
      },
    });
    sim.setAppSettings("shop-diff-same", "staging", { NEW_FLAG: null });
  });

  it("computes app settings, sticky names, connection strings and site config from both slots", async () => {
    const app = "shop-diff-api";
    sim.setSlotConfigNames(app, {
      appSettingNames: ["DB_NAME", "REGION_ONLY", "SAME_EVERYWHERE"],
      connectionStringNames: ["Audit"],
    });
    sim.setAppSettings(app, "production", {
      REGION_ONLY: "uk",
      SAME_EVERYWHERE: "x",
      OLD_FLAG: "yes",
    });
    sim.setAppSettings(app, "staging", { SAME_EVERYWHERE: "x", FEATURE_CHECKOUT: "off" });
    sim.setConnectionStrings(app, "staging", {
      Orders: { value: "Server=orders-next;Password=n3w", type: "SQLAzure" },
      Audit: { value: "staging-audit", type: "Custom" },
    });
    sim.setConnectionStrings(app, "production", { Audit: { value: "prod-audit" } });
    sim.setSiteConfig(app, "staging", { http20Enabled: true, alwaysOn: false });

    expect(summary(await sdkDifferences(app))).toEqual([
      // The image differs (another build); HTTP/2 moves with the content; Always On stays: not reported.
      {
        settingType: "General",
        settingName: "linuxFxVersion",
        diffRule: "SettingsWillBeModifiedInDestination",
        level: "Information",
      },
      {
        settingType: "General",
        settingName: "http20Enabled",
        diffRule: "SettingsWillBeModifiedInDestination",
        level: "Information",
      },
      // DB_NAME is sticky with different values: it is not swapped, so not reported.
      {
        settingType: "AppSetting",
        settingName: "FEATURE_CHECKOUT",
        diffRule: "SettingsWillBeModifiedInDestination",
        level: "Information",
      },
      {
        settingType: "AppSetting",
        settingName: "OLD_FLAG",
        diffRule: "SettingsNotInSource",
        level: "Warning",
      },
      {
        settingType: "AppSetting",
        settingName: "REGION_ONLY",
        diffRule: "SlotSettingsMissing",
        level: "Warning",
      },
      {
        settingType: "AppSetting",
        settingName: "SAME_EVERYWHERE",
        diffRule: "SlotSettingsSameValue",
        level: "Information",
      },
      // Audit is sticky with different values: not reported.
      {
        settingType: "ConnectionString",
        settingName: "Orders",
        diffRule: "SettingsWillBeModifiedInDestination",
        level: "Information",
      },
    ]);
  });

  it("answers nothing for two slots that differ in nothing a swap moves", async () => {
    sim.deploy("shop-diff-same", "staging", "2.0.0");
    sim.setSiteConfig("shop-diff-same", "staging", { alwaysOn: false });
    expect(await sdkDifferences("shop-diff-same")).toEqual([]);
    sim.deploy("shop-diff-same", "staging", "2.1.0");
  });

  it("agrees with the swap: what it reports moves, and afterwards the other way round", async () => {
    const app = "shop-diff-swap";
    sim.setSiteConfig(app, "staging", { http20Enabled: true });
    sim.setConnectionStrings(app, "staging", { Cache: { value: "redis-next", type: "Custom" } });
    const before = summary(await sdkDifferences(app)).map((item) => item.settingName);
    expect(before).toEqual(["linuxFxVersion", "http20Enabled", "Cache"]);

    const site = `${sim.armEndpoint}/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Web/sites/${app}`;
    const swap = await rawRequest(
      sim,
      "POST",
      `${site}/slots/staging/slotsswap?api-version=${API}`,
      {
        token: sim.accessToken(),
        body: { targetSlot: "production", preserveVnet: true },
      },
    );
    expect(swap.status).toBe(202);
    // Azure answers the diff while the swap runs: it only reads.
    expect((await sdkDifferences(app)).length).toBeGreaterThan(0);
    while (sim.isSwapping(app)) await new Promise((resolve) => setTimeout(resolve, 10));

    expect(sim.slot(app, "production").siteConfig).toMatchObject({ http20Enabled: true });
    expect(sim.slot(app, "production").connectionStrings).toEqual({
      Cache: { value: "redis-next", type: "Custom" },
    });
    const after = summary(await sdkDifferences(app));
    expect(after.map((item) => [item.settingName, item.diffRule])).toEqual([
      ["linuxFxVersion", "SettingsWillBeModifiedInDestination"],
      ["http20Enabled", "SettingsWillBeModifiedInDestination"],
      ["Cache", "SettingsNotInSource"],
    ]);
  });

  it(`pages past ${SLOT_DIFFERENCES_PAGE_SIZE} differences with a nextLink the SDK follows with GETs`, async () => {
    const app = "shop-diff-many";
    const settings = Object.fromEntries(
      Array.from({ length: 120 }, (_, index) => [`SETTING_${String(index).padStart(3, "0")}`, "v"]),
    );
    sim.setAppSettings(app, "staging", settings);

    const differences = await sdkDifferences(app);
    expect(differences).toHaveLength(121); // 120 settings and the image
    expect(new Set(differences.map((item) => item.settingName)).size).toBe(121);
    expect(
      sim.journal
        .of("arm")
        .filter((entry) => /slotsdiffs$/i.test(entry.path))
        .map((entry) => [entry.method, entry.status]),
    ).toEqual([
      ["POST", 200],
      ["GET", 200],
      ["GET", 200],
    ]);

    const first = await rawRequest(sim, "POST", diffUrl(app), {
      token: sim.accessToken(),
      body: { targetSlot: "production", preserveVnet: false },
    });
    const page = first.json as { value: unknown[]; nextLink: string };
    expect(page.value).toHaveLength(SLOT_DIFFERENCES_PAGE_SIZE);
    expect(new URL(page.nextLink).origin).toBe(sim.origin);
    expect(new URL(page.nextLink).searchParams.get("api-version")).toBe(API);
    // Counted by method, like every ARM request: the POST is a write, the nextLink GET a read.
    expect(first.headers["x-ms-ratelimit-remaining-subscription-writes"]).toBeDefined();
    const second = await rawRequest(sim, "GET", page.nextLink, { token: sim.accessToken() });
    expect(second.status).toBe(200);
    expect(second.headers["x-ms-ratelimit-remaining-subscription-reads"]).toBeDefined();
    const stale = await rawRequest(sim, "GET", page.nextLink, { token: sim.accessToken() });
    expect(stale.status).toBe(400);
    expect(stale.json).toMatchObject({ error: { code: "InvalidSkipToken" } });
    // A read, not a write: the journal's writes leave it out.
    expect(sim.journal.armWrites()).toEqual([]);
  });

  it("refuses what ARM refuses: no token, a body that is not a CsmSlotEntity, the slot itself", async () => {
    const body = { targetSlot: "production", preserveVnet: true };
    expect((await rawRequest(sim, "POST", diffUrl("shop-diff-same"), { body })).status).toBe(401);
    const token = sim.accessToken();
    const noVnet = await rawRequest(sim, "POST", diffUrl("shop-diff-same"), {
      token,
      body: { targetSlot: "production" },
    });
    expect(noVnet.status).toBe(400);
    expect(noVnet.json).toMatchObject({ error: { target: "preserveVnet" } });
    const itself = await rawRequest(sim, "POST", diffUrl("shop-diff-same"), {
      token,
      body: { targetSlot: "staging", preserveVnet: true },
    });
    expect(itself.status).toBe(400);
    const nowhere = await rawRequest(sim, "POST", diffUrl("shop-diff-same", "qa"), {
      token,
      body,
    });
    expect(nowhere.status).toBe(404);
  });
});
