/**
 * Time limits measured on the run's clock, so that the same code is bounded in real time in the
 * action and in virtual time in tests.
 */
import type { Clock } from "./ports.js";

/** Why a deadline signal aborted: its time ran out (the parent's own reason is kept as it is). */
export class DeadlineExceededError extends Error {
  override readonly name = "DeadlineExceededError";
}

/** A signal that aborts after `ms` on `clock`, or as soon as `parent` aborts. `dispose` stops its timer. */
export function deadlineSignal(
  clock: Clock,
  ms: number,
  parent?: AbortSignal,
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const timer = new AbortController();
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener("abort", onParentAbort, { once: true });
  clock.sleep(ms, timer.signal).then(
    () => controller.abort(new DeadlineExceededError(`no answer within ${ms / 1000}s`)),
    () => undefined,
  );
  return {
    signal: controller.signal,
    dispose: () => {
      timer.abort();
      parent?.removeEventListener("abort", onParentAbort);
    },
  };
}

/** Stops waiting for `work` when `signal` aborts; the work itself may go on (in Azure, say). */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * The deadline of work that must finish even when the run is cancelled (closing reads, the
 * listener): `normalMs` from now, cut to `cancelledMs` from the moment `run` aborts (or from now
 * when it already has), so a cancellation never waits for the long limit.
 */
export function closingDeadline(
  clock: Clock,
  limits: { normalMs: number; cancelledMs: number },
  run: AbortSignal,
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const timers: Array<{ signal: AbortSignal; dispose(): void }> = [];
  const startTimer = (ms: number) => {
    const timer = deadlineSignal(clock, ms);
    timer.signal.addEventListener("abort", () => controller.abort(timer.signal.reason), {
      once: true,
    });
    timers.push(timer);
  };
  const onRunAbort = () => startTimer(limits.cancelledMs);
  if (run.aborted) startTimer(limits.cancelledMs);
  else {
    startTimer(limits.normalMs);
    run.addEventListener("abort", onRunAbort, { once: true });
  }
  return {
    signal: controller.signal,
    dispose: () => {
      run.removeEventListener("abort", onRunAbort);
      for (const timer of timers) timer.dispose();
    },
  };
}
