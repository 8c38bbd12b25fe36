/**
 * The simulated fleet: App Service apps, their slots, and the ground truth of what each slot runs.
 * A slot's build is never stored on its own: it follows from the slot's deployment (container
 * image, run-from-package URL, or plain code for `other` apps), exactly as on App Service.
 */

/**
 * How an app is deployed, which decides how a refresh could mirror it. `sitecontainers`: a Linux
 * sidecar app, whose site config says `linuxFxVersion: SITECONTAINERS` and whose main container
 * (image and tag) is defined through the site containers API (`…/sitecontainers/{name}`).
 */
export type AppKind = "container" | "package" | "other" | "sitecontainers";

/** The dependency shapes status pages come in. */
export type DependencyShape = "object" | "aspnet" | "spring" | "ietf" | "array";

/** How an app's status page is laid out. */
export interface StatusFormat {
  /** Dot path of the build identifier (default `build`; e.g. `version`, `app.build`). */
  buildField?: string;
  /** Default `object`: `{"dependencies":{"database":"ok"}}`. */
  dependencyShape?: DependencyShape;
  /** Dependency names (default `database`, `cache`). */
  dependencies?: string[];
  /** Dot path for the `object` and `array` shapes (default `dependencies`). */
  dependenciesField?: string;
}

/** One slot at seeding time. */
export interface SlotSeed {
  build: string;
  state?: "Running" | "Stopped";
}

/** Everything needed to create one app. */
export interface AppSeed {
  subscriptionId: string;
  resourceGroup: string;
  /** Globally unique, like App Service app names. */
  name: string;
  location: string;
  kind: AppKind;
  production: SlotSeed;
  /** `undefined`: the app has no staging slot. */
  staging: SlotSeed | undefined;
  /** Name of the staging slot (default `staging`). */
  stagingSlotName?: string;
  statusFormat?: StatusFormat;
  /** Slot settings (sticky, named in slotConfigNames) with each slot's own value. */
  stickySettings?: Record<string, { production: string; staging: string }>;
  /** More non-sticky app settings, the same in both slots. */
  appSettings?: Record<string, string>;
  /** Connection strings (non-sticky), the same in both slots. */
  connectionStrings?: Record<string, ConnectionString>;
  /** Site authentication (Easy Auth) enabled: swap with preview is refused. */
  siteAuth?: boolean;
  /** Container repository for `container` apps (default `shopregistry.azurecr.io/<name>`). */
  image?: string;
}

/** One connection string as ARM holds it (`ConnStringValueTypePair`): its value and its kind. */
export interface ConnectionString {
  value: string;
  /** ARM's `ConnectionStringType`, e.g. `SQLAzure`, `SQLServer`, `MySql`, `Custom`. */
  type: string;
}

/**
 * The site config properties a swap moves with the content, as the staging-slots article lists
 * them ("language framework settings", "32-bit vs 64-bit", "WebSockets"), plus the HTTP version;
 * every other property (Always On, IP restrictions, CORS, traffic routing…) stays with its slot.
 */
export const SWAPPED_SITE_CONFIG = [
  "linuxFxVersion",
  "windowsFxVersion",
  "netFrameworkVersion",
  "phpVersion",
  "pythonVersion",
  "nodeVersion",
  "powerShellVersion",
  "javaVersion",
  "javaContainer",
  "javaContainerVersion",
  "use32BitWorkerProcess",
  "webSocketsEnabled",
  "http20Enabled",
] as const;

/** The name ARM and the core use for the production slot. */
export const PRODUCTION = "production";

/** The mutable state of one slot. */
export interface SlotState {
  name: string;
  state: "Running" | "Stopped";
  linuxFxVersion: string;
  /** Site config properties written through ARM besides `linuxFxVersion` (they stay with the slot). */
  configOverrides: Record<string, unknown>;
  appSettings: Record<string, string>;
  /** Connection strings by name (`config/connectionstrings`); sticky ones are named in slotConfigNames. */
  connectionStrings: Record<string, ConnectionString>;
  /** The build of code deployed without an image or package URL (`other` apps): it moves on swap. */
  code: string;
  /** When the content last changed (swap, deployment, restart): warm-up counts from here. */
  contentChangedAt: number;
  lastModifiedTimeUtc: string;
  slotSwapStatus: {
    timestampUtc: string;
    sourceSlotName: string;
    destinationSlotName: string;
  } | null;
  /**
   * Swap with preview in progress: the slot runs with the settings of the other slot of the pair
   * (`pairedWith`, lower-case name; production for a staging → production preview); its own
   * sticky values are kept here. While it lasts, config writes to either slot answer 409.
   */
  preview: { savedSticky: Record<string, string>; pairedWith: string } | null;
}

/** The mutable state of one app. */
export interface AppState {
  seed: AppSeed;
  /** Keyed by lower-case slot name; `production` always exists. */
  slots: Map<string, SlotState>;
  slotConfigNames: {
    appSettingNames: string[];
    connectionStringNames: string[];
    azureStorageConfigNames: string[];
  };
  siteAuth: boolean;
  /**
   * A swap whose routing flips late: until `until`, each slot's host name still reaches the
   * instances of the other slot of the pair (lower-case slot names), which run its old build.
   */
  lateRouting: { until: number; slots: [string, string] } | null;
}

/** What a slot runs, as ground truth. */
export interface SlotTruth {
  build: string | null;
  deployment: string;
  state: "Running" | "Stopped";
  previewing: boolean;
}

const PACKAGE_SETTING = "WEBSITE_RUN_FROM_PACKAGE";

/** The image repository of a container app. */
export function imageOf(seed: AppSeed): string {
  return seed.image ?? `shopregistry.azurecr.io/${seed.name}`;
}

/** The deployment that makes a slot of `seed` run `build`. */
export function deploymentFor(
  seed: AppSeed,
  build: string,
): { linuxFxVersion: string; packageUrl?: string; code: string } {
  switch (seed.kind) {
    case "container":
      return { linuxFxVersion: `DOCKER|${imageOf(seed)}:${build}`, code: build };
    case "package":
      return {
        linuxFxVersion: "NODE|22-lts",
        packageUrl: `https://shopartifacts.blob.core.windows.net/releases/${seed.name}/${build}.zip`,
        code: build,
      };
    case "other":
      return { linuxFxVersion: "NODE|22-lts", code: build };
    case "sitecontainers":
      // The main container's image moves with the content on swap, like code.
      return { linuxFxVersion: "SITECONTAINERS", code: build };
  }
}

/** Which build a slot runs, derived from its deployment; `null` when it cannot start (bad image reference). */
export function buildOf(slot: SlotState): string | null {
  if (/^DOCKER\|/i.test(slot.linuxFxVersion)) {
    const image = slot.linuxFxVersion.slice("DOCKER|".length);
    const lastSegment = image.slice(image.lastIndexOf("/") + 1);
    const colon = lastSegment.lastIndexOf(":");
    return colon > 0 ? lastSegment.slice(colon + 1) || null : "latest";
  }
  const packageSetting = settingValue(slot.appSettings, PACKAGE_SETTING);
  if (packageSetting !== undefined && /^https?:\/\//i.test(packageSetting)) {
    const path = new URL(packageSetting).pathname;
    const file = decodeURIComponent(path.slice(path.lastIndexOf("/") + 1));
    return file.replace(/\.zip$/i, "") || null;
  }
  return slot.code;
}

/** A human description of what a slot is deployed from. */
export function deploymentOf(slot: SlotState): string {
  if (/^DOCKER\|/i.test(slot.linuxFxVersion)) return slot.linuxFxVersion;
  if (/^SITECONTAINERS$/i.test(slot.linuxFxVersion))
    return `site containers (main container build ${slot.code})`;
  const packageSetting = settingValue(slot.appSettings, PACKAGE_SETTING);
  if (packageSetting !== undefined) return `${PACKAGE_SETTING}=${packageSetting}`;
  return `code ${slot.code} (${slot.linuxFxVersion})`;
}

function settingValue(settings: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(settings).find(
    (candidate) => candidate.toLowerCase() === name.toLowerCase(),
  );
  return key === undefined ? undefined : settings[key];
}

function newSlot(seed: AppSeed, slotName: string, slotSeed: SlotSeed, now: number): SlotState {
  const deployment = deploymentFor(seed, slotSeed.build);
  const appSettings: Record<string, string> = {
    WEBSITE_HTTPLOGGING_RETENTION_DAYS: "7",
    ...seed.appSettings,
  };
  if (deployment.packageUrl) appSettings[PACKAGE_SETTING] = deployment.packageUrl;
  if (seed.kind === "other") appSettings[PACKAGE_SETTING] = "1";
  for (const [name, values] of Object.entries(seed.stickySettings ?? {})) {
    appSettings[name] = slotName === PRODUCTION ? values.production : values.staging;
  }
  return {
    name: slotName,
    state: slotSeed.state ?? "Running",
    linuxFxVersion: deployment.linuxFxVersion,
    configOverrides: {},
    appSettings,
    connectionStrings: Object.fromEntries(
      Object.entries(seed.connectionStrings ?? {}).map(([name, pair]) => [name, { ...pair }]),
    ),
    code: deployment.code,
    contentChangedAt: now,
    lastModifiedTimeUtc: new Date(now).toISOString(),
    slotSwapStatus: null,
    preview: null,
  };
}

/** Builds an app's state from its seed. */
export function createApp(seed: AppSeed, now: number): AppState {
  const slots = new Map<string, SlotState>();
  slots.set(PRODUCTION, newSlot(seed, PRODUCTION, seed.production, now));
  if (seed.staging) {
    const name = seed.stagingSlotName ?? "staging";
    slots.set(name.toLowerCase(), newSlot(seed, name, seed.staging, now));
  }
  return {
    seed,
    slots,
    slotConfigNames: {
      appSettingNames: Object.keys(seed.stickySettings ?? {}),
      connectionStringNames: [],
      azureStorageConfigNames: [],
    },
    siteAuth: seed.siteAuth ?? false,
    lateRouting: null,
  };
}

/** Whether an app setting is sticky (stays with its slot on swap). */
export function isSticky(app: AppState, settingName: string): boolean {
  return app.slotConfigNames.appSettingNames.some(
    (name) => name.toLowerCase() === settingName.toLowerCase(),
  );
}

/** Whether a connection string is sticky (stays with its slot on swap). */
export function isStickyConnectionString(app: AppState, name: string): boolean {
  return app.slotConfigNames.connectionStringNames.some(
    (sticky) => sticky.toLowerCase() === name.toLowerCase(),
  );
}

/** Makes a slot run `build` through its kind's deployment mechanism (as a CI deploy to the slot would). */
export function deployBuild(app: AppState, slot: SlotState, build: string, now: number): void {
  const deployment = deploymentFor(app.seed, build);
  slot.linuxFxVersion = deployment.linuxFxVersion;
  slot.code = deployment.code;
  if (deployment.packageUrl) {
    for (const key of Object.keys(slot.appSettings)) {
      if (key.toLowerCase() === PACKAGE_SETTING.toLowerCase()) delete slot.appSettings[key];
    }
    slot.appSettings[PACKAGE_SETTING] = deployment.packageUrl;
  }
  contentChanged(slot, now);
}

/** Marks a slot's content as changed now (its warm-up starts again). */
export function contentChanged(slot: SlotState, now: number): void {
  slot.contentChangedAt = now;
  slot.lastModifiedTimeUtc = new Date(now).toISOString();
}

/**
 * Exchanges the contents of two slots as a completed swap does: code, container image, the
 * non-sticky app settings and connection strings and the swapped site config properties
 * ({@link SWAPPED_SITE_CONFIG}) move; sticky settings, host names and state stay with the slot.
 */
export function exchangeContents(
  app: AppState,
  source: SlotState,
  target: SlotState,
  now: number,
): void {
  const [a, b] = [source, target];
  [a.linuxFxVersion, b.linuxFxVersion] = [b.linuxFxVersion, a.linuxFxVersion];
  [a.code, b.code] = [b.code, a.code];
  // A slot in preview runs with the other slot's sticky values; the swap ends the preview.
  for (const slot of [a, b]) {
    if (slot.preview) {
      Object.assign(slot.appSettings, slot.preview.savedSticky);
      slot.preview = null;
    }
  }
  const split = <T>(settings: Record<string, T>, stays: (name: string) => boolean) => {
    const sticky: Record<string, T> = {};
    const moving: Record<string, T> = {};
    for (const [key, value] of Object.entries(settings))
      (stays(key) ? sticky : moving)[key] = value;
    return { sticky, moving };
  };
  const settingStays = (name: string) => isSticky(app, name);
  const fromA = split(a.appSettings, settingStays);
  const fromB = split(b.appSettings, settingStays);
  a.appSettings = { ...fromB.moving, ...fromA.sticky };
  b.appSettings = { ...fromA.moving, ...fromB.sticky };
  const stringStays = (name: string) => isStickyConnectionString(app, name);
  const stringsOfA = split(a.connectionStrings, stringStays);
  const stringsOfB = split(b.connectionStrings, stringStays);
  a.connectionStrings = { ...stringsOfB.moving, ...stringsOfA.sticky };
  b.connectionStrings = { ...stringsOfA.moving, ...stringsOfB.sticky };
  for (const key of SWAPPED_SITE_CONFIG) {
    if (key === "linuxFxVersion") continue; // moved above, with the content
    const [fromSource, fromTarget] = [a.configOverrides[key], b.configOverrides[key]];
    if (fromTarget === undefined) delete a.configOverrides[key];
    else a.configOverrides[key] = fromTarget;
    if (fromSource === undefined) delete b.configOverrides[key];
    else b.configOverrides[key] = fromSource;
  }
  const timestampUtc = new Date(now).toISOString();
  const status = { timestampUtc, sourceSlotName: source.name, destinationSlotName: target.name };
  a.slotSwapStatus = { ...status };
  b.slotSwapStatus = { ...status };
  contentChanged(a, now);
  contentChanged(b, now);
}

/** The ground truth of one slot. */
export function truthOf(slot: SlotState): SlotTruth {
  return {
    build: buildOf(slot),
    deployment: deploymentOf(slot),
    state: slot.state,
    previewing: slot.preview !== null,
  };
}
