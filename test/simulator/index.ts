import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ArmService } from "./arm.js";
import { createSelfSignedCertificate } from "./certificate.js";
import type { SimulatorContext, SimulatorSettings } from "./context.js";
import { IdentityServices } from "./entra.js";
import {
  Faults,
  type ArmMatcher,
  type HangableService,
  type PageIllness,
  type SwapFailure,
} from "./faults.js";
import {
  PRODUCTION,
  contentChanged,
  createApp,
  deployBuild,
  truthOf,
  type AppSeed,
  type AppState,
  type SlotState,
  type SlotTruth,
} from "./fleet-state.js";
import {
  GithubService,
  SlackService,
  type GithubDeployment,
  type SlackMessage,
} from "./github-slack.js";
import { sendJson, withholdAnswer } from "./http-util.js";
import { Journal, type JournalEntry, type ServiceName } from "./journal.js";
import { JwtSigner } from "./jwt.js";
import { StatusPages } from "./status-pages.js";
import { ArmThrottle, resolveArmLimits, type ArmLimitsOption } from "./throttling.js";
import { Traffic, type BuildProfile } from "./traffic.js";

/**
 * A loopback Azure for tests and the demo: Azure Resource Manager (Microsoft.Web sites and slots),
 * Microsoft Entra ID, GitHub OIDC, the GitHub deployments API, Slack webhooks and every slot's
 * status page, on one HTTPS origin with a certificate made at start. The real
 * `@azure/arm-appservice` and `@azure/identity` clients talk to it as they would to Azure.
 */

export { demoFleet, type DemoFleet, type DemoRegion, type DemoService } from "./demo-fleet.js";
export type {
  AppKind,
  AppSeed,
  ConnectionString,
  DependencyShape,
  SlotSeed,
  SlotTruth,
  StatusFormat,
} from "./fleet-state.js";
export type { ArmMatcher, HangableService } from "./faults.js";
export type {
  CompletedSwap,
  Journal,
  JournalEntry,
  RoutingWrite,
  ServiceName,
  StatusRead,
  SwapBuilds,
  SwapPost,
  SwapRequest,
} from "./journal.js";
export type { BuildProfile } from "./traffic.js";
export { DEFAULT_BUILD_PROFILE } from "./traffic.js";
export { METRICS_API_VERSIONS } from "./metrics.js";
export { SLOT_DIFFERENCES_PAGE_SIZE } from "./arm.js";
export type { SlotDifferenceProperties } from "./slot-differences.js";
export type { GithubDeployment, GithubDeploymentStatus, SlackMessage } from "./github-slack.js";
export { AZURE_TOKEN_EXCHANGE_AUDIENCE } from "./entra.js";
export {
  REAL_ARM_LIMITS,
  type ArmLimits,
  type ArmLimitsOption,
  type BucketLimit,
} from "./throttling.js";

/** How to start a simulator; every field has a default. */
export interface SimulatorOptions {
  apps?: AppSeed[];
  tenantId?: string;
  clientId?: string;
  /** Default: a fresh random secret. */
  clientSecret?: string;
  /** How long a swap runs before the contents move (default 1000 ms). */
  swapDurationMs?: number;
  /** `Retry-After` seconds on a swap's 202 answers (default 1). */
  retryAfterSeconds?: number;
  /** Lifetime of issued Entra access tokens (default 3599 s). */
  tokenLifetimeSeconds?: number;
  /** `owner/repo` the GitHub OIDC token names (default `octo-org/shop`). */
  repository?: string;
  /** `sub` of issued GitHub OIDC tokens (default `repo:<repository>:environment:production`). */
  oidcSubject?: string;
  /** When set, Entra only accepts client assertions with this `sub` (a federated credential's subject). */
  federatedSubject?: string;
  /** Port to listen on (default 0: a free one). */
  port?: number;
  /**
   * ARM's request throttling: token buckets per subscription, principal and operation type, with
   * a subscription-wide bucket 15 times as large. Default: Azure's real limits (reads 250 +
   * 25/s, writes and deletes 200 + 10/s); a part left out keeps its real value; `false` turns
   * throttling off. A throttled request gets 429 `SubscriptionRequestsThrottled` + `Retry-After`.
   */
  armLimits?: ArmLimitsOption | false;
  /**
   * The api-versions this cloud's ARM offers for Microsoft.Web sites, as Azure US Government or
   * Azure Stack Hub offer older ones only; a request with another answers ARM's 400
   * `NoRegisteredProviderFound` naming them. Default: every version is accepted.
   */
  armApiVersions?: string[];
  /**
   * The token audience ARM accepts and `/metadata/endpoints` lists, as Azure Stack Hub's
   * `https://management.<tenant>.onmicrosoft.com/<guid>`, which is not its ARM URL. Default: the origin.
   */
  armAudience?: string;
  /**
   * Length of one Azure Monitor metric grain, ms. Default 60_000: Azure's PT1M, the only real
   * value. A shorter grain compresses metric time for fast tests: a requested `interval=PT1M`
   * is then one such grain, and the answer's `interval` says so (e.g. `PT1S`).
   */
  metricGrainMs?: number;
  /**
   * How long after a grain ends Azure Monitor publishes it, ms (default 60_000: platform metrics
   * arrive a minute or more late). Until then the grain comes back with `timeStamp` only.
   * Shorter delays exist for test speed only.
   */
  metricDelayMs?: number;
  /** Simulated user requests per second to each app's production host (default 20); see `userTraffic`. */
  userRequestsPerSecond?: number;
}

/** The ground truth of one app: what each of its slots really runs. */
export interface AppTruth {
  app: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  production: SlotTruth;
  staging: SlotTruth | undefined;
}

/** Everything a slot holds, for assertions. */
export interface SlotDetails extends SlotTruth {
  linuxFxVersion: string;
  appSettings: Record<string, string>;
  connectionStrings: Record<string, { value: string; type: string }>;
  /** Site config properties set besides `linuxFxVersion` (through ARM or `setSiteConfig`). */
  siteConfig: Record<string, unknown>;
  defaultHostName: string;
}

/** A running simulator. */
export interface Simulator {
  /** `https://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly port: number;
  /** ARM base URL: give it to the client as `endpoint`, and request the scope `${armEndpoint}/.default`. */
  readonly armEndpoint: string;
  /** Entra authority host (use `disableInstanceDiscovery: true`). */
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** For `ACTIONS_ID_TOKEN_REQUEST_URL`: already has a `?`, so `&audience=` can be appended. */
  readonly oidcRequestUrl: string;
  /** For `ACTIONS_ID_TOKEN_REQUEST_TOKEN`. */
  readonly oidcRequestToken: string;
  /** Octokit `baseUrl` / `GITHUB_API_URL`. */
  readonly githubApiUrl: string;
  /** A Slack incoming-webhook URL served by the simulator. */
  readonly slackWebhookUrl: string;
  /** The certificate (its own CA) as PEM, for `tlsOptions: { ca }`. */
  readonly caCertPem: string;
  /** A file holding `caCertPem`, for `NODE_EXTRA_CA_CERTS` of a child process. */
  readonly caCertPath: string;
  readonly journal: Journal;
  /** How many ARM requests the throttle (`armLimits`) refused with 429; injected faults not counted. */
  armThrottledCount(): number;

  addApp(seed: AppSeed): void;
  /** Makes a slot run `build` through its app's deployment mechanism (as a CI deploy would). */
  deploy(app: string, slot: string, build: string): void;
  /** Removes a slot (e.g. a missing staging slot). */
  removeSlot(app: string, slot: string): void;
  /** Stops or starts a slot. */
  setSlotState(app: string, slot: string, state: "Running" | "Stopped"): void;
  /**
   * Sets app settings of a slot (`null` removes one); the others stay. The slot restarts, as on
   * App Service. Whether a setting is sticky is `setSlotConfigNames`'s.
   */
  setAppSettings(app: string, slot: string, settings: Record<string, string | null>): void;
  /** Sets connection strings of a slot (`type` default `Custom`; `null` removes one); the others stay. */
  setConnectionStrings(
    app: string,
    slot: string,
    strings: Record<string, { value: string; type?: string } | null>,
  ): void;
  /**
   * Replaces the app's sticky names (`config/slotConfigNames`, production's resource): the
   * app settings and connection strings that stay with their slot on swap. A list left out stays.
   */
  setSlotConfigNames(
    app: string,
    names: { appSettingNames?: string[]; connectionStringNames?: string[] },
  ): void;
  /**
   * Sets site config properties of a slot (`config/web`, e.g. `http20Enabled`, `alwaysOn`,
   * `linuxFxVersion`); `null` returns one to the default.
   */
  setSiteConfig(app: string, slot: string, properties: Record<string, unknown>): void;
  /** Turns site authentication (which refuses swap with preview) on or off. */
  setSiteAuth(app: string, enabled: boolean): void;
  /**
   * Routes `percent` of production's traffic to `slot` (a ramp-up rule in production's site
   * config, replacing any others; journalled in `journal.routingHistory` as `via: "simulator"`).
   */
  routeTraffic(app: string, slot: string, percent: number): void;
  /**
   * How `build` of `app` behaves under load, wherever it runs: `errorPercent` of the simulated
   * users' requests answer 5xx, and they take `responseTimeMs` on average (defaults 0 % and
   * 120 ms). Given fields replace the build's current ones.
   */
  buildProfile(app: string, build: string, profile: Partial<BuildProfile>): void;
  /** Simulated users send `requestsPerSecond` to `app`'s production host (split by its rules). */
  userTraffic(app: string, requestsPerSecond: number): void;
  /** What one slot runs and holds. Throws for an unknown app or slot. */
  slot(app: string, slot: string): SlotDetails;
  /** What every slot of every app runs. */
  groundTruth(): AppTruth[];
  /** The URL of a slot's status page (`path` defaults to `/status`). */
  statusUrl(app: string, slot: string, path?: string): string;
  /** True while a swap of `app` runs. */
  isSwapping(app: string): boolean;
  /** An access token for ARM, as Entra would issue it (for raw requests in tests). */
  accessToken(options?: { audience?: string; lifetimeSeconds?: number }): string;
  slackMessages(): SlackMessage[];
  githubDeployments(): GithubDeployment[];

  // --- Fault injection. An `ArmMatcher` may be an app name. `count` defaults to 1. ---
  /** ARM answers 429 (or 503) with `Retry-After`. */
  throttle(
    match: string | ArmMatcher,
    options?: { count?: number; retryAfterSeconds?: number; status?: 429 | 503 },
  ): void;
  /** ARM answers a 5xx without `Retry-After`. */
  serverError(
    match: string | ArmMatcher,
    options?: { count?: number; status?: number; code?: string },
  ): void;
  /** ARM resets the connection. */
  resetConnections(match: string | ArmMatcher, options?: { count?: number }): void;
  /**
   * The next swap(s) of `app` fail on their final poll, leaving the contents as they were. The
   * operation result comes in App Service's own error shape (`{"Code","Message",...}`, default
   * 400 `BadRequest`, "Cannot swap slots for site … because the application initialization …"),
   * or in ARM's `{"error":{...}}` envelope with `shape: "arm"`.
   */
  failSwap(
    app: string,
    options?: {
      count?: number;
      status?: number;
      code?: string;
      message?: string;
      shape?: "app-service" | "arm";
    },
  ): void;
  /**
   * The next swap(s) of `app` exchange the builds and yet their operation result says failed
   * (default 500 `InternalServerError`, App Service's shape): ground truth moves, the client hears failure.
   */
  failSwapAfterSwapping(
    app: string,
    options?: { count?: number; status?: number; code?: string; message?: string },
  ): void;
  /**
   * Swaps of `app` flip routing `ms` after their operation says Succeeded: meanwhile each slot's
   * status page still serves the other slot of the pair (production keeps showing the old build).
   */
  routeLate(app: string, ms: number): void;
  /**
   * The next swap POST(s) of `app` are processed (the swap starts) but the connection is reset
   * instead of the 202: an answer lost after Azure acted on the request.
   */
  loseSwapAnswer(app: string, options?: { count?: number }): void;
  /** Matching ARM requests are processed, then their answer is lost (`then: "reset"`, default) or never sent (`"hang"`). */
  loseAnswers(
    match: string | ArmMatcher,
    options?: { count?: number; then?: "reset" | "hang" },
  ): void;
  /**
   * The next `count` polls of `app`'s swap operations (`…/operationresults/…`) are reset, or
   * answered with `status` (a 5xx in ARM's envelope, no `Retry-After`); the swap goes on and completes.
   */
  losePolls(app: string, count: number, options?: { status?: number }): void;
  /**
   * "Another operation is in progress" on `app` for `ms`: every write to any of its slots answers
   * 409 in App Service's shape (ExtendedCode 59203) naming `operationName` (default `Update`), and
   * GET site / slot report its id as `inProgressOperationId`. Returns the operation's id.
   */
  busySite(app: string, ms: number, operationName?: string): string;
  /**
   * Matching ARM requests are accepted and never answered: the socket stays open until the client
   * gives up (or the simulator closes). `processed: true`: Azure still performs them.
   */
  hang(match: string | ArmMatcher, options?: { count?: number; processed?: boolean }): void;
  /** The next `count` reads of a status page (`slot` undefined: any slot of `app`) are accepted and never answered. */
  hangStatusPage(app: string, slot?: string, count?: number): void;
  /**
   * Requests to another service are accepted and never answered: `slack` webhook posts, the
   * `github` API (optionally only `path`), the `entra` token endpoint, the `oidc` token endpoint.
   * `processed: true`: the service still acts (the message is posted, the deployment created).
   */
  hangService(
    service: HangableService,
    options?: { count?: number; processed?: boolean; path?: string | RegExp },
  ): void;
  /**
   * A status page alternates: one letter of `pattern` per read, `H` healthy, `U` unhealthy,
   * repeated (default `HU`: every second read unhealthy). Unhealthy is the platform's 503
   * (default) or `dependency` reported down. `count`: reads it covers (default until cleared).
   */
  flapStatusPage(
    app: string,
    options?: {
      slot?: string;
      pattern?: string;
      count?: number;
      unhealthy?: "503" | "dependency";
      dependency?: string;
    },
  ): void;
  /**
   * A status page (default production's) turns unhealthy `afterMs` (default 0) after its trigger:
   * `after: "next-swap"` (default) the app's next completed swap, `"now"` this call; for
   * `durationMs` (default until cleared). Unhealthy is a 503 (default) or `dependency` down.
   */
  regressStatusPage(
    app: string,
    options?: {
      slot?: string;
      after?: "now" | "next-swap";
      afterMs?: number;
      durationMs?: number;
      unhealthy?: "503" | "dependency";
      dependency?: string;
    },
  ): void;
  /** A status page (`slot` undefined: every slot of `app`) resets every connection until cleared. */
  unreachableStatusPage(app: string, slot?: string): void;
  /**
   * A status page reports `build` (any JSON value, e.g. a string with a newline and a workflow
   * command, or 10,000 characters) in its build field instead of what the slot runs, for
   * `count` reads (default until cleared).
   */
  lieOnStatusPage(app: string, build: unknown, options?: { slot?: string; count?: number }): void;
  /** Swaps of `app` take `ms`. */
  slowSwap(app: string, ms: number): void;
  /** Status pages of `app` answer 503 for `ms` after a slot's content changes. */
  slowWarmUp(app: string, ms: number): void;
  /** The production page reports `dependency` down while production runs `build`. */
  unhealthyInProduction(app: string, build: string, dependency: string): void;
  /** Any slot's page reports `dependency` down while it runs `build`. */
  unhealthy(app: string, build: string, dependency: string): void;
  /** The next `count` reads of a status page answer 5xx or reset the connection. */
  failStatusPage(
    app: string,
    options: { slot?: string; count?: number; kind?: "5xx" | "reset"; status?: number },
  ): void;
  /** The next `count` site config / app settings writes of `app` fail (a refresh that cannot be applied). */
  failDeploymentUpdate(
    app: string,
    options?: { count?: number; status?: number; code?: string; message?: string },
  ): void;
  /** The Slack webhook fails the next `count` posts. */
  failSlack(options?: {
    count?: number;
    kind?: "server-error" | "invalid-payload" | "no-service";
  }): void;
  /**
   * The next `count` (default 1) Azure Monitor metrics reads of `app` (`slot` undefined: the
   * site and every slot) fail: 429 (ARM's throttling, `SubscriptionRequestsThrottled` with
   * `Retry-After`), or a 5xx (default 503) in Azure Monitor's `{"code","message"}` shape.
   */
  failMetrics(
    app: string,
    options?: { status?: number; count?: number; slot?: string; retryAfterSeconds?: number },
  ): void;
  /** Removes every injected fault. */
  clearFaults(): void;

  close(): Promise<void>;
}

const DEFAULTS = {
  tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  clientId: "5c3d1a2b-0f9e-4c8d-9b7a-6e5f4d3c2b1a",
  repository: "octo-org/shop",
};

/** ARM's codes for the gateway errors a poll can meet. */
const GATEWAY_CODES: Record<number, string> = {
  500: "InternalServerError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

/** Which requests of each service `hangService` holds by default. */
const HANGING_REQUESTS: Record<HangableService, { method?: string; path?: RegExp }> = {
  slack: { method: "POST" },
  github: {},
  entra: { method: "POST", path: /\/oauth2\/v2\.0\/token$/i },
  oidc: { path: /^\/oidc\/token$/i },
};

function serviceOf(pathname: string): ServiceName {
  const first = pathname.split("/")[1]?.toLowerCase() ?? "";
  if (first === "subscriptions" || first === "metadata") return "arm";
  if (first === "oidc") return "oidc";
  if (first === "github") return "github";
  if (first === "slack") return "slack";
  if (first === "sites") return "status";
  return "entra";
}

/** Starts a simulator on 127.0.0.1 and resolves once it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  // A name of its own: two simulators in one process must not look like one issuer to the CA store.
  const tls = createSelfSignedCertificate(`regional-slot-swap simulator ${randomUUID()}`);
  const caDir = mkdtempSync(join(tmpdir(), "regional-slot-swap-sim-"));
  const caCertPath = join(caDir, "simulator-ca.pem");
  writeFileSync(caCertPath, tls.certPem);

  const repository = options.repository ?? DEFAULTS.repository;
  const settings: SimulatorSettings = {
    tenantId: options.tenantId ?? DEFAULTS.tenantId,
    clientId: options.clientId ?? DEFAULTS.clientId,
    clientSecret: options.clientSecret ?? `sim~${randomUUID()}`,
    swapDurationMs: options.swapDurationMs ?? 1000,
    retryAfterSeconds: options.retryAfterSeconds ?? 1,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
    oidcRequestToken: `sim-request-${randomUUID()}`,
    oidcSubject: options.oidcSubject ?? `repo:${repository}:environment:production`,
    federatedSubject: options.federatedSubject,
    repository,
    armApiVersions: options.armApiVersions,
    armAudience: options.armAudience,
    metricDelayMs: options.metricDelayMs ?? 60_000,
  };
  const metricGrainMs = options.metricGrainMs ?? 60_000;
  if (!(metricGrainMs >= 1))
    throw new Error(`simulator: metricGrainMs must be at least 1 ms, got ${metricGrainMs}.`);

  const timers = new Set<NodeJS.Timeout>();
  const held = new Set<Socket>();
  const now = (): number => Date.now();
  const armLimits = resolveArmLimits(options.armLimits);
  const apps = new Map<string, AppState>();
  const traffic = new Traffic({
    apps,
    now,
    origin: () => context.origin,
    grainMs: metricGrainMs,
    requestsPerSecond: options.userRequestsPerSecond ?? 20,
  });
  // Grains accrue on every request; the ticker keeps them current and forgets old ones (a day's worth).
  const ticker = setInterval(
    () => {
      traffic.accrue();
      traffic.prune(now() - Math.max(86_400_000, 1000 * metricGrainMs));
    },
    Math.max(metricGrainMs, 1000),
  );
  ticker.unref();
  const context: SimulatorContext = {
    origin: "", // set once listening
    apps,
    faults: new Faults(),
    journal: new Journal(),
    settings,
    now,
    later: (ms, work) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        work();
      }, ms);
      timers.add(timer);
    },
    hold: (req) => {
      held.add(req.socket);
      req.socket.once("close", () => held.delete(req.socket));
    },
    entraSigner: new JwtSigner(),
    oidcSigner: new JwtSigner(),
    armThrottle: armLimits ? new ArmThrottle(armLimits, now) : undefined,
    traffic,
  };
  const arm = new ArmService(context);
  const identity = new IdentityServices(context);
  const github = new GithubService(context);
  const slack = new SlackService(context);
  const statusPages = new StatusPages(context);

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", context.origin);
    const service = serviceOf(url.pathname);
    // Users served until now were served as the fleet was: accrue before anything changes it.
    traffic.accrue();
    const entry: JournalEntry = context.journal.add({
      at: context.now(),
      service,
      method: (req.method ?? "GET").toUpperCase(),
      // A webhook URL is a secret: keep only its shape.
      path:
        service === "slack"
          ? url.pathname.replace(/^(\/slack\/services)\/.*$/i, "$1/***")
          : url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
    });
    res.on("finish", () => {
      entry.status = res.statusCode;
    });
    const hang =
      service === "arm" || service === "status" || service === "unknown"
        ? undefined
        : context.faults.takeServiceHang({ service, method: entry.method, path: url.pathname });
    if (hang) {
      entry.fault = "hang";
      context.hold(req);
      if (!hang.processed) return;
      withholdAnswer(res);
    }
    try {
      switch (service) {
        case "arm":
          return await arm.handle(req, res, url, entry);
        case "oidc":
          return identity.handleOidc(req, res, url);
        case "github":
          return await github.handle(req, res, url);
        case "slack":
          return await slack.handle(req, res, url);
        case "status":
          return statusPages.handle(req, res, url, entry);
        default:
          return await identity.handleEntra(req, res, url);
      }
    } catch (error) {
      // A bug in the simulator must be loud, not a hanging request.
      process.stderr.write(
        `simulator: ${req.method} ${url.pathname} failed: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      if (!res.headersSent)
        sendJson(res, 500, {
          error: { code: "SimulatorError", message: String(error), target: null, details: [] },
        });
      else res.destroy();
    }
  }

  const server = createServer(
    { key: tls.keyPem, cert: tls.certPem },
    (req, res) => void dispatch(req, res),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `https://127.0.0.1:${port}`;
  context.origin = origin;

  const findApp = (name: string): AppState => {
    const app = context.apps.get(name.toLowerCase());
    if (!app)
      throw new Error(
        `simulator: no app '${name}'. Known apps: ${[...context.apps.values()].map((known) => known.seed.name).join(", ") || "none"}.`,
      );
    return app;
  };
  const findSlot = (name: string, slotName: string): { app: AppState; slot: SlotState } => {
    const app = findApp(name);
    const slot = app.slots.get(slotName.toLowerCase());
    if (!slot)
      throw new Error(
        `simulator: app '${name}' has no slot '${slotName}'. Its slots: ${[...app.slots.keys()].join(", ")}.`,
      );
    return { app, slot };
  };
  const matcher = (match: string | ArmMatcher): ArmMatcher =>
    typeof match === "string" ? { app: match } : match;
  /** Adds a swap failure of `app`: what the caller gave, else the defaults. */
  const addSwapFailure = (
    app: string,
    given: Partial<Omit<SwapFailure, "contentsMoved">> & { count?: number },
    defaults: SwapFailure,
  ): void => {
    findApp(app);
    context.faults.addSwapFailure(
      app,
      {
        status: given.status ?? defaults.status,
        code: given.code ?? defaults.code,
        message: given.message ?? defaults.message,
        contentsMoved: defaults.contentsMoved,
        shape: given.shape ?? defaults.shape,
      },
      given.count ?? 1,
    );
  };
  /** How a page shows it is unhealthy: a dependency down (the app's first by default) or a 503. */
  const illness = (
    app: string,
    shown: { unhealthy?: "503" | "dependency"; dependency?: string },
  ): PageIllness =>
    (shown.unhealthy ?? (shown.dependency === undefined ? "503" : "dependency")) === "dependency"
      ? {
          kind: "dependency",
          dependency:
            shown.dependency ?? findApp(app).seed.statusFormat?.dependencies?.[0] ?? "database",
        }
      : { kind: "503" };
  const addApp = (seed: AppSeed): void => {
    if (context.apps.has(seed.name.toLowerCase()))
      throw new Error(
        `simulator: app '${seed.name}' already exists; App Service app names are globally unique.`,
      );
    traffic.accrue();
    context.apps.set(seed.name.toLowerCase(), createApp(seed, context.now()));
  };
  for (const seed of options.apps ?? []) addApp(seed);

  const simulator: Simulator = {
    origin,
    port,
    armEndpoint: origin,
    authorityHost: origin,
    tenantId: settings.tenantId,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    oidcRequestUrl: `${origin}/oidc/token?api-version=2.0`,
    oidcRequestToken: settings.oidcRequestToken,
    githubApiUrl: `${origin}/github`,
    slackWebhookUrl: `${origin}/slack/services/T0SIMULATOR/B0SIMULATOR/${randomUUID().replace(/-/g, "").slice(0, 24)}`,
    caCertPem: tls.certPem,
    caCertPath,
    journal: context.journal,
    armThrottledCount: () => context.armThrottle?.throttledCount ?? 0,

    addApp,
    deploy(app, slotName, build) {
      const found = findSlot(app, slotName);
      traffic.accrue();
      deployBuild(found.app, found.slot, build, context.now());
    },
    removeSlot(app, slotName) {
      if (slotName.toLowerCase() === PRODUCTION)
        throw new Error("simulator: the production slot cannot be removed.");
      findSlot(app, slotName);
      traffic.accrue();
      findApp(app).slots.delete(slotName.toLowerCase());
    },
    setSlotState(app, slotName, state) {
      const found = findSlot(app, slotName);
      traffic.accrue();
      found.slot.state = state;
    },
    setAppSettings(app, slotName, settings) {
      const found = findSlot(app, slotName);
      traffic.accrue();
      for (const [name, value] of Object.entries(settings)) {
        if (value === null) delete found.slot.appSettings[name];
        else found.slot.appSettings[name] = value;
      }
      contentChanged(found.slot, context.now());
    },
    setConnectionStrings(app, slotName, strings) {
      const found = findSlot(app, slotName);
      for (const [name, pair] of Object.entries(strings)) {
        if (pair === null) delete found.slot.connectionStrings[name];
        else
          found.slot.connectionStrings[name] = { value: pair.value, type: pair.type ?? "Custom" };
      }
      contentChanged(found.slot, context.now());
    },
    setSlotConfigNames(app, names) {
      const found = findApp(app);
      found.slotConfigNames = {
        ...found.slotConfigNames,
        ...(names.appSettingNames ? { appSettingNames: [...names.appSettingNames] } : {}),
        ...(names.connectionStringNames
          ? { connectionStringNames: [...names.connectionStringNames] }
          : {}),
      };
    },
    setSiteConfig(app, slotName, properties) {
      const found = findSlot(app, slotName);
      traffic.accrue();
      for (const [key, value] of Object.entries(properties)) {
        if (key === "linuxFxVersion") {
          if (typeof value !== "string")
            throw new Error("simulator: linuxFxVersion is a string, e.g. DOCKER|image:tag.");
          found.slot.linuxFxVersion = value;
        } else if (value === null || value === undefined) delete found.slot.configOverrides[key];
        else found.slot.configOverrides[key] = structuredClone(value);
      }
      contentChanged(found.slot, context.now());
    },
    setSiteAuth(app, enabled) {
      findApp(app).siteAuth = enabled;
    },
    routeTraffic(app, slotName, percent) {
      const target = findSlot(app, slotName);
      traffic.accrue();
      findSlot(app, PRODUCTION).slot.configOverrides.experiments = {
        rampUpRules: [
          {
            name: slotName,
            actionHostName: arm.hostOf(target.app, target.slot),
            reroutePercentage: percent,
          },
        ],
      };
      arm.recordRouting(target.app, "simulator");
    },
    buildProfile(app, build, profile) {
      findApp(app);
      for (const [field, value] of Object.entries(profile))
        if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
          throw new Error(`simulator: buildProfile ${field} must be a number ≥ 0, got ${value}.`);
      if ((profile.errorPercent ?? 0) > 100)
        throw new Error(`simulator: errorPercent is a percentage, got ${profile.errorPercent}.`);
      traffic.setProfile(app, build, profile);
    },
    userTraffic(app, requestsPerSecond) {
      findApp(app);
      if (!Number.isFinite(requestsPerSecond) || requestsPerSecond < 0)
        throw new Error(`simulator: requestsPerSecond must be ≥ 0, got ${requestsPerSecond}.`);
      traffic.setRequestsPerSecond(app, requestsPerSecond);
    },
    slot(app, slotName) {
      const found = findSlot(app, slotName);
      return {
        ...truthOf(found.slot),
        linuxFxVersion: found.slot.linuxFxVersion,
        appSettings: { ...found.slot.appSettings },
        connectionStrings: structuredClone(found.slot.connectionStrings),
        siteConfig: structuredClone(found.slot.configOverrides),
        defaultHostName: arm.hostOf(found.app, found.slot),
      };
    },
    groundTruth() {
      return [...context.apps.values()].map((app) => {
        const staging = [...app.slots.values()].find((slot) => slot.name !== PRODUCTION);
        return {
          app: app.seed.name,
          subscriptionId: app.seed.subscriptionId,
          resourceGroup: app.seed.resourceGroup,
          location: app.seed.location,
          production: truthOf(app.slots.get(PRODUCTION)!),
          staging: staging ? truthOf(staging) : undefined,
        };
      });
    },
    statusUrl(app, slotName, path = "/status") {
      const found = findApp(app);
      const slot = found.slots.get(slotName.toLowerCase());
      const host = slot
        ? arm.hostOf(found, slot)
        : `${origin.slice("https://".length)}/sites/${found.seed.name}-${slotName}`;
      return `https://${host}${path}`;
    },
    isSwapping(app) {
      return arm.runningSwap(app) !== undefined;
    },
    accessToken(tokenOptions = {}) {
      const now = Math.floor(context.now() / 1000);
      return context.entraSigner.sign({
        aud: tokenOptions.audience ?? settings.armAudience ?? origin,
        iss: `${origin}/${settings.tenantId}/v2.0`,
        iat: now,
        nbf: now,
        exp: now + (tokenOptions.lifetimeSeconds ?? settings.tokenLifetimeSeconds),
        tid: settings.tenantId,
        appid: settings.clientId,
      });
    },
    slackMessages: () => [...slack.messages],
    githubDeployments: () => [...github.deployments],

    throttle(match, throttleOptions = {}) {
      const status = throttleOptions.status ?? 429;
      const retryAfterSeconds = throttleOptions.retryAfterSeconds ?? 1;
      context.faults.addArmFault(
        matcher(match),
        status === 429
          ? {
              kind: "status",
              status,
              retryAfterSeconds,
              code: "SubscriptionRequestsThrottled",
              message: `Number of requests for subscription exceeded the limit. Please try again after '${retryAfterSeconds}' seconds.`,
            }
          : {
              kind: "status",
              status,
              retryAfterSeconds,
              code: "ServiceUnavailable",
              message: `The service is temporarily unavailable. Please try again after '${retryAfterSeconds}' seconds.`,
            },
        throttleOptions.count ?? 1,
      );
    },
    serverError(match, errorOptions = {}) {
      context.faults.addArmFault(
        matcher(match),
        {
          kind: "status",
          status: errorOptions.status ?? 500,
          code: errorOptions.code ?? "InternalServerError",
          message: "An internal server error occurred in the simulated resource provider.",
        },
        errorOptions.count ?? 1,
      );
    },
    resetConnections(match, resetOptions = {}) {
      context.faults.addArmFault(matcher(match), { kind: "reset" }, resetOptions.count ?? 1);
    },
    failSwap(app, failOptions = {}) {
      addSwapFailure(app, failOptions, {
        status: 400,
        code: "BadRequest",
        message: undefined, // App Service's own words, naming the slot
        contentsMoved: false,
        shape: "app-service",
      });
    },
    failSwapAfterSwapping(app, failOptions = {}) {
      addSwapFailure(app, failOptions, {
        status: 500,
        code: "InternalServerError",
        message: `An error occurred while swapping the slots of site '${app}'. Retry the operation.`,
        contentsMoved: true,
        shape: "app-service",
      });
    },
    routeLate(app, ms) {
      findApp(app);
      context.faults.setLateRouting(app, ms);
    },
    loseSwapAnswer(app, loseOptions = {}) {
      simulator.loseAnswers(
        { app, method: "POST", path: /\/slotsswap$/i },
        { count: loseOptions.count },
      );
    },
    loseAnswers(match, loseOptions = {}) {
      context.faults.addArmFault(
        matcher(match),
        { kind: "lose-answer", then: loseOptions.then ?? "reset" },
        loseOptions.count ?? 1,
      );
    },
    losePolls(app, count, pollOptions = {}) {
      const polls = { app, method: "GET", path: /\/operationresults\//i };
      const status = pollOptions.status;
      if (status === undefined) context.faults.addArmFault(polls, { kind: "reset" }, count);
      else
        context.faults.addArmFault(
          polls,
          {
            kind: "status",
            status,
            code: GATEWAY_CODES[status] ?? "InternalServerError",
            message: `The request to operation results of site '${app}' failed with ${status}.`,
          },
          count,
        );
    },
    busySite(app, ms, operationName = "Update") {
      findApp(app);
      const id = randomUUID();
      const createdAt = context.now();
      context.faults.setBusy(app, {
        id,
        requestId: randomUUID(),
        operationName,
        createdAt,
        until: createdAt + ms,
      });
      return id;
    },
    hang(match, hangOptions = {}) {
      context.faults.addArmFault(
        matcher(match),
        hangOptions.processed ? { kind: "lose-answer", then: "hang" } : { kind: "hang" },
        hangOptions.count ?? 1,
      );
    },
    hangStatusPage(app, slotName, count = 1) {
      context.faults.addStatusFault(app, slotName, { kind: "hang" }, count);
    },
    hangService(service, hangOptions = {}) {
      const where = HANGING_REQUESTS[service];
      context.faults.addServiceHang(
        {
          service,
          method: where.method,
          path: hangOptions.path ?? where.path,
          processed: hangOptions.processed ?? false,
        },
        hangOptions.count ?? 1,
      );
    },
    flapStatusPage(app, flapOptions = {}) {
      const pattern = flapOptions.pattern ?? "HU";
      if (!/^[HU]+$/i.test(pattern))
        throw new Error(`simulator: a flap pattern is letters H and U, not '${pattern}'.`);
      context.faults.addFlap(
        { app, slot: flapOptions.slot, pattern, illness: illness(app, flapOptions) },
        flapOptions.count ?? Infinity,
      );
    },
    regressStatusPage(app, regressOptions = {}) {
      context.faults.addRegression(
        {
          app,
          slot: regressOptions.slot ?? PRODUCTION,
          trigger: regressOptions.after ?? "next-swap",
          afterMs: regressOptions.afterMs ?? 0,
          durationMs: regressOptions.durationMs,
          illness: illness(app, regressOptions),
        },
        context.now(),
      );
    },
    unreachableStatusPage(app, slotName) {
      context.faults.addStatusFault(app, slotName, { kind: "reset" }, Infinity);
    },
    lieOnStatusPage(app, build, lieOptions = {}) {
      findApp(app);
      context.faults.addLie(app, lieOptions.slot, build, lieOptions.count ?? Infinity);
    },
    slowSwap(app, ms) {
      context.faults.setSwapDuration(app, ms);
    },
    slowWarmUp(app, ms) {
      context.faults.setWarmUp(app, ms);
    },
    unhealthyInProduction(app, build, dependency) {
      context.faults.addUnhealthy({ app, build, dependency, where: "production" });
    },
    unhealthy(app, build, dependency) {
      context.faults.addUnhealthy({ app, build, dependency, where: "any" });
    },
    failStatusPage(app, pageOptions) {
      const count = pageOptions.count ?? 1;
      const fault =
        pageOptions.kind === "reset"
          ? ({ kind: "reset" } as const)
          : ({ kind: "status", status: pageOptions.status ?? 503 } as const);
      context.faults.addStatusFault(app, pageOptions.slot, fault, count);
    },
    failDeploymentUpdate(app, failOptions = {}) {
      context.faults.addDeploymentFailure(
        app,
        {
          status: failOptions.status ?? 400,
          code: failOptions.code ?? "BadRequest",
          message:
            failOptions.message ??
            `The deployment of site '${app}' could not be updated: the new image or package could not be pulled.`,
        },
        failOptions.count ?? 1,
      );
    },
    failSlack(slackOptions = {}) {
      const kind = slackOptions.kind ?? "server-error";
      const fault =
        kind === "no-service"
          ? { status: 404, body: "no_service" }
          : kind === "invalid-payload"
            ? { status: 400, body: "invalid_payload" }
            : { status: 500, body: "invalid_payload" };
      context.faults.addSlackFault(fault, slackOptions.count ?? 1);
    },
    failMetrics(app, metricOptions = {}) {
      findApp(app);
      const status = metricOptions.status ?? 503;
      const match: ArmMatcher = {
        app,
        slot: metricOptions.slot,
        method: "GET",
        path: /\/providers\/microsoft\.insights\/metrics$/i,
      };
      if (status === 429) {
        simulator.throttle(match, {
          count: metricOptions.count,
          retryAfterSeconds: metricOptions.retryAfterSeconds,
        });
        return;
      }
      context.faults.addArmFault(
        match,
        {
          kind: "status",
          status,
          code: GATEWAY_CODES[status] ?? "InternalServerError",
          message: `The metrics of '${app}' could not be read: the metrics service answered ${status}. Please retry the request.`,
          retryAfterSeconds: metricOptions.retryAfterSeconds,
          shape: "monitor",
        },
        metricOptions.count ?? 1,
      );
    },
    clearFaults() {
      context.faults.clear();
      for (const app of context.apps.values()) app.lateRouting = null;
    },

    async close() {
      clearInterval(ticker);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      arm.clear();
      // Hung requests hold their sockets open; the server would wait for them.
      for (const socket of held) socket.destroy();
      held.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      rmSync(caDir, { recursive: true, force: true });
    },
  };
  return simulator;
}
