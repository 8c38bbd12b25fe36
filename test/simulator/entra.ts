import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimulatorContext } from "./context.js";
import { bearerToken, readBody, sendJson } from "./http-util.js";

/**
 * Microsoft Entra ID (the v2.0 token endpoint and its metadata) and the GitHub Actions OIDC
 * token service, on the simulator's one origin. Entra accepts the configured client secret, or
 * a client assertion issued by the simulator's own GitHub OIDC endpoint for `api://AzureADTokenExchange`
 * (workload identity federation), and issues the bearer tokens ARM accepts.
 */

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** The audience GitHub OIDC tokens must carry for Azure's federated credentials. */
export const AZURE_TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/** The Entra and GitHub OIDC endpoints of one simulator. */
export class IdentityServices {
  readonly #context: SimulatorContext;

  constructor(context: SimulatorContext) {
    this.#context = context;
  }

  /** The issuer of the simulator's GitHub OIDC tokens. */
  get oidcIssuer(): string {
    return `${this.#context.origin}/oidc`;
  }

  #authority(tenant: string): string {
    return `${this.#context.origin}/${tenant}`;
  }

  #openIdConfiguration(tenant: string): Record<string, unknown> {
    const authority = this.#authority(tenant);
    return {
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: [
        "client_secret_post",
        "private_key_jwt",
        "client_secret_basic",
      ],
      jwks_uri: `${authority}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256", "ES256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: `${authority}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${authority}/oidc/userinfo`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      claims_supported: ["sub", "iss", "aud", "exp", "iat", "nbf", "tid"],
      kerberos_endpoint: `${authority}/kerberos`,
      tenant_region_scope: "EU",
      cloud_instance_name: "microsoftonline.com",
      cloud_graph_host_name: "graph.windows.net",
      msgraph_host: "graph.microsoft.com",
      rbac_url: "https://pas.windows.net",
    };
  }

  /** An Entra error, AADSTS style. */
  #entraError(
    res: ServerResponse,
    status: number,
    error: string,
    code: number,
    description: string,
  ): void {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = new Date(this.#context.now())
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d+Z$/, "Z");
    sendJson(res, status, {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${this.#context.origin}/error?code=${code}`,
    });
  }

  /** Serves Entra paths: `/{tenant}/v2.0/.well-known/openid-configuration`, `/{tenant}/oauth2/v2.0/token`, keys, instance discovery. */
  async handleEntra(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const segments = url.pathname.split("/").filter((segment) => segment !== "");
    const tenant = segments[0] ?? "";
    const rest = segments.slice(1).join("/").toLowerCase();

    if (method === "GET" && tenant.toLowerCase() === "common" && rest === "discovery/instance") {
      // Only reached without `disableInstanceDiscovery`; answered so such clients still work.
      const authorityUrl = new URL(
        url.searchParams.get("authorization_endpoint") ?? this.#context.origin,
      );
      const tenantFromAuthority =
        authorityUrl.pathname.split("/").filter(Boolean)[0] ?? this.#context.settings.tenantId;
      sendJson(res, 200, {
        tenant_discovery_endpoint: `${this.#authority(tenantFromAuthority)}/v2.0/.well-known/openid-configuration`,
        "api-version": "1.1",
        metadata: [{ preferred_network: url.host, preferred_cache: url.host, aliases: [url.host] }],
      });
      return;
    }
    if (tenant.toLowerCase() === "adfs") {
      await this.#handleAdfs(req, res, method, rest);
      return;
    }
    if (!this.#knownTenant(tenant)) {
      this.#entraError(
        res,
        400,
        "invalid_request",
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID (the simulator's is '${this.#context.settings.tenantId}').`,
      );
      return;
    }
    if (
      method === "GET" &&
      (rest === "v2.0/.well-known/openid-configuration" ||
        rest === ".well-known/openid-configuration")
    ) {
      sendJson(res, 200, this.#openIdConfiguration(tenant));
      return;
    }
    if (method === "GET" && rest === "discovery/v2.0/keys") {
      sendJson(res, 200, { keys: [this.#context.entraSigner.jwk()] });
      return;
    }
    if (method === "POST" && rest === "oauth2/v2.0/token") {
      await this.#token(req, res);
      return;
    }
    this.#entraError(
      res,
      404,
      "invalid_request",
      900561,
      `The endpoint '${method} ${url.pathname}' is not served by the simulator's Microsoft Entra ID.`,
    );
  }

  /**
   * AD FS, as Azure Stack Hub runs it (authority `{host}/adfs`): the Azure CLI 2.45 (MSAL Python
   * 1.21) sends every other custom authority host to login.microsoftonline.com for instance
   * discovery, and only skips it for `…/adfs`. Metadata at `/adfs/.well-known/openid-configuration`
   * (no `/v2.0`), tokens from `/adfs/oauth2/token/` for the simulator's one tenant.
   */
  async #handleAdfs(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    rest: string,
  ): Promise<void> {
    const adfs = `${this.#context.origin}/adfs`;
    if (method === "GET" && rest === ".well-known/openid-configuration") {
      sendJson(res, 200, {
        issuer: adfs,
        authorization_endpoint: `${adfs}/oauth2/authorize/`,
        token_endpoint: `${adfs}/oauth2/token/`,
        jwks_uri: `${adfs}/discovery/keys`,
        token_endpoint_auth_methods_supported: [
          "client_secret_post",
          "client_secret_basic",
          "private_key_jwt",
        ],
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
        scopes_supported: ["openid", "profile", "email", "allatclaims"],
        id_token_signing_alg_values_supported: ["RS256"],
        access_token_issuer: `${this.#context.origin}/adfs/services/trust`,
      });
      return;
    }
    if (method === "GET" && rest === "discovery/keys") {
      sendJson(res, 200, { keys: [this.#context.entraSigner.jwk()] });
      return;
    }
    if (method === "POST" && rest.replace(/\/$/, "") === "oauth2/token") {
      await this.#token(req, res);
      return;
    }
    sendJson(res, 404, {
      error: "invalid_request",
      error_description: `MSIS9200: The endpoint '${method} /adfs/${rest}' is not served by the simulator's AD FS.`,
    });
  }

  #knownTenant(tenant: string): boolean {
    return tenant.toLowerCase() === this.#context.settings.tenantId.toLowerCase();
  }

  async #token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const { settings } = this.#context;
    const grantType = form.get("grant_type");
    if (grantType !== "client_credentials") {
      this.#entraError(
        res,
        400,
        "unsupported_grant_type",
        70003,
        `The app requested an unsupported grant type '${grantType ?? ""}'. The simulator supports client_credentials.`,
      );
      return;
    }
    const clientId = form.get("client_id") ?? "";
    if (clientId.toLowerCase() !== settings.clientId.toLowerCase()) {
      this.#entraError(
        res,
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${settings.tenantId}'. Check the client-id input.`,
      );
      return;
    }
    const scope = (form.get("scope") ?? "")
      .split(" ")
      .find((candidate) => candidate.endsWith("/.default"));
    if (!scope) {
      this.#entraError(
        res,
        400,
        "invalid_scope",
        1002012,
        `The provided value for scope '${form.get("scope") ?? ""}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
      return;
    }

    const secret = form.get("client_secret");
    const assertion = form.get("client_assertion");
    if (secret !== null) {
      if (secret !== settings.clientSecret) {
        this.#entraError(
          res,
          401,
          "invalid_client",
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
        );
        return;
      }
    } else if (assertion !== null) {
      if (form.get("client_assertion_type") !== JWT_BEARER) {
        this.#entraError(
          res,
          400,
          "invalid_request",
          90014,
          `The request must contain client_assertion_type '${JWT_BEARER}' with a client_assertion.`,
        );
        return;
      }
      if (!this.#acceptAssertion(res, assertion)) return;
    } else {
      this.#entraError(
        res,
        401,
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
      return;
    }

    const now = Math.floor(this.#context.now() / 1000);
    const lifetime = settings.tokenLifetimeSeconds;
    const resource = scope.slice(0, -"/.default".length);
    const accessToken = this.#context.entraSigner.sign({
      aud: resource,
      iss: `${this.#authority(settings.tenantId)}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + lifetime,
      tid: settings.tenantId,
      appid: clientId,
      azp: clientId,
      oid: "00000000-0000-0000-0000-00000000a11e",
      sub: "00000000-0000-0000-0000-00000000a11e",
      idtyp: "app",
      ver: "2.0",
      uti: randomUUID(),
    });
    sendJson(res, 200, {
      token_type: "Bearer",
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken,
    });
  }

  /** Checks a client assertion like a federated identity credential does: issuer, audience, subject, expiry. */
  #acceptAssertion(res: ServerResponse, assertion: string): boolean {
    const check = this.#context.oidcSigner.check(assertion, this.#context.now());
    if (!check.ok && check.reason === "malformed") {
      this.#entraError(
        res,
        400,
        "invalid_client",
        50027,
        "JWT token is invalid or malformed (client_assertion).",
      );
      return false;
    }
    if (!check.ok && check.reason === "signature") {
      this.#entraError(
        res,
        401,
        "invalid_client",
        700211,
        `No matching federated identity record found for presented assertion issuer '${String(check.claims?.iss ?? "")}': its signature does not verify against ${this.oidcIssuer}.`,
      );
      return false;
    }
    if (!check.ok) {
      this.#entraError(
        res,
        400,
        "invalid_client",
        700024,
        "Client assertion is not within its valid time range (it has expired). Request a fresh GitHub OIDC token.",
      );
      return false;
    }
    const claims = check.claims;
    if (claims.iss !== this.oidcIssuer) {
      this.#entraError(
        res,
        400,
        "invalid_client",
        700211,
        `No matching federated identity record found for presented assertion issuer '${String(claims.iss)}'.`,
      );
      return false;
    }
    if (claims.aud !== AZURE_TOKEN_EXCHANGE_AUDIENCE) {
      this.#entraError(
        res,
        400,
        "invalid_client",
        700212,
        `No matching federated identity record found for presented assertion audience '${String(claims.aud)}'. Request the GitHub OIDC token with audience '${AZURE_TOKEN_EXCHANGE_AUDIENCE}'.`,
      );
      return false;
    }
    const expected = this.#context.settings.federatedSubject;
    if (expected !== undefined && claims.sub !== expected) {
      this.#entraError(
        res,
        400,
        "invalid_client",
        700213,
        `No matching federated identity record found for presented assertion subject '${String(claims.sub)}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
      );
      return false;
    }
    return true;
  }

  /** Serves `/oidc/token` (what `core.getIDToken` calls) and the issuer's metadata. */
  handleOidc(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const rest = url.pathname.replace(/^\/oidc\/?/i, "").toLowerCase();
    if (rest === ".well-known/openid-configuration") {
      sendJson(res, 200, {
        issuer: this.oidcIssuer,
        jwks_uri: `${this.oidcIssuer}/.well-known/jwks`,
        subject_types_supported: ["public", "pairwise"],
        response_types_supported: ["id_token"],
        claims_supported: [
          "sub",
          "aud",
          "exp",
          "iat",
          "iss",
          "jti",
          "nbf",
          "ref",
          "repository",
          "environment",
          "job_workflow_ref",
        ],
        id_token_signing_alg_values_supported: ["ES256"],
        scopes_supported: ["openid"],
      });
      return;
    }
    if (rest === ".well-known/jwks") {
      sendJson(res, 200, { keys: [this.#context.oidcSigner.jwk()] });
      return;
    }
    if (rest !== "token" || (req.method ?? "GET").toUpperCase() !== "GET") {
      sendJson(res, 404, { message: "Not Found" });
      return;
    }
    if (bearerToken(req) !== this.#context.settings.oidcRequestToken) {
      sendJson(res, 401, {
        message:
          "Bad credentials: the Authorization header must be 'Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>'.",
      });
      return;
    }
    const { settings } = this.#context;
    const now = Math.floor(this.#context.now() / 1000);
    const owner = settings.repository.split("/")[0] ?? "";
    const value = this.#context.oidcSigner.sign({
      jti: randomUUID(),
      sub: settings.oidcSubject,
      aud: url.searchParams.get("audience") ?? `https://github.com/${owner}`,
      ref: "refs/heads/main",
      sha: "0000000000000000000000000000000000000000",
      repository: settings.repository,
      repository_owner: owner,
      run_id: "1",
      run_number: "1",
      run_attempt: "1",
      actor: "octocat",
      workflow: "release",
      event_name: "workflow_dispatch",
      ref_type: "branch",
      environment: settings.oidcSubject.split(":environment:")[1],
      job_workflow_ref: `${settings.repository}/.github/workflows/release.yml@refs/heads/main`,
      iss: this.oidcIssuer,
      nbf: now - 5,
      iat: now,
      exp: now + 300,
    });
    sendJson(res, 200, { count: 1, value });
  }
}
