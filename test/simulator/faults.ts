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

/** What an ARM fault does. */
export type ArmFault =
  | { kind: "status"; status: number; code: string; message: string; retryAfterSeconds?: number }
  | { kind: "reset" };

/** An ARM error that ends a swap or a deployment update. */
export interface ArmError {
  status: number;
  code: string;
  message: string;
}

/** A fault of a status page. */
export type StatusFault = { kind: "status"; status: number } | { kind: "reset" };

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

interface ArmContext {
  app: string | undefined;
  slot: string | undefined;
  method: string;
  path: string;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function take<T>(
  rules: Array<Counted<T> & { matches: (x: never) => boolean }>,
  subject: never,
): T | undefined {
  const rule = rules.find((candidate) => candidate.remaining > 0 && candidate.matches(subject));
  if (!rule) return undefined;
  rule.remaining -= 1;
  return rule.value;
}

/** The fault registry of one simulator. */
export class Faults {
  readonly #arm: Array<Counted<ArmFault> & { matches: (x: ArmContext) => boolean }> = [];
  readonly #swapFailures: Array<Counted<ArmError> & { matches: (app: string) => boolean }> = [];
  readonly #deploymentFailures: Array<Counted<ArmError> & { matches: (app: string) => boolean }> =
    [];
  readonly #status: Array<
    Counted<StatusFault> & { matches: (x: { app: string; slot: string }) => boolean }
  > = [];
  readonly #slack: Array<Counted<SlackFault> & { matches: (x: unknown) => boolean }> = [];
  readonly #swapDurations = new Map<string, number>();
  readonly #warmUps = new Map<string, number>();
  #unhealthy: UnhealthyRule[] = [];

  addArmFault(matcher: ArmMatcher, fault: ArmFault, count: number): void {
    const matches = (request: ArmContext): boolean =>
      (matcher.app === undefined ||
        (request.app !== undefined && same(matcher.app, request.app))) &&
      (matcher.slot === undefined ||
        (request.slot !== undefined && same(matcher.slot, request.slot))) &&
      (matcher.method === undefined || same(matcher.method, request.method)) &&
      (matcher.path === undefined ||
        (typeof matcher.path === "string"
          ? request.path.toLowerCase().includes(matcher.path.toLowerCase())
          : matcher.path.test(request.path)));
    this.#arm.push({ remaining: count, value: fault, matches });
  }

  takeArmFault(request: ArmContext): ArmFault | undefined {
    return take(this.#arm, request as never);
  }

  addSwapFailure(app: string, error: ArmError, count: number): void {
    this.#swapFailures.push({ remaining: count, value: error, matches: (name) => same(name, app) });
  }

  takeSwapFailure(app: string): ArmError | undefined {
    return take(this.#swapFailures, app as never);
  }

  addDeploymentFailure(app: string, error: ArmError, count: number): void {
    this.#deploymentFailures.push({
      remaining: count,
      value: error,
      matches: (name) => same(name, app),
    });
  }

  takeDeploymentFailure(app: string): ArmError | undefined {
    return take(this.#deploymentFailures, app as never);
  }

  addStatusFault(app: string, slot: string | undefined, fault: StatusFault, count: number): void {
    this.#status.push({
      remaining: count,
      value: fault,
      matches: (page) => same(page.app, app) && (slot === undefined || same(page.slot, slot)),
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
    this.#unhealthy = [];
  }
}
