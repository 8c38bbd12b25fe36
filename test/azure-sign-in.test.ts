import { once } from "node:events";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import * as tls from "node:tls";
import {
  ClientAssertionCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
} from "@azure/identity";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ArmSlotGateway } from "../src/azure/arm-slot-gateway.js";
import { armTokenScope, AZURE_OIDC_AUDIENCE, createAzureCredential } from "../src/azure/sign-in.js";
import type { AzureSignInSettings } from "../src/settings/azure-sign-in.js";
import { createSelfSignedCertificate } from "./simulator/certificate.js";
import { startSimulator, type AppSeed, type Simulator } from "./simulator/index.js";
import { githubIdToken } from "./simulator/test-clients.js";

const SUBSCRIPTION = "00000000-0000-0000-0000-0000000000b2";
const RG = "rg-shop-weu";
const FEDERATED_SUBJECT = "repo:octo-org/shop:environment:production";

/** One container app with 1.4.1 in production and 1.4.2 staged. */
function containerApp(
  app: Pick<AppSeed, "subscriptionId" | "resourceGroup" | "name" | "location">,
): AppSeed {
  return { ...app, kind: "container", production: { build: "1.4.1" }, staging: { build: "1.4.2" } };
}

/** The simulator most tests sign in to: its federated credential trusts the workflow's subject. */
let sim: Simulator;
/** A simulator whose federated credential trusts another subject than the workflow presents. */
let untrusted: Simulator;
/** An Entra that accepts every connection and request and never answers; what it was asked. */
const hungEntraTls = createSelfSignedCertificate("hung Entra");
const hungEntra: Server = createServer(
  { key: hungEntraTls.keyPem, cert: hungEntraTls.certPem },
  (request) => void hungRequests.push(`${request.method} ${request.url}`),
);
const hungRequests: string[] = [];
let hungAuthority = "";

beforeAll(async () => {
  [sim, untrusted] = await Promise.all([
    startSimulator({
      apps: [
        containerApp({
          subscriptionId: SUBSCRIPTION,
          resourceGroup: RG,
          name: "shop-api-weu",
          location: "West Europe",
        }),
      ],
      // Shorter than MSAL's 5-minute refresh margin: every token request goes to Entra, as a
      // refresh late in a long release would.
      tokenLifetimeSeconds: 120,
      federatedSubject: FEDERATED_SUBJECT,
    }),
    startSimulator({
      apps: [
        containerApp({
          subscriptionId: "00000000-0000-0000-0000-0000000000c3",
          resourceGroup: "rg-shop-eus",
          name: "shop-api-eus",
          location: "East US",
        }),
      ],
      federatedSubject: FEDERATED_SUBJECT,
      // A run on a feature branch: GitHub issues a token the app registration does not trust.
      oidcSubject: "repo:octo-org/shop:ref:refs/heads/feature",
    }),
  ]);
  hungEntra.listen(0, "127.0.0.1");
  await once(hungEntra, "listening");
  hungAuthority = `https://127.0.0.1:${(hungEntra.address() as AddressInfo).port}`;
  // Each server's certificate has a subject of its own, so the store trusts all three.
  tls.setDefaultCACertificates([
    ...tls.getCACertificates("default"),
    sim.caCertPem,
    untrusted.caCertPem,
    hungEntraTls.certPem,
  ]);
});

afterAll(async () => {
  hungEntra.closeAllConnections();
  hungEntra.close();
  await Promise.all([sim?.close(), untrusted?.close()]);
});

afterEach(() => {
  sim.journal.clear();
  untrusted.journal.clear();
  hungRequests.length = 0;
  vi.unstubAllEnvs();
});

/** OIDC sign-in to `target`'s Entra and ARM, with `overrides` on top. */
function settings(
  overrides: Partial<AzureSignInSettings>,
  target: Simulator = sim,
): AzureSignInSettings {
  return {
    method: "oidc",
    cloud: "AzureCloud",
    armEndpoint: target.armEndpoint,
    authorityHost: target.authorityHost,
    customAuthority: true,
    readCloudMetadata: false,
    oidcAudience: AZURE_OIDC_AUDIENCE,
    tenantId: target.tenantId,
    clientId: target.clientId,
    ...overrides,
  };
}

const noGithubToken = {
  getIdToken: (): Promise<string> =>
    Promise.reject(new Error("no OIDC token expected in this test")),
};

const address = {
  subscriptionId: SUBSCRIPTION,
  resourceGroup: RG,
  app: "shop-api-weu",
  slot: "staging",
};

/** The run's signal in these tests: never aborted. */
const running = new AbortController().signal;

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("armTokenScope", () => {
  it("is the ARM endpoint's .default scope, whatever the trailing slash", () => {
    expect(armTokenScope("https://management.azure.com")).toBe(
      "https://management.azure.com/.default",
    );
    expect(armTokenScope("https://management.chinacloudapi.cn/")).toBe(
      "https://management.chinacloudapi.cn/.default",
    );
  });
});

describe("createAzureCredential with a client secret", () => {
  it("gets an ARM token from Entra and lets the gateway read a slot", async () => {
    const credential = createAzureCredential(
      settings({ method: "client-secret", clientSecret: sim.clientSecret }),
      noGithubToken,
    );
    expect(credential.inner).toBeInstanceOf(ClientSecretCredential);

    const gateway = new ArmSlotGateway(credential, { armEndpoint: sim.armEndpoint });
    expect(await gateway.describeSlot(address, running)).toMatchObject({
      exists: true,
      state: "Running",
    });
    expect(
      sim.journal.of("entra").some((entry) => entry.method === "POST" && entry.status === 200),
    ).toBe(true);
  });

  it("turns a wrong secret into a sign-in error that says what to check", async () => {
    const credential = createAzureCredential(
      settings({ method: "client-secret", clientSecret: "not-the-secret" }),
      noGithubToken,
    );
    const gateway = new ArmSlotGateway(credential, { armEndpoint: sim.armEndpoint });

    const error = await gateway.describeSlot(address, running).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^reading shop-api-weu\/staging failed: sign-in to Microsoft Entra failed: AADSTS7000215: Invalid client secret provided\..*\. Check `tenant-id`, `client-id`/,
    );
    expect((error as Error).message).not.toContain("not-the-secret");
  });

  it("refuses settings without the app's ids, naming the inputs", () => {
    expect(() =>
      createAzureCredential(
        settings({ method: "client-secret", clientSecret: "s", tenantId: undefined }),
        noGithubToken,
      ),
    ).toThrow("sign-in with a client secret needs the `tenant-id` input");
  });
});

describe("createAzureCredential with GitHub OIDC", () => {
  it("exchanges a GitHub OIDC token for the Azure audience, fetching a fresh one for every token request", async () => {
    const audiences: string[] = [];
    const credential = createAzureCredential(settings({ method: "oidc" }), {
      getIdToken: (audience) => {
        audiences.push(audience);
        return githubIdToken(sim, audience);
      },
    });
    expect(credential.inner).toBeInstanceOf(ClientAssertionCredential);

    const first = await credential.getToken(armTokenScope(sim.armEndpoint));
    const fetchedForFirst = audiences.length;
    const second = await credential.getToken(armTokenScope(sim.armEndpoint));

    expect(first?.token).toEqual(expect.any(String));
    expect(second?.token).toEqual(expect.any(String));
    // The second token request fetched its own GitHub token instead of reusing the first: a
    // release that outlives one GitHub token (5-10 minutes) still signs in when ARM's token is refreshed.
    expect(fetchedForFirst).toBeGreaterThanOrEqual(1);
    expect(audiences.length).toBeGreaterThan(fetchedForFirst);
    expect(new Set(audiences)).toEqual(new Set([AZURE_OIDC_AUDIENCE]));
    expect(sim.journal.of("oidc")).toHaveLength(audiences.length);
    expect(
      sim.journal.of("entra").filter((entry) => entry.method === "POST" && entry.status === 200),
    ).toHaveLength(2);
  });

  it("signs the gateway in end to end", async () => {
    const credential = createAzureCredential(settings({ method: "oidc" }), {
      getIdToken: (audience) => githubIdToken(sim, audience),
    });
    const gateway = new ArmSlotGateway(credential, { armEndpoint: sim.armEndpoint });

    expect(await gateway.readDeployment({ ...address, slot: "production" }, running)).toEqual({
      kind: "container",
      linuxFxVersion: "DOCKER|shopregistry.azurecr.io/shop-api-weu:1.4.1",
    });
  });

  it("says how to grant the workflow an OIDC token when GitHub gives none", async () => {
    const credential = createAzureCredential(settings({ method: "oidc" }), {
      getIdToken: () =>
        Promise.reject(new Error("Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable")),
    });

    await expect(credential.getToken(armTokenScope(sim.armEndpoint))).rejects.toThrow(
      /could not get a GitHub OIDC token for audience api:\/\/AzureADTokenExchange: Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable\. Give the job `permissions: id-token: write`/,
    );
  });
});

describe("createAzureCredential with the default chain", () => {
  it("builds the default credential chain without asking GitHub for anything", () => {
    let asked = false;
    const credential = createAzureCredential(
      settings({
        method: "default-chain",
        clientId: undefined,
        tenantId: undefined,
        customAuthority: false,
      }),
      {
        getIdToken: () => {
          asked = true;
          return Promise.resolve("");
        },
      },
    );
    expect(credential.inner).toBeInstanceOf(DefaultAzureCredential);
    expect(asked).toBe(false);
  });
});

describe("GitHub OIDC sign-in with a subject the federated credential does not trust", () => {
  it("fails the ARM call with Entra's reason and what to check", async () => {
    const credential = createAzureCredential(settings({ method: "oidc" }, untrusted), {
      getIdToken: (audience) => githubIdToken(untrusted, audience),
    });
    const gateway = new ArmSlotGateway(credential, { armEndpoint: untrusted.armEndpoint });

    const error = await gateway
      .describeSlot(
        {
          subscriptionId: "00000000-0000-0000-0000-0000000000c3",
          resourceGroup: "rg-shop-eus",
          app: "shop-api-eus",
          slot: "staging",
        },
        running,
      )
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
    expect(untrusted.journal.of("arm")).toEqual([]);
  });
});

describe("time limits and cancellation of sign-in", () => {
  it.each([
    ["a client secret", { method: "client-secret", clientSecret: "s" }],
    ["the default chain", { method: "default-chain", clientId: undefined, tenantId: undefined }],
  ] as const)(
    "with %s, gives up on an Entra attempt that is never answered and tries it again",
    { timeout: 5_000 },
    async (_how, overrides) => {
      // The default chain finds the app in the environment, as on a self-hosted runner.
      vi.stubEnv("AZURE_TENANT_ID", sim.tenantId);
      vi.stubEnv("AZURE_CLIENT_ID", sim.clientId);
      vi.stubEnv("AZURE_CLIENT_SECRET", "s");
      const credential = createAzureCredential(
        settings({ ...overrides, authorityHost: hungAuthority }),
        noGithubToken,
        { entraAttemptTimeoutMs: 100 },
      );
      const stop = new AbortController();
      const token = credential
        .getToken(armTokenScope(sim.armEndpoint), { abortSignal: stop.signal })
        .catch((e: unknown) => e);
      // The retry policy waits about a second before the second attempt.
      await waitUntil(() => hungRequests.length >= 2);
      stop.abort(new Error("test over"));
      expect(await token).toEqual(new Error("test over"));
      expect(hungRequests[1]).toBe(hungRequests[0]);
    },
  );

  it(
    "stops waiting for a token at once when the caller's signal aborts",
    { timeout: 5_000 },
    async () => {
      const credential = createAzureCredential(
        settings({ method: "client-secret", clientSecret: "s", authorityHost: hungAuthority }),
        noGithubToken,
      );
      const scope = armTokenScope(sim.armEndpoint);
      const cancel = new AbortController();
      const token = credential
        .getToken(scope, { abortSignal: cancel.signal })
        .catch((e: unknown) => e);
      await waitUntil(() => hungRequests.length >= 1);
      const aborted = Date.now();
      cancel.abort(new Error("cancelled by SIGTERM"));
      expect(await token).toEqual(new Error("cancelled by SIGTERM"));
      expect(Date.now() - aborted).toBeLessThan(200);
      // A signal that had aborted already: not a moment's wait.
      await expect(credential.getToken(scope, { abortSignal: cancel.signal })).rejects.toThrow(
        "cancelled by SIGTERM",
      );
    },
  );

  it(
    "gives up on a GitHub OIDC token that never comes, saying what timed out",
    { timeout: 5_000 },
    async () => {
      const credential = createAzureCredential(
        settings({ method: "oidc" }),
        { getIdToken: () => new Promise<string>(() => undefined) },
        { oidcTimeoutMs: 100 },
      );
      const started = Date.now();
      const error = await credential
        .getToken(armTokenScope(sim.armEndpoint))
        .catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect((error as Error).message).toContain(
        "could not get a GitHub OIDC token for audience api://AzureADTokenExchange: GitHub did not answer within 0.1 s. Run the job again",
      );
      expect((error as Error).message).not.toContain("id-token: write");
      expect(sim.journal.of("entra").filter((entry) => entry.method === "POST")).toEqual([]);
    },
  );
});
