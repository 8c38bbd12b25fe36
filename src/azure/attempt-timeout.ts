/**
 * A time limit on every attempt of every Azure SDK request. The SDK's own `timeout` option ends a
 * request with an `AbortError`, which its retry policy does not retry, and it stops counting once
 * the headers have arrived; a hung body would still stall the run. This policy runs after the
 * retry policy, so each attempt gets its own limit, headers and body included, and a timed-out
 * attempt fails like a dropped connection (`ETIMEDOUT`), which the retry policy retries with back-off.
 */

/** The parts of `@azure/core-rest-pipeline`'s policy shape this module uses; structural, so no SDK type leaks. */
interface AttemptRequest {
  url: string;
  abortSignal?: AbortSignal;
}
interface AttemptPolicy<Request extends AttemptRequest, Response> {
  name: string;
  sendRequest(request: Request, next: (request: Request) => Promise<Response>): Promise<Response>;
}

/** The policy's name in the pipeline, also the position other code may refer to. */
export const ATTEMPT_TIMEOUT_POLICY = "regionalSlotSwapAttemptTimeout";

/** Default limit of one attempt: ARM answers in well under a second; a minute is a dead socket. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;

/**
 * Limits each attempt to `timeoutMs`. The caller's own `abortSignal` (cancellation) still wins: it
 * ends the attempt with the caller's abort, not with a retryable timeout.
 */
export function attemptTimeoutPolicy<Request extends AttemptRequest, Response>(
  timeoutMs: number = DEFAULT_ATTEMPT_TIMEOUT_MS,
): AttemptPolicy<Request, Response> {
  return {
    name: ATTEMPT_TIMEOUT_POLICY,
    async sendRequest(request, next) {
      const callerSignal = request.abortSignal;
      const timeout = AbortSignal.timeout(timeoutMs);
      request.abortSignal =
        callerSignal === undefined ? timeout : AbortSignal.any([callerSignal, timeout]);
      try {
        return await next(request);
      } catch (error) {
        if (timeout.aborted && callerSignal?.aborted !== true) {
          throw attemptTimedOut(request.url, timeoutMs, error);
        }
        throw error;
      } finally {
        request.abortSignal = callerSignal;
      }
    },
  };
}

/** An error the SDK's retry strategy treats as a failed connection: a `RestError` with code `ETIMEDOUT`. */
function attemptTimedOut(url: string, timeoutMs: number, cause: unknown): Error {
  const path = url.split("?")[0] ?? url;
  const error = new Error(`no answer from ${path} within ${timeoutMs / 1000}s`, { cause });
  error.name = "RestError";
  return Object.assign(error, { code: "ETIMEDOUT" });
}
