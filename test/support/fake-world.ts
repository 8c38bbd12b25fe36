/**
 * An in-memory App Service fleet for unit tests of the release core: slots with builds that move
 * when swapped, status pages that follow them, a virtual clock, and a record of every write.
 */
import type { Fleet, ReleasePolicy } from "../../src/release/model.js";
import type {
  Clock,
  Deployment,
  ReleaseLog,
  ReleasePorts,
  SlotAddress,
  SlotDescription,
  SlotGateway,
  StatusPageReader,
  StatusResponse,
  TrafficRoute,
} from "../../src/release/ports.js";

interface FakeSlot {
  build: string;
  state: string;
  deployment: Deployment;
}

interface FakeApp {
  production: FakeSlot;
  staging?: FakeSlot;
}

/** A virtual clock: sleeping moves time forward at once. */
export class VirtualClock implements Clock {
  private current = Date.parse("2026-11-21T10:00:00Z");
  now(): number {
    return this.current;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.current += ms;
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
  }
}

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
  readonly apps = new Map<string, FakeApp>();
  /** Every write, in order: `swap app`, `apply-config app`, `reset-config app`, `deploy app/slot build`. */
  readonly writes: string[] = [];
  readonly reads = new Map<string, number>();
  /** Production pages of these `app@build` pairs report a dependency down. */
  readonly unhealthyInProduction = new Set<string>();
  /** Source slot pages of these apps report a dependency down while production settings are applied. */
  readonly unhealthyUnderProductionConfig = new Set<string>();
  readonly failingSwaps = new Map<string, number>();
  readonly failingDeployments = new Set<string>();
  /** Status pages that answer 503 for their next N reads. */
  readonly flakyPages = new Map<string, number>();
  readonly previewing = new Set<string>();
  /** Production traffic routed to the staging slot, in percent, by app. */
  readonly routedToStaging = new Map<string, number>();
  /** Apps whose swap waits until `releaseSwap` is called. */
  readonly heldSwaps = new Map<string, () => void>();
  holdSwapsOf = new Set<string>();
  running = 0;
  maxRunning = 0;
  deploying = 0;
  maxDeploying = 0;

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
    });
  }

  buildOf(app: string, slot: "production" | "staging"): string | undefined {
    return this.apps.get(app)?.[slot]?.build;
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

  async describeSlot(address: SlotAddress): Promise<SlotDescription> {
    const slot = this.slot(address);
    if (slot === undefined) return { exists: false };
    const host =
      address.slot === "production" ? `${address.app}.fake` : `${address.app}-${address.slot}.fake`;
    return { exists: true, state: slot.state, defaultHostName: host };
  }

  async swapIntoProduction(address: SlotAddress): Promise<void> {
    this.writes.push(`swap ${address.app}`);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.holdSwapsOf.has(address.app))
        await new Promise<void>((resolve) => this.heldSwaps.set(address.app, resolve));
      const failures = this.failingSwaps.get(address.app) ?? 0;
      if (failures > 0) {
        this.failingSwaps.set(address.app, failures - 1);
        throw new Error(
          `swap of ${address.app}/staging into production failed: 500 InternalServerError`,
        );
      }
      const app = this.apps.get(address.app);
      if (app?.staging === undefined) throw new Error(`no staging slot on ${address.app}`);
      [app.production, app.staging] = [app.staging, app.production];
      this.previewing.delete(address.app);
    } finally {
      this.running -= 1;
    }
  }

  async applyProductionConfig(address: SlotAddress): Promise<void> {
    this.writes.push(`apply-config ${address.app}`);
    this.previewing.add(address.app);
  }

  async resetProductionConfig(address: SlotAddress): Promise<void> {
    this.writes.push(`reset-config ${address.app}`);
    this.previewing.delete(address.app);
  }

  async readDeployment(address: SlotAddress): Promise<Deployment> {
    const slot = this.slot(address);
    if (slot === undefined) throw new Error(`no slot ${address.slot} on ${address.app}`);
    return slot.deployment;
  }

  async readTrafficRouting(address: SlotAddress): Promise<TrafficRoute[]> {
    const percent = this.routedToStaging.get(address.app);
    return percent === undefined
      ? []
      : [{ name: "staging", toHost: `${address.app}-staging.fake`, percent }];
  }

  async applyDeployment(address: SlotAddress, deployment: Deployment): Promise<void> {
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
    this.writes.push(`deploy ${address.app}/${address.slot} ${build}`);
    this.deploying += 1;
    this.maxDeploying = Math.max(this.maxDeploying, this.deploying);
    await new Promise((resolve) => setImmediate(resolve));
    this.deploying -= 1;
    if (this.failingDeployments.has(address.app))
      throw new Error(`updating ${address.app}/${address.slot} failed: 500`);
    slot.deployment = deployment;
    slot.build = build ?? slot.build;
  }

  async read(url: string): Promise<StatusResponse> {
    this.reads.set(url, (this.reads.get(url) ?? 0) + 1);
    const flaky = this.flakyPages.get(url) ?? 0;
    if (flaky > 0) {
      this.flakyPages.set(url, flaky - 1);
      return { kind: "response", httpStatus: 503, body: "warming up", bodyIsJson: false };
    }
    const host = new URL(url).host;
    const isProduction = !host.includes("-staging");
    const appName = host.replace(/\.fake$/, "").replace(/-staging$/, "");
    const app = this.apps.get(appName);
    const slot = isProduction ? app?.production : app?.staging;
    if (slot === undefined) return { kind: "unreachable", reason: "getaddrinfo ENOTFOUND" };
    const databaseDown =
      (isProduction && this.unhealthyInProduction.has(`${appName}@${slot.build}`)) ||
      (!isProduction &&
        this.previewing.has(appName) &&
        this.unhealthyUnderProductionConfig.has(appName));
    return {
      kind: "response",
      httpStatus: 200,
      bodyIsJson: true,
      body: {
        status: "Healthy",
        build: slot.build,
        dependencies: { database: databaseDown ? "down" : "ok", cache: "ok" },
      },
    };
  }
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
        };
      }),
    })),
  };
}

/** The ports of a fake world. */
export function fakePorts(
  world: FakeWorld,
  log = new MemoryLog(),
  clock = new VirtualClock(),
): ReleasePorts & { log: MemoryLog; clock: VirtualClock } {
  return { slots: world, statusPages: world, clock, log };
}
