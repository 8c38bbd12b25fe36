import * as tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArmSlotGateway } from "../src/azure/arm-slot-gateway.js";
import { createAzureCredential } from "../src/azure/sign-in.js";
import { startSimulator, type Simulator } from "./simulator/index.js";
import { githubIdToken } from "./simulator/test-clients.js";

// Its own file (so its own worker process): the simulator's federated credential trusts one
// subject, and the workflow presents another.
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({
    apps: [
      {
        subscriptionId: "00000000-0000-0000-0000-0000000000c3",
        resourceGroup: "rg-shop-eus",
        name: "shop-api-eus",
        location: "East US",
        kind: "container",
        production: { build: "1.4.1" },
        staging: { build: "1.4.2" },
      },
    ],
    federatedSubject: "repo:octo-org/shop:environment:production",
    // A run on a feature branch: GitHub issues a token the app registration does not trust.
    oidcSubject: "repo:octo-org/shop:ref:refs/heads/feature",
  });
  tls.setDefaultCACertificates([...tls.getCACertificates("default"), sim.caCertPem]);
});

afterAll(async () => {
  await sim.close();
});

describe("GitHub OIDC sign-in with a subject the federated credential does not trust", () => {
  it("fails the ARM call with Entra's reason and what to check", async () => {
    const credential = createAzureCredential(
      {
        method: "oidc",
        cloud: "AzureCloud",
        armEndpoint: sim.armEndpoint,
        authorityHost: sim.authorityHost,
        customAuthority: true,
        tenantId: sim.tenantId,
        clientId: sim.clientId,
      },
      { getIdToken: (audience) => githubIdToken(sim, audience) },
    );
    const gateway = new ArmSlotGateway(credential, { armEndpoint: sim.armEndpoint });

    const error = await gateway
      .describeSlot({
        subscriptionId: "00000000-0000-0000-0000-0000000000c3",
        resourceGroup: "rg-shop-eus",
        app: "shop-api-eus",
        slot: "staging",
      })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^reading shop-api-eus\/staging failed: sign-in to Microsoft Entra failed: /,
    );
    expect(message).toContain(
      "No matching federated identity record found for presented assertion subject 'repo:octo-org/shop:ref:refs/heads/feature'",
    );
    expect(message).toContain("the federated credential's subject");
    // The GitHub token was presented, never printed.
    expect(message).not.toMatch(/eyJ/);
    expect(sim.journal.of("arm")).toEqual([]);
  });
});
