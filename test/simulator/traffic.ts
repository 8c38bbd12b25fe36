import { PRODUCTION, buildOf, type AppState, type SlotState } from "./fleet-state.js";
import { isObject } from "./http-util.js";

/**
 * App Service traffic routing and the simulated users behind it.
 *
 * Routing (MicrosoftDocs "Set up staging environments", sections "Route production traffic
 * automatically / manually"): production's `siteConfig.experiments.rampUpRules` send
 * `reroutePercentage` of the requests to production's host name to the slot whose host name is
 * `actionHostName`; a rule naming a host that is no slot of the app is ignored. A routed client
 * is pinned by the `x-ms-routing-name` cookie (`self` for production, else the slot's name);
 * `x-ms-routing-name` in the query string does the same by hand. A pin to a slot holds only
 * while a rule names that slot ("When you explicitly set this value to 0% … your users can
 * access the staging slot manually by using the x-ms-routing-name query parameter"): with no
 * rule for the slot the request is routed as if it had no pin. The simulator routes
 * deterministically: of every 100 unpinned requests to production's host, exactly
 * `reroutePercentage` reach the slot (counted anew whenever the effective rules change).
 *
 * Users: each app's production host receives `requestsPerSecond` simulated requests, split by
 * the same rules; a slot's own host name receives none. Each build has a health profile (share
 * of 5xx answers, average response time); what a slot serves accrues into metric grains of
 * the simulator's grain length, by the build the slot runs at that moment.
 */

/** A build's health under load. */
export interface BuildProfile {
  /** Share of requests answered 5xx, percent. */
  errorPercent: number;
  /** Average time to serve a request, milliseconds. */
  responseTimeMs: number;
}

export const DEFAULT_BUILD_PROFILE: BuildProfile = { errorPercent: 0, responseTimeMs: 120 };

/** An effective rule: a share of production's unpinned requests goes to `slot`. */
export interface Route {
  slot: SlotState;
  percent: number;
}

/** How a request to a status host found the slot that served it. */
export type RoutedBy =
  /** The slot's own host name (no routing applies). */
  | "host"
  /** `x-ms-routing-name` in the query string. */
  | "query"
  /** The `x-ms-routing-name` cookie. */
  | "cookie"
  /** Production's rules (or no rule: production). */
  | "rules";

/** One metric grain of one slot: integer counts, and the request-weighted response time. */
export interface Grain {
  requests: number;
  errors: number;
  /** Σ requests × response time (ms), over fractional requests. */
  responseMsSum: number;
  /** Fractional requests the response time is weighted by. */
  weight: number;
}

/** The status host of a slot (also its `defaultHostName`): `<origin host>/sites/<app>[-<slot>]`. */
export function hostOf(origin: string, app: AppState, slot: SlotState): string {
  const host = origin.replace(/^https:\/\//, "");
  return slot.name === PRODUCTION
    ? `${host}/sites/${app.seed.name}`
    : `${host}/sites/${app.seed.name}-${slot.name}`;
}

/**
 * The host names a rule's `actionHostName` may give for a slot, lower-case: the slot's own, and
 * the one the Azure CLI derives (`az webapp traffic-routing set`, custom.py
 * `set_traffic_routing`: `<first label of production's defaultHostName>-<slot>.<rest>`), which
 * on Azure is the same name (`app-staging.azurewebsites.net`) but on the simulator's
 * `127.0.0.1:<port>/sites/<app>` hosts is `127-<slot>.0.0.1:<port>/sites/<app>`.
 */
function ruleHostsOf(origin: string, app: AppState, slot: SlotState): string[] {
  const production = hostOf(origin, app, app.slots.get(PRODUCTION)!);
  const dot = production.indexOf(".");
  const cli = `${production.slice(0, dot)}-${slot.name}${production.slice(dot)}`;
  return [hostOf(origin, app, slot), cli].map((host) => host.toLowerCase());
}

/** Production's ramp-up rules as written (`[]` when none). */
export function rampUpRules(app: AppState): unknown[] {
  const experiments = app.slots.get(PRODUCTION)?.configOverrides.experiments;
  return isObject(experiments) && Array.isArray(experiments.rampUpRules)
    ? experiments.rampUpRules
    : [];
}

/**
 * The rules that route: each names a slot of the app by host name; the first rule for a slot
 * counts, and shares beyond 100 % in total are cut off.
 */
export function routesOf(origin: string, app: AppState): Route[] {
  const routes: Route[] = [];
  let left = 100;
  for (const rule of rampUpRules(app)) {
    if (!isObject(rule) || typeof rule.actionHostName !== "string") continue;
    const percent = Number(rule.reroutePercentage ?? 0);
    if (!Number.isFinite(percent) || percent < 0) continue;
    const wanted = rule.actionHostName.trim().toLowerCase();
    const slot = [...app.slots.values()].find(
      (candidate) =>
        candidate.name !== PRODUCTION && ruleHostsOf(origin, app, candidate).includes(wanted),
    );
    if (!slot || routes.some((route) => route.slot === slot)) continue;
    const share = Math.min(percent, left);
    left -= share;
    routes.push({ slot, percent: share });
  }
  return routes;
}

/** The share of production's users the effective rules send elsewhere, percent. */
export function routedPercent(origin: string, app: AppState): number {
  return routesOf(origin, app).reduce((sum, route) => sum + route.percent, 0);
}

/** What one simulated slot has served so far: running totals (fractional) and its grains. */
interface Meter {
  requests: number;
  errors: number;
  grains: Map<number, Grain>;
}

/** The round-robin of one app's unpinned requests over its effective rules. */
interface RoutingCounter {
  signature: string;
  requests: number;
  served: Map<string, number>;
}

/** Whole units in a running total (with a little slack for floating-point sums). */
const whole = (value: number): number => Math.floor(value + 1e-9);

/** Traffic routing, user traffic and metric grains of one simulator. */
export class Traffic {
  readonly #apps: Map<string, AppState>;
  readonly #now: () => number;
  readonly #origin: () => string;
  readonly #grainMs: number;
  readonly #defaultRequestsPerSecond: number;
  readonly #profiles = new Map<string, BuildProfile>();
  readonly #requestsPerSecond = new Map<string, number>();
  readonly #meters = new Map<string, Meter>();
  readonly #counters = new Map<string, RoutingCounter>();
  #accruedTo: number;

  constructor(options: {
    apps: Map<string, AppState>;
    now: () => number;
    origin: () => string;
    grainMs: number;
    requestsPerSecond: number;
  }) {
    this.#apps = options.apps;
    this.#now = options.now;
    this.#origin = options.origin;
    this.#grainMs = options.grainMs;
    this.#defaultRequestsPerSecond = options.requestsPerSecond;
    this.#accruedTo = options.now();
  }

  get grainMs(): number {
    return this.#grainMs;
  }

  /** The health `build` of `app` shows under load (default 0 % errors, 120 ms). */
  profile(app: string, build: string): BuildProfile {
    return this.#profiles.get(`${app.toLowerCase()}|${build}`) ?? DEFAULT_BUILD_PROFILE;
  }

  setProfile(app: string, build: string, profile: Partial<BuildProfile>): void {
    this.accrue();
    this.#profiles.set(`${app.toLowerCase()}|${build}`, {
      ...this.profile(app, build),
      ...profile,
    });
  }

  setRequestsPerSecond(app: string, requestsPerSecond: number): void {
    this.accrue();
    this.#requestsPerSecond.set(app.toLowerCase(), requestsPerSecond);
  }

  /**
   * The slot that serves a request to `hostSlot`'s host name: a slot's own host is that slot;
   * production's host follows the pin (`x-ms-routing-name` from the query string or cookie), else
   * the rules. `cookie`: the pin App Service sets on answers from production's host.
   */
  route(
    app: AppState,
    hostSlot: SlotState,
    pin: { value: string; from: "query" | "cookie" } | undefined,
  ): { slot: SlotState; routedBy: RoutedBy; cookie?: string } {
    if (hostSlot.name !== PRODUCTION) return { slot: hostSlot, routedBy: "host" };
    const production = hostSlot;
    const routes = routesOf(this.#origin(), app);
    const pinned = (slot: SlotState, routedBy: RoutedBy) => ({
      slot,
      routedBy,
      cookie: slot === production ? "self" : slot.name,
    });
    const wanted = pin?.value.trim().toLowerCase();
    if (pin && wanted === "self") return pinned(production, pin.from);
    const pinnedRoute = routes.find((route) => route.slot.name.toLowerCase() === wanted);
    if (pin && pinnedRoute) return pinned(pinnedRoute.slot, pin.from);
    return pinned(this.#nextUnpinned(app, routes) ?? production, "rules");
  }

  /** The slot the next unpinned request goes to: the first route behind its share, if any. */
  #nextUnpinned(app: AppState, routes: Route[]): SlotState | undefined {
    const key = app.seed.name.toLowerCase();
    const signature = JSON.stringify(routes.map((route) => [route.slot.name, route.percent]));
    let counter = this.#counters.get(key);
    if (!counter || counter.signature !== signature) {
      counter = { signature, requests: 0, served: new Map() };
      this.#counters.set(key, counter);
    }
    counter.requests += 1;
    for (const route of routes) {
      const served = counter.served.get(route.slot.name) ?? 0;
      if (served < whole((counter.requests * route.percent) / 100)) {
        counter.served.set(route.slot.name, served + 1);
        return route.slot;
      }
    }
    return undefined;
  }

  /**
   * Accrues the simulated users' requests from the last accrual up to now, grain by grain, with
   * the rules, builds and profiles as they are: call it before any of them changes.
   */
  accrue(): void {
    const now = this.#now();
    let from = this.#accruedTo;
    while (from < now) {
      const grainStart = Math.floor(from / this.#grainMs) * this.#grainMs;
      const to = Math.min(now, grainStart + this.#grainMs);
      for (const app of this.#apps.values()) this.#accrueApp(app, grainStart, (to - from) / 1000);
      from = to;
    }
    this.#accruedTo = Math.max(this.#accruedTo, now);
  }

  #accrueApp(app: AppState, grainStart: number, seconds: number): void {
    const production = app.slots.get(PRODUCTION)!;
    const routes = routesOf(this.#origin(), app);
    const shares: Route[] = [
      { slot: production, percent: 100 - routes.reduce((sum, route) => sum + route.percent, 0) },
      ...routes,
    ];
    const perSecond =
      this.#requestsPerSecond.get(app.seed.name.toLowerCase()) ?? this.#defaultRequestsPerSecond;
    for (const { slot, percent } of shares) {
      // A stopped slot's users get the front end's 403; the site's metrics see none of them.
      if (percent <= 0 || slot.state === "Stopped") continue;
      const requests = (perSecond * seconds * percent) / 100;
      const build = buildOf(slot);
      // A build that cannot start answers every request with the platform's 503.
      const profile =
        build === null
          ? { errorPercent: 100, responseTimeMs: 0 }
          : this.profile(app.seed.name, build);
      const meter = this.#meter(app.seed.name, slot.name);
      let grain = meter.grains.get(grainStart);
      if (!grain) {
        grain = { requests: 0, errors: 0, responseMsSum: 0, weight: 0 };
        meter.grains.set(grainStart, grain);
      }
      const before = { requests: meter.requests, errors: meter.errors };
      meter.requests += requests;
      meter.errors += (requests * profile.errorPercent) / 100;
      grain.requests += whole(meter.requests) - whole(before.requests);
      grain.errors += whole(meter.errors) - whole(before.errors);
      grain.responseMsSum += requests * profile.responseTimeMs;
      grain.weight += requests;
    }
  }

  /** The grain of `slot` that starts at `grainStart` (zeros when it served nothing). */
  grain(app: string, slot: string, grainStart: number): Grain {
    return (
      this.#meter(app, slot).grains.get(grainStart) ?? {
        requests: 0,
        errors: 0,
        responseMsSum: 0,
        weight: 0,
      }
    );
  }

  /** Forgets grains that started before `before`. */
  prune(before: number): void {
    for (const meter of this.#meters.values())
      for (const start of meter.grains.keys()) if (start < before) meter.grains.delete(start);
  }

  #meter(app: string, slot: string): Meter {
    const key = `${app.toLowerCase()}|${slot.toLowerCase()}`;
    let meter = this.#meters.get(key);
    if (!meter) {
      meter = { requests: 0, errors: 0, grains: new Map() };
      this.#meters.set(key, meter);
    }
    return meter;
  }
}
