import { WebSiteManagementClient, type SiteConfigResource } from "@azure/arm-appservice";
import type { TokenCredential } from "@azure/identity";
import {
  PRODUCTION_SLOT,
  type Deployment,
  type SlotAddress,
  type SlotDescription,
  type SlotGateway,
  type TrafficRoute,
} from "../release/ports.js";
import { armCodeOf, armFailure, httpStatusOf } from "./arm-error.js";
import { armTokenScope } from "./sign-in.js";

/** Where Azure Resource Manager is and how the swap's long-running operation is polled. */
export interface ArmSlotGatewayOptions {
  /** Azure Resource Manager base URL, e.g. `https://management.azure.com`. */
  armEndpoint: string;
  /**
   * Pause between two polls of a running swap when ARM sends no `Retry-After`; the SDK's default
   * (2 s) when absent. A `Retry-After` on a poll answer always wins (core-lro reads it).
   */
  pollIntervalMs?: number;
}

/**
 * More patience than the SDK's default 3 retries: ARM's read bucket refills at 25 requests a
 * second, and a fleet of hundreds of apps empties it (test/bench/RESULTS.md). A 429 waits its
 * Retry-After; a 5xx backs off exponentially, at most 30 s a time (about a minute in all).
 */
const ARM_RETRIES = { maxRetries: 6, maxRetryDelayInMs: 30_000 };

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
  /** One client per subscription, created on first use: a fleet may span subscriptions. */
  private readonly clients = new Map<string, WebSiteManagementClient>();
  private readonly credential: TokenCredential;
  private readonly armEndpoint: string;
  private readonly pollIntervalMs: number | undefined;

  constructor(credential: TokenCredential, options: ArmSlotGatewayOptions) {
    this.credential = credential;
    this.armEndpoint = options.armEndpoint.replace(/\/+$/, "");
    this.pollIntervalMs = options.pollIntervalMs;
  }

  async describeSlot(slot: SlotAddress): Promise<SlotDescription> {
    const { webApps } = this.client(slot);
    try {
      const site = isProduction(slot)
        ? await webApps.get(slot.resourceGroup, slot.app)
        : await webApps.getSlot(slot.resourceGroup, slot.app, slot.slot);
      return {
        exists: true,
        state: site.state ?? "Unknown",
        defaultHostName: site.defaultHostName ?? "",
      };
    } catch (error) {
      // A missing app or slot is an answer pre-flight reports; a missing resource group or
      // subscription is a manifest mistake and fails loudly with ARM's code.
      if (httpStatusOf(error) === 404 && !CONTAINER_NOT_FOUND_CODES.has(armCodeOf(error) ?? "")) {
        return { exists: false };
      }
      throw armFailure(`reading ${name(slot)}`, error, slot);
    }
  }

  async swapIntoProduction(app: SlotAddress, options: { preserveVnet: boolean }): Promise<void> {
    if (isProduction(app)) {
      throw new Error(
        `swap of ${name(app)} into production is impossible: the source slot is production itself.`,
      );
    }
    const { webApps } = this.client(app);
    try {
      // POST .../slots/{source}/slotsswap with targetSlot=production: the source slot is in the
      // URL and the target in the body, so the request says exactly what moves where; it is what
      // `az webapp deployment slot swap --slot <source>` sends. 18.x accepts 200/201/202/204 for the
      // request and its polls. Its poller sends two polls right after the 202 (one when the
      // operation starts, one before its first wait), then waits each poll answer's Retry-After:
      // measured in test/bench/RESULTS.md, 5 polls for a 3 s swap with Retry-After: 1.
      await webApps.beginSwapSlotAndWait(
        app.resourceGroup,
        app.app,
        app.slot,
        { targetSlot: PRODUCTION_SLOT, preserveVnet: options.preserveVnet },
        this.pollIntervalMs === undefined ? {} : { updateIntervalInMs: this.pollIntervalMs },
      );
    } catch (error) {
      throw armFailure(`swap of ${name(app)} into production`, error, app);
    }
  }

  async applyProductionConfig(app: SlotAddress, options: { preserveVnet: boolean }): Promise<void> {
    const { webApps } = this.client(app);
    try {
      // POST .../sites/{app}/applySlotConfig {targetSlot: source}: phase 1 of a swap with preview,
      // as `az webapp deployment slot swap --action preview` sends it. The source slot restarts
      // with production's settings; routing does not change until the swap completes.
      await webApps.applySlotConfigToProduction(app.resourceGroup, app.app, {
        targetSlot: app.slot,
        preserveVnet: options.preserveVnet,
      });
    } catch (error) {
      throw armFailure(
        `applying production's settings to ${name(app)} (swap with preview)`,
        error,
        app,
      );
    }
  }

  async resetProductionConfig(app: SlotAddress): Promise<void> {
    const { webApps } = this.client(app);
    try {
      // POST .../sites/{app}/resetSlotConfig: cancels the pending swap with preview, as
      // `az webapp deployment slot swap --action reset` does when the target is production.
      await webApps.resetProductionSlotConfig(app.resourceGroup, app.app);
    } catch (error) {
      throw armFailure(`resetting the swap with preview of ${name(app)}`, error, app);
    }
  }

  async readDeployment(slot: SlotAddress): Promise<Deployment> {
    const config = await this.readSiteConfig(slot);
    const linuxFxVersion = config.linuxFxVersion ?? "";
    if (/^DOCKER\|/i.test(linuxFxVersion)) return { kind: "container", linuxFxVersion };

    const settings = await this.readAppSettings(slot);
    const runFromPackage = findSetting(settings, RUN_FROM_PACKAGE)?.value.trim() ?? "";
    if (/^https?:\/\//i.test(runFromPackage))
      return { kind: "package", packageUrl: runFromPackage };

    return {
      kind: "unsupported",
      reason: unsupportedReason(linuxFxVersion, config.windowsFxVersion, runFromPackage),
    };
  }

  async readTrafficRouting(production: SlotAddress): Promise<TrafficRoute[]> {
    const config = await this.readSiteConfig(production);
    return (config.experiments?.rampUpRules ?? []).map((rule) => ({
      name: rule.name ?? "(unnamed)",
      toHost: rule.actionHostName ?? "(unknown host)",
      percent: rule.reroutePercentage ?? 0,
    }));
  }

  private async readSiteConfig(slot: SlotAddress): Promise<SiteConfigResource> {
    const { webApps } = this.client(slot);
    try {
      return isProduction(slot)
        ? await webApps.getConfiguration(slot.resourceGroup, slot.app)
        : await webApps.getConfigurationSlot(slot.resourceGroup, slot.app, slot.slot);
    } catch (error) {
      throw armFailure(`reading the site config of ${name(slot)}`, error, slot);
    }
  }

  async applyDeployment(slot: SlotAddress, deployment: Deployment): Promise<void> {
    const { webApps } = this.client(slot);
    switch (deployment.kind) {
      case "container": {
        // PATCH with only linuxFxVersion: every other site setting of the slot stays as it is.
        const patch: SiteConfigResource = { linuxFxVersion: deployment.linuxFxVersion };
        try {
          if (isProduction(slot))
            await webApps.updateConfiguration(slot.resourceGroup, slot.app, patch);
          else
            await webApps.updateConfigurationSlot(slot.resourceGroup, slot.app, slot.slot, patch);
        } catch (error) {
          throw armFailure(`setting the container image of ${name(slot)}`, error, slot);
        }
        return;
      }
      case "package": {
        // PUT .../config/appsettings replaces the whole set: start from the slot's current
        // settings so that nothing but the package URL changes.
        const settings = await this.readAppSettings(slot);
        const key = findSetting(settings, RUN_FROM_PACKAGE)?.key ?? RUN_FROM_PACKAGE;
        const properties = { ...settings, [key]: deployment.packageUrl };
        try {
          if (isProduction(slot)) {
            await webApps.updateApplicationSettings(slot.resourceGroup, slot.app, { properties });
          } else {
            await webApps.updateApplicationSettingsSlot(slot.resourceGroup, slot.app, slot.slot, {
              properties,
            });
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

  private async readAppSettings(slot: SlotAddress): Promise<Record<string, string>> {
    const { webApps } = this.client(slot);
    try {
      const answer = isProduction(slot)
        ? await webApps.listApplicationSettings(slot.resourceGroup, slot.app)
        : await webApps.listApplicationSettingsSlot(slot.resourceGroup, slot.app, slot.slot);
      return answer.properties ?? {};
    } catch (error) {
      throw armFailure(`reading the app settings of ${name(slot)}`, error, slot);
    }
  }

  private client(slot: SlotAddress): WebSiteManagementClient {
    let client = this.clients.get(slot.subscriptionId);
    if (client === undefined) {
      client = new WebSiteManagementClient(this.credential, slot.subscriptionId, {
        endpoint: this.armEndpoint,
        credentialScopes: [armTokenScope(this.armEndpoint)],
        retryOptions: ARM_RETRIES,
      });
      this.clients.set(slot.subscriptionId, client);
    }
    return client;
  }
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
  if (/^COMPOSE\|/i.test(linuxFxVersion)) {
    return `the slot runs a Docker Compose multi-container app (linuxFxVersion \`COMPOSE|…\`), which the refresh does not mirror; ${SUPPORTED}.`;
  }
  if (linuxFxVersion !== "") {
    return `the slot runs code deployed into its file system on the ${linuxFxVersion.split("|")[0]} stack (linuxFxVersion \`${linuxFxVersion}\`), which cannot be mirrored; ${SUPPORTED}.`;
  }
  return `the slot has neither a container image nor a package URL (code deployed into its file system cannot be mirrored); ${SUPPORTED}.`;
}
