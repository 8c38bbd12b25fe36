/**
 * Injected faults, each with a count of how many times it fires (`Infinity` for "until removed").
 * The services ask here before answering; the Simulator exposes friendly methods that add rules.
 */

/** Which ARM requests a fault applies to. Every given field must match; names are case-insensitive. */
export interface ArmMatcher {
  app?: string;
  /** `production` or a slot name; matches the slot in the URL. */
  slot?: string;
  method?: string;
  /** A RegExp tested on the path, or a case-insensitive substring of it. */
  path?: RegExp | string;
}

/**
 * What an ARM fault does. `reset` and `hang` never reach the resource provider; `lose-answer`
 * lets it process the request (a swap starts, a setting is written) and then loses the answer:
 * the connection is reset (`then: "reset"`) or stays open without a byte (`then: "hang"`).
 */
export type ArmFault =
  | {
      kind: "status";
      status: number;
      code: string;
      message: string;
      retryAfterSeconds?: number;
      /** `monitor`: Azure Monitor's `{"code","message"}` instead of ARM's `{"error":{...}}`. */
      shape?: "arm" | "monitor";
    }
  | { kind: "reset" }
  | { kind: "hang" }
  | { kind: "lose-answer"; then: "reset" | "hang" };

/** An ARM error that ends a swap or a deployment update. */
export interface ArmError {
  status: number;
  code: string;
  message: string;
}

/**
 * How a swap's operation ends when it fails. `message` undefined: App Service's own words for
 * the case. `contentsMoved`: the builds were exchanged although the operation result says
 * failed. `shape`: App Service's own error body or ARM's envelope.
 */
export interface SwapFailure {
  status: number;
  code: string;
  message: string | undefined;
  contentsMoved: boolean;
  shape: "app-service" | "arm";
}

/** A fault of a status page. `hang`: the request is accepted and never answered. */
export type StatusFault = { kind: "status"; status: number } | { kind: "reset" } | { kind: "hang" };

/** How a status page shows it is unhealthy: the platform's 503, or a dependency reported down. */
export type PageIllness = { kind: "503" } | { kind: "dependency"; dependency: string };

/** A page that alternates: `pattern` of `H` (healthy) and `U` (unhealthy), one letter per read, repeated. */
export interface FlapRule {
  app: string;
  slot: string | undefined;
  pattern: string;
  illness: PageIllness;
}

/**
 * A page that turns unhealthy `afterMs` after its trigger (`now`: when added; `next-swap`: when
 * the app's next swap completes), for `durationMs` (`undefined`: until cleared).
 */
export interface RegressionRule {
  app: string;
  slot: string | undefined;
  trigger: "now" | "next-swap";
  afterMs: number;
  durationMs: number | undefined;
  illness: PageIllness;
}

/** The services besides ARM and the status pages that can be made to hang. */
export type HangableService = "slack" | "github" | "entra" | "oidc";

/** Which requests of a service hang, and whether the service still acts on them. */
export interface ServiceHang {
  service: HangableService;
  method?: string;
  path?: RegExp | string;
  /** The request takes effect (message posted, deployment created) but is never answered. */
  processed: boolean;
}

/** "Another operation is in progress" on an app: every write answers 409 until `until`. */
export interface BusyOperation {
  id: string;
  requestId: string;
  operationName: string;
  createdAt: number;
  until: number;
}

/** A Slack fault: the status and the plain-text body Slack answers with. */
export interface SlackFault {
  status: number;
  body: string;
}

/** A dependency reported down on a status page while a slot runs a given build. */
export interface UnhealthyRule {
  app: string;
  build: string;
  dependency: string;
  /** `production`: only the production slot's page; `any`: whichever slot runs the build. */
  where: "production" | "any";
}

interface Counted<T> {
  remaining: number;
  value: T;
}

interface ServiceRequest {
  service: string;
  method: string;
  path: string;
}

interface ArmContext {
  app: string | undefined;
  slot: string | undefined;
  method: string;
  path: string;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** A path matcher: a RegExp tested on the path, or a case-insensitive substring of it. */
function pathMatches(matcher: RegExp | string | undefined, path: string): boolean {
  if (matcher === undefined) return true;
  return typeof matcher === "string"
    ? path.toLowerCase().includes(matcher.toLowerCase())
    : matcher.test(path);
}

/** Whether a page rule (slot `undefined`: every slot) covers the page of `app`'s `slot`. */
const coversPage = (rule: { app: string; slot: string | undefined }, app: string, slot: string) =>
  same(rule.app, app) && (rule.slot === undefined || same(rule.slot, slot));

function take<T>(
  rules: Array<Counted<T> & { matches: (x: never) => boolean }>,
  subject: never,
): T | undefined {
  const rule = rules.find((candidate) => candidate.remaining > 0 && candidate.matches(subject));
  if (!rule) return undefined;
  rule.remaining -= 1;
  return rule.value;
}

type AppRule<T> = Counted<T> & { matches: (app: string) => boolean };

/** A counted rule for one app (by name, case-insensitively). */
function forApp<T>(app: string, value: T, count: number): AppRule<T> {
  return { remaining: count, value, matches: (name) => same(name, app) };
}

/** The fault registry of one simulator. */
export class Faults {
  readonly #arm: Array<Counted<ArmFault> & { matches: (x: ArmContext) => boolean }> = [];
  readonly #swapFailures: Array<AppRule<SwapFailure>> = [];
  readonly #deploymentFailures: Array<AppRule<ArmError>> = [];
  readonly #status: Array<
    Counted<StatusFault> & { matches: (x: { app: string; slot: string }) => boolean }
  > = [];
  readonly #slack: Array<Counted<SlackFault> & { matches: (x: unknown) => boolean }> = [];
  readonly #swapDurations = new Map<string, number>();
  readonly #warmUps = new Map<string, number>();
  readonly #lateRouting = new Map<string, number>();
  readonly #busy = new Map<string, BusyOperation>();
  readonly #hangs: Array<Counted<ServiceHang> & { matches: (x: ServiceRequest) => boolean }> = [];
  readonly #flaps: Array<Counted<FlapRule> & { reads: Map<string, number> }> = [];
  readonly #regressions: Array<RegressionRule & { armedAt: number | undefined }> = [];
  readonly #lies: Array<
    Counted<{ build: unknown }> & { matches: (x: { app: string; slot: string }) => boolean }
  > = [];
  #unhealthy: UnhealthyRule[] = [];

  addArmFault(matcher: ArmMatcher, fault: ArmFault, count: number): void {
    const matches = (request: ArmContext): boolean =>
      (matcher.app === undefined ||
        (request.app !== undefined && same(matcher.app, request.app))) &&
      (matcher.slot === undefined ||
        (request.slot !== undefined && same(matcher.slot, request.slot))) &&
      (matcher.method === undefined || same(matcher.method, request.method)) &&
      pathMatches(matcher.path, request.path);
    this.#arm.push({ remaining: count, value: fault, matches });
  }

  takeArmFault(request: ArmContext): ArmFault | undefined {
    return take(this.#arm, request as never);
  }

  addSwapFailure(app: string, failure: SwapFailure, count: number): void {
    this.#swapFailures.push(forApp(app, failure, count));
  }

  takeSwapFailure(app: string): SwapFailure | undefined {
    return take(this.#swapFailures, app as never);
  }

  addDeploymentFailure(app: string, error: ArmError, count: number): void {
    this.#deploymentFailures.push(forApp(app, error, count));
  }

  takeDeploymentFailure(app: string): ArmError | undefined {
    return take(this.#deploymentFailures, app as never);
  }

  addStatusFault(app: string, slot: string | undefined, fault: StatusFault, count: number): void {
    this.#status.push({
      remaining: count,
      value: fault,
      matches: (page) => coversPage({ app, slot }, page.app, page.slot),
    });
  }

  takeStatusFault(app: string, slot: string): StatusFault | undefined {
    return take(this.#status, { app, slot } as never);
  }

  addSlackFault(fault: SlackFault, count: number): void {
    this.#slack.push({ remaining: count, value: fault, matches: () => true });
  }

  takeSlackFault(): SlackFault | undefined {
    return take(this.#slack, undefined as never);
  }

  setSwapDuration(app: string, ms: number): void {
    this.#swapDurations.set(app.toLowerCase(), ms);
  }

  swapDuration(app: string): number | undefined {
    return this.#swapDurations.get(app.toLowerCase());
  }

  setWarmUp(app: string, ms: number): void {
    this.#warmUps.set(app.toLowerCase(), ms);
  }

  warmUp(app: string): number {
    return this.#warmUps.get(app.toLowerCase()) ?? 0;
  }

  setLateRouting(app: string, ms: number): void {
    this.#lateRouting.set(app.toLowerCase(), ms);
  }

  /** How long after a swap's operation succeeds its routing still sends traffic to the old slots. */
  lateRouting(app: string): number {
    return this.#lateRouting.get(app.toLowerCase()) ?? 0;
  }

  setBusy(app: string, operation: BusyOperation): void {
    this.#busy.set(app.toLowerCase(), operation);
  }

  /** The injected operation in progress on `app` at `now`, if any. */
  busyOperation(app: string, now: number): BusyOperation | undefined {
    const operation = this.#busy.get(app.toLowerCase());
    return operation && now < operation.until ? operation : undefined;
  }

  addServiceHang(hang: ServiceHang, count: number): void {
    const matches = (request: ServiceRequest): boolean =>
      request.service === hang.service &&
      (hang.method === undefined || same(hang.method, request.method)) &&
      pathMatches(hang.path, request.path);
    this.#hangs.push({ remaining: count, value: hang, matches });
  }

  takeServiceHang(request: ServiceRequest): ServiceHang | undefined {
    return take(this.#hangs, request as never);
  }

  addFlap(rule: FlapRule, count: number): void {
    this.#flaps.push({ remaining: count, value: rule, reads: new Map() });
  }

  addRegression(rule: RegressionRule, now: number): void {
    this.#regressions.push({ ...rule, armedAt: rule.trigger === "now" ? now : undefined });
  }

  /** A swap of `app` completed: regressions waiting for it start counting. */
  swapCompleted(app: string, now: number): void {
    for (const rule of this.#regressions)
      if (rule.trigger === "next-swap" && rule.armedAt === undefined && same(rule.app, app))
        rule.armedAt = now;
  }

  /**
   * Whether this read of a page is made unhealthy by a flap or a regression. Each call is one
   * read: a flap rule advances its pattern for that page.
   */
  pageIllness(app: string, slot: string, now: number): PageIllness | undefined {
    let illness: PageIllness | undefined;
    for (const flap of this.#flaps) {
      if (flap.remaining <= 0 || !coversPage(flap.value, app, slot)) continue;
      flap.remaining -= 1;
      const page = slot.toLowerCase();
      const read = flap.reads.get(page) ?? 0;
      flap.reads.set(page, read + 1);
      const { pattern } = flap.value;
      if (pattern[read % pattern.length]?.toUpperCase() === "U") illness ??= flap.value.illness;
    }
    for (const rule of this.#regressions) {
      if (rule.armedAt === undefined || !coversPage(rule, app, slot)) continue;
      const from = rule.armedAt + rule.afterMs;
      const to = rule.durationMs === undefined ? Infinity : from + rule.durationMs;
      if (now >= from && now < to) illness ??= rule.illness;
    }
    return illness;
  }

  addLie(app: string, slot: string | undefined, build: unknown, count: number): void {
    this.#lies.push({
      remaining: count,
      value: { build },
      matches: (page) => coversPage({ app, slot }, page.app, page.slot),
    });
  }

  /** The raw build value a lying page reports on this read, if it lies. */
  takeLie(app: string, slot: string): { build: unknown } | undefined {
    return take(this.#lies, { app, slot } as never);
  }

  addUnhealthy(rule: UnhealthyRule): void {
    this.#unhealthy.push(rule);
  }

  /** Dependencies reported down for this app's slot while it runs `build`. */
  downDependencies(app: string, slotIsProduction: boolean, build: string | null): string[] {
    return this.#unhealthy
      .filter(
        (rule) =>
          same(rule.app, app) && rule.build === build && (rule.where === "any" || slotIsProduction),
      )
      .map((rule) => rule.dependency);
  }

  /** Removes every fault of every kind. */
  clear(): void {
    this.#arm.length = 0;
    this.#swapFailures.length = 0;
    this.#deploymentFailures.length = 0;
    this.#status.length = 0;
    this.#slack.length = 0;
    this.#swapDurations.clear();
    this.#warmUps.clear();
    this.#lateRouting.clear();
    this.#busy.clear();
    this.#hangs.length = 0;
    this.#flaps.length = 0;
    this.#regressions.length = 0;
    this.#lies.length = 0;
    this.#unhealthy = [];
  }
}
