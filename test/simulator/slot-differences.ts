import {
  SWAPPED_SITE_CONFIG,
  isSticky,
  isStickyConnectionString,
  type AppState,
  type SlotState,
} from "./fleet-state.js";

/**
 * App Service's slot diff (`POST …/slotsdiffs` with a CsmSlotEntity), computed from the two
 * slots' real settings. Each difference has the spec's `SlotDifference` properties: `level`
 * (Information, Warning or Error), `settingType` (General, AppSetting or ConnectionString),
 * `diffRule`, `settingName`, `valueInCurrentSlot`, `valueInTargetSlot`, `description`.
 *
 * The spec has no example of this operation and lists no `diffRule` values; the rules here are
 * the five the Azure portal's swap blade knows (Azure/azure-functions-ux, `models/arm/slots-diff.ts`:
 * `SlotSettingsMissing`, `SettingsNotInSource`, `SlotSettingsSameValue`,
 * `SettingsWillBeModifiedInDestination`, `SettingsWillBeAddedToDestination`). The blade shows
 * only the last three as what the swap changes ("Do not ignore slot diffs with diffRule
 * 'SettingsNotInSource'", azure-functions-ux#3428) and computes the sticky settings' differences
 * itself from both slots' settings and `slotConfigNames`: a sticky setting is not swapped, so
 * Azure does not report it as a change. The simulator follows that reading:
 *
 * - a non-sticky setting in both slots with different values: `SettingsWillBeModifiedInDestination`;
 * - a non-sticky setting only in the current (source) slot: `SettingsWillBeAddedToDestination`;
 * - a non-sticky setting only in the target slot: `SettingsNotInSource` (the swap removes it there);
 * - a sticky setting in one slot only: `SlotSettingsMissing`;
 * - a sticky setting with the same value in both slots: `SlotSettingsSameValue`;
 * - a sticky setting with different values: not reported (nothing moves);
 * - a site config property that moves on swap ({@link SWAPPED_SITE_CONFIG}) and differs:
 *   `General`, `SettingsWillBeModifiedInDestination`; the others (Always On…) stay, unreported.
 *
 * Levels are the simulator's choice: a setting the swap removes, and a sticky setting missing in
 * a slot, are `Warning`; the rest `Information`. `description` is the simulator's own sentence
 * and, like `valueIn*`, quotes values, so a client that passes it on leaks them.
 */

/** One difference's properties, as the spec names them. */
export interface SlotDifferenceProperties {
  level: "Information" | "Warning" | "Error";
  settingType: "General" | "AppSetting" | "ConnectionString";
  diffRule: string;
  settingName: string;
  valueInCurrentSlot: string;
  valueInTargetSlot: string;
  description: string;
}

/** The differences of a swap of `current` with `target`, in a stable order: site config, app settings, connection strings. */
export function slotDifferences(
  app: AppState,
  current: SlotState,
  target: SlotState,
  siteConfig: (slot: SlotState) => Record<string, unknown>,
): SlotDifferenceProperties[] {
  const differences: SlotDifferenceProperties[] = [];
  const [currentConfig, targetConfig] = [siteConfig(current), siteConfig(target)];
  for (const key of SWAPPED_SITE_CONFIG) {
    const [mine, theirs] = [configText(currentConfig[key]), configText(targetConfig[key])];
    if (mine === theirs) continue;
    differences.push({
      level: "Information",
      settingType: "General",
      diffRule: "SettingsWillBeModifiedInDestination",
      settingName: key,
      valueInCurrentSlot: mine,
      valueInTargetSlot: theirs,
      description: `General setting '${key}' will be changed from '${theirs}' to '${mine}' in slot '${target.name}'.`,
    });
  }
  compare(
    differences,
    "AppSetting",
    current,
    target,
    current.appSettings,
    target.appSettings,
    (name) => isSticky(app, name),
  );
  const pairText = (pair: { value: string; type: string }) => `${pair.value} (${pair.type})`;
  compare(
    differences,
    "ConnectionString",
    current,
    target,
    mapValues(current.connectionStrings, pairText),
    mapValues(target.connectionStrings, pairText),
    (name) => isStickyConnectionString(app, name),
  );
  return differences;
}

/** Appends the differences of one kind of named settings (names compared case-insensitively, as App Service does). */
function compare(
  differences: SlotDifferenceProperties[],
  settingType: "AppSetting" | "ConnectionString",
  current: SlotState,
  target: SlotState,
  mine: Record<string, string>,
  theirs: Record<string, string>,
  sticky: (name: string) => boolean,
): void {
  const lookup = (settings: Record<string, string>, name: string): string | undefined => {
    const key = Object.keys(settings).find((known) => known.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : settings[key];
  };
  const names = new Map<string, string>();
  for (const name of [...Object.keys(mine), ...Object.keys(theirs)])
    if (!names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
  const kind = settingType === "AppSetting" ? "App setting" : "Connection string";
  for (const name of [...names.values()].sort((a, b) => a.localeCompare(b))) {
    const [inCurrent, inTarget] = [lookup(mine, name), lookup(theirs, name)];
    const base = {
      settingType,
      settingName: name,
      valueInCurrentSlot: inCurrent ?? "",
      valueInTargetSlot: inTarget ?? "",
    };
    if (sticky(name)) {
      if (inCurrent === undefined || inTarget === undefined) {
        const missingIn = inCurrent === undefined ? current.name : target.name;
        differences.push({
          ...base,
          level: "Warning",
          diffRule: "SlotSettingsMissing",
          description: `${kind} '${name}' is a slot setting and is missing in slot '${missingIn}'; it is not swapped (value '${inCurrent ?? inTarget}').`,
        });
      } else if (inCurrent === inTarget) {
        differences.push({
          ...base,
          level: "Information",
          diffRule: "SlotSettingsSameValue",
          description: `${kind} '${name}' is a slot setting with the same value '${inCurrent}' in both slots.`,
        });
      }
      continue;
    }
    if (inCurrent === inTarget) continue;
    if (inTarget === undefined) {
      differences.push({
        ...base,
        level: "Information",
        diffRule: "SettingsWillBeAddedToDestination",
        description: `${kind} '${name}' with value '${inCurrent}' will be added to slot '${target.name}'.`,
      });
    } else if (inCurrent === undefined) {
      differences.push({
        ...base,
        level: "Warning",
        diffRule: "SettingsNotInSource",
        description: `${kind} '${name}' (value '${inTarget}') is not in slot '${current.name}' and will be removed from slot '${target.name}'.`,
      });
    } else {
      differences.push({
        ...base,
        level: "Information",
        diffRule: "SettingsWillBeModifiedInDestination",
        description: `${kind} '${name}' will be changed from '${inTarget}' to '${inCurrent}' in slot '${target.name}'.`,
      });
    }
  }
}

function mapValues<T>(
  record: Record<string, T>,
  map: (value: T) => string,
): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([name, value]) => [name, map(value)]));
}

/** A site config value as the diff shows it: strings as they are, anything else as JSON; absent is empty. */
function configText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}
