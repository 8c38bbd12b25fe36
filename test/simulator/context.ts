import type { IncomingMessage } from "node:http";
import type { Faults } from "./faults.js";
import type { AppState } from "./fleet-state.js";
import type { Journal } from "./journal.js";
import type { JwtSigner } from "./jwt.js";
import type { ArmThrottle } from "./throttling.js";
import type { Traffic } from "./traffic.js";

/** What every simulated service shares: one origin, one fleet, one journal, one fault registry. */
export interface SimulatorContext {
  /** `https://127.0.0.1:<port>`. */
  origin: string;
  /** Apps by lower-case name (App Service names are globally unique). */
  apps: Map<string, AppState>;
  faults: Faults;
  journal: Journal;
  settings: SimulatorSettings;
  now(): number;
  /** Schedules work that `close()` must cancel. */
  later(ms: number, work: () => void): void;
  /** Keeps a request's connection open without answering, until the client gives up or `close()`. */
  hold(req: IncomingMessage): void;
  /** Signs the access tokens the Entra endpoint issues and ARM accepts. */
  entraSigner: JwtSigner;
  /** Signs the GitHub OIDC tokens that Entra accepts as client assertions. */
  oidcSigner: JwtSigner;
  /** ARM's request throttling (token buckets), or `undefined` when turned off. */
  armThrottle: ArmThrottle | undefined;
  /** Traffic routing, simulated users and their metric grains. */
  traffic: Traffic;
}

/** The resolved options of a simulator. */
export interface SimulatorSettings {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  swapDurationMs: number;
  retryAfterSeconds: number;
  tokenLifetimeSeconds: number;
  oidcRequestToken: string;
  oidcSubject: string;
  /** When set, a client assertion's `sub` must equal it (a federated credential's subject). */
  federatedSubject: string | undefined;
  repository: string;
  /** The api-versions ARM offers for Microsoft.Web sites; `undefined`: every version. */
  armApiVersions: string[] | undefined;
  /** The token audience ARM accepts and its metadata lists; `undefined`: the origin. */
  armAudience: string | undefined;
  /** How long after a metric grain ends Azure Monitor publishes it. */
  metricDelayMs: number;
}
