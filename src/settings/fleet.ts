/**
 * Narrows the manifest to the regions a run targets (the `regions` input) and fills in each
 * region's subscription, keeping the manifest's order, which is the release order.
 */
import type { Fleet, RegionTarget } from "../release/model.js";
import type { Manifest } from "./manifest.js";
import { didYouMean, quote, type ProblemList } from "./problems.js";

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
  if (manifest === undefined) return { sourceSlot: "", regions: [] };

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
  return { sourceSlot: manifest.sourceSlot, regions };
}
