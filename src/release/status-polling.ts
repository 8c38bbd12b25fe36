/** Reading status pages again and again until they say what we wait for, or time runs out. */
import { assessStatus, type StatusAssessment } from "./health.js";
import type { StatusPageRule } from "./model.js";
import type { Clock, StatusPageReader } from "./ports.js";

/** One slot's status page: where it is and how to read it. */
export interface StatusPage {
  url: string;
  rule: StatusPageRule;
  /** The slot's default host name, as ARM gave it (a traffic-routing rule names it). */
  host: string;
  /**
   * True for production's page: every read carries `x-ms-routing-name=self`, so it reaches
   * production itself while a canary routes a share of users to the source slot.
   */
  routeToSelf: boolean;
}

/** How long and how often to read (the `status-timeout` and `status-interval` inputs), and the run's cancellation. */
export interface PollTiming {
  timeoutMs: number;
  intervalMs: number;
  signal: AbortSignal;
}

/** The last answer read, and whether it was the one waited for. */
export interface PollResult {
  satisfied: boolean;
  last: StatusAssessment;
  /** Milliseconds spent reading and waiting. */
  elapsedMs: number;
}

/**
 * The health rules applied over time, bound to one run's reader, clock and timing, so the phases
 * of a release ask plain questions: is this page healthy on that build yet?
 */
export class StatusWatcher {
  constructor(
    private readonly reader: StatusPageReader,
    private readonly clock: Clock,
    private readonly timing: PollTiming,
  ) {}

  /** Reads `page` once and applies the health rules. Throws only when `signal` aborts. */
  async readOnce(
    page: StatusPage,
    expectedBuild: string | null,
    signal: AbortSignal = this.timing.signal,
  ): Promise<StatusAssessment> {
    return assessStatus(
      await this.reader.read(page.url, signal, { routeToSelf: page.routeToSelf }),
      page.rule,
      expectedBuild,
    );
  }

  /**
   * Reads `page` every interval until `done(answer)` holds or the timeout has passed, pausing
   * through the clock (never a busy loop). Always reads at least once.
   */
  async until(
    page: StatusPage,
    expectedBuild: string | null,
    done: (answer: StatusAssessment) => boolean,
  ): Promise<PollResult> {
    const { timeoutMs, intervalMs, signal } = this.timing;
    const started = this.clock.now();
    for (;;) {
      const answer = await this.readOnce(page, expectedBuild);
      const elapsedMs = this.clock.now() - started;
      if (done(answer)) return { satisfied: true, last: answer, elapsedMs };
      if (elapsedMs + intervalMs > timeoutMs) return { satisfied: false, last: answer, elapsedMs };
      await this.clock.sleep(intervalMs, signal);
    }
  }

  /**
   * Waits for healthy on `expectedBuild`. With `settleOnFinalAnswer` (pre-flight), a readable,
   * non-transient answer that is not healthy ends the wait at once: waiting cannot change it.
   */
  async healthy(
    page: StatusPage,
    expectedBuild: string | null,
    options: { settleOnFinalAnswer?: boolean } = {},
  ): Promise<PollResult> {
    const result = await this.until(
      page,
      expectedBuild,
      (answer) => answer.healthy || (options.settleOnFinalAnswer === true && !answer.transient),
    );
    return { ...result, satisfied: result.last.healthy };
  }

  /** Reads until the page gives any non-transient answer, to learn which build a slot runs. */
  readable(page: StatusPage): Promise<PollResult> {
    return this.until(page, null, (answer) => !answer.transient);
  }
}
