import { STATUS_CODES } from "node:http";
import { redactSecrets } from "../redact-secrets.js";
import { OperationConflictError } from "../release/ports.js";

/**
 * Turns whatever the Azure SDK threw (a `RestError` from an ARM answer, a failed long-running
 * operation, a sign-in error, a network error) into one readable message that names the
 * operation, the HTTP status and ARM's error code and message, and says what to do about it.
 */

/** The parts of `@azure/core-rest-pipeline`'s `RestError` we read; duck-typed so no SDK type leaks. */
interface RestErrorLike extends Error {
  code?: string;
  statusCode?: number;
  response?: { bodyAsText?: string | null };
}

/**
 * Where a failed request went: the resource group names the place, `reading: "metrics"` says the
 * request was Azure Monitor's (`Microsoft.Insights/metrics`), whose role and api-version differ
 * from App Service's.
 */
export interface FailurePlace {
  resourceGroup: string;
  reading?: "metrics";
}

/** Wraps an SDK failure of `operation` (e.g. `swap of shop-api-uks/staging into production`) in a readable `Error`. */
export function armFailure(operation: string, error: unknown, where: FailurePlace): Error {
  const detail = describeCause(error, where);
  const message = redactSecrets(`${operation} failed: ${detail}`);
  // 409 from App Service: another operation (a deployment, a restart, a swap) runs on the site.
  return httpStatusOf(error) === 409
    ? new OperationConflictError(message, { cause: error })
    : new Error(message, { cause: error });
}

/**
 * The code and message of an error body in either of the shapes Azure answers with: Resource
 * Manager's `{"error":{"code","message"}}`, or App Service's own `{"Code","Message","Details":
 * [{"ErrorEntity":{"Code","Message"}}]}`. `undefined` when the body is neither.
 */
export function errorBodyMessage(bodyText: string | null | undefined): string | undefined {
  if (bodyText === null || bodyText === undefined || bodyText.trim() === "") return undefined;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return shorten(bodyText);
  }
  const found = codeAndMessage(jsonField(body, "error")) ?? codeAndMessage(body);
  if (found === undefined) return undefined;
  return shorten(found.code === undefined ? found.message : `${found.code}: ${found.message}`);
}

function codeAndMessage(value: unknown): { code?: string; message: string } | undefined {
  const message = jsonField(value, "message") ?? jsonField(value, "Message");
  const code = jsonField(value, "code") ?? jsonField(value, "Code");
  const entity = firstErrorEntity(jsonField(value, "Details") ?? jsonField(value, "details"));
  const text = typeof message === "string" && message !== "" ? message : entity?.message;
  if (text === undefined) return undefined;
  return typeof code === "string" && code !== "" ? { code, message: text } : { message: text };
}

/** App Service puts its most precise message in `Details[].ErrorEntity.Message`. */
function firstErrorEntity(details: unknown): { message: string } | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const message =
      jsonField(jsonField(detail, "ErrorEntity"), "Message") ?? jsonField(detail, "Message");
    if (typeof message === "string" && message !== "") return { message };
  }
  return undefined;
}

/** A property of a parsed JSON object; `undefined` for anything that is not an object. */
export function jsonField(value: unknown, name: string): unknown {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

/**
 * The message of an ARM answer read by hand (the swap and its polls): its status, the message of
 * its error body in either shape, and what to do when ARM does not offer the api-version.
 */
export function answerMessage(status: number, bodyText: string | null | undefined): string {
  const message = errorBodyMessage(bodyText) ?? "no error message";
  const hint = status === 400 ? unofferedApiVersionHint(bodyText) : undefined;
  return hint === undefined
    ? `${status}: ${message}`
    : `${status}: ${withoutFinalPeriod(message)}. ${hint}.`;
}

/**
 * What to do when Resource Manager does not offer the request's api-version: its 400
 * `NoRegisteredProviderFound` ("No registered resource provider found for location '…' and API
 * version '…' for type 'sites'. The supported api-versions are '…'.") names the versions it does
 * offer; the `arm-api-version` input picks one. `undefined` for any other answer.
 */
export function unofferedApiVersionHint(
  text: string | null | undefined,
  reading?: "metrics",
): string | undefined {
  if (
    text === null ||
    text === undefined ||
    !/NoRegisteredProviderFound|No registered resource provider found/i.test(text)
  ) {
    return undefined;
  }
  const refused = /API version '([^']*)'/i.exec(text)?.[1];
  const offered = (/supported api-versions are '([^']*)'/i.exec(text)?.[1] ?? "")
    .split(",")
    .map((version) => version.trim())
    .filter((version) => version !== "");
  // Dates sort as text; a version with a suffix (`-preview`) is left out of the suggestion.
  const newestStable = offered
    .filter((version) => /^\d{4}-\d{2}-\d{2}$/.test(version))
    .sort()
    .at(-1);
  const version = refused === undefined ? "the requested api-version" : `api-version ${refused}`;
  if (reading === "metrics") {
    return (
      `Azure Resource Manager of this cloud does not offer ${version} for Microsoft.Insights metrics` +
      (offered.length > 0 ? `; it offers ${offered.join(", ")}` : "") +
      ". The manifest's `analysis` needs Azure Monitor metrics; leave `analysis` out for apps in this cloud"
    );
  }
  return (
    `Azure Resource Manager of this cloud does not offer ${version} for Microsoft.Web sites` +
    (offered.length > 0 ? `; it offers ${offered.join(", ")}` : "") +
    `. Set the \`arm-api-version\` input to one of them${newestStable === undefined ? "" : `, e.g. ${newestStable}`}` +
    ". ARM refuses every request with a version it does not offer, so pre-flight's first reads meet this refusal, before anything in Azure is changed"
  );
}

/** The HTTP status of an ARM answer the SDK rejected, when the failure was one. */
export function httpStatusOf(error: unknown): number | undefined {
  return isRestErrorLike(error) ? error.statusCode : undefined;
}

/** ARM's `error.code` of a rejected answer, when there was one. */
export function armCodeOf(error: unknown): string | undefined {
  return isRestErrorLike(error) ? error.code : undefined;
}

function describeCause(error: unknown, where: FailurePlace): string {
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
    // The SDK reads only Resource Manager's error shape; App Service's own ends up as raw JSON.
    const fromBody = errorBodyMessage(error.response?.bodyAsText);
    const code = error.code && fromBody === undefined ? `${error.code}: ` : "";
    const text = fromBody ?? error.message;
    const hint =
      (status === 400
        ? unofferedApiVersionHint(error.response?.bodyAsText ?? error.message, where.reading)
        : undefined) ?? hintFor(status, where);
    return `${status} ${reason}: ${code}${withoutFinalPeriod(shorten(text))}${hint ? `. ${hint}.` : ""}`;
  }
  if (isRestErrorLike(error) && error.code) {
    // No status: the request never got an answer (connection refused, DNS, TLS).
    return `could not reach Azure Resource Manager (${error.code}): ${shorten(error.message)}. Check \`arm-endpoint\` / \`azure-cloud\` and the runner's network.`;
  }
  return shorten(error.message);
}

function hintFor(status: number, where: FailurePlace): string | undefined {
  if (where.reading === "metrics") {
    const hint = metricsHintFor(status, where);
    if (hint !== undefined) return hint;
  }
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
    return "Another operation kept running on the app (a swap, deployment or restart) for the whole status-timeout; let it finish, then re-run";
  }
  if (status === 429) {
    return "Azure Resource Manager kept throttling after the SDK's retries; lower `max-parallel` or re-run later";
  }
  if (status >= 500) return "Azure reported a server error; re-run later";
  return undefined;
}

/** What to do about a refused metrics read: its role is not App Service's. */
function metricsHintFor(status: number, where: FailurePlace): string | undefined {
  if (status === 403) {
    return `Give the signed-in principal a role that may read metrics, Microsoft.Insights/metrics/read (e.g. Monitoring Reader), on resource group ${where.resourceGroup}: the manifest's \`analysis\` reads them`;
  }
  if (status === 400) {
    return "Azure Monitor refused the query; check the metric names and that the timespan is within the last 93 days";
  }
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
