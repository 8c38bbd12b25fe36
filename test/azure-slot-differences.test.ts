import * as tls from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ArmSlotGateway } from "../src/azure/arm-slot-gateway.js";
import { MAX_DIFFERENCE_PAGES, MAX_SETTING_NAME_CHARS } from "../src/azure/slot-differences.js";
import type { SlotAddress } from "../src/release/ports.js";
import { startSimulator, type AppSeed, type Simulator } from "./simulator/index.js";
import { secretCredential } from "./simulator/test-clients.js";

const SUBSCRIPTION = "00000000-0000-0000-0000-0000000000d2";
const RG = "rg-shop-plan";
const SECRETS = ["Password=hunter2", "sk-live-123", "Password=n3xt", "prod-only-secret"];

function seed(name: string, more: Partial<AppSeed> = {}): AppSeed {
  return {
    subscriptionId: SUBSCRIPTION,
    resourceGroup: RG,
    name,
    location: "North Europe",
    kind: "container",
    production: { build: "3.0.0" },
    staging: { build: "3.1.0" },
    ...more,
  };
}

function at(app: string, slot = "staging"): SlotAddress {
  return { subscriptionId: SUBSCRIPTION, resourceGroup: RG, app, slot };
}

function diffRequests() {
  return sim.journal
    .of("arm")
    .filter((entry) => /slotsdiffs$/i.test(entry.path))
    .map((entry) => [entry.method, entry.status, entry.fault ?? "answered"]);
}

let sim: Simulator;
let gateway: ArmSlotGateway;
const signal = new AbortController().signal;
const options = { preserveVnet: true };

beforeAll(async () => {
  sim = await startSimulator({
    apps: [
      seed("shop-plan-api", {
        stickySettings: {
          DB_PASSWORD: { production: "prod-only-secret", staging: "staging-secret" },
        },
        connectionStrings: { Orders: { value: "Server=o;Password=hunter2", type: "SQLAzure" } },
      }),
      seed("shop-plan-many"),
      seed("shop-plan-huge"),
      seed("shop-plan-odd"),
      seed("shop-plan-hung"),
      seed("shop-plan-solo", { staging: undefined }),
    ],
  });
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

describe("ArmSlotGateway.readSlotDifferences", () => {
  it("returns setting, type and level of each difference, never a value or description", async () => {
    const app = "shop-plan-api";
    sim.setAppSettings(app, "staging", { API_KEY: "sk-live-123" });
    sim.setAppSettings(app, "production", { LEGACY_TOKEN: "prod-only-secret" });
    sim.setConnectionStrings(app, "staging", {
      Orders: { value: "Server=o2;Password=n3xt", type: "SQLAzure" },
    });

    const differences = await gateway.readSlotDifferences(at(app), options, signal);

    expect(differences).toEqual([
      { setting: "linuxFxVersion", type: "General", level: "Information" },
      { setting: "API_KEY", type: "AppSetting", level: "Information" },
      { setting: "LEGACY_TOKEN", type: "AppSetting", level: "Warning" },
      { setting: "Orders", type: "ConnectionString", level: "Information" },
    ]);
    for (const difference of differences)
      expect(Object.keys(difference).sort()).toEqual(["level", "setting", "type"]);
    const text = JSON.stringify(differences);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    // What was asked: the source slot in the URL, production in the body.
    const post = sim.journal.of("arm").find((entry) => entry.method === "POST");
    expect(post?.path).toMatch(/\/sites\/shop-plan-api\/slots\/staging\/slotsdiffs$/);
  });

  it("follows every nextLink page", async () => {
    const app = "shop-plan-many";
    sim.setAppSettings(
      app,
      "staging",
      Object.fromEntries(Array.from({ length: 130 }, (_, index) => [`FLAG_${index}`, "on"])),
    );

    const differences = await gateway.readSlotDifferences(at(app), options, signal);

    expect(differences).toHaveLength(131);
    expect(differences.filter((item) => item.setting.startsWith("FLAG_"))).toHaveLength(130);
    expect(diffRequests()).toEqual([
      ["POST", 200, "answered"],
      ["GET", 200, "answered"],
      ["GET", 200, "answered"],
    ]);
  });

  it(`stops after ${MAX_DIFFERENCE_PAGES} pages with a readable error`, async () => {
    const app = "shop-plan-huge";
    sim.setAppSettings(
      app,
      "staging",
      Object.fromEntries(Array.from({ length: 1_100 }, (_, index) => [`S_${index}`, "1"])),
    );

    await expect(gateway.readSlotDifferences(at(app), options, signal)).rejects.toThrow(
      /^reading the slot differences of a swap of shop-plan-huge\/staging into production failed: Azure answered more than 20 pages/,
    );
    expect(diffRequests()).toHaveLength(MAX_DIFFERENCE_PAGES);
  });

  it("treats names as data: trimmed, invisible characters escaped, long names cut", async () => {
    const app = "shop-plan-odd";
    const long = `LONG_${"X".repeat(400)}`;
    sim.setAppSettings(app, "staging", {
      "  PADDED  ": "1",
      "EVIL\n::warning::pwned\u202e": "1",
      [long]: "1",
    });

    const names = (await gateway.readSlotDifferences(at(app), options, signal)).map(
      (item) => item.setting,
    );

    expect(names).toContain("PADDED");
    expect(names).toContain("EVIL\\n::warning::pwned\\u202e");
    const cut = names.find((name) => name.startsWith("LONG_"));
    expect(cut).toBe(`${long.slice(0, MAX_SETTING_NAME_CHARS)}…`);
    for (const name of names) expect(name).not.toMatch(/[\n\u202e]/);
  });

  it("gives a hung request its time limit and retries it; a cancelled read stops at once", async () => {
    const bounded = new ArmSlotGateway(secretCredential(sim), {
      armEndpoint: sim.armEndpoint,
      attemptTimeoutMs: 300,
    });
    const app = "shop-plan-hung";
    sim.hang({ app, method: "POST", path: /\/slotsdiffs$/i });

    expect(await bounded.readSlotDifferences(at(app), options, signal)).toEqual([
      { setting: "linuxFxVersion", type: "General", level: "Information" },
    ]);
    expect(diffRequests()).toEqual([
      ["POST", 0, "hang"],
      ["POST", 200, "answered"],
    ]);

    sim.hang({ app, method: "POST", path: /\/slotsdiffs$/i }, { count: 20 });
    const controller = new AbortController();
    const reading = bounded.readSlotDifferences(at(app), options, controller.signal);
    while (diffRequests().length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    const abortedAt = Date.now();
    controller.abort(new Error("SIGTERM"));
    await expect(reading).rejects.toThrow("SIGTERM");
    expect(Date.now() - abortedAt).toBeLessThan(200);
  });

  it("fails readably: a missing slot, a refused role (naming the action), production as source", async () => {
    await expect(
      gateway.readSlotDifferences(at("shop-plan-solo"), options, signal),
    ).rejects.toThrow(
      /^reading the slot differences of a swap of shop-plan-solo\/staging into production failed: 404 Not Found: ResourceNotFound: .*Check the subscription id, resource group \(rg-shop-plan\)/,
    );

    sim.serverError(
      { app: "shop-plan-api", method: "POST", path: /\/slotsdiffs$/i },
      { status: 403, code: "AuthorizationFailed" },
    );
    await expect(gateway.readSlotDifferences(at("shop-plan-api"), options, signal)).rejects.toThrow(
      /403 Forbidden: .*Microsoft\.Web\/sites\/slots\/slotsdiffs\/action/,
    );

    await expect(
      gateway.readSlotDifferences(at("shop-plan-api", "production"), options, signal),
    ).rejects.toThrow(/the source slot is production itself/);
  });
});
