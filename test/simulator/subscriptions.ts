import type { ServerResponse } from "node:http";
import type { SimulatorContext } from "./context.js";
import { sendJson } from "./http-util.js";

/**
 * ARM's subscription reads (`Microsoft.Resources`), which clients make before anything else:
 * `az login` lists `GET /subscriptions` (api-version 2019-11-01 in Azure CLI 2.45 for a custom
 * cloud) and keeps what it finds as the account's subscriptions. Every subscription of a seeded
 * app exists, shaped like the spec's `GetSubscriptions` example (resources 2019-11-01).
 */

function subscriptionBody(context: SimulatorContext, id: string): Record<string, unknown> {
  return {
    id: `/subscriptions/${id}`,
    authorizationSource: "RoleBased",
    managedByTenants: [],
    subscriptionId: id,
    tenantId: context.settings.tenantId,
    displayName: `Simulated subscription ${id}`,
    state: "Enabled",
    subscriptionPolicies: {
      locationPlacementId: "Public_2014-09-01",
      quotaId: "PayAsYouGo_2014-09-01",
      spendingLimit: "Off",
    },
  };
}

/** Answers `GET /subscriptions` and `GET /subscriptions/{id}`; false for any other path. */
export function handleSubscriptions(
  context: SimulatorContext,
  res: ServerResponse,
  method: string,
  pathname: string,
): boolean {
  const segments = pathname.split("/").filter((segment) => segment !== "");
  if (method !== "GET" || segments[0]?.toLowerCase() !== "subscriptions" || segments.length > 2)
    return false;
  const known = [
    ...new Set([...context.apps.values()].map((app) => app.seed.subscriptionId.toLowerCase())),
  ];
  if (segments.length === 1) {
    sendJson(res, 200, { value: known.map((id) => subscriptionBody(context, id)) });
    return true;
  }
  const id = decodeURIComponent(segments[1] ?? "").toLowerCase();
  if (!known.includes(id)) {
    sendJson(res, 404, {
      error: {
        code: "SubscriptionNotFound",
        message: `The subscription '${id}' could not be found.`,
      },
    });
    return true;
  }
  sendJson(res, 200, subscriptionBody(context, id));
  return true;
}
