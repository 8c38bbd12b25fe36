/**
 * Clouds other than Azure's public one, and Azure's own error bodies: an api-version the cloud
 * does not offer, a custom cloud's endpoints read from its metadata (Azure Stack Hub's audience is
 * not its ARM URL), and both shapes of error body, against the simulator and in isolation.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import * as tls from "node:tls";
import { RestError } from "@azure/core-rest-pipeline";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { armFailure, errorBodyMessage } from "../src/azure/arm-error.js";
import { ArmSlotGateway } from "../src/azure/arm-slot-gateway.js";
import { withCloudMetadata } from "../src/azure/cloud-metadata.js";
import { createAzureCredential } from "../src/azure/sign-in.js";
import type { SlotAddress } from "../src/release/ports.js";
import type { AzureSignInSettings } from "../src/settings/azure-sign-in.js";
import { SettingsError } from "../src/settings/problems.js";
import { createSelfSignedCertificate } from "./simulator/certificate.js";
import { startSimulator, type AppSeed, type Simulator } from "./simulator/index.js";
import { githubIdToken, secretCredential } from "./simulator/test-clients.js";

const SUBSCRIPTION = "00000000-0000-0000-0000-0000000000c3";
const RG = "rg-shop-usgv";
/** What an Azure US Government or Azure Stack Hub ARM offers for Microsoft.Web/sites: nothing as new as 2025-03-01. */
const OLDER_VERSIONS = [
  "2016-08-01",
  "2018-02-01",
  "2019-08-01",
  "2020-12-01",
  "2022-03-01",
  "2023-01-01-preview",
];
/** Azure Stack Hub's kind of ARM audience: not its ARM URL. */
const STACK_AUDIENCE =
  "https://management.shoptenant.onmicrosoft.com/81d4e5b2-8d11-4f2b-9c7a-3a9d2b1e0f11";

function seed(name: string): AppSeed {
  return {
    subscriptionId: SUBSCRIPTION,
    resourceGroup: RG,
    name,
    location: "USGov Virginia",
    kind: "container",
    production: { build: "1.4.1" },
    staging: { build: "1.4.2" },
  };
}

function at(app: string, slot = "staging"): SlotAddress {
  return { subscriptionId: SUBSCRIPTION, resourceGroup: RG, app, slot };
}

const signal = new AbortController().signal;
/** A cloud whose ARM offers only OLDER_VERSIONS. */
let olderArm: Simulator;
/** An Azure Stack Hub-like cloud: ARM accepts only tokens for STACK_AUDIENCE, which its metadata names. */
let stack: Simulator;
/**
 * A metadata endpoint gone wrong: under `/wrong-shape` it answers JSON that is not a cloud's
 * metadata; anywhere else it accepts the request and never answers.
 */
const hungTls = createSelfSignedCertificate("broken ARM metadata");
const hung: Server = createServer({ key: hungTls.keyPem, cert: hungTls.certPem }, (req, res) => {
  if (req.url?.startsWith("/wrong-shape/")) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ authentication: { audiences: [] }, resourceManager: "https://x/" }));
  }
});
let hungOrigin = "";

beforeAll(async () => {
  [olderArm, stack] = await Promise.all([
    startSimulator({
      apps: [seed("shop-api-usgv"), seed("shop-cart-usgv")],
      armApiVersions: OLDER_VERSIONS,
    }),
    startSimulator({ apps: [seed("shop-api-stack")], armAudience: STACK_AUDIENCE }),
  ]);
  hung.listen(0, "127.0.0.1");
  await once(hung, "listening");
  hungOrigin = `https://127.0.0.1:${(hung.address() as AddressInfo).port}`;
  // The production code takes no CA option: trust the simulators for this worker process only.
  tls.setDefaultCACertificates([
    ...tls.getCACertificates("default"),
    olderArm.caCertPem,
    stack.caCertPem,
    hungTls.certPem,
  ]);
});

afterAll(async () => {
  hung.closeAllConnections();
  hung.close();
  await Promise.all([olderArm.close(), stack.close()]);
});

afterEach(() => {
  olderArm.journal.clear();
  stack.journal.clear();
});

describe("errorBodyMessage reads both shapes of Azure's error bodies", () => {
  it("App Service's own shape: Code and Message, and the ErrorEntity's message when Message is missing", () => {
    const body = {
      Code: "Conflict",
      Message:
        "Cannot modify this site because another operation is in progress. Details: Id: 4d1e, OperationName: SwapSiteSlots",
      Target: null,
      Details: [
        { Message: "Cannot modify this site because another operation is in progress." },
        { Code: "Conflict" },
        {
          ErrorEntity: {
            ExtendedCode: "59203",
            MessageTemplate:
              "Cannot modify this site because another operation is in progress. Details: {0}",
            Parameters: ["Id: 4d1e, OperationName: SwapSiteSlots"],
            Code: "Conflict",
            Message:
              "Cannot modify this site because another operation is in progress. Details: Id: 4d1e, OperationName: SwapSiteSlots",
          },
        },
      ],
      Innererror: null,
    };
    expect(errorBodyMessage(JSON.stringify(body))).toBe(
      "Conflict: Cannot modify this site because another operation is in progress. Details: Id: 4d1e, OperationName: SwapSiteSlots",
    );
    const entityOnly = {
      ...body,
      Message: null,
      Details: [{ Code: "BadRequest" }, body.Details[2]],
    };
    expect(errorBodyMessage(JSON.stringify(entityOnly))).toBe(
      "Conflict: Cannot modify this site because another operation is in progress. Details: Id: 4d1e, OperationName: SwapSiteSlots",
    );
  });

  it("Resource Manager's envelope, whitespace folded; nothing for a body of neither shape", () => {
    const arm = {
      error: {
        code: "NoRegisteredProviderFound",
        message:
          "No registered resource provider found for location 'usgovvirginia'\nand API version '2025-03-01' for type 'sites'.",
        target: null,
        details: [],
      },
    };
    expect(errorBodyMessage(JSON.stringify(arm))).toBe(
      "NoRegisteredProviderFound: No registered resource provider found for location 'usgovvirginia' and API version '2025-03-01' for type 'sites'.",
    );
    expect(errorBodyMessage(JSON.stringify({ status: "Failed" }))).toBeUndefined();
    expect(errorBodyMessage("")).toBeUndefined();
    expect(errorBodyMessage("<html>Bad Gateway</html>")).toBe("<html>Bad Gateway</html>");
  });

  it("armFailure gives App Service's message, not its raw JSON", () => {
    const body = JSON.stringify({
      Code: "BadRequest",
      Message:
        "Cannot swap slots for site 'shop-api-usgv' because the application initialization in 'staging' slot either took too long or failed.",
      Details: [{ ErrorEntity: { Code: "BadRequest", Message: "ignored: Message wins" } }],
      Innererror: null,
    });
    const error = new RestError("raw", {
      statusCode: 400,
      response: { bodyAsText: body } as never,
    });
    const message = armFailure("swap of shop-api-usgv/staging", error, {
      resourceGroup: RG,
    }).message;
    expect(message).toBe(
      "swap of shop-api-usgv/staging failed: 400 Bad Request: BadRequest: Cannot swap slots for site 'shop-api-usgv' because the application initialization in 'staging' slot either took too long or failed",
    );
    expect(message).not.toContain("{");
  });
});

describe("arm-api-version: a cloud that does not offer the SDK's api-version", () => {
  it("fails the first read with ARM's words, the input to set and the versions ARM offers", async () => {
    const gateway = new ArmSlotGateway(secretCredential(olderArm), {
      armEndpoint: olderArm.armEndpoint,
    });
    const failure = gateway.describeSlot(at("shop-api-usgv", "production"), signal);
    await expect(failure).rejects.toThrow(
      "reading shop-api-usgv/production failed: 400 Bad Request: NoRegisteredProviderFound: No registered resource provider found for location 'usgovvirginia' and API version '2025-03-01' for type 'sites'.",
    );
    const message = await failure.catch((error: Error) => error.message);
    expect(message).toContain("Set the `arm-api-version` input to one of them, e.g. 2022-03-01.");
    expect(message).toContain(`it offers ${OLDER_VERSIONS.join(", ")}`);
    expect(message).toContain(
      "pre-flight's first reads meet this refusal, before anything in Azure is changed",
    );
    // The refusal is ARM's own 400, not a retried failure.
    expect(olderArm.journal.of("arm").map((entry) => entry.status)).toEqual([400]);
  });

  it("sends `apiVersion` on every request, the swap POST and its polls included", async () => {
    const gateway = new ArmSlotGateway(secretCredential(olderArm), {
      armEndpoint: olderArm.armEndpoint,
      apiVersion: "2022-03-01",
      pollIntervalMs: 100,
    });
    expect(await gateway.describeSlot(at("shop-cart-usgv", "production"), signal)).toMatchObject({
      exists: true,
      state: "Running",
    });
    expect(
      await gateway.swapIntoProduction(at("shop-cart-usgv"), { preserveVnet: true }, signal),
    ).toEqual({
      kind: "completed",
    });
    expect(olderArm.slot("shop-cart-usgv", "production").build).toBe("1.4.2");
    const requests = olderArm.journal.of("arm");
    expect(requests.some((entry) => entry.path.endsWith("/slotsswap"))).toBe(true);
    expect(requests.some((entry) => entry.path.includes("/operationresults/"))).toBe(true);
    expect(new Set(requests.map((entry) => entry.query["api-version"]))).toEqual(
      new Set(["2022-03-01"]),
    );
    expect(requests.every((entry) => entry.status < 400)).toBe(true);
  });
});

/** Settings for the Stack-like simulator as readSettings makes them from a custom arm-endpoint alone. */
function stackSettings(overrides: Partial<AzureSignInSettings> = {}): AzureSignInSettings {
  return {
    method: "oidc",
    cloud: "AzureCloud",
    armEndpoint: stack.armEndpoint,
    authorityHost: "https://login.microsoftonline.com",
    customAuthority: false,
    readCloudMetadata: true,
    oidcAudience: "api://AzureADTokenExchange",
    tenantId: stack.tenantId,
    clientId: stack.clientId,
    ...overrides,
  };
}

describe("a custom cloud's endpoints from {arm-endpoint}/metadata/endpoints", () => {
  it("serves the metadata document in ARM's shape, unauthenticated", async () => {
    const response = await fetchJson(
      `${stack.armEndpoint}/metadata/endpoints?api-version=2022-09-01`,
      stack,
    );
    expect(response).toMatchObject({
      authentication: { loginEndpoint: `${stack.origin}/`, audiences: [`${STACK_AUDIENCE}/`] },
      resourceManager: `${stack.origin}/`,
      name: expect.any(String),
      suffixes: expect.any(Object),
    });
  });

  it("reads the login endpoint and ARM's audience, and signs in for that audience", async () => {
    const settings = await withCloudMetadata(stackSettings(), signal);
    expect(settings).toMatchObject({
      authorityHost: stack.origin,
      customAuthority: true,
      armAudience: `${STACK_AUDIENCE}/`,
    });
    expect(
      stack.journal
        .of("arm")
        .map((entry) => `${entry.method} ${entry.path} ${entry.query["api-version"]}`),
    ).toEqual(["GET /metadata/endpoints 2022-09-01"]);

    const credential = createAzureCredential(settings, {
      getIdToken: (audience) => githubIdToken(stack, audience),
    });
    const gateway = new ArmSlotGateway(credential, {
      armEndpoint: settings.armEndpoint,
      ...(settings.armAudience === undefined ? {} : { armAudience: settings.armAudience }),
    });
    expect(await gateway.describeSlot(at("shop-api-stack", "production"), signal)).toMatchObject({
      exists: true,
    });
    const tokenRequests = stack.journal.of("entra").filter((entry) => entry.method === "POST");
    expect(tokenRequests.length).toBeGreaterThanOrEqual(1);
    expect(tokenRequests.every((entry) => entry.status === 200)).toBe(true);
  });

  it("a token for the ARM URL is refused there: the audience must come from the metadata", async () => {
    const credential = createAzureCredential(
      {
        ...stackSettings(),
        authorityHost: stack.authorityHost,
        customAuthority: true,
        readCloudMetadata: false,
      },
      { getIdToken: (audience) => githubIdToken(stack, audience) },
    );
    const gateway = new ArmSlotGateway(credential, { armEndpoint: stack.armEndpoint });
    await expect(gateway.describeSlot(at("shop-api-stack", "production"), signal)).rejects.toThrow(
      "InvalidAuthenticationTokenAudience",
    );
  });

  it("leaves settings without readCloudMetadata as they are, reading nothing", async () => {
    const settings = stackSettings({ readCloudMetadata: false });
    expect(await withCloudMetadata(settings, signal)).toBe(settings);
    expect(stack.journal.of("arm")).toEqual([]);
  });

  it("an endpoint that never answers fails within its time limit, naming arm-endpoint", async () => {
    const started = Date.now();
    const failure = withCloudMetadata(stackSettings({ armEndpoint: hungOrigin }), signal, {
      attemptTimeoutMs: 200,
      retries: 1,
      retryDelayMs: 10,
    });
    await expect(failure).rejects.toBeInstanceOf(SettingsError);
    await expect(failure).rejects.toThrow(
      `input arm-endpoint: the cloud's endpoints could not be read from ${hungOrigin}/metadata/endpoints?api-version=2022-09-01: no answer (`,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a document without the login endpoint or audiences is an error naming arm-endpoint", async () => {
    const wrong = withCloudMetadata(
      stackSettings({ armEndpoint: `${hungOrigin}/wrong-shape` }),
      signal,
    );
    await expect(wrong).rejects.toThrow(
      `input arm-endpoint: the cloud's endpoints could not be read from ${hungOrigin}/wrong-shape/metadata/endpoints?api-version=2022-09-01: it has no authentication.loginEndpoint. Check that arm-endpoint is the Resource Manager URL`,
    );
  });
});

/** GET a JSON document from a simulator with its CA. */
async function fetchJson(url: string, sim: Simulator): Promise<unknown> {
  const { request } = await import("node:https");
  return new Promise((resolve, reject) => {
    request(url, { ca: sim.caCertPem }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve(JSON.parse(text)));
    })
      .on("error", reject)
      .end();
  });
}
