/**
 * Azure Resource Manager's request throttling, as documented in "Understand how Azure Resource
 * Manager throttles requests" (request-limits-and-throttling.md, regional token-bucket limits
 * since 2024): every subscription-level request takes one token from a bucket per subscription,
 * per security principal and per operation type (reads, writes, deletes); a bucket refills at a
 * fixed rate up to its size. A second, "global" bucket per subscription and operation type is
 * shared by all principals and is 15 times the principal's. An empty bucket makes ARM answer
 * 429 `SubscriptionRequestsThrottled` with `Retry-After` (seconds), before the resource
 * provider sees the request. Every answer carries the remaining tokens in
 * `x-ms-ratelimit-remaining-subscription-{reads,writes,deletes}` and the `-global-` variants.
 *
 * The limits apply per region (of the ARM front end serving the caller); the simulator is one
 * region, so a subscription and principal have one bucket per operation type.
 */

/** One token bucket's shape. */
export interface BucketLimit {
  /** Tokens when full: the burst a caller may send at once. */
  bucket: number;
  /** Tokens added per second, up to `bucket`. */
  refillPerSecond: number;
}

/** ARM's per-subscription, per-principal limits by operation type. */
export interface ArmLimits {
  reads: BucketLimit;
  writes: BucketLimit;
  deletes: BucketLimit;
  /** The subscription-wide bucket shared by all principals is this many times a principal's (ARM: 15). */
  globalFactor: number;
}

/** The real regional limits (request-limits-and-throttling.md). */
export const REAL_ARM_LIMITS: ArmLimits = {
  reads: { bucket: 250, refillPerSecond: 25 },
  writes: { bucket: 200, refillPerSecond: 10 },
  deletes: { bucket: 200, refillPerSecond: 10 },
  globalFactor: 15,
};

/** How ARM counts a request: by HTTP method (a POST action such as `…/list` is a write). */
export type OperationType = "reads" | "writes" | "deletes";

/** The operation type ARM charges a request to. */
export function operationTypeOf(method: string): OperationType {
  const upper = method.toUpperCase();
  if (upper === "GET" || upper === "HEAD") return "reads";
  if (upper === "DELETE") return "deletes";
  return "writes";
}

/** The outcome of charging one request. */
export type ThrottleDecision =
  | { allowed: true; headers: Record<string, string> }
  | {
      allowed: false;
      headers: Record<string, string>;
      retryAfterSeconds: number;
      code: string;
      message: string;
    };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** A token bucket filled at `limit.refillPerSecond`, read at `now`. */
function refill(bucket: Bucket, limit: BucketLimit, now: number): void {
  const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
  bucket.tokens = Math.min(limit.bucket, bucket.tokens + elapsedSeconds * limit.refillPerSecond);
  bucket.updatedAt = now;
}

/** Seconds until a bucket holds one whole token again, rounded up, at least 1 (ARM's Retry-After). */
function secondsUntilToken(bucket: Bucket, limit: BucketLimit): number {
  if (limit.refillPerSecond <= 0) return Number.MAX_SAFE_INTEGER;
  return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.refillPerSecond));
}

/** ARM's token buckets of one simulator; the clock is the simulator's. */
export class ArmThrottle {
  readonly #limits: ArmLimits;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();
  #throttled = 0;

  constructor(limits: ArmLimits, now: () => number) {
    for (const type of ["reads", "writes", "deletes"] as const) {
      const limit = limits[type];
      if (!(limit.bucket >= 1) || !(limit.refillPerSecond > 0))
        throw new Error(
          `simulator: armLimits.${type} needs bucket ≥ 1 and refillPerSecond > 0, got ${JSON.stringify(limit)}. Pass armLimits: false to turn throttling off.`,
        );
    }
    if (!(limits.globalFactor >= 1))
      throw new Error(`simulator: armLimits.globalFactor must be ≥ 1, got ${limits.globalFactor}.`);
    this.#limits = limits;
    this.#now = now;
  }

  /** How many requests this throttle refused with 429 so far. */
  get throttledCount(): number {
    return this.#throttled;
  }

  /**
   * Charges one request of `principal` in `subscriptionId`: takes a token from the principal's
   * and the subscription's global bucket, or refuses it (taking nothing) when either is empty.
   */
  charge(subscriptionId: string, principal: string, method: string): ThrottleDecision {
    const type = operationTypeOf(method);
    const now = this.#now();
    const limit = this.#limits[type];
    const globalLimit: BucketLimit = {
      bucket: limit.bucket * this.#limits.globalFactor,
      refillPerSecond: limit.refillPerSecond * this.#limits.globalFactor,
    };
    const subscription = subscriptionId.toLowerCase();
    const own = this.#bucket(`${subscription}|${principal}|${type}`, limit, now);
    const global = this.#bucket(`${subscription}|*|${type}`, globalLimit, now);
    const single = type.slice(0, -1); // read, write, delete

    if (own.tokens < 1 || global.tokens < 1) {
      this.#throttled++;
      const retryAfterSeconds = Math.max(
        own.tokens < 1 ? secondsUntilToken(own, limit) : 0,
        global.tokens < 1 ? secondsUntilToken(global, globalLimit) : 0,
      );
      return {
        allowed: false,
        retryAfterSeconds,
        headers: {
          "retry-after": String(retryAfterSeconds),
          [`x-ms-ratelimit-remaining-subscription-${type}`]: String(Math.floor(own.tokens)),
          [`x-ms-ratelimit-remaining-subscription-global-${type}`]: String(
            Math.floor(global.tokens),
          ),
        },
        code: "SubscriptionRequestsThrottled",
        // ARM's own wording (token-bucket era).
        message: `Number of '${single}' requests for subscription '${subscriptionId}' actor '${principal}' exceeded. Please try again after '${retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.`,
      };
    }
    own.tokens -= 1;
    global.tokens -= 1;
    return {
      allowed: true,
      headers: {
        [`x-ms-ratelimit-remaining-subscription-${type}`]: String(Math.floor(own.tokens)),
        [`x-ms-ratelimit-remaining-subscription-global-${type}`]: String(Math.floor(global.tokens)),
      },
    };
  }

  /** Forgets every bucket (all full again). */
  reset(): void {
    this.#buckets.clear();
  }

  #bucket(key: string, limit: BucketLimit, now: number): Bucket {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { tokens: limit.bucket, updatedAt: now };
      this.#buckets.set(key, bucket);
    }
    refill(bucket, limit, now);
    return bucket;
  }
}

/** `SimulatorOptions.armLimits`: any part left out takes the real value; `false` turns throttling off. */
export interface ArmLimitsOption {
  reads?: Partial<BucketLimit>;
  writes?: Partial<BucketLimit>;
  deletes?: Partial<BucketLimit>;
  globalFactor?: number;
}

/** The limits an `armLimits` option means, or `undefined` for none. */
export function resolveArmLimits(
  option: ArmLimitsOption | false | undefined,
): ArmLimits | undefined {
  if (option === false) return undefined;
  const given = option ?? {};
  return {
    reads: { ...REAL_ARM_LIMITS.reads, ...given.reads },
    writes: { ...REAL_ARM_LIMITS.writes, ...given.writes },
    deletes: { ...REAL_ARM_LIMITS.deletes, ...given.deletes },
    globalFactor: given.globalFactor ?? REAL_ARM_LIMITS.globalFactor,
  };
}
