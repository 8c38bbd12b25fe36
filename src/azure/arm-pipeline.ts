/**
 * What every request to Azure Resource Manager shares, whether it goes through
 * `@azure/arm-appservice` or is sent by hand: the retry budget and the per-attempt time limit.
 */
import type { TokenCredential } from "@azure/identity";
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
  type PipelineRequest,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";
import { attemptTimeoutPolicy } from "./attempt-timeout.js";
import { armPacingPolicy, type ArmRequestBudget } from "./arm-pacing.js";

/**
 * More patience than the SDK's default 3 retries: ARM's read bucket refills at 25 requests a
 * second, and a fleet of hundreds of apps empties it (test/bench/RESULTS.md). A 429 waits its
 * Retry-After; a 5xx backs off exponentially, at most 30 s a time (about a minute in all).
 */
export const ARM_RETRIES = { maxRetries: 6, maxRetryDelayInMs: 30_000 };

/** Sends requests to ARM signed in, retried and bounded: an SDK client's pipeline, or {@link armPipeline}'s. */
export interface ArmRequestSender {
  sendRequest(request: PipelineRequest): Promise<PipelineResponse>;
}

/**
 * A pipeline for ARM requests sent by hand, built as `@azure/core-client` builds the SDK's:
 * core-rest-pipeline's default policies (the retry policy waits a 429's or 503's `Retry-After`,
 * backs off on other 5xx, 408 and network errors), a bearer token for `tokenScope`, and the
 * per-attempt time limit after the retry policy, so that a hung attempt is retried too.
 */
export function armPipeline(
  credential: TokenCredential,
  options: {
    tokenScope: string;
    attemptTimeoutMs?: number | undefined;
    /** The run's ARM request budget; requests are not paced without one. */
    budget?: ArmRequestBudget | undefined;
  },
): ArmRequestSender {
  const pipeline: Pipeline = createPipelineFromOptions({
    retryOptions: ARM_RETRIES,
    userAgentOptions: { userAgentPrefix: "regional-slot-swap" },
  });
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: [options.tokenScope] }));
  if (options.budget !== undefined) {
    pipeline.addPolicy(armPacingPolicy(options.budget), { afterPhase: "Retry" });
  }
  pipeline.addPolicy(attemptTimeoutPolicy(options.attemptTimeoutMs), { afterPhase: "Retry" });
  const httpClient: HttpClient = createDefaultHttpClient();
  return { sendRequest: (request) => pipeline.sendRequest(httpClient, request) };
}

/**
 * One GET through `send`, answered with any status: rejects with `signal`'s reason when it
 * aborted, else with `noAnswer(error)` when no answer came (network, time limit, sign-in).
 */
export async function getAnswer(
  send: (request: PipelineRequest) => Promise<PipelineResponse>,
  url: string,
  signal: AbortSignal,
  noAnswer: (error: unknown) => Error,
): Promise<PipelineResponse> {
  try {
    return await send(createPipelineRequest({ url, method: "GET", abortSignal: signal }));
  } catch (error) {
    signal.throwIfAborted();
    throw noAnswer(error);
  }
}
