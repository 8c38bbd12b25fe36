/** What the simulator saw, for assertions: one entry per request, never a secret or token. */

/** Which simulated service answered a request. */
export type ServiceName = "arm" | "entra" | "oidc" | "github" | "slack" | "status" | "unknown";

/** One request as the simulator saw it. `status` is 0 when the connection was reset. */
export interface JournalEntry {
  at: number;
  service: ServiceName;
  method: string;
  /** The path, with any secret part (a Slack webhook's tokens) replaced by `***`. */
  path: string;
  query: Record<string, string>;
  status: number;
  /** For swap POSTs: which app and slot, and the (secret-free) request body. */
  swap?: { app: string; slot: string; body: unknown };
}

/** A swap request as sent: the POST of `slotsswap` (production or slot variant). */
export interface SwapRequest {
  at: number;
  app: string;
  /** The slot in the URL (`production` for the production variant). */
  slot: string;
  body: unknown;
  status: number;
}

/** A swap the simulator finished, successfully or not. */
export interface CompletedSwap {
  app: string;
  sourceSlot: string;
  targetSlot: string;
  startedAt: number;
  completedAt: number;
  succeeded: boolean;
  /** Builds that were in the two slots before the swap, production first. */
  before: { production: string | null; staging: string | null };
}

/** The request journal with filters for the questions tests ask. */
export class Journal {
  readonly #entries: JournalEntry[] = [];
  readonly #swaps: CompletedSwap[] = [];

  /** Records a request; the entry's status is filled in when the response ends. */
  add(entry: JournalEntry): JournalEntry {
    this.#entries.push(entry);
    return entry;
  }

  recordSwap(swap: CompletedSwap): void {
    this.#swaps.push(swap);
  }

  /** Every entry, oldest first (a copy). */
  entries(): JournalEntry[] {
    return [...this.#entries];
  }

  /** Entries of one service. */
  of(service: ServiceName): JournalEntry[] {
    return this.#entries.filter((entry) => entry.service === service);
  }

  /** ARM requests that change something: every PUT/PATCH/DELETE/POST except list-style POSTs. */
  armWrites(): JournalEntry[] {
    return this.of("arm").filter(
      (entry) => entry.method !== "GET" && entry.method !== "HEAD" && !/\/list$/i.test(entry.path),
    );
  }

  /** The swap POSTs, with app, slot and body. */
  swapRequests(): SwapRequest[] {
    return this.#entries.flatMap((entry) =>
      entry.swap ? [{ at: entry.at, status: entry.status, ...entry.swap }] : [],
    );
  }

  /** Swaps that have finished, in completion order. */
  swaps(): CompletedSwap[] {
    return [...this.#swaps];
  }

  /** Forgets everything seen so far (handy between two phases of a test). */
  clear(): void {
    this.#entries.length = 0;
    this.#swaps.length = 0;
  }
}
