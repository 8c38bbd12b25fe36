/**
 * Azure Resource Manager's request throttling, as documented in "Understand how Azure Resource
 * Manager throttles requests" (MicrosoftDocs/azure-docs
 * articles/azure-resource-manager/management/request-limits-and-throttling.md, ms.date
 * 05/28/2025, section "Regional throttling and token bucket algorithm"): every subscription-level
 * request takes one token from a bucket per subscription, per service principal and per
 * operation type (reads 250 + 25/s, writes and deletes 200 + 10/s); a bucket refills at a fixed
 * rate up to its size. "There are also global subscription limits that are equivalent to 15
 * times the individual service principal limits for each operation type. The global limits apply
 * across all service principals": the second bucket is per subscription (not per tenant, nor per
 * principal across subscriptions), shared by every principal. An empty bucket makes ARM answer
 * 429 `SubscriptionRequestsThrottled` with `Retry-After` (seconds), before the resource
 * provider sees the request, and takes no token.
 *
 * Headers: the article's table names `x-ms-ratelimit-remaining-subscription-{reads,writes,deletes}`
 * ("returned on read/write/delete operations": one operation type per answer) and
 * `x-ms-ratelimit-remaining-tenant-{reads,writes}` for tenant-level requests (no subscription in
 * the path; the simulator serves none that ARM throttles). The global bucket's count is not in
 * the table; real answers carry it as `x-ms-ratelimit-remaining-subscription-global-{reads,writes}`
 * (captured ARM responses: `…-subscription-reads: 249` with `…-subscription-global-reads: 3749`,
 * `…-subscription-writes: 199` with `…-subscription-global-writes: 2999`, i.e. 15 × 250 − 1 and
 * 15 × 200 − 1). The simulator sends both on every answer to an authenticated subscription-level
 * request, errors and 429s included.
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

/** The remaining whole tokens of a caller's bucket and the subscription's, as ARM's headers. */
function remainingHeaders(
  type: OperationType,
  own: number,
  global: number,
): Record<string, string> {
  return {
    [`x-ms-ratelimit-remaining-subscription-${type}`]: String(Math.floor(own)),
    [`x-ms-ratelimit-remaining-subscription-global-${type}`]: String(Math.floor(global)),
  };
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
    const { type, limit, globalLimit, own, global } = this.#bucketsFor(
      subscriptionId,
      principal,
      method,
    );
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
          ...remainingHeaders(type, own.tokens, global.tokens),
        },
        code: "SubscriptionRequestsThrottled",
        // ARM's own wording (token-bucket era).
        message: `Number of '${single}' requests for subscription '${subscriptionId}' actor '${principal}' exceeded. Please try again after '${retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.`,
      };
    }
    own.tokens -= 1;
    global.tokens -= 1;
    return { allowed: true, headers: remainingHeaders(type, own.tokens, global.tokens) };
  }

  /**
   * Gives back the token `charge` took for a request ARM refused after all (an injected throttle:
   * a refused request takes nothing) and returns the remaining-requests headers of that refusal;
   * `globalEmpty`: the subscription-wide bucket is the one reported empty.
   */
  refund(
    subscriptionId: string,
    principal: string,
    method: string,
    options: { globalEmpty?: boolean } = {},
  ): Record<string, string> {
    const { type, limit, globalLimit, own, global } = this.#bucketsFor(
      subscriptionId,
      principal,
      method,
    );
    own.tokens = Math.min(limit.bucket, own.tokens + 1);
    global.tokens = Math.min(globalLimit.bucket, global.tokens + 1);
    return remainingHeaders(type, own.tokens, options.globalEmpty ? 0 : global.tokens);
  }

  /** The caller's bucket and the subscription's global bucket for a request, refilled to now. */
  #bucketsFor(subscriptionId: string, principal: string, method: string) {
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
    return { type, limit, globalLimit, own, global };
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
