/**
 * Client-side pacing of every request to Azure Resource Manager, so a release of a thousand apps
 * never meets a 429. ARM throttles with token buckets per subscription, principal and operation
 * type (reads: 250, refilled 25 a second; writes and deletes: 200, refilled 10 a second), and says
 * what is left on every answer (`x-ms-ratelimit-remaining-subscription-reads|writes|deletes`, and
 * the subscription's shared `…-global-…` bucket). The budget keeps a copy of each bucket, refills
 * it at ARM's rate, lowers it to what ARM reports, and holds a request until a token is there.
 * Requests without a subscription in their path (metadata) are not paced.
 * Source: "Understand how Azure Resource Manager throttles requests" (request-limits-and-throttling.md).
 */
import type { PipelinePolicy, PipelineResponse } from "@azure/core-rest-pipeline";

/** The operation types ARM counts requests by: the HTTP method (a POST action is a write). */
export type ArmOperationType = "reads" | "writes" | "deletes";

export interface BucketShape {
  capacity: number;
  refillPerSecond: number;
}

/** ARM's regional limits per subscription and principal (request-limits-and-throttling.md). */
export const ARM_BUCKETS: Readonly<Record<ArmOperationType, BucketShape>> = {
  reads: { capacity: 250, refillPerSecond: 25 },
  writes: { capacity: 200, refillPerSecond: 10 },
  deletes: { capacity: 200, refillPerSecond: 10 },
};

/**
 * Tokens left untouched in each bucket: our copy lags ARM's by the requests in flight, and other
 * tools of the same principal may spend tokens too.
 */
const RESERVE_TOKENS = 5;
/** Longest a throttled answer's `Retry-After` holds the bucket, so a strange header cannot stall the run. */
const MAX_HOLD_MS = 60_000;

/** Time and waiting, so tests of pacing run on a virtual clock. */
export interface PacingClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

interface Bucket {
  type: ArmOperationType;
  shape: BucketShape;
  tokens: number;
  refilledAt: number;
  /** No request before this time (a 429's `Retry-After`). */
  heldUntil: number;
  /** Requests that took a token and are not answered yet: ARM's count on an answer does not know them. */
  inFlight: number;
  /** The requests waiting for a token, in order. */
  queue: Promise<void>;
}

/** What one budget has seen, for the log and the benchmark. */
export interface PacingCounts {
  /** Requests that had to wait for a token. */
  held: number;
  /** Milliseconds requests spent waiting, in all. */
  heldMs: number;
  /** 429 answers seen despite the pacing. */
  throttled: number;
}

/** One run's ARM request budget: shared by every client of the run (slots, swaps, metrics). */
export class ArmRequestBudget {
  private readonly buckets = new Map<string, Bucket>();
  readonly counts: PacingCounts = { held: 0, heldMs: 0, throttled: 0 };

  constructor(
    private readonly clock: PacingClock,
    private readonly shapes: Readonly<Record<ArmOperationType, BucketShape>> = ARM_BUCKETS,
  ) {}

  /**
   * Waits until the bucket of `subscriptionId` and `type` has a token, and takes it. Every take is
   * followed by one {@link settle}: with the answer, or without one when the request failed.
   */
  take(subscriptionId: string, type: ArmOperationType, signal?: AbortSignal): Promise<void> {
    const bucket = this.bucket(subscriptionId, type);
    const turn = bucket.queue.then(() => this.takeFrom(bucket, signal));
    // A cancelled wait must not stall the requests queued behind it.
    bucket.queue = turn.catch(() => undefined);
    return turn.then(() => {
      bucket.inFlight += 1;
    });
  }

  /**
   * Ends a request that took a token. With an answer, lowers our copy of the bucket to what ARM
   * says is left, less the requests still in flight that ARM had not counted yet; a 429 empties
   * the bucket until its Retry-After.
   */
  settle(subscriptionId: string, type: ArmOperationType, response?: PipelineResponse): void {
    const bucket = this.bucket(subscriptionId, type);
    bucket.inFlight = Math.max(0, bucket.inFlight - 1);
    if (response !== undefined) this.observe(bucket, response);
  }

  /** What ARM said of a bucket on an answer (see {@link settle}). */
  observeAnswer(subscriptionId: string, type: ArmOperationType, response: PipelineResponse): void {
    this.observe(this.bucket(subscriptionId, type), response);
  }

  private observe(bucket: Bucket, response: PipelineResponse): void {
    const { type } = bucket;
    this.refill(bucket);
    const reported = [
      response.headers.get(`x-ms-ratelimit-remaining-subscription-${type}`),
      response.headers.get(`x-ms-ratelimit-remaining-subscription-global-${type}`),
    ]
      .map((value) => (value === undefined ? NaN : Number(value)))
      .filter((value) => Number.isFinite(value) && value >= 0);
    if (reported.length > 0)
      bucket.tokens = Math.min(bucket.tokens, Math.min(...reported) - bucket.inFlight);
    if (response.status === 429) {
      this.counts.throttled += 1;
      bucket.tokens = 0;
      const retryAfterSeconds = Number(response.headers.get("retry-after"));
      const holdMs = Number.isFinite(retryAfterSeconds) ? retryAfterSeconds * 1000 : 1000;
      bucket.heldUntil = Math.max(
        bucket.heldUntil,
        this.clock.now() + Math.min(Math.max(holdMs, 0), MAX_HOLD_MS),
      );
    }
  }

  private async takeFrom(bucket: Bucket, signal: AbortSignal | undefined): Promise<void> {
    let waited = 0;
    for (;;) {
      signal?.throwIfAborted();
      this.refill(bucket);
      const now = this.clock.now();
      if (now >= bucket.heldUntil && bucket.tokens >= 1 + RESERVE_TOKENS) {
        bucket.tokens -= 1;
        if (waited > 0) {
          this.counts.held += 1;
          this.counts.heldMs += waited;
        }
        return;
      }
      const needed = 1 + RESERVE_TOKENS - bucket.tokens;
      const waitMs = Math.max(
        bucket.heldUntil - now,
        Math.ceil((Math.max(needed, 0) / bucket.shape.refillPerSecond) * 1000),
        1,
      );
      await this.clock.sleep(waitMs, signal);
      waited += waitMs;
    }
  }

  private refill(bucket: Bucket): void {
    const now = this.clock.now();
    const elapsedSeconds = Math.max(0, now - bucket.refilledAt) / 1000;
    bucket.tokens = Math.min(
      bucket.shape.capacity,
      bucket.tokens + elapsedSeconds * bucket.shape.refillPerSecond,
    );
    bucket.refilledAt = now;
  }

  private bucket(subscriptionId: string, type: ArmOperationType): Bucket {
    const key = `${subscriptionId.toLowerCase()}/${type}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      const shape = this.shapes[type];
      bucket = {
        type,
        shape,
        inFlight: 0,
        tokens: shape.capacity,
        refilledAt: this.clock.now(),
        heldUntil: 0,
        queue: Promise.resolve(),
      };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

/** The operation type ARM charges a request to. */
export function operationTypeOf(method: string): ArmOperationType {
  const upper = method.toUpperCase();
  if (upper === "GET" || upper === "HEAD") return "reads";
  if (upper === "DELETE") return "deletes";
  return "writes";
}

/** The subscription a request's path names, or `undefined` (not paced). */
export function subscriptionOf(url: string): string | undefined {
  const found = /\/subscriptions\/([^/?#]+)/i.exec(new URL(url).pathname);
  return found?.[1] === undefined ? undefined : decodeURIComponent(found[1]);
}

/**
 * The policy that paces each attempt through `budget` (placed after the retry policy, so a retry
 * takes a token too, and before the per-attempt time limit, so waiting is not counted as hanging).
 */
export function armPacingPolicy(budget: ArmRequestBudget): PipelinePolicy {
  return {
    name: "regionalSlotSwapArmPacing",
    async sendRequest(request, next) {
      const subscriptionId = subscriptionOf(request.url);
      if (subscriptionId === undefined) return next(request);
      const type = operationTypeOf(request.method);
      await budget.take(subscriptionId, type, request.abortSignal as AbortSignal | undefined);
      let response: PipelineResponse | undefined;
      try {
        response = await next(request);
        return response;
      } finally {
        budget.settle(subscriptionId, type, response);
      }
    },
  };
}
