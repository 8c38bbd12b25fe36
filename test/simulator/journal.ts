/** What the simulator saw, for assertions: one entry per request, never a secret or token. */

/** Which simulated service answered a request. */
export type ServiceName = "arm" | "entra" | "oidc" | "github" | "slack" | "status" | "unknown";

/** The builds of the two slots of a swap, production (or the swap's target) first. */
export interface SwapBuilds {
  production: string | null;
  staging: string | null;
}

/** A swap POST as ARM received it, and what Azure did with it. */
export interface SwapPost {
  app: string;
  slot: string;
  body: unknown;
  /**
   * Azure processed it: a swap operation started (whatever the client heard). `false`: refused
   * (401, 429, 409 another operation in progress, 4xx, an injected fault) and nothing happened.
   */
  processed: boolean;
  /** The started swap's operation id (its `Location`'s last segment). */
  operationId?: string;
  /** The builds of the two slots when the swap started. */
  before?: SwapBuilds;
  /**
   * The share of production's users the traffic-routing rules sent to other slots when ARM
   * received the POST, percent (0: no rule routed anyone).
   */
  routedPercent: number;
}

/** A write of production's traffic-routing rules (`siteConfig.experiments.rampUpRules`). */
export interface RoutingWrite {
  at: number;
  app: string;
  /** The share of production's users the rules route elsewhere after the write, percent. */
  percent: number;
  /** The rules that route, by slot (rules naming no slot of the app are left out). */
  routes: Array<{ slot: string; percent: number }>;
  /** The rules as written. */
  rules: unknown[];
  /** `arm`: a config write through Resource Manager; `simulator`: `Simulator.routeTraffic`. */
  via: "arm" | "simulator";
}

/** Which slot served a read of a status page, and why. */
export interface StatusRead {
  app: string;
  /** The slot whose host name the request was sent to. */
  host: string;
  /** The slot whose instances answered (after traffic routing and any late routing flip). */
  slot: string;
  /** The build that slot ran. */
  build: string | null;
  /** `host`: a slot's own host; `query`/`cookie`: pinned by `x-ms-routing-name`; `rules`: routed by production's rules. */
  routedBy: "host" | "query" | "cookie" | "rules";
  /** The `x-ms-routing-name` cookie the answer set (production's host only). */
  cookie?: string;
}

/**
 * One request as the simulator saw it. `status` is 0 when no answer was sent: the connection
 * was reset, or it is (or was) held open without an answer.
 */
export interface JournalEntry {
  at: number;
  service: ServiceName;
  method: string;
  /** The path, with any secret part (a Slack webhook's tokens) replaced by `***`. */
  path: string;
  query: Record<string, string>;
  status: number;
  /** The injected fault that shaped the answer (`reset`, `hang`, `lose-answer`, `status`), if any. */
  fault?: string;
  /** For swap POSTs: which app and slot, the (secret-free) request body, and whether Azure processed it. */
  swap?: SwapPost;
  /** For status page reads that reached a slot: which slot served it. */
  served?: StatusRead;
}

/** A swap request as sent: the POST of `slotsswap` (production or slot variant). */
export interface SwapRequest extends SwapPost {
  at: number;
  /** The slot in the URL (`production` for the production variant). */
  slot: string;
  /** What the client heard; 0 when the answer was lost or never sent. */
  status: number;
}

/** A swap the simulator finished, successfully or not. */
export interface CompletedSwap {
  app: string;
  sourceSlot: string;
  targetSlot: string;
  startedAt: number;
  completedAt: number;
  /** Ground truth: the contents were exchanged. */
  succeeded: boolean;
  /** What the operation result says (it can say `Failed` although the contents moved). */
  reported: "Succeeded" | "Failed";
  operationId: string;
  /** Builds that were in the two slots before the swap, production first. */
  before: SwapBuilds;
}

/** The request journal with filters for the questions tests ask. */
export class Journal {
  readonly #entries: JournalEntry[] = [];
  readonly #swaps: CompletedSwap[] = [];
  readonly #routing: RoutingWrite[] = [];

  /** Records a request; the entry's status is filled in when the response ends. */
  add(entry: JournalEntry): JournalEntry {
    this.#entries.push(entry);
    return entry;
  }

  recordSwap(swap: CompletedSwap): void {
    this.#swaps.push(swap);
  }

  recordRouting(write: RoutingWrite): void {
    this.#routing.push(write);
  }

  /** Every write of `app`'s traffic-routing rules, oldest first. */
  routingHistory(app: string): RoutingWrite[] {
    return this.#routing.filter((write) => write.app.toLowerCase() === app.toLowerCase());
  }

  /** Status page reads that reached a slot (of `app`, when given), with the slot that served each. */
  statusReads(app?: string): Array<StatusRead & { at: number; status: number }> {
    return this.#entries.flatMap((entry) =>
      entry.served && (app === undefined || entry.served.app.toLowerCase() === app.toLowerCase())
        ? [{ ...entry.served, at: entry.at, status: entry.status }]
        : [],
    );
  }

  /** Swap POSTs ARM received while a traffic-routing rule sent users away from production. */
  swapsWhileRouted(): SwapRequest[] {
    return this.swapRequests().filter((request) => request.routedPercent > 0);
  }

  /** Every entry, oldest first (a copy). */
  entries(): JournalEntry[] {
    return [...this.#entries];
  }

  /** Entries of one service. */
  of(service: ServiceName): JournalEntry[] {
    return this.#entries.filter((entry) => entry.service === service);
  }

  /**
   * ARM requests that change something: every PUT/PATCH/DELETE/POST except the POSTs that only
   * read (list-style `…/list`, and the slot diff `…/slotsdiffs`).
   */
  armWrites(): JournalEntry[] {
    return this.of("arm").filter(
      (entry) =>
        entry.method !== "GET" &&
        entry.method !== "HEAD" &&
        !/\/list$/i.test(entry.path) &&
        !/\/slotsdiffs$/i.test(entry.path),
    );
  }

  /** Every swap POST ARM received, processed or refused, with app, slot, body and outcome. */
  swapRequests(): SwapRequest[] {
    return this.#entries.flatMap((entry) =>
      entry.swap ? [{ ...entry.swap, at: entry.at, status: entry.status }] : [],
    );
  }

  /** The swap POSTs Azure processed: each started a swap operation. */
  startedSwaps(): SwapRequest[] {
    return this.swapRequests().filter((request) => request.processed);
  }

  /**
   * Swaps started more than once in one direction for one app: the same builds in the same
   * slots when they started (a duplicate, not a rollback). Empty when no swap was repeated.
   */
  repeatedSwaps(): Array<{ app: string; before: SwapBuilds; count: number }> {
    const counts = new Map<string, { app: string; before: SwapBuilds; count: number }>();
    for (const request of this.startedSwaps()) {
      const before = request.before ?? { production: null, staging: null };
      const key = JSON.stringify([request.app.toLowerCase(), before.production, before.staging]);
      const seen = counts.get(key) ?? { app: request.app, before, count: 0 };
      seen.count += 1;
      counts.set(key, seen);
    }
    return [...counts.values()].filter((seen) => seen.count > 1);
  }

  /** Swaps that have finished, in completion order. */
  swaps(): CompletedSwap[] {
    return [...this.#swaps];
  }

  /** Forgets everything seen so far (handy between two phases of a test). */
  clear(): void {
    this.#entries.length = 0;
    this.#swaps.length = 0;
    this.#routing.length = 0;
  }
}
