/**
 * Virtual time for unit tests of the release core. Sleepers wait in a queue ordered by wake-up
 * time; whenever every piece of work has gone quiet (a few turns of the event loop with nothing
 * left to run), time jumps to the earliest sleeper and wakes it. So concurrent waits overlap as
 * they do in real time, timeouts take milliseconds, and "how long did that take" is measurable.
 */
import type { Clock } from "../../src/release/ports.js";

interface Sleeper {
  wakeAt: number;
  order: number;
  wake(): void;
}

/** Turns of the event loop with nothing to run before time may move on. */
const QUIET_TURNS = 8;

/** A clock whose time moves only when every task waits on it. */
export class VirtualClock implements Clock {
  private current = Date.parse("2026-11-21T10:00:00Z");
  private readonly sleepers: Sleeper[] = [];
  private order = 0;
  private pumping = false;

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        const index = this.sleepers.indexOf(sleeper);
        if (index >= 0) this.sleepers.splice(index, 1);
        reject(signal?.reason);
      };
      const sleeper: Sleeper = {
        wakeAt: this.current + Math.max(0, ms),
        order: this.order++,
        wake: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.sleepers.push(sleeper);
      this.pump();
    });
  }

  /** Lets every runnable task run, then wakes sleepers in time order until none is left. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    const run = async () => {
      for (;;) {
        for (let turn = 0; turn < QUIET_TURNS; turn++) await nextTurn();
        if (this.sleepers.length === 0) break;
        this.sleepers.sort((a, b) => a.wakeAt - b.wakeAt || a.order - b.order);
        const first = this.sleepers.shift() as Sleeper;
        this.current = Math.max(this.current, first.wakeAt);
        first.wake();
      }
      this.pumping = false;
    };
    void run();
  }
}

/** One turn of the event loop. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
