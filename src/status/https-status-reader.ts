import type { StatusPageReader, StatusResponse } from "../release/ports.js";

/**
 * App Service's routing cookie that reaches production itself while a traffic-routing rule sends
 * a share of production's users to another slot (Microsoft's "route production traffic manually").
 */
export const ROUTE_TO_SELF_COOKIE = "x-ms-routing-name=self";

/** Tuning of {@link HttpsStatusReader}; the defaults suit status pages on the public internet. */
export interface HttpsStatusReaderOptions {
  /** How long one read (redirects and body included) may take; default 10 s. */
  timeoutMs?: number;
  /** Redirects followed before the read gives up; default 3. */
  maxRedirects?: number;
  /** The `fetch` to use; default the global one. For callers that route through a proxy or pin TLS. */
  fetch?: typeof globalThis.fetch;
}

/** A non-JSON body is kept for the report only; status pages that answer with a page of HTML stay readable. */
const MAX_TEXT_BODY_CHARS = 500;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Reads a status page with one HTTP GET per `read` and reports what came back, unjudged:
 * the release core applies the health rules and decides about retries. It keeps no cookies:
 * a `Set-Cookie` of an answer (App Service pins a routed user with `x-ms-routing-name`) is never
 * sent back, so one read cannot decide where the next one lands.
 */
export class HttpsStatusReader implements StatusPageReader {
  private readonly timeoutMs: number;
  private readonly maxRedirects: number;
  private readonly fetch: typeof globalThis.fetch;

  constructor(options: HttpsStatusReaderOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxRedirects = options.maxRedirects ?? 3;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async read(
    url: string,
    signal?: AbortSignal,
    options: { routeToSelf?: boolean } = {},
  ): Promise<StatusResponse> {
    signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      return await this.follow(url, combined, options.routeToSelf === true);
    } catch (error) {
      // Cancellation belongs to the caller: let it propagate. Everything else is an answer.
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) {
        return {
          kind: "unreachable",
          reason: `no answer from ${url} within ${formatMs(this.timeoutMs)}`,
        };
      }
      return { kind: "unreachable", reason: `${url}: ${describeNetworkError(error)}` };
    }
  }

  /**
   * Follows a bounded number of redirects by hand: `fetch` alone would follow twenty. The routing
   * cookie goes only to the page's own origin, as a browser would send it, not to wherever a
   * redirect points.
   */
  private async follow(
    startUrl: string,
    signal: AbortSignal,
    routeToSelf: boolean,
  ): Promise<StatusResponse> {
    let url = new URL(startUrl);
    const origin = url.origin;
    for (let redirects = 0; ; redirects++) {
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        return { kind: "unreachable", reason: `${url.href} is not an http(s) URL` };
      }
      const response = await this.fetch(url, {
        method: "GET",
        redirect: "manual",
        signal,
        headers: {
          accept: "application/json",
          "cache-control": "no-cache",
          pragma: "no-cache",
          "user-agent": "regional-slot-swap",
          ...(routeToSelf && url.origin === origin ? { cookie: ROUTE_TO_SELF_COOKIE } : {}),
        },
      });
      const location = response.headers.get("location");
      if (REDIRECT_STATUSES.has(response.status) && location !== null) {
        await response.body?.cancel();
        if (redirects >= this.maxRedirects) {
          return {
            kind: "unreachable",
            reason: `${startUrl} redirected more than ${this.maxRedirects} times (last to ${new URL(location, url).href})`,
          };
        }
        url = new URL(location, url);
        continue;
      }
      return toStatusResponse(response.status, await response.text());
    }
  }
}

function toStatusResponse(httpStatus: number, text: string): StatusResponse {
  try {
    return { kind: "response", httpStatus, body: JSON.parse(text) as unknown, bodyIsJson: true };
  } catch {
    return {
      kind: "response",
      httpStatus,
      body: text.slice(0, MAX_TEXT_BODY_CHARS),
      bodyIsJson: false,
    };
  }
}

/** `fetch` reports every network failure as "fetch failed"; the useful part is in `cause`. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === "string" && !cause.message.includes(code)
      ? `${code}: ${cause.message}`
      : cause.message;
  }
  return error.message;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
