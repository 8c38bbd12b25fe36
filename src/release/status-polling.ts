/** Reading a status page again and again until it says what we wait for, or time runs out. */
import { assessStatus, type StatusAssessment } from "./health.js";
import type { StatusPageRule } from "./model.js";
import type { Clock, StatusPageReader } from "./ports.js";

/** One slot's status page: where it is and how to read it. */
export interface StatusPage {
  url: string;
  rule: StatusPageRule;
}

/** How long and how often to read. */
export interface PollTiming {
  timeoutMs: number;
  intervalMs: number;
  signal?: AbortSignal;
}

/** The last answer read, and whether it was the one waited for. */
export interface PollResult {
  satisfied: boolean;
  last: StatusAssessment;
  /** Milliseconds spent reading and waiting. */
  elapsedMs: number;
}

/**
 * Reads `page` every `intervalMs` until `done(answer)` holds or `timeoutMs` has passed, pausing
 * between reads through the clock (never a busy loop). Always reads at least once.
 */
export async function pollStatus(
  reader: StatusPageReader,
  clock: Clock,
  page: StatusPage,
  expectedBuild: string | null,
  timing: PollTiming,
  done: (answer: StatusAssessment) => boolean,
): Promise<PollResult> {
  const started = clock.now();
  for (;;) {
    const answer = await readStatusOnce(reader, page, expectedBuild, timing.signal);
    const elapsedMs = clock.now() - started;
    if (done(answer)) return { satisfied: true, last: answer, elapsedMs };
    if (elapsedMs + timing.intervalMs > timing.timeoutMs)
      return { satisfied: false, last: answer, elapsedMs };
    await clock.sleep(timing.intervalMs, timing.signal);
  }
}

/** Reads `page` once and applies the health rules. */
export async function readStatusOnce(
  reader: StatusPageReader,
  page: StatusPage,
  expectedBuild: string | null,
  signal?: AbortSignal,
): Promise<StatusAssessment> {
  return assessStatus(await reader.read(page.url, signal), page.rule, expectedBuild);
}

/** Waits for healthy on `expectedBuild`; with `settleOnFinalAnswer`, a readable non-transient answer that is not healthy ends the wait at once. */
export function awaitHealthy(
  reader: StatusPageReader,
  clock: Clock,
  page: StatusPage,
  expectedBuild: string | null,
  timing: PollTiming & { settleOnFinalAnswer?: boolean },
): Promise<PollResult> {
  return pollStatus(
    reader,
    clock,
    page,
    expectedBuild,
    timing,
    (answer) => answer.healthy || (timing.settleOnFinalAnswer === true && !answer.transient),
  ).then((result) => ({ ...result, satisfied: result.last.healthy }));
}

/** Reads until the page gives any non-transient answer, to record which build a slot runs. */
export function awaitReadable(
  reader: StatusPageReader,
  clock: Clock,
  page: StatusPage,
  timing: PollTiming,
): Promise<PollResult> {
  return pollStatus(reader, clock, page, null, timing, (answer) => !answer.transient);
}
