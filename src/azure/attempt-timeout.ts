/**
 * A time limit on every attempt of every Azure SDK request. The SDK's own `timeout` option ends a
 * request with an `AbortError`, which its retry policy does not retry, and it stops counting once
 * the headers have arrived; a hung body would still stall the run. This policy runs after the
 * retry policy, so each attempt gets its own limit, headers and body included, and a timed-out
 * attempt fails like a dropped connection (`ETIMEDOUT`), which the retry policy retries with back-off.
 */
import { RestError, type PipelinePolicy } from "@azure/core-rest-pipeline";

/** The policy's name in the pipeline. */
const ATTEMPT_TIMEOUT_POLICY = "regionalSlotSwapAttemptTimeout";

/** Default limit of one attempt: ARM answers in well under a second; 30 s is a dead socket. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;

/**
 * Limits each attempt to `timeoutMs`. The caller's own `abortSignal` (cancellation) still wins: it
 * ends the attempt with the caller's abort, not with a retryable timeout.
 */
export function attemptTimeoutPolicy(
  timeoutMs: number = DEFAULT_ATTEMPT_TIMEOUT_MS,
): PipelinePolicy {
  return {
    name: ATTEMPT_TIMEOUT_POLICY,
    async sendRequest(request, next) {
      const callerSignal = request.abortSignal;
      const timeout = AbortSignal.timeout(timeoutMs);
      const combined = new AbortController();
      const abort = () => combined.abort();
      timeout.addEventListener("abort", abort, { once: true });
      if (callerSignal?.aborted) combined.abort();
      callerSignal?.addEventListener("abort", abort, { once: true });
      request.abortSignal = combined.signal;
      try {
        return await next(request);
      } catch (error) {
        if (timeout.aborted && callerSignal?.aborted !== true) {
          throw new RestError(
            `no answer from ${request.url.split("?")[0]} within ${timeoutMs / 1000}s`,
            {
              code: "ETIMEDOUT",
              request,
            },
          );
        }
        throw error;
      } finally {
        timeout.removeEventListener("abort", abort);
        callerSignal?.removeEventListener("abort", abort);
        request.abortSignal = callerSignal;
      }
    },
  };
}
