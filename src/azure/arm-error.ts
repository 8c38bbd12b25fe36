import { redactSecrets } from "../redact-secrets.js";
import { STATUS_CODES } from "node:http";

/**
 * Turns whatever the Azure SDK threw (a `RestError` from an ARM answer, a failed long-running
 * operation, a sign-in error, a network error) into one readable message that names the
 * operation, the HTTP status and ARM's error code and message, and says what to do about it.
 */

/** The parts of `@azure/core-rest-pipeline`'s `RestError` we read; duck-typed so no SDK type leaks. */
interface RestErrorLike extends Error {
  code?: string;
  statusCode?: number;
}

/** Wraps an SDK failure of `operation` (e.g. `swap of shop-api-uks/staging into production`) in a readable `Error`. */
export function armFailure(
  operation: string,
  error: unknown,
  where: { resourceGroup: string },
): Error {
  const detail = describeCause(error, where);
  return new Error(redactSecrets(`${operation} failed: ${detail}`), { cause: error });
}

/** The HTTP status of an ARM answer the SDK rejected, when the failure was one. */
export function httpStatusOf(error: unknown): number | undefined {
  return isRestErrorLike(error) ? error.statusCode : undefined;
}

/** ARM's `error.code` of a rejected answer, when there was one. */
export function armCodeOf(error: unknown): string | undefined {
  return isRestErrorLike(error) ? error.code : undefined;
}

function describeCause(error: unknown, where: { resourceGroup: string }): string {
  if (!(error instanceof Error)) return String(error);
  if (isCredentialError(error)) {
    return (
      `sign-in to Microsoft Entra failed: ${withoutFinalPeriod(shorten(entraDescription(error.message)))}. ` +
      "Check `tenant-id`, `client-id`, the federated credential's subject or the `client-secret`, and `authority-host`."
    );
  }
  if (isRestErrorLike(error) && error.statusCode !== undefined) {
    const status = error.statusCode;
    const reason = STATUS_CODES[status] ?? "";
    const code = error.code ? `${error.code}: ` : "";
    const hint = hintFor(status, where);
    return `${status} ${reason}: ${code}${withoutFinalPeriod(shorten(error.message))}${hint ? `. ${hint}.` : ""}`;
  }
  if (isRestErrorLike(error) && error.code) {
    // No status: the request never got an answer (connection refused, DNS, TLS).
    return `could not reach Azure Resource Manager (${error.code}): ${shorten(error.message)}. Check \`arm-endpoint\` / \`azure-cloud\` and the runner's network.`;
  }
  return shorten(error.message);
}

function hintFor(status: number, where: { resourceGroup: string }): string | undefined {
  if (status === 401) {
    return "Azure Resource Manager refused the token; check `tenant-id`, `client-id`, and that `arm-endpoint` matches `azure-cloud`";
  }
  if (status === 403) {
    return `Give the signed-in principal a role that may manage web apps (e.g. Website Contributor) on resource group ${where.resourceGroup}`;
  }
  if (status === 404) {
    return `Check the subscription id, resource group (${where.resourceGroup}), app and slot names in the manifest`;
  }
  if (status === 409) {
    return "Another operation is running on the app (a swap, deployment or scale operation); let it finish, then re-run";
  }
  if (status === 429) {
    return "Azure Resource Manager kept throttling after the SDK's retries; lower `max-parallel` or re-run later";
  }
  if (status >= 500) return "Azure reported a server error; re-run later";
  return undefined;
}

function isRestErrorLike(error: unknown): error is RestErrorLike {
  return error instanceof Error && error.name === "RestError";
}

function isCredentialError(error: Error): boolean {
  return (
    error.name === "AuthenticationError" ||
    error.name === "AuthenticationRequiredError" ||
    error.name === "CredentialUnavailableError" ||
    error.name === "AggregateAuthenticationError"
  );
}

/** Entra's answers wrap the useful `AADSTS…: description` in timestamps and trace ids: keep the description. */
function entraDescription(message: string): string {
  const found = /AADSTS\d+:.*?(?=\s*(?:Trace ID:|Correlation ID:|Timestamp:|$))/s.exec(message);
  return found ? found[0] : message;
}

function withoutFinalPeriod(text: string): string {
  return text.endsWith(".") ? text.slice(0, -1) : text;
}

/** ARM messages are short; a raw HTML or JSON error page is not: keep the log readable. */
function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 600 ? `${oneLine.slice(0, 600)}…` : oneLine;
}
