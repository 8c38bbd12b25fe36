import {
  WebSiteManagementClient,
  type RampUpRule,
  type Site,
  type SiteConfigResource,
} from "@azure/arm-appservice";
import type { TokenCredential } from "@azure/identity";
import {
  PRODUCTION_SLOT,
  type Deployment,
  type KnownSiteConfig,
  type ResourceGroupAddress,
  type SlotAddress,
  type SlotDescription,
  type SlotDifference,
  type SlotGateway,
  type SwapActivity,
  type SwapResult,
  type TrafficRoute,
} from "../release/ports.js";
import { armCodeOf, armFailure, httpStatusOf } from "./arm-error.js";
import { ARM_RETRIES } from "./arm-pipeline.js";
import { attemptTimeoutPolicy } from "./attempt-timeout.js";
import { ArmRequestBudget, armPacingPolicy } from "./arm-pacing.js";
import { systemClock } from "../system-clock.js";
import { armTokenScope } from "./sign-in.js";
import { readSlotDifferences } from "./slot-differences.js";
import { sendSwap } from "./slot-swap.js";
import { redactSecrets } from "../redact-secrets.js";

/** Where Azure Resource Manager is and how the swap's long-running operation is polled. */
export interface ArmSlotGatewayOptions {
  /** Azure Resource Manager base URL, e.g. `https://management.azure.com`. */
  armEndpoint: string;
  /**
   * Pause between two polls of a running swap when ARM sends no `Retry-After`; 2 s (the SDK's
   * default) when absent. A `Retry-After` on an answer always wins.
   */
  pollIntervalMs?: number;
  /** Time limit of one attempt of one request; a hung connection is a failed attempt. */
  attemptTimeoutMs?: number;
  /** Token audience of ARM when it is not `armEndpoint` (Azure Stack Hub's, from the cloud's metadata). */
  armAudience?: string;
  /**
   * api-version of every request (the swap's included), for clouds that do not offer the SDK's
   * 2025-03-01 (Azure US Government, Azure Stack Hub); the SDK's own when absent.
   */
  apiVersion?: string;
  /**
   * The run's ARM request budget, shared with every other ARM client of the run (Azure Monitor);
   * one of the gateway's own when absent.
   */
  budget?: ArmRequestBudget;
}

/** Default pause between polls of a swap when Azure sends no `Retry-After`. */
const DEFAULT_POLL_INTERVAL_MS = 2_000;

/** The app setting that makes App Service run a zip package, here from a URL. */
const RUN_FROM_PACKAGE = "WEBSITE_RUN_FROM_PACKAGE";

/** 404 codes that mean the manifest points at the wrong place rather than at a missing slot. */
const CONTAINER_NOT_FOUND_CODES = new Set(["ResourceGroupNotFound", "SubscriptionNotFound"]);

/**
 * The release's slot operations on Azure Resource Manager, through `@azure/arm-appservice` 18
 * (the classic core-client SDK). Every failure is rethrown as an `Error` whose message names the
 * operation, the app and slot, the HTTP status and ARM's error code and message.
 */
export class ArmSlotGateway implements SlotGateway {
  /** Clients per subscription, created on first use: a fleet may span subscriptions. */
  private readonly clients = new Map<string, WebSiteManagementClient>();
  /** The same without retries, for the one request that must never be repeated: the swap POST. */
  private readonly onceClients = new Map<string, WebSiteManagementClient>();
  private readonly credential: TokenCredential;
  private readonly armEndpoint: string;
  private readonly pollIntervalMs: number;
  private readonly attemptTimeoutMs: number | undefined;
  private readonly budget: ArmRequestBudget;
  private readonly tokenScope: string;
  private readonly apiVersion: string | undefined;

  constructor(credential: TokenCredential, options: ArmSlotGatewayOptions) {
    this.credential = credential;
    this.armEndpoint = options.armEndpoint.replace(/\/+$/, "");
    this.tokenScope = armTokenScope(options.armAudience ?? this.armEndpoint);
    this.apiVersion = options.apiVersion;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.attemptTimeoutMs = options.attemptTimeoutMs;
    this.budget = options.budget ?? new ArmRequestBudget(systemClock);
  }

  async describeSlot(slot: SlotAddress, signal: AbortSignal): Promise<SlotDescription> {
    const { webApps } = this.client(slot);
    try {
      const site = isProduction(slot)
        ? await webApps.get(slot.resourceGroup, slot.app, { abortSignal: signal })
        : await webApps.getSlot(slot.resourceGroup, slot.app, slot.slot, { abortSignal: signal });
      const description = {
        exists: true as const,
        state: site.state ?? "Unknown",
        defaultHostName: site.defaultHostName ?? "",
      };
      return isProduction(slot)
        ? { ...description, swapActivity: swapActivityOf(site) }
        : description;
    } catch (error) {
      // A missing app or slot is an answer pre-flight reports; a missing resource group or
      // subscription is a manifest mistake and fails loudly with ARM's code.
      if (httpStatusOf(error) === 404 && !CONTAINER_NOT_FOUND_CODES.has(armCodeOf(error) ?? "")) {
        return { exists: false };
      }
      throw armFailure(`reading ${name(slot)}`, error, slot);
    }
  }

  async listSlots(
    group: ResourceGroupAddress,
    signal: AbortSignal,
  ): Promise<Map<string, SlotDescription>> {
    const where = { ...group, app: "", slot: PRODUCTION_SLOT };
    const { webApps } = this.client(where);
    const slots = new Map<string, SlotDescription>();
    try {
      // GET …/resourceGroups/{rg}/providers/Microsoft.Web/sites?includeSlots=true, page by page.
      for await (const site of webApps.listByResourceGroup(group.resourceGroup, {
        includeSlots: true,
        abortSignal: signal,
      })) {
        const [app, slot] = (site.name ?? "").split("/");
        if (app === undefined || app === "") continue;
        const production = slot === undefined;
        const linuxFxVersion = site.siteConfig?.linuxFxVersion;
        const windowsFxVersion = site.siteConfig?.windowsFxVersion;
        slots.set(`${app}/${slot ?? PRODUCTION_SLOT}`.toLowerCase(), {
          exists: true,
          state: site.state ?? "Unknown",
          defaultHostName: site.defaultHostName ?? "",
          ...(production ? { swapActivity: swapActivityOf(site) } : {}),
          ...(linuxFxVersion !== undefined && /^DOCKER\|/i.test(linuxFxVersion)
            ? { deployment: { kind: "container" as const, linuxFxVersion } }
            : {}),
          // A list that left the site config out says nothing: readDeployment then reads it.
          ...(typeof linuxFxVersion === "string"
            ? {
                siteConfig: {
                  linuxFxVersion,
                  ...(windowsFxVersion === undefined ? {} : { windowsFxVersion }),
                },
              }
            : {}),
        });
      }
    } catch (error) {
      throw armFailure(`listing the apps of resource group ${group.resourceGroup}`, error, where);
    }
    return slots;
  }

  async readSwapActivity(production: SlotAddress, signal: AbortSignal): Promise<SwapActivity> {
    const { webApps } = this.client(production);
    try {
      return swapActivityOf(
        await webApps.get(production.resourceGroup, production.app, { abortSignal: signal }),
      );
    } catch (error) {
      throw armFailure(`reading ${name(production)}`, error, production);
    }
  }

  async swapIntoProduction(
    app: SlotAddress,
    options: { preserveVnet: boolean },
    signal: AbortSignal,
  ): Promise<SwapResult> {
    if (isProduction(app)) {
      return {
        kind: "refused",
        message: `swap of ${name(app)} into production is impossible: the source slot is production itself.`,
      };
    }
    const client = this.client(app);
    // POST .../slots/{source}/slotsswap with targetSlot=production: the source slot is in the URL
    // and the target in the body, so the request says exactly what moves where; it is what
    // `az webapp deployment slot swap --slot <source>` sends.
    const result = await sendSwap(
      {
        url: `${this.siteUrl(app)}/slots/${encodeURIComponent(app.slot)}/slotsswap?api-version=${client.apiVersion}`,
        body: { targetSlot: PRODUCTION_SLOT, preserveVnet: options.preserveVnet },
        once: this.onceClient(app),
        polls: this.onceClient(app),
        defaultPollIntervalMs: this.pollIntervalMs,
      },
      signal,
    );
    return result.kind === "completed"
      ? result
      : { ...result, message: redactSecrets(`swap of ${name(app)}: ${result.message}`) };
  }

  async applyProductionConfig(
    app: SlotAddress,
    options: { preserveVnet: boolean },
    signal: AbortSignal,
  ): Promise<void> {
    const { webApps } = this.client(app);
    try {
      // POST .../sites/{app}/slots/{source}/applySlotConfig {targetSlot: production}: phase 1 of a
      // swap with preview, exactly as the Azure CLI sends it for `az webapp deployment slot swap
      // --slot <source> --action preview` (observed from az 2.45 in test/azure-cli.test.ts; the
      // production-site form is what the CLI sends without --slot). The source slot restarts with
      // production's settings; routing does not change until the swap completes.
      await webApps.applySlotConfigurationSlot(
        app.resourceGroup,
        app.app,
        app.slot,
        { targetSlot: PRODUCTION_SLOT, preserveVnet: options.preserveVnet },
        { abortSignal: signal },
      );
    } catch (error) {
      throw armFailure(
        `applying production's settings to ${name(app)} (swap with preview)`,
        error,
        app,
      );
    }
  }

  async resetProductionConfig(app: SlotAddress, signal: AbortSignal): Promise<void> {
    const { webApps } = this.client(app);
    try {
      // POST .../sites/{app}/resetSlotConfig: cancels the pending swap with preview, as
      // `az webapp deployment slot swap --action reset` does when the target is production.
      await webApps.resetProductionSlotConfig(app.resourceGroup, app.app, { abortSignal: signal });
    } catch (error) {
      throw armFailure(`resetting the swap with preview of ${name(app)}`, error, app);
    }
  }

  async readDeployment(
    slot: SlotAddress,
    signal: AbortSignal,
    known?: KnownSiteConfig,
  ): Promise<Deployment> {
    const config = known ?? (await this.readSiteConfig(slot, signal));
    const linuxFxVersion = config.linuxFxVersion ?? "";
    if (/^DOCKER\|/i.test(linuxFxVersion)) return { kind: "container", linuxFxVersion };

    const settings = await this.readAppSettings(slot, signal);
    const runFromPackage = findSetting(settings, RUN_FROM_PACKAGE)?.value.trim() ?? "";
    if (/^https?:\/\//i.test(runFromPackage))
      return { kind: "package", packageUrl: runFromPackage };

    return {
      kind: "unsupported",
      reason: unsupportedReason(linuxFxVersion, config.windowsFxVersion, runFromPackage),
    };
  }

  async readTrafficRouting(production: SlotAddress, signal: AbortSignal): Promise<TrafficRoute[]> {
    const config = await this.readSiteConfig(production, signal);
    return trafficRoutesOf(config);
  }

  async setTrafficRouting(
    production: SlotAddress,
    routes: TrafficRoute[],
    signal: AbortSignal,
  ): Promise<void> {
    if (!isProduction(production)) {
      throw new Error(
        `traffic routing of ${name(production)}: rules are production's, not a slot's; address the production slot`,
      );
    }
    const rampUpRules = routes.map((route) => rampUpRuleOf(production, route));
    const { webApps } = this.client(production);
    try {
      // PATCH .../sites/{app}/config/web {properties: {experiments: {rampUpRules}}}: the request
      // `az webapp traffic-routing set` and `clear` send (custom.py `set_traffic_routing`, whose
      // `update_configuration` is this PATCH; `clear` sets `[]`). The CLI reads the whole config
      // first and sends all of it back; a PATCH merges, so only `experiments` is sent here and no
      // other setting is written back as it was read a moment before.
      await webApps.updateConfiguration(
        production.resourceGroup,
        production.app,
        { experiments: { rampUpRules } },
        { abortSignal: signal },
      );
    } catch (error) {
      throw armFailure(
        rampUpRules.length === 0
          ? `removing the traffic-routing rules of ${name(production)}`
          : `setting the traffic-routing rules of ${name(production)} (${routes.map(describeRoute).join(", ")})`,
        error,
        production,
      );
    }
  }

  private async readSiteConfig(
    slot: SlotAddress,
    signal: AbortSignal,
  ): Promise<SiteConfigResource> {
    const { webApps } = this.client(slot);
    const options = { abortSignal: signal };
    try {
      return isProduction(slot)
        ? await webApps.getConfiguration(slot.resourceGroup, slot.app, options)
        : await webApps.getConfigurationSlot(slot.resourceGroup, slot.app, slot.slot, options);
    } catch (error) {
      throw armFailure(`reading the site config of ${name(slot)}`, error, slot);
    }
  }

  async applyDeployment(
    slot: SlotAddress,
    deployment: Deployment,
    signal: AbortSignal,
  ): Promise<void> {
    const { webApps } = this.client(slot);
    const options = { abortSignal: signal };
    switch (deployment.kind) {
      case "container": {
        // PATCH with only linuxFxVersion: every other site setting of the slot stays as it is.
        const patch: SiteConfigResource = { linuxFxVersion: deployment.linuxFxVersion };
        try {
          if (isProduction(slot))
            await webApps.updateConfiguration(slot.resourceGroup, slot.app, patch, options);
          else
            await webApps.updateConfigurationSlot(
              slot.resourceGroup,
              slot.app,
              slot.slot,
              patch,
              options,
            );
        } catch (error) {
          throw armFailure(`setting the container image of ${name(slot)}`, error, slot);
        }
        return;
      }
      case "package": {
        // PUT .../config/appsettings replaces the whole set: start from the slot's current
        // settings so that nothing but the package URL changes.
        const settings = await this.readAppSettings(slot, signal);
        const key = findSetting(settings, RUN_FROM_PACKAGE)?.key ?? RUN_FROM_PACKAGE;
        const properties = { ...settings, [key]: deployment.packageUrl };
        try {
          if (isProduction(slot)) {
            await webApps.updateApplicationSettings(
              slot.resourceGroup,
              slot.app,
              { properties },
              options,
            );
          } else {
            await webApps.updateApplicationSettingsSlot(
              slot.resourceGroup,
              slot.app,
              slot.slot,
              { properties },
              options,
            );
          }
        } catch (error) {
          throw armFailure(`setting ${RUN_FROM_PACKAGE} of ${name(slot)}`, error, slot);
        }
        return;
      }
      case "unsupported":
        throw new Error(`cannot make ${name(slot)} run the same deployment: ${deployment.reason}`);
    }
  }

  private async readAppSettings(
    slot: SlotAddress,
    signal: AbortSignal,
  ): Promise<Record<string, string>> {
    const { webApps } = this.client(slot);
    const options = { abortSignal: signal };
    try {
      const answer = isProduction(slot)
        ? await webApps.listApplicationSettings(slot.resourceGroup, slot.app, options)
        : await webApps.listApplicationSettingsSlot(
            slot.resourceGroup,
            slot.app,
            slot.slot,
            options,
          );
      return answer.properties ?? {};
    } catch (error) {
      throw armFailure(`reading the app settings of ${name(slot)}`, error, slot);
    }
  }

  private client(slot: SlotAddress): WebSiteManagementClient {
    return this.clientFrom(this.clients, slot, ARM_RETRIES);
  }

  private onceClient(slot: SlotAddress): WebSiteManagementClient {
    return this.clientFrom(this.onceClients, slot, { maxRetries: 0 });
  }

  private clientFrom(
    clients: Map<string, WebSiteManagementClient>,
    slot: SlotAddress,
    retryOptions: { maxRetries: number; maxRetryDelayInMs?: number },
  ): WebSiteManagementClient {
    let client = clients.get(slot.subscriptionId);
    if (client === undefined) {
      client = new WebSiteManagementClient(this.credential, slot.subscriptionId, {
        endpoint: this.armEndpoint,
        credentialScopes: [this.tokenScope],
        retryOptions,
        // The SDK then rewrites the api-version of every request its pipeline sends, the swap's too.
        ...(this.apiVersion === undefined ? {} : { apiVersion: this.apiVersion }),
      });
      // After the retry policy, so that each attempt takes a token and has its own limit, and a
      // timeout is retried; waiting for a token is not counted against the attempt's limit.
      client.pipeline.addPolicy(armPacingPolicy(this.budget), { afterPhase: "Retry" });
      client.pipeline.addPolicy(attemptTimeoutPolicy(this.attemptTimeoutMs), {
        afterPhase: "Retry",
      });
      clients.set(slot.subscriptionId, client);
    }
    return client;
  }

  private siteUrl(app: SlotAddress): string {
    return `${this.armEndpoint}/subscriptions/${encodeURIComponent(app.subscriptionId)}/resourceGroups/${encodeURIComponent(app.resourceGroup)}/providers/Microsoft.Web/sites/${encodeURIComponent(app.app)}`;
  }

  /** Azure's slot diff of a swap of `source` into production (see `slot-differences.ts`). */
  async readSlotDifferences(
    source: SlotAddress,
    options: { preserveVnet: boolean },
    signal: AbortSignal,
  ): Promise<SlotDifference[]> {
    return readSlotDifferences(this.client(source), this.armEndpoint, source, options, signal);
  }
}

/** What the production site says of swaps: an operation in progress, and when the last swap completed. */
function swapActivityOf(site: Site): SwapActivity {
  const completed = site.slotSwapStatus?.timestampUtc;
  return {
    operationInProgress: (site.inProgressOperationId ?? "") !== "",
    lastSwapCompleted:
      completed instanceof Date && !Number.isNaN(completed.getTime())
        ? completed.toISOString()
        : null,
  };
}

/** Production's rules as the core reads them; a rule Azure answers without a field says so. */
function trafficRoutesOf(config: SiteConfigResource): TrafficRoute[] {
  return (config.experiments?.rampUpRules ?? []).map((rule) => ({
    name: rule.name ?? "(unnamed)",
    toHost: rule.actionHostName ?? "(unknown host)",
    percent: rule.reroutePercentage ?? 0,
  }));
}

/** A route as Azure stores it, the way `az webapp traffic-routing set` writes it. */
function rampUpRuleOf(production: SlotAddress, route: TrafficRoute): RampUpRule {
  const percent = route.percent;
  if (!Number.isFinite(percent) || percent < 0 || percent > 100 || route.toHost.trim() === "") {
    throw new Error(
      `traffic routing of ${name(production)}: a rule sends 0 to 100 percent to a host name, not ${describeRoute(route)}`,
    );
  }
  return { name: route.name, actionHostName: route.toHost, reroutePercentage: percent };
}

function describeRoute(route: TrafficRoute): string {
  return `${route.percent} % to ${route.toHost || "(no host)"}`;
}

function isProduction(slot: SlotAddress): boolean {
  return slot.slot === PRODUCTION_SLOT;
}

function name(slot: SlotAddress): string {
  return `${slot.app}/${slot.slot}`;
}

/** App Service treats setting names case-insensitively (they become environment variables). */
function findSetting(
  settings: Record<string, string>,
  wanted: string,
): { key: string; value: string } | undefined {
  const key = Object.keys(settings).find((candidate) => candidate.toUpperCase() === wanted);
  return key === undefined ? undefined : { key, value: settings[key] ?? "" };
}

const SUPPORTED =
  "supported: a Linux container (linuxFxVersion `DOCKER|<image>`) or a package URL (`WEBSITE_RUN_FROM_PACKAGE=https://…`)";

function unsupportedReason(
  linuxFxVersion: string,
  windowsFxVersion: string | undefined,
  runFromPackage: string,
): string {
  if (runFromPackage === "1") {
    return (
      "WEBSITE_RUN_FROM_PACKAGE=1 runs a package stored in the slot's own file system (data/SitePackages), " +
      `which cannot be mirrored to another slot; ${SUPPORTED}. Deploy the build to staging yourself, or set \`refresh: none\`.`
    );
  }
  if (runFromPackage !== "") {
    // The value may be a path or a URL with a secret in it: describe it, never print it.
    return `WEBSITE_RUN_FROM_PACKAGE is set, but not to an http(s) URL; ${SUPPORTED}.`;
  }
  if (windowsFxVersion && /^DOCKER\|/i.test(windowsFxVersion)) {
    return `the slot runs a Windows container (windowsFxVersion), which the refresh does not mirror; ${SUPPORTED}.`;
  }
  if (/^SITECONTAINERS$/i.test(linuxFxVersion)) {
    // A Linux sidecar app: its main container (image and tag) and its sidecars are site container
    // resources (`…/sitecontainers/{name}`, `isMain` marks the main one), not linuxFxVersion.
    // @azure/arm-appservice 18 has the API (webApps.listSiteContainers[Slot],
    // createOrUpdateSiteContainer[Slot]), so a mirror is possible in principle, but not cleanly
    // here: a Deployment (release/ports.ts) is a linuxFxVersion or a package URL, and a faithful
    // copy would be every container of the slot (sidecars, environment, volume mounts), not one image.
    return (
      "the slot runs a sidecar app (linuxFxVersion `SITECONTAINERS`): its main container's image is set through the site containers API " +
      "(Microsoft.Web/sites/sitecontainers), not linuxFxVersion, and the refresh does not mirror site containers " +
      `(deploy the build to the staging slot's main container yourself, or set \`refresh: none\`); ${SUPPORTED}`
    );
  }
  if (/^COMPOSE\|/i.test(linuxFxVersion)) {
    return `the slot runs a Docker Compose multi-container app (linuxFxVersion \`COMPOSE|…\`), which the refresh does not mirror; ${SUPPORTED}.`;
  }
  if (linuxFxVersion !== "") {
    return `the slot runs code deployed into its file system on the ${linuxFxVersion.split("|")[0]} stack (linuxFxVersion \`${linuxFxVersion}\`), which cannot be mirrored; ${SUPPORTED}.`;
  }
  return `the slot has neither a container image nor a package URL (code deployed into its file system cannot be mirrored); ${SUPPORTED}.`;
}
