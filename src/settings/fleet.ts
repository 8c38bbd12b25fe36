/**
 * Narrows the manifest to the regions a run targets (the `regions` input) and fills in each
 * region's subscription, keeping the manifest's order; and its waves to the targeted regions,
 * skipping a wave left empty.
 */
import type { Fleet, RegionTarget, WaveTarget } from "../release/model.js";
import type { Manifest } from "./manifest.js";
import { didYouMean, quote, type ProblemList } from "./problems.js";
import { isAppServiceName, isResourceGroupName } from "./values.js";

/** Splits the `regions` input: names separated by commas or new lines; blanks are ignored. */
export function splitRegionFilter(text: string): string[] {
  return text
    .split(/[,\r\n]/)
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

/**
 * Checks the filter against the manifest and builds the fleet. `manifest` is undefined when it
 * could not be read; then only what the filter says by itself is checked.
 */
export function selectFleet(
  manifest: Manifest | undefined,
  filter: readonly string[],
  defaultSubscriptionId: string | undefined,
  problems: { inputs: ProblemList; manifest: ProblemList },
): Fleet {
  const listed = new Set<string>();
  for (const name of filter) {
    if (listed.has(name)) {
      problems.inputs.add(
        "input regions",
        `${quote(name)} is listed more than once.`,
        "List each region once.",
      );
    }
    listed.add(name);
  }
  if (manifest === undefined) return { sourceSlot: "", regions: [], waves: [] };

  checkOneEntryPerApp(manifest, defaultSubscriptionId, problems.manifest);

  const known = manifest.regions.map((region) => region.name).filter((name) => name !== "");
  for (const name of listed) {
    if (known.includes(name)) continue;
    problems.inputs.add(
      "input regions",
      `${quote(name)} is not a region of the manifest.`,
      `${didYouMean(name, known)}The manifest's regions are ${known.join(", ") || "none"}.`,
    );
  }

  const targeted =
    listed.size === 0
      ? manifest.regions
      : manifest.regions.filter((region) => listed.has(region.name));
  const regions = targeted.map((region): RegionTarget => {
    const subscriptionId = region.subscriptionId ?? defaultSubscriptionId;
    // A region that is not even a mapping has its problem already; a missing subscription is noise.
    if (subscriptionId === undefined && region.isMapping) {
      const which = region.name === "" ? "" : ` for region ${quote(region.name)}`;
      problems.manifest.add(
        `manifest regions[${region.index}].subscription-id`,
        `is missing${which}, and the subscription-id input is empty.`,
        "Add subscription-id to the region, or set the subscription-id input.",
      );
    }
    return {
      name: region.name,
      subscriptionId: subscriptionId ?? "",
      resourceGroup: region.resourceGroup,
      services: region.services,
    };
  });
  // The filter keeps or drops whole regions, and depends-on names services of the same region:
  // no service of the fleet can depend on one the filter left out.
  const targetedNames = new Set(regions.map((region) => region.name));
  const waves =
    manifest.waves === undefined
      ? regions.map((region): WaveTarget => ({ regions: [region.name], bakeTimeMs: null }))
      : manifest.waves
          .map((wave) => ({
            ...wave,
            regions: wave.regions.filter((name) => targetedNames.has(name)),
          }))
          .filter((wave) => wave.regions.length > 0);
  return {
    sourceSlot: manifest.sourceSlot,
    regions,
    waves,
    ...(manifest.waves === undefined ? {} : { wavesDeclared: true }),
    ...(manifest.canary === undefined ? {} : { canary: manifest.canary }),
    ...(manifest.analysis === undefined ? {} : { analysis: manifest.analysis }),
    ...(manifest.releaseWindows === undefined ? {} : { releaseWindows: manifest.releaseWindows }),
  };
}

/**
 * Two services naming one app (same subscription, resource group and app name, compared ignoring
 * case as Azure does) would have it swapped twice: the second swap undoes the first. Every
 * region counts, targeted or not, and a region without a subscription gets the input's.
 */
function checkOneEntryPerApp(
  manifest: Manifest,
  defaultSubscriptionId: string | undefined,
  problems: ProblemList,
): void {
  const firstPath = new Map<string, string>();
  for (const region of manifest.regions) {
    const subscriptionId = region.subscriptionId ?? defaultSubscriptionId ?? "";
    region.services.forEach((service, index) => {
      // An invalid name has its own problem already; it names no app to be swapped twice.
      if (!isAppServiceName(service.app) || !isResourceGroupName(region.resourceGroup)) return;
      const path = `regions[${region.index}].services[${index}].app`;
      const key = JSON.stringify([subscriptionId, region.resourceGroup, service.app]).toLowerCase();
      const first = firstPath.get(key);
      if (first === undefined) {
        firstPath.set(key, path);
        return;
      }
      const subscription = subscriptionId === "" ? "" : ` of subscription ${quote(subscriptionId)}`;
      problems.add(
        `manifest ${path}`,
        `${quote(service.app)} in resource group ${quote(region.resourceGroup)}${subscription} is already the app of ${first}; one app would be swapped twice, the second swap undoing the first.`,
        "Give each service its own app: correct the app or resource-group of one of the two entries, or remove one.",
      );
    });
  }
}
