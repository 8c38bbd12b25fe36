/**
 * The swap's long-running operation, sent and followed by hand instead of through the SDK's
 * poller, for three reasons the release depends on:
 * - the swap POST is sent exactly once: the SDK pipeline would retry it on a 5xx or a dropped
 *   connection, and a second swap of a slot pair that Azure already swapped puts the old build back;
 * - every ending is classified (completed, refused, conflict, uncertain), so the release core can
 *   find out the truth of an uncertain one instead of assuming;
 * - polls follow the operation's `Retry-After` from the first one (the SDK's poller sends two
 *   right after the 202).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import type { PipelineResponse } from "@azure/core-rest-pipeline";
import type { SwapResult } from "../release/ports.js";
import { answerMessage } from "./arm-error.js";

/** What sending requests needs: the ARM client's pipeline (sign-in, time limits), with or without retries. */
export interface RequestSender {
  sendRequest(request: ReturnType<typeof createPipelineRequest>): Promise<PipelineResponse>;
}

/** One swap to send. */
export interface SwapRequest {
  /** `…/slots/{source}/slotsswap?api-version=…` on the ARM endpoint. */
  url: string;
  body: { targetSlot: string; preserveVnet: boolean };
  /** Sends the POST: a client with no retries. */
  once: RequestSender;
  /**
   * Sends the polls, without retries of its own: a failed poll is retried here at the
   * operation's own pace, a few times, instead of backing off for a minute while the swap ends.
   */
  polls: RequestSender;
  /** Pause between polls when Azure sends no `Retry-After`. */
  defaultPollIntervalMs: number;
}

/** A 429 on the POST means ARM did not take the request: waiting its Retry-After and sending again is safe. */
const MAX_THROTTLED_ATTEMPTS = 6;
/** Longest pause honoured from a `Retry-After`, so a strange header cannot stall the run. */
const MAX_RETRY_AFTER_MS = 60_000;
/** Polls in a row that get no answer or a 5xx before the swap's outcome is called uncertain. */
const MAX_FAILED_POLLS_IN_A_ROW = 5;

/** Sends the swap once and follows it to its end. Throws only when `signal` aborts. */
export async function sendSwap(request: SwapRequest, signal: AbortSignal): Promise<SwapResult> {
  let answer: PipelineResponse | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      answer = await request.once.sendRequest(
        createPipelineRequest({
          url: request.url,
          method: "POST",
          body: JSON.stringify(request.body),
          headers: createHttpHeaders({ "content-type": "application/json" }),
          abortSignal: signal,
        }),
      );
    } catch (error) {
      signal.throwIfAborted();
      return { kind: "uncertain", message: `the swap request got no answer: ${describe(error)}` };
    }
    if (answer.status !== 429 || attempt >= MAX_THROTTLED_ATTEMPTS) break;
    await sleep(retryAfterMs(answer) ?? 2 ** attempt * 1000, undefined, { signal });
  }
  const status = answer.status;
  if (status === 200 || status === 201 || status === 204) return { kind: "completed" };
  if (status === 202) return followOperation(request, answer, signal);
  const message = answerMessage(status, answer.bodyAsText);
  if (status === 409) return { kind: "conflict", message };
  // A 5xx or a timeout answer says nothing of what Azure did; any other 4xx is a refusal.
  if (status >= 500 || status === 408) return { kind: "uncertain", message };
  return { kind: "refused", message };
}

/** Polls the operation's `Location` until it ends: 202 is running, another 2xx done, anything else failed. */
async function followOperation(
  request: SwapRequest,
  accepted: PipelineResponse,
  signal: AbortSignal,
): Promise<SwapResult> {
  const location = accepted.headers.get("location");
  if (location === undefined) {
    return { kind: "uncertain", message: "Azure accepted the swap but gave no Location to follow" };
  }
  let waitMs = retryAfterMs(accepted) ?? request.defaultPollIntervalMs;
  let failedInARow = 0;
  for (;;) {
    await sleep(waitMs, undefined, { signal });
    let poll: PipelineResponse;
    try {
      poll = await request.polls.sendRequest(
        createPipelineRequest({ url: location, method: "GET", abortSignal: signal }),
      );
    } catch (error) {
      signal.throwIfAborted();
      if (++failedInARow < MAX_FAILED_POLLS_IN_A_ROW) continue;
      return { kind: "uncertain", message: `following the swap failed: ${describe(error)}` };
    }
    const detail = () => answerMessage(poll.status, poll.bodyAsText);
    if (poll.status === 202 || poll.status === 429) {
      failedInARow = 0;
      waitMs = retryAfterMs(poll) ?? request.defaultPollIntervalMs;
      continue;
    }
    if (poll.status >= 200 && poll.status < 300) return { kind: "completed" };
    if (poll.status >= 500 && ++failedInARow < MAX_FAILED_POLLS_IN_A_ROW) continue;
    return { kind: "uncertain", message: `Azure reported the swap failed (${detail()})` };
  }
}

/** `Retry-After` in seconds or as an HTTP date, or `retry-after-ms`, bounded; `undefined` when absent. */
function retryAfterMs(response: PipelineResponse): number | undefined {
  const ms = Number(
    response.headers.get("retry-after-ms") ?? response.headers.get("x-ms-retry-after-ms"),
  );
  if (Number.isFinite(ms) && ms > 0) return Math.min(ms, MAX_RETRY_AFTER_MS);
  const header = response.headers.get("retry-after");
  if (header === undefined) return undefined;
  const seconds = Number(header);
  const wait = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(wait) ? Math.min(Math.max(wait, 0), MAX_RETRY_AFTER_MS) : undefined;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === "string" && !error.message.includes(code)
    ? `${code}: ${error.message}`
    : error.message;
}
