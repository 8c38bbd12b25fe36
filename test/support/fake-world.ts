/**
 * An in-memory App Service fleet for unit tests of the release core: slots with builds that move
 * when swapped, status pages that follow them, virtual time, a record of every write, and the
 * faults Azure really has: a swap whose answer or polls are lost while Azure completes it, a swap
 * that fails or completes late, 409 while another operation runs, hung requests, status pages that
 * flap, regress, lie, answer 5xx or cannot be reached.
 */
import type { Fleet, ReleasePolicy } from "../../src/release/model.js";
import {
  OperationConflictError,
  type Deployment,
  type MetricsAnswer,
  type ResourceGroupAddress,
  type ReleaseLog,
  type ReleasePorts,
  type SlotAddress,
  type SlotDescription,
  type SlotDifference,
  type SlotGateway,
  type StatusPageReader,
  type StatusResponse,
  type SwapActivity,
  type SwapResult,
  type SlotMetricsReader,
  type TrafficRoute,
} from "../../src/release/ports.js";
import { VirtualClock, nextTurn } from "./virtual-clock.js";

export { VirtualClock } from "./virtual-clock.js";

interface FakeSlot {
  build: string;
  state: string;
  deployment: Deployment;
}

interface FakeApp {
  production: FakeSlot;
  staging?: FakeSlot;
  /** Azure runs an operation on the site until this time (a swap, a deployment, a restart). */
  busyUntil: number;
  /** `slotSwapStatus.timestampUtc` of the last completed swap. */
  lastSwapCompleted: string | null;
  /** Production's page reports this build instead of the real one until `staleUntil` (routing flips late). */
  staleBuild?: string;
  staleUntil: number;
}

/**
 * What one swap request meets. `refused`: a 4xx, nothing happens. `conflict`: another operation
 * runs on the site for `forMs` from now. `lost-answer`: Azure performs the swap, the answer is
 * lost. `lost-polls`: Azure performs it, polling fails halfway. `failed-but-done`: Azure reports
 * failure yet swaps. `failed`: Azure reports failure and swaps nothing. `late`: Azure completes it
 * and says so, but production's page serves the old build for `byMs` more. `hang`: no answer until
 * the request's time limit; `performs` says whether Azure swapped anyway.
 */
export type SwapFault =
  | { kind: "refused" }
  | { kind: "conflict"; forMs: number }
  | { kind: "lost-answer" }
  | { kind: "lost-polls" }
  | { kind: "failed-but-done" }
  | { kind: "failed" }
  | { kind: "late"; byMs: number }
  | { kind: "hang"; performs: boolean };

/** How a status page misbehaves during a window of virtual time (ms since the world was made). */
export interface PageFault {
  kind: "unreachable" | "http-503" | "http-429" | "hang" | "flap" | "unhealthy";
  fromMs: number;
  toMs: number;
}

/** One swap Azure saw, with what it did. */
export interface SwapRecord {
  app: string;
  at: number;
  /** The build that went into production, or `null` when Azure swapped nothing. */
  intoProduction: string | null;
}

/** How long a request without an answer takes to fail (the gateway's per-attempt limit). */
const HUNG_REQUEST_MS = 30_000;
/** How long a status read without an answer takes to fail (the reader's limit). */
const HUNG_READ_MS = 10_000;

/** Collects log lines so tests can read the story. */
export class MemoryLog implements ReleaseLog {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(`info: ${message}`);
  }
  warning(message: string): void {
    this.lines.push(`warning: ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error: ${message}`);
  }
  async group<T>(name: string, body: () => Promise<T>): Promise<T> {
    this.lines.push(`group: ${name}`);
    return body();
  }
  errors(): string[] {
    return this.lines.filter((line) => line.startsWith("error: "));
  }
}

function containerOf(app: string, build: string): Deployment {
  return { kind: "container", linuxFxVersion: `DOCKER|shop/${app}:${build}` };
}

/** The fake Azure and status pages. Slot host names are `<app>.fake` and `<app>-<slot>.fake`. */
export class FakeWorld implements SlotGateway, StatusPageReader {
  readonly clock: VirtualClock;
  private readonly bornAt: number;
  readonly apps = new Map<string, FakeApp>();
  /** Every write, in order: `swap app`, `apply-config app`, `reset-config app`, `deploy app/slot build`. */
  readonly writes: string[] = [];
  /** Every swap request Azure received, and what it did. */
  readonly swaps: SwapRecord[] = [];
  readonly reads = new Map<string, number>();
  /** Every build a production page reported, with when: what "after" may truthfully say. */
  readonly productionAnswers: Array<{ app: string; at: number; build: string }> = [];
  /** Production pages of these `app@build` pairs report a dependency down (a build that is bad there). */
  readonly unhealthyInProduction = new Set<string>();
  /** Source slot pages of these apps report a dependency down while production settings are applied. */
  readonly unhealthyUnderProductionConfig = new Set<string>();
  /** Swaps of these apps answer 500 before Azure did anything, this many times. */
  readonly failingSwaps = new Map<string, number>();
  /** Faults the next swap requests of an app meet, in order. */
  readonly swapFaults = new Map<string, SwapFault[]>();
  readonly failingDeployments = new Set<string>();
  /** Status pages that answer 503 for their next N reads. */
  readonly flakyPages = new Map<string, number>();
  /** Status pages that misbehave during windows of time, by URL. */
  readonly pageFaults = new Map<string, PageFault[]>();
  readonly previewing = new Set<string>();
  /** Production traffic routed to the staging slot, in percent, by app. */
  readonly routedToStaging = new Map<string, number>();
  /** Swap requests Azure received while a routing rule sent users to the source slot. */
  readonly swapsWhileRouted: string[] = [];
  /** Reads of a production page that did not ask for production itself while a rule was set. */
  unpinnedProductionReads = 0;
  private readonly routedReads = new Map<string, number>();
  /** Under user traffic, these `app@build` pairs answer this share of requests with 5xx (percent). */
  readonly errorPercentUnderLoad = new Map<string, number>();
  /** Average response time under load of these `app@build` pairs, in ms (default 120). */
  readonly responseTimeMsUnderLoad = new Map<string, number>();
  /** Simulated users' requests per second to each production host. */
  userRequestsPerSecond = 10;
  /** Azure Monitor: length of a grain and how late a grain is published. */
  metricGrainMs = 60_000;
  metricDelayMs = 60_000;
  /** Windows of virtual time (since the world was made) in which metric reads of an app fail. */
  readonly metricFaults = new Map<string, Array<{ fromMs: number; toMs: number }>>();
  /** What each slot ran and how traffic was split, every time it changed: the metrics' source. */
  private readonly history = new Map<
    string,
    Array<{ at: number; production: string; staging: string | undefined; routed: number }>
  >();
  /** Every metrics read, by `app/slot`. */
  readonly metricReads: string[] = [];
  /** Reads Azure Monitor metrics of this world's slots. */
  readonly metrics: SlotMetricsReader = {
    read: (address, query, signal) => this.readMetrics(address, query, signal),
  };
  /** Called after each accepted write (not swaps), to change the world at a given step. */
  onWrite?: (line: string) => void;
  /** Apps whose swap waits until `releaseSwap` is called. */
  readonly heldSwaps = new Map<string, () => void>();
  holdSwapsOf = new Set<string>();
  /** How long Azure takes to perform a swap. */
  swapDurationMs = 0;
  running = 0;
  maxRunning = 0;
  deploying = 0;
  maxDeploying = 0;

  constructor(clock = new VirtualClock()) {
    this.clock = clock;
    this.bornAt = clock.now();
  }

  addApp(
    app: string,
    production: string,
    staging: string | null,
    kind: "container" | "package" | "other" = "container",
  ): void {
    const deployment = (build: string): Deployment =>
      kind === "container"
        ? containerOf(app, build)
        : kind === "package"
          ? { kind: "package", packageUrl: `https://artifacts.test/${app}/${build}.zip` }
          : { kind: "unsupported", reason: "no container image and no package URL" };
    this.apps.set(app, {
      production: { build: production, state: "Running", deployment: deployment(production) },
      ...(staging === null
        ? {}
        : { staging: { build: staging, state: "Running", deployment: deployment(staging) } }),
      busyUntil: 0,
      lastSwapCompleted: null,
      staleUntil: 0,
    });
    this.noteState(app);
  }

  /** Remembers what the app's slots run now and how traffic is split, for its metrics. */
  private noteState(appName: string): void {
    const app = this.apps.get(appName);
    if (app === undefined) return;
    const entries = this.history.get(appName) ?? [];
    entries.push({
      at: this.clock.now(),
      production: app.production.build,
      staging: app.staging?.build,
      routed: this.routedToStaging.get(appName) ?? 0,
    });
    this.history.set(appName, entries);
  }

  /**
   * Azure Monitor's answer for one slot: Requests, Http5xx and HttpResponseTime (seconds) per
   * grain, from simulated user traffic split by the routing rules, grains not yet published
   * (within `metricDelayMs` of their end) without values.
   */
  private async readMetrics(
    address: SlotAddress,
    query: { metricNames: string[]; fromMs: number; toMs: number },
    signal: AbortSignal,
  ): Promise<MetricsAnswer> {
    signal.throwIfAborted();
    await nextTurn();
    this.metricReads.push(`${address.app}/${address.slot}`);
    const now = this.clock.now();
    const elapsed = this.elapsed();
    if (
      this.metricFaults
        .get(address.app)
        ?.some((fault) => fault.fromMs <= elapsed && elapsed < fault.toMs)
    ) {
      throw new Error("Azure Monitor answered 503 ServiceUnavailable");
    }
    const grain = this.metricGrainMs;
    const history = this.history.get(address.app) ?? [];
    const isProduction = address.slot === "production";
    const points = { Requests: [], Http5xx: [], HttpResponseTime: [] } as Record<
      string,
      Array<{ at: number; total?: number; average?: number }>
    >;
    for (let start = Math.floor(query.fromMs / grain) * grain; start < query.toMs; start += grain) {
      if (start + grain + this.metricDelayMs > now) {
        for (const name of Object.keys(points)) points[name]?.push({ at: start });
        continue;
      }
      let requests = 0;
      let errors = 0;
      let weightedSeconds = 0;
      history.forEach((state, index) => {
        const from = Math.max(start, state.at);
        const to = Math.min(start + grain, history[index + 1]?.at ?? Infinity);
        if (to <= from) return;
        const share = isProduction ? 1 - state.routed / 100 : state.routed / 100;
        const build = isProduction ? state.production : state.staging;
        const count = ((to - from) / 1000) * this.userRequestsPerSecond * share;
        const key = `${address.app}@${build}`;
        requests += count;
        errors += (count * (this.errorPercentUnderLoad.get(key) ?? 0)) / 100;
        weightedSeconds += (count * (this.responseTimeMsUnderLoad.get(key) ?? 120)) / 1000;
      });
      points.Requests?.push({ at: start, total: Math.round(requests) });
      points.Http5xx?.push({ at: start, total: Math.round(errors) });
      points.HttpResponseTime?.push({
        at: start,
        average: requests === 0 ? 0 : weightedSeconds / requests,
      });
    }
    return {
      grainMs: grain,
      series: query.metricNames.map((name) => ({
        name,
        unit: name === "HttpResponseTime" ? "Seconds" : "Count",
        points: points[name] ?? [],
      })),
    };
  }

  buildOf(app: string, slot: "production" | "staging"): string | undefined {
    return this.apps.get(app)?.[slot]?.build;
  }

  /** The ground truth of production: its build, and whether it is healthy there. */
  truthOf(app: string): { build: string; healthy: boolean } {
    const build = this.buildOf(app, "production") ?? "";
    return { build, healthy: !this.unhealthyInProduction.has(`${app}@${build}`) };
  }

  /** The build production's page reports now (it lags behind a swap that flipped late). */
  productionPageBuild(appName: string): string | undefined {
    const app = this.apps.get(appName);
    if (app === undefined) return undefined;
    return app.staleBuild !== undefined && this.clock.now() < app.staleUntil
      ? app.staleBuild
      : app.production.build;
  }

  swapsOf(app?: string): string[] {
    return this.writes.filter(
      (write) => write.startsWith("swap ") && (app === undefined || write === `swap ${app}`),
    );
  }

  private slot(address: SlotAddress): FakeSlot | undefined {
    const app = this.apps.get(address.app);
    return address.slot === "production" ? app?.production : app?.staging;
  }

  private elapsed(): number {
    return this.clock.now() - this.bornAt;
  }

  private isBusy(app: string): boolean {
    return (this.apps.get(app)?.busyUntil ?? 0) > this.clock.now();
  }

  async describeSlot(address: SlotAddress, signal: AbortSignal): Promise<SlotDescription> {
    return this.description(address, signal);
  }

  /** What ARM says of a slot, for a read of the slot or a list of its resource group. */
  private async description(address: SlotAddress, signal: AbortSignal): Promise<SlotDescription> {
    signal.throwIfAborted();
    const slot = this.slot(address);
    if (slot === undefined) return { exists: false };
    const host =
      address.slot === "production" ? `${address.app}.fake` : `${address.app}-${address.slot}.fake`;
    const description = { exists: true as const, state: slot.state, defaultHostName: host };
    return address.slot === "production"
      ? { ...description, swapActivity: await this.readSwapActivity(address, signal) }
      : description;
  }

  /** Resource groups listed, in order (the fake world does not scope apps by group: it lists them all). */
  readonly listings: string[] = [];

  async listSlots(
    group: ResourceGroupAddress,
    signal: AbortSignal,
  ): Promise<Map<string, SlotDescription>> {
    signal.throwIfAborted();
    await nextTurn();
    this.listings.push(group.resourceGroup);
    const slots = new Map<string, SlotDescription>();
    for (const [app, state] of this.apps) {
      for (const slot of ["production", "staging"] as const) {
        const address = { ...group, app, slot };
        const description = await this.description(address, signal);
        const deployment = state[slot]?.deployment;
        if (!description.exists) continue;
        slots.set(
          `${app}/${slot}`.toLowerCase(),
          deployment?.kind === "container" ? { ...description, deployment } : description,
        );
      }
    }
    return slots;
  }

  async readSwapActivity(address: SlotAddress, signal: AbortSignal): Promise<SwapActivity> {
    signal.throwIfAborted();
    const app = this.apps.get(address.app);
    return {
      operationInProgress: this.isBusy(address.app),
      lastSwapCompleted: app?.lastSwapCompleted ?? null,
    };
  }

  async swapIntoProduction(
    address: SlotAddress,
    _options: { preserveVnet: boolean },
    signal: AbortSignal,
  ): Promise<SwapResult> {
    signal.throwIfAborted();
    this.writes.push(`swap ${address.app}`);
    if ((this.routedToStaging.get(address.app) ?? 0) > 0) this.swapsWhileRouted.push(address.app);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      await nextTurn();
      if (this.holdSwapsOf.has(address.app)) {
        await new Promise<void>((resolve, reject) => {
          this.heldSwaps.set(address.app, resolve);
          signal.addEventListener("abort", () => reject(signal.reason), { once: true });
        });
      }
      if (this.isBusy(address.app)) {
        this.swaps.push({ app: address.app, at: this.clock.now(), intoProduction: null });
        return { kind: "conflict", message: "409 Conflict: another operation is in progress" };
      }
      const failures = this.failingSwaps.get(address.app) ?? 0;
      if (failures > 0) {
        this.failingSwaps.set(address.app, failures - 1);
        this.swaps.push({ app: address.app, at: this.clock.now(), intoProduction: null });
        return { kind: "uncertain", message: "500 InternalServerError" };
      }
      const fault = this.swapFaults.get(address.app)?.shift();
      return await this.performSwap(address.app, fault, signal);
    } finally {
      this.running -= 1;
    }
  }

  /** Azure's side of a swap request, and what the caller hears of it. */
  private async performSwap(
    appName: string,
    fault: SwapFault | undefined,
    signal: AbortSignal,
  ): Promise<SwapResult> {
    const app = this.apps.get(appName);
    if (app?.staging === undefined || fault?.kind === "refused") {
      this.swaps.push({ app: appName, at: this.clock.now(), intoProduction: null });
      return { kind: "refused", message: `400 BadRequest: cannot swap ${appName}` };
    }
    if (fault?.kind === "conflict") {
      app.busyUntil = this.clock.now() + fault.forMs;
      this.swaps.push({ app: appName, at: this.clock.now(), intoProduction: null });
      return { kind: "conflict", message: "409 Conflict: another operation is in progress" };
    }
    const performs =
      fault === undefined || (fault.kind === "hang" ? fault.performs : fault.kind !== "failed");
    const record: SwapRecord = {
      app: appName,
      at: this.clock.now(),
      intoProduction: performs ? app.staging.build : null,
    };
    this.swaps.push(record);
    const duration = Math.max(this.swapDurationMs, 1);
    app.busyUntil = this.clock.now() + duration;
    // Azure goes on whatever the caller does: the swap's end is scheduled, not awaited with `signal`.
    const done = this.clock.sleep(duration).then(() => {
      if (!performs) return;
      const swapped = this.apps.get(appName);
      if (swapped?.staging === undefined) return;
      const oldBuild = swapped.production.build;
      [swapped.production, swapped.staging] = [swapped.staging, swapped.production];
      swapped.lastSwapCompleted = new Date(this.clock.now()).toISOString();
      this.previewing.delete(appName);
      this.noteState(appName);
      if (fault?.kind === "late") {
        swapped.staleBuild = oldBuild;
        swapped.staleUntil = this.clock.now() + fault.byMs;
      }
    });
    switch (fault?.kind) {
      case "lost-answer":
        return { kind: "uncertain", message: "the swap request got no answer: ECONNRESET" };
      case "hang":
        await this.clock.sleep(HUNG_REQUEST_MS, signal);
        return { kind: "uncertain", message: "the swap request got no answer: ETIMEDOUT" };
      case "lost-polls":
        await this.clock.sleep(Math.floor(duration / 2), signal);
        return { kind: "uncertain", message: "following the swap failed: ECONNRESET" };
      default:
        await waitUnlessAborted(done, signal);
        return fault?.kind === "failed" || fault?.kind === "failed-but-done"
          ? { kind: "uncertain", message: "Azure reported the swap failed (500)" }
          : { kind: "completed" };
    }
  }

  /**
   * True when a read of production's host is routed to the staging slot: App Service sends that
   * share of requests without `x-ms-routing-name=self` there (exactly p of every 100).
   */
  private routedAway(appName: string, options: { routeToSelf?: boolean }): boolean {
    const percent = this.routedToStaging.get(appName) ?? 0;
    if (percent === 0 || options.routeToSelf === true) return false;
    this.unpinnedProductionReads += 1;
    const count = this.routedReads.get(appName) ?? 0;
    this.routedReads.set(appName, count + 1);
    return Math.floor(((count + 1) * percent) / 100) > Math.floor((count * percent) / 100);
  }

  /** Lets a held swap go on. */
  releaseSwap(app: string): void {
    this.heldSwaps.get(app)?.();
  }

  private async write(address: SlotAddress, line: string, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    await nextTurn();
    if (this.isBusy(address.app)) {
      throw new OperationConflictError(`${line}: 409 Conflict: another operation is in progress`);
    }
    this.writes.push(line);
    this.onWrite?.(line);
  }

  async applyProductionConfig(
    address: SlotAddress,
    _options: { preserveVnet: boolean },
    signal: AbortSignal,
  ): Promise<void> {
    await this.write(address, `apply-config ${address.app}`, signal);
    this.previewing.add(address.app);
  }

  async resetProductionConfig(address: SlotAddress, signal: AbortSignal): Promise<void> {
    await this.write(address, `reset-config ${address.app}`, signal);
    this.previewing.delete(address.app);
  }

  async readDeployment(address: SlotAddress, signal: AbortSignal): Promise<Deployment> {
    signal.throwIfAborted();
    const slot = this.slot(address);
    if (slot === undefined) throw new Error(`no slot ${address.slot} on ${address.app}`);
    return slot.deployment;
  }

  async setTrafficRouting(
    address: SlotAddress,
    routes: TrafficRoute[],
    signal: AbortSignal,
  ): Promise<void> {
    const percent = routes.reduce((sum, route) => sum + route.percent, 0);
    await this.write(address, `route ${address.app} ${percent}`, signal);
    if (percent === 0) this.routedToStaging.delete(address.app);
    else this.routedToStaging.set(address.app, percent);
    this.noteState(address.app);
  }

  async readTrafficRouting(address: SlotAddress, signal: AbortSignal): Promise<TrafficRoute[]> {
    signal.throwIfAborted();
    const percent = this.routedToStaging.get(address.app);
    return percent === undefined
      ? []
      : [{ name: "staging", toHost: `${address.app}-staging.fake`, percent }];
  }

  async applyDeployment(
    address: SlotAddress,
    deployment: Deployment,
    signal: AbortSignal,
  ): Promise<void> {
    const slot = this.slot(address);
    if (slot === undefined) throw new Error(`no slot ${address.slot} on ${address.app}`);
    const build =
      deployment.kind === "container"
        ? deployment.linuxFxVersion.split(":").pop()
        : deployment.kind === "package"
          ? deployment.packageUrl
              .split("/")
              .pop()
              ?.replace(/\.zip$/, "")
          : undefined;
    await this.write(address, `deploy ${address.app}/${address.slot} ${build}`, signal);
    this.deploying += 1;
    this.maxDeploying = Math.max(this.maxDeploying, this.deploying);
    await nextTurn();
    this.deploying -= 1;
    if (this.failingDeployments.has(address.app))
      throw new Error(`updating ${address.app}/${address.slot} failed: 500`);
    slot.deployment = deployment;
    slot.build = build ?? slot.build;
    this.noteState(address.app);
  }

  async read(
    url: string,
    signal: AbortSignal,
    options: { routeToSelf?: boolean } = {},
  ): Promise<StatusResponse> {
    signal.throwIfAborted();
    const count = (this.reads.get(url) ?? 0) + 1;
    this.reads.set(url, count);
    const flaky = this.flakyPages.get(url) ?? 0;
    if (flaky > 0) {
      this.flakyPages.set(url, flaky - 1);
      return { kind: "response", httpStatus: 503, body: "warming up", bodyIsJson: false };
    }
    const now = this.elapsed();
    const fault = this.pageFaults
      .get(url)
      ?.find((candidate) => candidate.fromMs <= now && now < candidate.toMs);
    switch (fault?.kind) {
      case "unreachable":
        return { kind: "unreachable", reason: "ECONNREFUSED" };
      case "http-503":
        return {
          kind: "response",
          httpStatus: 503,
          body: "Service Unavailable",
          bodyIsJson: false,
        };
      case "http-429":
        return { kind: "response", httpStatus: 429, body: "Too Many Requests", bodyIsJson: false };
      case "hang":
        await this.clock.sleep(HUNG_READ_MS, signal);
        return { kind: "unreachable", reason: "no answer within 10s" };
    }
    const host = new URL(url).host;
    const appName = host.replace(/\.fake$/, "").replace(/-staging$/, "");
    const isProduction = !host.includes("-staging") && !this.routedAway(appName, options);
    const app = this.apps.get(appName);
    const slot = isProduction ? app?.production : app?.staging;
    if (app === undefined || slot === undefined)
      return { kind: "unreachable", reason: "getaddrinfo ENOTFOUND" };
    const build = isProduction ? (this.productionPageBuild(appName) ?? slot.build) : slot.build;
    if (isProduction) this.productionAnswers.push({ app: appName, at: this.clock.now(), build });
    const databaseDown =
      (isProduction && this.unhealthyInProduction.has(`${appName}@${build}`)) ||
      (!isProduction &&
        this.previewing.has(appName) &&
        this.unhealthyUnderProductionConfig.has(appName)) ||
      (fault?.kind === "flap" && count % 2 === 0) ||
      fault?.kind === "unhealthy";
    return {
      kind: "response",
      httpStatus: 200,
      bodyIsJson: true,
      body: {
        status: "Healthy",
        build,
        dependencies: { database: databaseDown ? "down" : "ok", cache: "ok" },
      },
    };
  }

  /** What Azure's slot diff reports for a swap of an app's staging slot into production, by app (default none). */
  readonly slotDifferences = new Map<string, SlotDifference[]>();

  async readSlotDifferences(
    address: SlotAddress,
    _options: { preserveVnet: boolean },
    signal: AbortSignal,
  ): Promise<SlotDifference[]> {
    signal.throwIfAborted();
    if (this.slot(address) === undefined)
      throw new Error(`no slot ${address.slot} on ${address.app}`);
    return (this.slotDifferences.get(address.app) ?? []).map((difference) => ({ ...difference }));
  }
}

/** Waits for `work`, or rejects when `signal` aborts first. */
function waitUnlessAborted(work: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** A policy with test-friendly timings; override what a test is about. */
export function testPolicy(overrides: Partial<ReleasePolicy> = {}): ReleasePolicy {
  return {
    build: "2.0.0",
    mode: "release",
    rollback: "region",
    maxParallel: 0,
    statusTimeoutMs: 60_000,
    statusIntervalMs: 5_000,
    bakeTimeMs: 0,
    swapWithPreview: false,
    preserveVnet: true,
    refresh: "mirror",
    ...overrides,
  };
}

/** A fleet of `regions` × `services`, every app `<service>-<region>`, all on 1.0.0 with staging on 2.0.0. */
export function seedFleet(world: FakeWorld, regions: string[], services: string[]): Fleet {
  return {
    sourceSlot: "staging",
    regions: regions.map((region) => ({
      name: region,
      subscriptionId: "00000000-0000-0000-0000-000000000001",
      resourceGroup: `rg-${region}`,
      services: services.map((service) => {
        const app = `${service}-${region}`;
        if (!world.apps.has(app)) world.addApp(app, "1.0.0", "2.0.0");
        return {
          name: service,
          app,
          status: { urlTemplate: "https://{host}/status", buildField: "build" },
          dependsOn: [],
        };
      }),
    })),
    waves: regions.map((region) => ({ regions: [region], bakeTimeMs: null })),
  };
}

/** The ports of a fake world, on the world's own clock. */
export function fakePorts(
  world: FakeWorld,
  log = new MemoryLog(),
): ReleasePorts & { log: MemoryLog; clock: VirtualClock } {
  return { slots: world, statusPages: world, metrics: world.metrics, clock: world.clock, log };
}
