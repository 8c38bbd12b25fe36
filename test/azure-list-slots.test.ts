/**
 * Pre-flight's list of a resource group: `GET …/resourceGroups/{rg}/providers/Microsoft.Web/sites
 * ?includeSlots=true` through the real SDK against the simulator, pages followed.
 */
import * as tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArmSlotGateway } from "../src/azure/arm-slot-gateway.js";
import { startSimulator, type Simulator } from "./simulator/index.js";
import { secretCredential } from "./simulator/test-clients.js";

const SUBSCRIPTION = "00000000-0000-0000-0000-0000000000d1";
const APPS = 60;

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({
    apps: [
      ...Array.from({ length: APPS }, (_, index) => ({
        subscriptionId: SUBSCRIPTION,
        resourceGroup: "rg-list",
        name: `shop-app-${index}`,
        location: "UK South",
        kind: index % 2 === 0 ? ("container" as const) : ("package" as const),
        production: { build: "1.0.0" },
        staging: { build: "1.1.0", ...(index === 7 ? { state: "Stopped" as const } : {}) },
      })),
      {
        subscriptionId: SUBSCRIPTION,
        resourceGroup: "rg-other",
        name: "shop-elsewhere",
        location: "UK South",
        kind: "container" as const,
        production: { build: "1.0.0" },
        staging: { build: "1.1.0" },
      },
    ],
  });
  tls.setDefaultCACertificates([...tls.getCACertificates("default"), sim.caCertPem]);
});
afterAll(() => sim.close());

describe("ArmSlotGateway.listSlots", () => {
  it("describes every app and slot of the group in one paged list", async () => {
    const gateway = new ArmSlotGateway(secretCredential(sim), { armEndpoint: sim.armEndpoint });
    const slots = await gateway.listSlots(
      { subscriptionId: SUBSCRIPTION, resourceGroup: "rg-list" },
      new AbortController().signal,
    );
    expect(slots.size).toBe(2 * APPS);
    expect(slots.has("shop-elsewhere/production")).toBe(false);
    const production = slots.get("shop-app-0/production");
    expect(production).toMatchObject({
      exists: true,
      state: "Running",
      defaultHostName: sim.slot("shop-app-0", "production").defaultHostName,
      swapActivity: { operationInProgress: false },
      deployment: { kind: "container" },
    });
    expect(slots.get("shop-app-7/staging")).toMatchObject({ exists: true, state: "Stopped" });
    // A package app's deployment is in its app settings: the list cannot tell it.
    expect(slots.get("shop-app-1/staging")).not.toHaveProperty("deployment");
    const lists = sim.journal
      .of("arm")
      .filter(
        (entry) =>
          entry.method === "GET" &&
          /\/resourceGroups\/rg-list\/providers\/Microsoft\.Web\/sites$/i.test(entry.path),
      );
    // 120 slots in pages of 100: two requests, the second following nextLink.
    expect(lists).toHaveLength(2);
  });

  it("names the resource group when ARM does not know it", async () => {
    const gateway = new ArmSlotGateway(secretCredential(sim), { armEndpoint: sim.armEndpoint });
    await expect(
      gateway.listSlots(
        { subscriptionId: SUBSCRIPTION, resourceGroup: "rg-missing" },
        new AbortController().signal,
      ),
    ).rejects.toThrow(/rg-missing.*ResourceGroupNotFound|ResourceGroupNotFound.*rg-missing/);
  });
});
