import { truncate } from "./format.js";
import { redactSecrets } from "../redact-secrets.js";
import type { SlackPayload } from "./slack-message.js";

/** How a Slack post may be bounded and, in tests, how it waits before its retry. */
export interface SlackPostOptions {
  /** Aborts the post (and its retry), e.g. when the run is cancelled. */
  signal?: AbortSignal;
  /** Time allowed for each attempt; default 10 s. */
  timeoutMs?: number;
  /**
   * Longest pause before the retry, whatever `Retry-After` says; default
   * {@link MAX_RETRY_DELAY_MS}. A cancelled run, with seconds left, passes less.
   */
  maxRetryDelayMs?: number;
  /** Waits before the retry; defaults to a timer. Tests pass a recorder. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Pause before the retry when Slack names none. */
const DEFAULT_RETRY_DELAY_MS = 1_000;
/** The longest `Retry-After` honoured: a release message is not worth holding the job longer. */
export const MAX_RETRY_DELAY_MS = 5_000;

/** Why an attempt failed, and whether one more try could help. */
type Attempt =
  { ok: true } | { ok: false; message: string; retryable: boolean; retryAfterMs?: number };

/**
 * Posts a message to a Slack incoming webhook, with one retry on a network error, a 5xx or a
 * 429. Resolves when Slack accepted it; otherwise throws an Error whose message says what went
 * wrong but never contains the webhook URL, which is a secret.
 */
export async function postSlackMessage(
  webhookUrl: string,
  payload: SlackPayload,
  options: SlackPostOptions = {},
): Promise<void> {
  const sleep = options.sleep ?? sleepWithTimer;
  if (!isHttpUrl(webhookUrl)) {
    throw new Error(
      "Slack message not sent: `slack-webhook-url` is not an http(s) URL; copy the incoming webhook's URL from Slack's app settings",
    );
  }
  const body = JSON.stringify(payload);
  const first = await attempt(webhookUrl, body, options);
  if (first.ok) return;
  if (!first.retryable || options.signal?.aborted === true)
    throw slackError(first.message, webhookUrl);
  try {
    await sleep(
      Math.min(
        first.retryAfterMs ?? DEFAULT_RETRY_DELAY_MS,
        options.maxRetryDelayMs ?? MAX_RETRY_DELAY_MS,
      ),
      options.signal,
    );
  } catch {
    throw slackError(
      `the post was cancelled before its retry; first try: ${first.message}`,
      webhookUrl,
    );
  }
  const second = await attempt(webhookUrl, body, options);
  if (second.ok) return;
  throw slackError(`${second.message} (after one retry; first try: ${first.message})`, webhookUrl);
}

async function attempt(
  webhookUrl: string,
  body: string,
  options: SlackPostOptions,
): Promise<Attempt> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal =
    options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  let response: Response;
  try {
    response = await fetch(webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body,
      signal,
      redirect: "error",
    });
  } catch (error) {
    if (options.signal?.aborted === true) {
      return { ok: false, message: "the post was cancelled", retryable: false };
    }
    if (timeout.aborted) {
      return {
        ok: false,
        message: `Slack did not answer within ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`,
        retryable: true,
      };
    }
    return {
      ok: false,
      message: `could not reach Slack: ${networkReason(error)}`,
      retryable: true,
    };
  }
  // Slack answers `ok` on success and a short error code (`invalid_payload`, `no_service`) otherwise.
  const text = (await response.text().catch(() => "")).trim();
  if (response.ok) return { ok: true };
  const retryable = response.status === 429 || response.status >= 500;
  const detail = text === "" ? "" : ` ${truncate(text.replace(/\s+/g, " "), 200)}`;
  const result: Attempt = {
    ok: false,
    message: `Slack answered ${response.status}${detail}${hint(response.status)}`,
    retryable,
  };
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
  if (retryAfter !== undefined) result.retryAfterMs = retryAfter;
  return result;
}

/** `Retry-After` in seconds (Slack's form) or as an HTTP date. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function hint(status: number): string {
  if (status === 404 || status === 403 || status === 410) {
    return ": the webhook is unknown or revoked; create a new incoming webhook and update the `slack-webhook-url` secret";
  }
  if (status === 400) return ": Slack rejected the message";
  return "";
}

/** The network failure's code or message; undici hides the useful part in `cause`. */
function networkReason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === "string" ? `${code} ${cause.message}` : cause.message;
  }
  return String(cause);
}

/** Every message passes through here: the webhook URL must never reach a log. */
function slackError(message: string, webhookUrl: string): Error {
  const scrubbed = redactSecrets(
    webhookUrl === "" ? message : message.split(webhookUrl).join("<slack-webhook-url>"),
  );
  return new Error(`Slack message not sent: ${scrubbed}`);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

function sleepWithTimer(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
