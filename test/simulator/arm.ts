import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimulatorContext } from "./context.js";
import type { SwapFailure } from "./faults.js";
import {
  PRODUCTION,
  buildOf,
  contentChanged,
  exchangeContents,
  imageOf,
  isSticky,
  type AppState,
  type SlotState,
} from "./fleet-state.js";
import {
  bearerToken,
  clone,
  isObject,
  parseJson,
  readBody,
  sendEmpty,
  sendJson,
  withholdAnswer,
} from "./http-util.js";
import type { JournalEntry, SwapBuilds } from "./journal.js";
import { METRICS_API_VERSIONS, sendMetrics, sendMonitorError } from "./metrics.js";
import { sendPublishXml } from "./publish-profile.js";
import { slotDifferences, type SlotDifferenceProperties } from "./slot-differences.js";
import { handleSubscriptions } from "./subscriptions.js";
import { hostOf, rampUpRules, routedPercent, routesOf } from "./traffic.js";

/**
 * Azure Resource Manager for Microsoft.Web sites and slots, following the public REST spec
 * (api-version 2025-03-01 as used by `@azure/arm-appservice` 18): response bodies are built from
 * the spec's own examples, the swap is a `Location` long-running operation, errors use ARM's
 * `{"error":{...}}` envelope and status codes, except where App Service answers in its own
 * shape (`{"Code","Message","Target","Details":[...,{"ErrorEntity":{...}}],"Innererror"}`):
 * the 409 of a site with another operation in progress, and a failed swap's operation result.
 */

function example(name: string): Record<string, unknown> {
  const url = new URL(`./azure-examples/${name}.json`, import.meta.url);
  const document = JSON.parse(readFileSync(url, "utf8")) as {
    responses: { 200: { body: Record<string, unknown> } };
  };
  return document.responses[200].body;
}

/** Response bodies of the spec's examples, used as templates. */
const TEMPLATES = {
  site: example("GetWebApp"),
  slot: example("GetWebAppSlot"),
  siteConfig: example("GetSiteConfig"),
  appSettings: example("ListAppSettings"),
};

/** A swap in flight or finished: the long-running operation behind a `Location` URL. */
interface SwapOperation {
  id: string;
  app: AppState;
  source: SlotState;
  target: SlotState;
  startedAt: number;
  state: "running" | "succeeded" | "failed";
  failure: SwapFailure | undefined;
  location: string;
}

/** An operation that locks a site: every write to any of its slots answers 409 while it runs. */
interface SiteLock {
  id: string;
  operationName: string;
  createdAt: number;
  /** The slot the operation was started on (`undefined`: the site). */
  slot: string | undefined;
  /** For operations other than swaps, App Service names the request that started them. */
  requestId: string | undefined;
}

/** The part of App Service's error entity that varies: its extended code and message template. */
interface ErrorEntity {
  extendedCode: string;
  template: string;
  parameters: string[];
}

/** App Service's own error shape, which ARM passes through for some Microsoft.Web errors. */
function appServiceError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  entity: ErrorEntity,
): void {
  sendJson(res, status, {
    Code: code,
    Message: message,
    Target: null,
    Details: [
      { Message: message },
      { Code: code },
      {
        ErrorEntity: {
          ExtendedCode: entity.extendedCode,
          MessageTemplate: entity.template,
          Parameters: entity.parameters,
          Code: code,
          Message: message,
        },
      },
    ],
    Innererror: null,
  });
}

/** App Service's time format in its messages: `9/20/2019 11:04:18 AM` (UTC). */
function appServiceTime(ms: number): string {
  const date = new Date(ms);
  const hours = date.getUTCHours();
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${hours % 12 === 0 ? 12 : hours % 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? "AM" : "PM"}`;
}

/** App Service's words for a swap whose source slot failed its warm-up (MessageTemplate with `{0}` site, `{1}` slot). */
const SWAP_WARM_UP_FAILED =
  "Cannot swap slots for site '{0}' because the application initialization in '{1}' slot either took too long or failed. Please check AppInit module configuration or try using swap with preview if application initialization time is very long.";

/** App Service's words for a config write while a swap with preview is applied (Azure/azure-cli#27820). */
const PREPARED_FOR_SWAP =
  "The slot cannot be changed because its configuration settings have been prepared for swap.";

/** The config writes a swap with preview locks: site config, app settings, slot setting names. */
const CONFIG_WRITES = new Set([
  "PUT config/web",
  "PATCH config/web",
  "PUT config/appsettings",
  "PUT config/connectionstrings",
  "PUT config/slotconfignames",
]);

/** Differences per page of a slot diff, as ARM pages its lists: past this many, a `nextLink`. */
export const SLOT_DIFFERENCES_PAGE_SIZE = 50;

/** The rest of a slot diff, behind its `nextLink`: computed once, when the POST came. */
interface DifferencePages {
  app: AppState;
  slot: SlotState;
  items: Record<string, unknown>[];
}

/**
 * The slot in preview whose pair includes `slot` (the slot itself when it received the other's
 * settings, or the slot that did), if a swap with preview is applied on it.
 */
function previewPairOf(app: AppState, slot: SlotState): SlotState | undefined {
  const name = slot.name.toLowerCase();
  return [...app.slots.values()].find(
    (candidate) =>
      candidate.preview !== null && (candidate === slot || candidate.preview.pairedWith === name),
  );
}

/**
 * Who ARM's throttle charges for a request: its subscription (from the path; `undefined` for a
 * tenant-level request) and principal, the token's object id (what ARM's messages call the actor).
 */
function callerOf(
  url: URL,
  claims: Record<string, unknown>,
): { subscriptionId: string; principal: string } | undefined {
  const segments = url.pathname.split("/");
  const subscriptionId =
    segments[1]?.toLowerCase() === "subscriptions" ? decodeURIComponent(segments[2] ?? "") : "";
  if (subscriptionId === "") return undefined;
  return {
    subscriptionId,
    principal: String(claims.oid ?? claims.appid ?? claims.sub ?? "unknown"),
  };
}

/** ARM's error envelope. */
function armError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: { target?: string; headers?: Record<string, string> } = {},
): void {
  sendJson(
    res,
    status,
    { error: { code, message, target: extra.target ?? null, details: [] } },
    extra.headers ?? {},
  );
}

/** True when the request names an api-version, as ARM requires of every request; else answers 400. */
function hasApiVersion(res: ServerResponse, url: URL): boolean {
  if (url.searchParams.get("api-version")) return true;
  armError(
    res,
    400,
    "MissingApiVersionParameter",
    "The api-version query parameter (?api-version=) is required for all requests.",
  );
  return false;
}

/** Answers 400 for a config body whose `properties` is not what the operation takes (`shape` says what it takes). */
function badProperties(res: ServerResponse, shape: string): void {
  armError(res, 400, "BadRequest", `The request body must be ${shape}.`, { target: "properties" });
}

interface ParsedPath {
  subscriptionId: string;
  resourceGroup: string;
  app: string;
  /** Lower-cased segments after `/sites/{app}`, with `/slots/{slot}` removed. */
  rest: string[];
  /** The slot in the URL, `production` when none. */
  slot: string;
}

/** Whether a site path addresses Azure Monitor's metrics of the site or slot. */
const isMetricsPath = (parsed: ParsedPath | undefined): boolean =>
  parsed?.rest.join("/") === "providers/microsoft.insights/metrics";

/** Parses an ARM site path; fixed segments are matched case-insensitively, like ARM does. */
/** Sites per page of a resource group's list; ARM pages such lists too. */
const SITES_PAGE_SIZE = 100;

function parseSitePath(path: string): ParsedPath | undefined {
  const segments = path
    .split("/")
    .filter((segment) => segment !== "")
    .map(decodeURIComponent);
  const fixed = (index: number, word: string) =>
    segments[index]?.toLowerCase() === word.toLowerCase();
  if (!(
    fixed(0, "subscriptions") &&
    fixed(2, "resourceGroups") &&
    fixed(4, "providers") &&
    fixed(5, "Microsoft.Web") &&
    fixed(6, "sites")
  )) {
    return undefined;
  }
  const [subscriptionId, resourceGroup, app] = [segments[1], segments[3], segments[7]];
  if (!subscriptionId || !resourceGroup || !app) return undefined;
  let rest = segments.slice(8);
  let slot = PRODUCTION;
  if (rest[0]?.toLowerCase() === "slots" && rest[1] !== undefined) {
    slot = rest[1];
    rest = rest.slice(2);
  }
  // Operation ids are lower-case UUIDs, so every segment can be compared in lower case.
  return {
    subscriptionId,
    resourceGroup,
    app,
    slot,
    rest: rest.map((segment) => segment.toLowerCase()),
  };
}

/** The Azure Resource Manager service of one simulator. */
export class ArmService {
  readonly #context: SimulatorContext;
  readonly #operations = new Map<string, SwapOperation>();
  /** Slot diffs with pages still to read, by skip token. */
  readonly #differencePages = new Map<string, DifferencePages>();

  constructor(context: SimulatorContext) {
    this.#context = context;
  }

  /** The swap currently running on an app, if any. */
  runningSwap(appName: string): SwapOperation | undefined {
    return [...this.#operations.values()].find(
      (operation) =>
        operation.state === "running" &&
        operation.app.seed.name.toLowerCase() === appName.toLowerCase(),
    );
  }

  /** The status page host of a slot (also its `defaultHostName`). */
  hostOf(app: AppState, slot: SlotState): string {
    return hostOf(this.#context.origin, app, slot);
  }

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    entry: JournalEntry,
  ): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    if (url.pathname.replace(/\/+$/, "").toLowerCase() === "/metadata/endpoints") {
      this.#cloudMetadata(res, url, method);
      return;
    }
    const body = method === "GET" || method === "HEAD" ? "" : await readBody(req);
    const parsed = parseSitePath(url.pathname);
    if (method === "POST" && parsed?.rest.join("/") === "slotsswap") {
      // Every swap POST is journalled, refused or not; #startSwap marks the ones Azure processes.
      const json = parseJson(body);
      const app = this.#context.apps.get(parsed.app.toLowerCase());
      entry.swap = {
        app: parsed.app,
        slot: parsed.slot,
        body: json instanceof Error ? body : json,
        processed: false,
        routedPercent: app ? routedPercent(this.#context.origin, app) : 0,
      };
    }

    const claims = this.#authorized(req, res);
    if (!claims) return;
    if (!hasApiVersion(res, url)) return;
    if (!this.#offersApiVersion(res, url, parsed)) return;
    if (!this.#admitted(res, url, method, claims)) return;

    const fault = this.#context.faults.takeArmFault({
      app: parsed?.app,
      slot: parsed?.slot,
      method,
      path: url.pathname,
    });
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === "reset") {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "hang") {
      this.#context.hold(req);
      return;
    }
    if (fault?.kind === "status") {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined)
        headers["retry-after"] = String(fault.retryAfterSeconds);
      if (fault.status === 429 && fault.code === "SubscriptionRequestsThrottled")
        Object.assign(headers, this.#injectedThrottle(url, method, claims));
      if (fault.shape === "monitor")
        sendMonitorError(res, fault.status, fault.code, fault.message, headers);
      else armError(res, fault.status, fault.code, fault.message, { headers });
      return;
    }
    if (fault?.kind === "lose-answer") {
      // Azure does the work; the answer never reaches the client.
      withholdAnswer(res);
      this.#route(res, url, method, parsed, body, entry);
      if (fault.then === "reset") req.socket.destroy();
      else this.#context.hold(req);
      return;
    }
    this.#route(res, url, method, parsed, body, entry);
  }

  /** The resource provider: finds the app and slot and performs the operation. */
  #route(
    res: ServerResponse,
    url: URL,
    method: string,
    parsed: ParsedPath | undefined,
    body: string,
    entry: JournalEntry,
  ): void {
    if (!parsed && handleSubscriptions(this.#context, res, method, url.pathname)) return;
    if (!parsed && this.#listSites(res, method, url)) return;
    if (!parsed) {
      armError(
        res,
        404,
        "InvalidResourceType",
        `The resource type could not be found for the path '${url.pathname}'. The simulator serves Microsoft.Web/sites and their slots.`,
      );
      return;
    }
    const app = this.#findApp(parsed, res);
    if (!app) return;
    const slot = app.slots.get(parsed.slot.toLowerCase());
    if (!slot) {
      armError(
        res,
        404,
        "ResourceNotFound",
        `The Resource 'Microsoft.Web/sites/${app.seed.name}/slots/${parsed.slot}' under resource group '${app.seed.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
      return;
    }

    const route = `${method} ${parsed.rest.join("/")}`;
    // The slot diff is a POST that only reads: App Service answers it during a swap too.
    const isWrite =
      method !== "GET" &&
      method !== "HEAD" &&
      !route.endsWith("/list") &&
      route !== "POST slotsdiffs";
    const isPoll = parsed.rest[0] === "operationresults";
    if (isWrite && !isPoll) {
      const lock = this.siteLock(app);
      if (lock) {
        this.#conflict(res, app, lock);
        return;
      }
    }
    if (CONFIG_WRITES.has(route) && previewPairOf(app, slot)) {
      this.#preparedForSwap(res);
      return;
    }

    const json = parseJson(body);
    if (json instanceof Error) {
      armError(
        res,
        400,
        "InvalidRequestContent",
        `The request content was invalid and could not be deserialized: '${json.message}'.`,
      );
      return;
    }

    if (route === "GET ") return sendJson(res, 200, this.siteBody(app, slot));
    if (method === "GET" && isMetricsPath(parsed))
      return sendMetrics(res, url, {
        traffic: this.#context.traffic,
        now: this.#context.now(),
        delayMs: this.#context.settings.metricDelayMs,
        resourceId: this.#resourceId(app, slot),
        app: app.seed.name,
        slot: slot.name,
        isSlot: slot.name !== PRODUCTION,
        location: app.seed.location,
      });
    if (route === "GET slots" && slot.name === PRODUCTION) {
      const value = [...app.slots.values()]
        .filter((candidate) => candidate.name !== PRODUCTION)
        .map((candidate) => this.siteBody(app, candidate));
      return sendJson(res, 200, { value, nextLink: null });
    }
    if (isPoll && method === "GET" && parsed.rest[1]) return this.#poll(res, app, parsed.rest[1]);
    if (route === "POST slotsswap") return this.#startSwap(res, url, app, slot, json, entry);
    if (route === "POST applyslotconfig") return this.#applySlotConfig(res, app, slot, json);
    if (route === "POST resetslotconfig") return this.#resetSlotConfig(res, app, slot);
    if (route === "POST slotsdiffs") return this.#slotDifferences(res, url, app, slot, json);
    if (route === "GET slotsdiffs") return this.#nextDifferences(res, url, app, slot);
    if (route === "GET config/web") return sendJson(res, 200, this.#siteConfigBody(app, slot));
    if (route === "PUT config/web" || route === "PATCH config/web")
      return this.#updateSiteConfig(res, app, slot, json);
    if (route === "POST config/appsettings/list")
      return sendJson(res, 200, this.#appSettingsBody(app, slot));
    if (route === "PUT config/appsettings") return this.#replaceAppSettings(res, app, slot, json);
    if (route === "POST config/connectionstrings/list")
      return sendJson(res, 200, this.#connectionStringsBody(app, slot));
    if (route === "PUT config/connectionstrings")
      return this.#replaceConnectionStrings(res, app, slot, json);
    if (slot.name === PRODUCTION && route === "GET config/slotconfignames")
      return sendJson(res, 200, this.#slotConfigNamesBody(app));
    if (slot.name === PRODUCTION && route === "PUT config/slotconfignames")
      return this.#replaceSlotConfigNames(res, app, json);
    if (route === "POST restart") {
      contentChanged(slot, this.#context.now());
      return sendEmpty(res, 200);
    }
    if (route === "POST stop" || route === "POST start") {
      slot.state = route === "POST stop" ? "Stopped" : "Running";
      contentChanged(slot, this.#context.now());
      return sendEmpty(res, 200);
    }
    if (route === "POST sync") return sendEmpty(res, 200);
    if (route === "POST publishxml")
      return sendPublishXml(
        res,
        slot.name === PRODUCTION ? app.seed.name : `${app.seed.name}/${slot.name}`,
        this.hostOf(app, slot),
      );
    if (route === "GET sitecontainers" && app.seed.kind === "sitecontainers")
      return sendJson(res, 200, { value: [this.#mainContainerBody(app, slot)], nextLink: null });
    armError(
      res,
      404,
      "NotFound",
      `No operation '${method} ${url.pathname}' is known for Microsoft.Web/sites. The simulator implements the operations listed in azure-protocol.md.`,
    );
  }

  /** The operation in progress on an app (its running swap, or an injected one), if any. */
  siteLock(app: AppState): SiteLock | undefined {
    const swap = this.runningSwap(app.seed.name);
    if (swap)
      return {
        id: swap.id,
        operationName: "SwapSiteSlots",
        createdAt: swap.startedAt,
        slot: swap.source.name,
        requestId: undefined,
      };
    const busy = this.#context.faults.busyOperation(app.seed.name, this.#context.now());
    return busy && { ...busy, slot: undefined };
  }

  /**
   * App Service's 409 for a write to a site with another operation in progress, in its own error
   * shape (ExtendedCode 59203), with the details App Service gives: for a swap the webspace, site
   * and slot, for other operations the request that started them.
   */
  #conflict(res: ServerResponse, app: AppState, lock: SiteLock): void {
    const { subscriptionId, resourceGroup, location, name } = app.seed;
    const head = `Id: ${lock.id}, OperationName: ${lock.operationName}, CreatedTime: ${appServiceTime(lock.createdAt)}`;
    const details =
      lock.requestId === undefined
        ? `${head}, WebSystemName: websites, SubscriptionName: ${subscriptionId}, WebspaceName: ${resourceGroup}-${location.replace(/\s+/g, "")}webspace, SiteName: ${name}, SlotName: ${lock.slot ?? ""}, ServerFarmName: , GeoOperationId: (null)`
        : `${head}, RequestId: ${lock.requestId}, EntityType: 3`;
    const template =
      "Cannot modify this site because another operation is in progress. Details: {0}";
    appServiceError(res, 409, "Conflict", template.replace("{0}", details), {
      extendedCode: "59203",
      template,
      parameters: [details],
    });
  }

  /**
   * App Service's 409 for a config write to a slot of a pair whose swap with preview is applied
   * and neither completed nor reset: both slots are locked ("adding or editing of app settings was
   * disabled for both slots … Cancelling the swap fixed my issue", Azure/azure-cli#27820, which
   * quotes the message). No public record gives its ExtendedCode; the simulator's own stands in.
   */
  #preparedForSwap(res: ServerResponse): void {
    appServiceError(res, 409, "Conflict", PREPARED_FOR_SWAP, {
      extendedCode: "04097",
      template: PREPARED_FOR_SWAP,
      parameters: [],
    });
  }

  /**
   * ARM's own throttling, before the resource provider sees the request: charges a token of the
   * caller's bucket and sets the remaining-requests headers on the answer, or answers 429.
   */
  #admitted(
    res: ServerResponse,
    url: URL,
    method: string,
    claims: Record<string, unknown>,
  ): boolean {
    const throttle = this.#context.armThrottle;
    const caller = callerOf(url, claims);
    if (!throttle || !caller) return true;
    const decision = throttle.charge(caller.subscriptionId, caller.principal, method);
    if (decision.allowed) {
      for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
      return true;
    }
    armError(res, 429, decision.code, decision.message, { headers: decision.headers });
    return false;
  }

  /**
   * The remaining-requests headers of an injected ARM throttle (`Simulator.throttle`): ARM takes
   * no token for a request it refuses, so the token #admitted took is given back; the caller's
   * own bucket keeps its count and the subscription-wide one (shared with principals outside the
   * simulator) is the one said to be empty.
   */
  #injectedThrottle(
    url: URL,
    method: string,
    claims: Record<string, unknown>,
  ): Record<string, string> {
    const throttle = this.#context.armThrottle;
    const caller = callerOf(url, claims);
    if (!throttle || !caller) return {};
    return throttle.refund(caller.subscriptionId, caller.principal, method, { globalEmpty: true });
  }

  /** The access token's claims, or `undefined` once it has answered 401. */
  #authorized(req: IncomingMessage, res: ServerResponse): Record<string, unknown> | undefined {
    const challenge = (description: string) => ({
      "www-authenticate": `Bearer authorization_uri="${this.#context.origin}/${this.#context.settings.tenantId}", error="invalid_token", error_description="${description}"`,
    });
    const token = bearerToken(req);
    if (!token) {
      armError(
        res,
        401,
        "AuthenticationFailed",
        "Authentication failed. The 'Authorization' header is missing.",
        {
          headers: challenge(
            "The authentication failed because of missing 'Authorization' header.",
          ),
        },
      );
      return undefined;
    }
    const now = this.#context.now();
    const check = this.#context.entraSigner.check(token, now);
    if (!check.ok && check.reason === "expired") {
      const expiry = new Date(Number(check.claims?.exp ?? 0) * 1000).toISOString();
      armError(
        res,
        401,
        "ExpiredAuthenticationToken",
        `The access token expiry UTC time '${expiry}' is earlier than current UTC time '${new Date(now).toISOString()}'.`,
        { headers: challenge("The access token has expired.") },
      );
      return undefined;
    }
    if (!check.ok) {
      armError(
        res,
        401,
        "InvalidAuthenticationToken",
        "The access token is invalid: it was not issued by this tenant's token endpoint.",
        { headers: challenge("The access token is invalid.") },
      );
      return undefined;
    }
    const audience = String(check.claims.aud ?? "").replace(/\/+$/, "");
    const expected = this.#audience;
    if (audience !== expected) {
      armError(
        res,
        401,
        "InvalidAuthenticationTokenAudience",
        `The access token has been obtained for wrong audience or resource '${String(check.claims.aud)}'. It should exactly match with one of the allowed audiences '${expected}/', '${expected}'. Request the scope '${expected}/.default'.`,
        { headers: challenge("The access token has the wrong audience.") },
      );
      return undefined;
    }
    return check.claims;
  }

  /** The token audience ARM accepts: the origin, or Azure Stack Hub's own (`armAudience`). */
  get #audience(): string {
    return (this.#context.settings.armAudience ?? this.#context.origin).replace(/\/+$/, "");
  }

  /**
   * `GET /metadata/endpoints`: the cloud's endpoints, unauthenticated, in the shape the Azure CLI
   * maps (`_arm_to_cli_mapper`) and Add-AzEnvironment's example shows; a custom cloud answers one
   * cloud object. Entra is the simulator's own origin; the audience is ARM's.
   */
  #cloudMetadata(res: ServerResponse, url: URL, method: string): void {
    if (method !== "GET") {
      armError(res, 405, "MethodNotAllowed", `The method '${method}' is not allowed for metadata.`);
      return;
    }
    if (!hasApiVersion(res, url)) return;
    const origin = this.#context.origin;
    sendJson(res, 200, {
      portal: `${origin}/portal`,
      authentication: {
        loginEndpoint: `${origin}/`,
        audiences: [`${this.#audience}/`],
        tenant: "common",
        identityProvider: "AAD",
      },
      media: `${origin}/media`,
      graphAudience: `${origin}/graph/`,
      graph: `${origin}/graph/`,
      name: "RegionalSlotSwapSimulator",
      suffixes: {
        keyVaultDns: "vault.simulator.local",
        storage: "simulator.local",
        sqlServerHostname: ".database.simulator.local",
        acrLoginServer: "azurecr.simulator.local",
      },
      batch: `${origin}/batch/`,
      resourceManager: `${origin}/`,
      vmImageAliasDoc: `${origin}/aliases.json`,
      activeDirectoryDataLake: `${origin}/datalake/`,
      sqlManagement: `${origin}/sql/`,
      gallery: `${origin}/gallery/`,
    });
  }

  /**
   * With `armApiVersions`, a request with another api-version is refused as ARM refuses it when
   * the resource provider is not registered for that version in the cloud (Azure US Government,
   * Azure Stack Hub): 400 `NoRegisteredProviderFound`, naming the versions it offers. Metrics
   * (`Microsoft.Insights/metrics`) are always checked against the versions the spec lists.
   */
  #offersApiVersion(res: ServerResponse, url: URL, parsed: ParsedPath | undefined): boolean {
    const metrics = isMetricsPath(parsed);
    // Microsoft.Insights offers its own versions, whichever the cloud's Microsoft.Web offers.
    const offered = metrics ? METRICS_API_VERSIONS : this.#context.settings.armApiVersions;
    const version = url.searchParams.get("api-version") ?? "";
    if (
      offered === undefined ||
      offered.some((known) => known.toLowerCase() === version.toLowerCase())
    ) {
      return true;
    }
    const app = parsed ? this.#context.apps.get(parsed.app.toLowerCase()) : undefined;
    const location = (app?.seed.location ?? "global").replace(/\s+/g, "").toLowerCase();
    const locations = [
      ...new Set(
        [...this.#context.apps.values()].map((known) =>
          known.seed.location.replace(/\s+/g, "").toLowerCase(),
        ),
      ),
    ];
    armError(
      res,
      400,
      "NoRegisteredProviderFound",
      `No registered resource provider found for location '${location}' and API version '${version}' for type '${metrics ? "metrics" : "sites"}'. The supported api-versions are '${offered.join(", ")}'. The supported locations are '${locations.join(", ")}'.`,
    );
    return false;
  }

  #findApp(parsed: ParsedPath, res: ServerResponse): AppState | undefined {
    const apps = [...this.#context.apps.values()];
    const inSubscription = apps.filter(
      (app) => app.seed.subscriptionId.toLowerCase() === parsed.subscriptionId.toLowerCase(),
    );
    if (inSubscription.length === 0) {
      armError(
        res,
        404,
        "SubscriptionNotFound",
        `The subscription '${parsed.subscriptionId}' could not be found.`,
      );
      return undefined;
    }
    if (
      !inSubscription.some(
        (app) => app.seed.resourceGroup.toLowerCase() === parsed.resourceGroup.toLowerCase(),
      )
    ) {
      armError(
        res,
        404,
        "ResourceGroupNotFound",
        `Resource group '${parsed.resourceGroup}' could not be found.`,
      );
      return undefined;
    }
    const app = this.#context.apps.get(parsed.app.toLowerCase());
    if (
      !app ||
      app.seed.subscriptionId.toLowerCase() !== parsed.subscriptionId.toLowerCase() ||
      app.seed.resourceGroup.toLowerCase() !== parsed.resourceGroup.toLowerCase()
    ) {
      armError(
        res,
        404,
        "ResourceNotFound",
        `The Resource 'Microsoft.Web/sites/${parsed.app}' under resource group '${parsed.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
      return undefined;
    }
    return app;
  }

  #resourceId(app: AppState, slot: SlotState): string {
    const { subscriptionId, resourceGroup, name } = app.seed;
    const site = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Web/sites/${name}`;
    return slot.name === PRODUCTION ? site : `${site}/slots/${slot.name}`;
  }

  #kindString(app: AppState): string {
    return app.seed.kind === "container" ? "app,linux,container" : "app,linux";
  }

  #siteConfigProperties(slot: SlotState): Record<string, unknown> {
    const template = clone(
      (TEMPLATES.siteConfig as { properties: Record<string, unknown> }).properties,
    );
    // Azure always answers `experiments` (the Azure CLI's traffic-routing commands read
    // `experiments.rampUpRules` without a check); the spec's example leaves it out.
    return {
      ...template,
      experiments: { rampUpRules: [] },
      ...slot.configOverrides,
      linuxFxVersion: slot.linuxFxVersion,
    };
  }

  /**
   * `GET …/resourceGroups/{rg}/providers/Microsoft.Web/sites` (WebApps_ListByResourceGroup): the
   * group's apps, and with `includeSlots=true` their slots too, as the same Site resources GET
   * answers, in pages of {@link SITES_PAGE_SIZE} linked by `nextLink` (`$skipToken`), like ARM.
   */
  #listSites(res: ServerResponse, method: string, url: URL): boolean {
    const found =
      /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Web\/sites\/?$/i.exec(
        url.pathname,
      );
    if (method !== "GET" || !found) return false;
    const subscriptionId = decodeURIComponent(found[1] ?? "").toLowerCase();
    const resourceGroup = decodeURIComponent(found[2] ?? "").toLowerCase();
    const apps = [...this.#context.apps.values()].filter(
      (app) =>
        app.seed.subscriptionId.toLowerCase() === subscriptionId &&
        app.seed.resourceGroup.toLowerCase() === resourceGroup,
    );
    if (apps.length === 0) {
      armError(
        res,
        404,
        "ResourceGroupNotFound",
        `Resource group '${found[2]}' could not be found.`,
      );
      return true;
    }
    const includeSlots = url.searchParams.get("includeSlots")?.toLowerCase() === "true";
    const sites = apps.flatMap((app) =>
      [...app.slots.values()]
        .filter((slot) => includeSlots || slot.name === PRODUCTION)
        .map((slot) => this.siteBody(app, slot)),
    );
    const skip = Number(url.searchParams.get("$skipToken") ?? "0") || 0;
    const page = sites.slice(skip, skip + SITES_PAGE_SIZE);
    let nextLink: string | null = null;
    if (skip + SITES_PAGE_SIZE < sites.length) {
      const next = new URL(url.href);
      next.searchParams.set("$skipToken", String(skip + SITES_PAGE_SIZE));
      nextLink = `${this.#context.origin}${next.pathname}${next.search}`;
    }
    sendJson(res, 200, { value: page, nextLink });
    return true;
  }

  /** The Site resource of a slot, shaped like the spec's GetWebApp / GetWebAppSlot examples. */
  siteBody(app: AppState, slot: SlotState): Record<string, unknown> {
    const production = slot.name === PRODUCTION;
    const body = clone(production ? TEMPLATES.site : TEMPLATES.slot);
    const host = this.hostOf(app, slot);
    const scmHost = host.replace("/sites/", "/scm/");
    const { subscriptionId, resourceGroup, name, location } = app.seed;
    const properties = body.properties as Record<string, unknown>;
    Object.assign(body, {
      id: this.#resourceId(app, slot),
      name: production ? name : `${name}/${slot.name}`,
      type: production ? "Microsoft.Web/sites" : "Microsoft.Web/sites/slots",
      kind: this.#kindString(app),
      location,
    });
    Object.assign(properties, {
      state: slot.state,
      hostNames: [host],
      repositorySiteName: name,
      enabledHostNames: [host, scmHost],
      hostNameSslStates: [
        { name: host, sslState: "Disabled", hostType: "Standard" },
        { name: scmHost, sslState: "Disabled", hostType: "Repository" },
      ],
      serverFarmId: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Web/serverfarms/${resourceGroup}-plan`,
      reserved: true,
      lastModifiedTimeUtc: slot.lastModifiedTimeUtc,
      siteConfig: {
        ...(properties.siteConfig as Record<string, unknown>),
        linuxFxVersion: slot.linuxFxVersion,
      },
      resourceGroup,
      defaultHostName: host,
      slotSwapStatus: slot.slotSwapStatus ? { ...slot.slotSwapStatus } : null,
      // The spec: "Specifies an operation id if this site has a pending operation."
      inProgressOperationId: this.siteLock(app)?.id ?? null,
    });
    delete properties.workloadProfileName;
    delete properties.resourceConfig;
    return body;
  }

  /** The resource envelope of a slot's `config/<name>` around its properties. */
  #configBody(
    app: AppState,
    slot: SlotState,
    name: string,
    properties: Record<string, unknown>,
  ): Record<string, unknown> {
    return {
      id: `${this.#resourceId(app, slot)}/config/${name}`,
      name,
      type:
        slot.name === PRODUCTION
          ? "Microsoft.Web/sites/config"
          : "Microsoft.Web/sites/slots/config",
      kind: this.#kindString(app),
      location: app.seed.location,
      properties,
    };
  }

  /**
   * The main container of a sidecar app's slot, a SiteContainer resource (`isMain: true`): its
   * image runs the slot's build (the simulator models the main container only, no sidecars).
   */
  #mainContainerBody(app: AppState, slot: SlotState): Record<string, unknown> {
    return {
      id: `${this.#resourceId(app, slot)}/sitecontainers/main`,
      name: "main",
      type:
        slot.name === PRODUCTION
          ? "Microsoft.Web/sites/sitecontainers"
          : "Microsoft.Web/sites/slots/sitecontainers",
      properties: {
        image: `${imageOf(app.seed)}:${slot.code}`,
        targetPort: "8080",
        isMain: true,
        authType: "Anonymous",
        createdTime: slot.lastModifiedTimeUtc,
        lastModifiedTime: slot.lastModifiedTimeUtc,
        inheritAppSettingsAndConnectionStrings: true,
      },
    };
  }

  #siteConfigBody(app: AppState, slot: SlotState): Record<string, unknown> {
    return this.#configBody(app, slot, "web", this.#siteConfigProperties(slot));
  }

  #appSettingsBody(app: AppState, slot: SlotState): Record<string, unknown> {
    return {
      ...clone(TEMPLATES.appSettings),
      ...this.#configBody(app, slot, "appsettings", { ...slot.appSettings }),
    };
  }

  /** A ConnectionStringDictionary: `{properties: {NAME: {value, type}}}`. */
  #connectionStringsBody(app: AppState, slot: SlotState): Record<string, unknown> {
    return this.#configBody(app, slot, "connectionstrings", clone(slot.connectionStrings));
  }

  #replaceConnectionStrings(
    res: ServerResponse,
    app: AppState,
    slot: SlotState,
    body: unknown,
  ): void {
    const properties = isObject(body) ? body.properties : undefined;
    const pairs = isObject(properties) ? Object.entries(properties) : undefined;
    if (
      !pairs ||
      pairs.some(
        ([, pair]) =>
          !isObject(pair) || typeof pair.value !== "string" || typeof pair.type !== "string",
      )
    ) {
      badProperties(
        res,
        'a ConnectionStringDictionary: {"properties":{"NAME":{"value":"…","type":"SQLAzure"}}}',
      );
      return;
    }
    if (this.#deploymentFault(res, app)) return;
    slot.connectionStrings = Object.fromEntries(
      pairs.map(([name, pair]) => {
        const { value, type } = pair as { value: string; type: string };
        return [name, { value, type }];
      }),
    );
    contentChanged(slot, this.#context.now()); // App Service restarts the app on a settings change
    sendJson(res, 200, this.#connectionStringsBody(app, slot));
  }

  /**
   * `POST …/slotsdiffs` (CsmSlotEntity): the differences a swap of this slot with `targetSlot`
   * would bring, computed from both slots' settings now (see `slot-differences.ts`), in pages of
   * {@link SLOT_DIFFERENCES_PAGE_SIZE} with a `nextLink` to GET for the rest.
   */
  #slotDifferences(
    res: ServerResponse,
    url: URL,
    app: AppState,
    current: SlotState,
    body: unknown,
  ): void {
    const target = this.#slotEntity(res, app, current, body);
    if (!target) return;
    const resourceId = this.#resourceId(app, current);
    const items = slotDifferences(app, current, target, (slot) =>
      this.#siteConfigProperties(slot),
    ).map((properties: SlotDifferenceProperties) => ({
      id: `${resourceId}/slotsdiffs/${encodeURIComponent(`${properties.settingType}-${properties.settingName}`)}`,
      name: properties.settingName,
      type:
        current.name === PRODUCTION
          ? "Microsoft.Web/sites/slotsdiffs"
          : "Microsoft.Web/sites/slots/slotsdiffs",
      properties,
    }));
    this.#sendDifferencePage(res, url, { app, slot: current, items });
  }

  /** `GET` of a slot diff's `nextLink`: the next page of the differences computed at the POST. */
  #nextDifferences(res: ServerResponse, url: URL, app: AppState, slot: SlotState): void {
    const token = url.searchParams.get("$skiptoken") ?? "";
    const pages = this.#differencePages.get(token);
    if (!pages || pages.app !== app || pages.slot !== slot) {
      armError(
        res,
        400,
        "InvalidSkipToken",
        `The skip token '${token}' is not valid for the slot differences of site '${app.seed.name}'. Send the POST again.`,
      );
      return;
    }
    this.#differencePages.delete(token);
    this.#sendDifferencePage(res, url, pages);
  }

  #sendDifferencePage(res: ServerResponse, url: URL, pages: DifferencePages): void {
    const value = pages.items.slice(0, SLOT_DIFFERENCES_PAGE_SIZE);
    const rest = pages.items.slice(SLOT_DIFFERENCES_PAGE_SIZE);
    let nextLink: string | null = null;
    if (rest.length > 0) {
      const token = randomUUID();
      this.#differencePages.set(token, { ...pages, items: rest });
      const apiVersion = encodeURIComponent(url.searchParams.get("api-version") ?? "");
      nextLink = `${this.#context.origin}${this.#resourceId(pages.app, pages.slot)}/slotsdiffs?api-version=${apiVersion}&$skiptoken=${token}`;
    }
    sendJson(res, 200, { value, nextLink });
  }

  #slotConfigNamesBody(app: AppState): Record<string, unknown> {
    return {
      id: `${this.#resourceId(app, app.slots.get(PRODUCTION)!)}/config/slotConfigNames`,
      name: "slotConfigNames",
      type: "Microsoft.Web/sites/config",
      location: app.seed.location,
      properties: clone(app.slotConfigNames),
    };
  }

  /**
   * Validates a CsmSlotEntity body (`targetSlot` and `preserveVnet` are both required) and finds
   * the target slot, which must be another slot than `current`, the slot the request addresses.
   */
  #slotEntity(
    res: ServerResponse,
    app: AppState,
    current: SlotState,
    body: unknown,
  ): SlotState | undefined {
    if (!isObject(body) || typeof body.targetSlot !== "string" || body.targetSlot.trim() === "") {
      armError(
        res,
        400,
        "BadRequest",
        'The request body must be a CsmSlotEntity with a non-empty \'targetSlot\' (string) and \'preserveVnet\' (boolean), e.g. {"targetSlot":"production","preserveVnet":true}.',
        { target: "targetSlot" },
      );
      return undefined;
    }
    if (typeof body.preserveVnet !== "boolean") {
      armError(
        res,
        400,
        "BadRequest",
        "The request body is missing the required property 'preserveVnet' (boolean).",
        { target: "preserveVnet" },
      );
      return undefined;
    }
    const target = app.slots.get(body.targetSlot.toLowerCase());
    if (!target) {
      armError(
        res,
        404,
        "ResourceNotFound",
        `The target slot '${body.targetSlot}' of site '${app.seed.name}' was not found.`,
        { target: "targetSlot" },
      );
      return undefined;
    }
    if (target === current) {
      armError(
        res,
        400,
        "BadRequest",
        `Cannot swap slot '${current.name}' of site '${app.seed.name}' with itself; 'targetSlot' must name another slot.`,
        { target: "targetSlot" },
      );
      return undefined;
    }
    return target;
  }

  #startSwap(
    res: ServerResponse,
    url: URL,
    app: AppState,
    source: SlotState,
    body: unknown,
    entry: JournalEntry,
  ): void {
    entry.swap = {
      app: app.seed.name,
      slot: source.name,
      body: clone(body),
      processed: false,
      routedPercent: entry.swap?.routedPercent ?? routedPercent(this.#context.origin, app),
    };
    const target = this.#slotEntity(res, app, source, body);
    if (!target) return;
    const id = randomUUID();
    entry.swap.processed = true;
    entry.swap.operationId = id;
    entry.swap.before = this.#buildsOf(app, source, target);
    const { settings, faults } = this.#context;
    const location = `${this.#context.origin}${this.#resourceId(app, source)}/operationresults/${id}?api-version=${encodeURIComponent(url.searchParams.get("api-version") ?? "")}`;
    const operation: SwapOperation = {
      id,
      app,
      source,
      target,
      startedAt: this.#context.now(),
      state: "running",
      failure: faults.takeSwapFailure(app.seed.name),
      location,
    };
    this.#operations.set(id, operation);
    const duration = faults.swapDuration(app.seed.name) ?? settings.swapDurationMs;
    this.#context.later(duration, () => this.#finishSwap(operation));
    sendEmpty(res, 202, { location, "retry-after": String(settings.retryAfterSeconds) });
  }

  /** The builds of a swap's two slots, production (or else the target) first. */
  #buildsOf(app: AppState, source: SlotState, target: SlotState): SwapBuilds {
    const production = app.slots.get(PRODUCTION)!;
    const [first, other] =
      source === production || target === production
        ? [production, source === production ? target : source]
        : [target, source];
    return { production: buildOf(first), staging: buildOf(other) };
  }

  #finishSwap(operation: SwapOperation): void {
    const { app, source, target, failure } = operation;
    const before = this.#buildsOf(app, source, target);
    const now = this.#context.now();
    const moved = failure === undefined || failure.contentsMoved;
    if (moved) {
      // Users served until now were served by the builds as they were.
      this.#context.traffic.accrue();
      exchangeContents(app, source, target, now);
      const late = this.#context.faults.lateRouting(app.seed.name);
      app.lateRouting =
        late > 0
          ? { until: now + late, slots: [source.name.toLowerCase(), target.name.toLowerCase()] }
          : null;
      this.#context.faults.swapCompleted(app.seed.name, now);
    }
    operation.state = failure ? "failed" : "succeeded";
    this.#context.journal.recordSwap({
      app: app.seed.name,
      sourceSlot: source.name,
      targetSlot: target.name,
      startedAt: operation.startedAt,
      completedAt: now,
      succeeded: moved,
      reported: failure ? "Failed" : "Succeeded",
      operationId: operation.id,
      before,
    });
  }

  #poll(res: ServerResponse, app: AppState, id: string): void {
    const operation = this.#operations.get(id);
    if (!operation || operation.app !== app) {
      armError(
        res,
        404,
        "NotFound",
        `Operation '${id}' was not found for site '${app.seed.name}'.`,
      );
      return;
    }
    if (operation.state === "running") {
      sendEmpty(res, 202, {
        location: operation.location,
        "retry-after": String(this.#context.settings.retryAfterSeconds),
      });
      return;
    }
    if (operation.failure) {
      this.#swapFailed(res, operation, operation.failure);
      return;
    }
    sendEmpty(res, 200);
  }

  /** A failed swap's operation result: App Service's own shape unless ARM's was asked for. */
  #swapFailed(res: ServerResponse, operation: SwapOperation, failure: SwapFailure): void {
    const { app, source, target } = operation;
    const slot = source.name === PRODUCTION ? target.name : source.name;
    // No public record gives this error's ExtendedCode; the simulator's own stands in for it.
    const entity: ErrorEntity =
      failure.message === undefined
        ? {
            extendedCode: "04089",
            template: SWAP_WARM_UP_FAILED,
            parameters: [app.seed.name, slot],
          }
        : { extendedCode: "04089", template: failure.message, parameters: [] };
    const message = entity.parameters.reduce(
      (text, value, index) => text.replace(`{${index}}`, value),
      entity.template,
    );
    if (failure.shape === "arm") armError(res, failure.status, failure.code, message);
    else appServiceError(res, failure.status, failure.code, message, entity);
  }

  /**
   * Swap with preview, phase 1. The non-production slot of the pair (current slot, `targetSlot`)
   * starts running with production's slot settings; its own are kept for the reset.
   */
  #applySlotConfig(res: ServerResponse, app: AppState, current: SlotState, body: unknown): void {
    const target = this.#slotEntity(res, app, current, body);
    if (!target) return;
    if (app.siteAuth) {
      armError(
        res,
        409,
        "Conflict",
        `Swap with preview cannot be used on site '${app.seed.name}' because site authentication (Easy Auth) is enabled on one of the slots. Use a regular swap, or disable site authentication.`,
      );
      return;
    }
    const [receiving, giving] =
      target.name === PRODUCTION
        ? [current, target]
        : current.name === PRODUCTION
          ? [target, current]
          : [current, target];
    const sticky = Object.keys({ ...receiving.appSettings, ...giving.appSettings }).filter((name) =>
      isSticky(app, name),
    );
    if (!receiving.preview) {
      const savedSticky: Record<string, string> = {};
      for (const name of sticky)
        if (receiving.appSettings[name] !== undefined)
          savedSticky[name] = receiving.appSettings[name];
      receiving.preview = { savedSticky, pairedWith: giving.name.toLowerCase() };
    }
    for (const name of sticky) {
      if (giving.appSettings[name] === undefined) delete receiving.appSettings[name];
      else receiving.appSettings[name] = giving.appSettings[name];
    }
    contentChanged(receiving, this.#context.now());
    sendEmpty(res, 200);
  }

  /** Cancels a swap with preview: production's variant resets every slot of the app, a slot's variant that slot. */
  #resetSlotConfig(res: ServerResponse, app: AppState, current: SlotState): void {
    const slots = current.name === PRODUCTION ? [...app.slots.values()] : [current];
    for (const slot of slots) {
      if (!slot.preview) continue;
      for (const name of Object.keys(slot.appSettings))
        if (isSticky(app, name)) delete slot.appSettings[name];
      Object.assign(slot.appSettings, slot.preview.savedSticky);
      slot.preview = null;
      contentChanged(slot, this.#context.now());
    }
    sendEmpty(res, 200);
  }

  #deploymentFault(res: ServerResponse, app: AppState): boolean {
    const failure = this.#context.faults.takeDeploymentFailure(app.seed.name);
    if (!failure) return false;
    armError(res, failure.status, failure.code, failure.message);
    return true;
  }

  #updateSiteConfig(res: ServerResponse, app: AppState, slot: SlotState, body: unknown): void {
    if (!isObject(body) || !isObject(body.properties)) {
      badProperties(res, 'a SiteConfigResource: {"properties":{...}}');
      return;
    }
    if (this.#deploymentFault(res, app)) return;
    const before = slot.linuxFxVersion;
    for (const [key, value] of Object.entries(body.properties)) {
      if (value === null || value === undefined) continue; // null means "leave unchanged" in ARM updates
      if (key === "linuxFxVersion") slot.linuxFxVersion = String(value);
      else slot.configOverrides[key] = clone(value);
    }
    if (slot.linuxFxVersion !== before) contentChanged(slot, this.#context.now());
    if (slot.name === PRODUCTION && isObject(body.properties.experiments))
      this.recordRouting(app, "arm");
    sendJson(res, 200, this.#siteConfigBody(app, slot));
  }

  /** Journals a write of `app`'s traffic-routing rules, with what they route now. */
  recordRouting(app: AppState, via: "arm" | "simulator"): void {
    const routes = routesOf(this.#context.origin, app);
    this.#context.journal.recordRouting({
      at: this.#context.now(),
      app: app.seed.name,
      percent: routes.reduce((sum, route) => sum + route.percent, 0),
      routes: routes.map((route) => ({ slot: route.slot.name, percent: route.percent })),
      rules: clone(rampUpRules(app)),
      via,
    });
  }

  #replaceAppSettings(res: ServerResponse, app: AppState, slot: SlotState, body: unknown): void {
    const properties = isObject(body) ? body.properties : undefined;
    if (
      !isObject(properties) ||
      Object.values(properties).some((value) => typeof value !== "string")
    ) {
      badProperties(res, 'a StringDictionary: {"properties":{"NAME":"value"}} with string values');
      return;
    }
    if (this.#deploymentFault(res, app)) return;
    const changed = JSON.stringify(slot.appSettings) !== JSON.stringify(properties);
    slot.appSettings = { ...(properties as Record<string, string>) };
    if (changed) contentChanged(slot, this.#context.now()); // App Service restarts the app on a settings change
    sendJson(res, 200, this.#appSettingsBody(app, slot));
  }

  #replaceSlotConfigNames(res: ServerResponse, app: AppState, body: unknown): void {
    const properties = isObject(body) ? body.properties : undefined;
    const names = (value: unknown): string[] | undefined =>
      value === undefined || value === null
        ? []
        : Array.isArray(value) && value.every((item) => typeof item === "string")
          ? [...value]
          : undefined;
    const appSettingNames = isObject(properties) ? names(properties.appSettingNames) : undefined;
    const connectionStringNames = isObject(properties)
      ? names(properties.connectionStringNames)
      : undefined;
    const azureStorageConfigNames = isObject(properties)
      ? names(properties.azureStorageConfigNames)
      : undefined;
    if (!appSettingNames || !connectionStringNames || !azureStorageConfigNames) {
      badProperties(res, 'a SlotConfigNamesResource: {"properties":{"appSettingNames":["NAME"]}}');
      return;
    }
    app.slotConfigNames = { appSettingNames, connectionStringNames, azureStorageConfigNames };
    sendJson(res, 200, this.#slotConfigNamesBody(app));
  }

  /** Cancels nothing (timers belong to the context) but forgets operations. */
  clear(): void {
    this.#operations.clear();
    this.#differencePages.clear();
  }
}
