import {
  WebSiteManagementClient,
  type WebSiteManagementClientOptionalParams,
} from "@azure/arm-appservice";
import { ClientAssertionCredential, ClientSecretCredential } from "@azure/identity";
import type { TokenCredential } from "@azure/identity";
import { request as httpsRequest } from "node:https";
import type { Simulator } from "./index.js";

/**
 * Real Azure SDK clients and a raw HTTPS helper pointed at a simulator, for in-process tests.
 * `NODE_EXTRA_CA_CERTS` is read only when a process starts, so in-process clients get the
 * simulator's CA through the SDKs' own `tlsOptions: { ca }` pipeline option instead.
 */

/** A `ClientSecretCredential` for the simulator's tenant. */
export function secretCredential(
  sim: Simulator,
  secret = sim.clientSecret,
): ClientSecretCredential {
  return new ClientSecretCredential(sim.tenantId, sim.clientId, secret, {
    authorityHost: sim.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: sim.caCertPem },
  });
}

/** A `ClientAssertionCredential` whose assertion is a GitHub OIDC token from the simulator (workload identity federation). */
export function oidcCredential(
  sim: Simulator,
  audience = "api://AzureADTokenExchange",
): ClientAssertionCredential {
  return new ClientAssertionCredential(
    sim.tenantId,
    sim.clientId,
    () => githubIdToken(sim, audience),
    {
      authorityHost: sim.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: sim.caCertPem },
    },
  );
}

/** Fetches a GitHub OIDC token the way `@actions/core` `getIDToken` does. */
export async function githubIdToken(sim: Simulator, audience: string): Promise<string> {
  const response = await rawRequest(
    sim,
    "GET",
    `${sim.oidcRequestUrl}&audience=${encodeURIComponent(audience)}`,
    {
      headers: { authorization: `Bearer ${sim.oidcRequestToken}` },
    },
  );
  const value = (response.json as { value?: unknown } | undefined)?.value;
  if (typeof value !== "string")
    throw new Error(`OIDC token request failed: ${response.status} ${response.text}`);
  return value;
}

/** A `WebSiteManagementClient` (SDK 18) for the simulator's ARM; `options` add to or override the defaults. */
export function armClient(
  sim: Simulator,
  subscriptionId: string,
  credential: TokenCredential = secretCredential(sim),
  options: WebSiteManagementClientOptionalParams = {},
): WebSiteManagementClient {
  return new WebSiteManagementClient(credential, subscriptionId, {
    endpoint: sim.armEndpoint,
    credentialScopes: [`${sim.armEndpoint}/.default`],
    tlsOptions: { ca: sim.caCertPem },
    ...options,
  });
}

/** A raw HTTPS answer. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/**
 * One HTTPS request to the simulator, trusting its CA; `token` adds `Authorization: Bearer`.
 * `timeoutMs`: give up (reject with "timed out") when no answer came in that long.
 */
export function rawRequest(
  sim: Simulator,
  method: string,
  url: string,
  options: {
    body?: unknown;
    token?: string;
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<RawResponse> {
  const payload =
    options.body === undefined
      ? undefined
      : typeof options.body === "string"
        ? options.body
        : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (payload !== undefined) {
    headers["content-type"] ??= "application/json";
    headers["content-length"] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method, headers, ca: sim.caCertPem, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        let json: unknown;
        try {
          json = text === "" ? undefined : (JSON.parse(text) as unknown);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on("error", reject);
    const { timeoutMs } = options;
    if (timeoutMs !== undefined)
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
