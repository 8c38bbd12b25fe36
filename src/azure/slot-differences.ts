import { getContinuationToken, type WebSiteManagementClient } from "@azure/arm-appservice";
import { escapeInvisible } from "../invisible-characters.js";
import { PRODUCTION_SLOT, type SlotAddress, type SlotDifference } from "../release/ports.js";
import { armFailure, httpStatusOf } from "./arm-error.js";

/**
 * Azure's own diff of a swap: `POST …/sites/{app}/slots/{source}/slotsdiffs` with the
 * CsmSlotEntity `{targetSlot: "production", preserveVnet}` (operation
 * `WebApps_ListSlotDifferencesSlot`), through `@azure/arm-appservice`'s
 * `webApps.listSlotDifferencesSlot`, a paged list whose first page is the POST and whose further
 * pages are GETs of `nextLink`. Each request goes through the client's pipeline: retried, with a
 * time limit per attempt, and ended by the caller's signal. The operation only reads (its RBAC
 * action is `Microsoft.Web/sites/slots/slotsdiffs/action`), so a retried POST changes nothing.
 *
 * Only what is safe leaves this module: the setting's name, its `settingType` and `level`.
 * `valueInCurrentSlot` and `valueInTargetSlot` are values, which can be secrets (a connection
 * string, a key), and `description` is free text that may quote them; all three are dropped
 * here, as is `diffRule` (it says how the swap handles the setting, which the plan does not show).
 * The kept texts are Azure's data: trimmed, cut to a bounded length and with invisible
 * characters escaped (`escapeInvisible`) before anyone sees them; renderers still escape them
 * for their medium (Markdown, Slack mrkdwn).
 */

/** Pages followed at most: ARM pages lists of a few hundred entries, a slot diff has a few dozen. */
export const MAX_DIFFERENCE_PAGES = 20;
/** Differences kept at most; a slot diff past this many is not a plan anyone reads. */
export const MAX_DIFFERENCES = 1_000;
/** Longest setting name kept (App Service's own limit on a name is far lower). */
export const MAX_SETTING_NAME_CHARS = 200;
/** Longest `settingType` or `level` kept: Azure's are single words. */
const MAX_KIND_CHARS = 40;

/** A refusal of this module's own (a foreign nextLink, too many pages): already readable. */
class SlotDifferencesError extends Error {
  override readonly name = "SlotDifferencesError";
}

/** The configuration differences a swap of `source` into production would bring; see the module comment. */
export async function readSlotDifferences(
  client: WebSiteManagementClient,
  armEndpoint: string,
  source: SlotAddress,
  options: { preserveVnet: boolean },
  signal: AbortSignal,
): Promise<SlotDifference[]> {
  const where = `${source.app}/${source.slot}`;
  if (source.slot === PRODUCTION_SLOT) {
    throw new Error(
      `the slot differences of ${where} into production cannot be read: the source slot is production itself`,
    );
  }
  const operation = `reading the slot differences of a swap of ${where} into production`;
  const differences: SlotDifference[] = [];
  let pages = 0;
  try {
    const pager = client.webApps
      .listSlotDifferencesSlot(
        source.resourceGroup,
        source.app,
        source.slot,
        { targetSlot: PRODUCTION_SLOT, preserveVnet: options.preserveVnet },
        { abortSignal: signal },
      )
      .byPage();
    // The pager sends the next request only when asked for the next page, so every check below
    // runs before a `nextLink` is followed.
    for await (const page of pager) {
      signal.throwIfAborted();
      pages += 1;
      for (const item of page) differences.push(differenceOf(item));
      const nextLink = getContinuationToken(page);
      if (nextLink === undefined || nextLink === "") break;
      if (!isArmUrl(nextLink, armEndpoint)) {
        throw new SlotDifferencesError(
          `${operation} failed: Azure's nextLink leads outside Azure Resource Manager (${armOrigin(armEndpoint)}); it was not followed, so no token was sent elsewhere`,
        );
      }
      if (pages >= MAX_DIFFERENCE_PAGES || differences.length >= MAX_DIFFERENCES) {
        throw new SlotDifferencesError(
          `${operation} failed: Azure answered more than ${pages} pages (${differences.length} differences) and more to come; ` +
            `stopped at ${MAX_DIFFERENCE_PAGES} pages or ${MAX_DIFFERENCES} differences, as a plan that long cannot be read`,
        );
      }
    }
  } catch (error) {
    signal.throwIfAborted();
    if (error instanceof SlotDifferencesError) throw error;
    throw withRoleHint(armFailure(operation, error, source), error);
  }
  return differences;
}

/** The safe part of one of Azure's differences; every value, and the free text, is dropped. */
function differenceOf(item: {
  settingName?: string;
  settingType?: string;
  level?: string;
}): SlotDifference {
  return {
    setting: azureText(item.settingName, MAX_SETTING_NAME_CHARS) || "(unnamed)",
    type: azureText(item.settingType, MAX_KIND_CHARS) || "Unknown",
    level: azureText(item.level, MAX_KIND_CHARS) || "Unknown",
  };
}

/** Text from Azure, as data: trimmed, at most `maxChars` characters (then `…`), invisible characters escaped. */
function azureText(text: unknown, maxChars: number): string {
  if (typeof text !== "string") return "";
  const characters = Array.from(text.trim());
  const cut =
    characters.length > maxChars
      ? `${characters.slice(0, maxChars).join("")}…`
      : characters.join("");
  return escapeInvisible(cut);
}

/** A 403 here is the one action a plan needs beyond reading sites: say which. */
function withRoleHint(failure: Error, cause: unknown): Error {
  if (httpStatusOf(cause) !== 403) return failure;
  return new Error(
    `${failure.message} The plan's differences need the action Microsoft.Web/sites/slots/slotsdiffs/action (in Website Contributor).`,
    { cause },
  );
}

function armOrigin(armEndpoint: string): string {
  try {
    return new URL(armEndpoint).origin;
  } catch {
    return armEndpoint;
  }
}

/** Whether `url` is on the ARM endpoint the client signs its requests for. */
function isArmUrl(url: string, armEndpoint: string): boolean {
  try {
    return new URL(url).origin === armOrigin(armEndpoint);
  } catch {
    return false;
  }
}
