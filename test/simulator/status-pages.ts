import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimulatorContext } from "./context.js";
import type { JournalEntry } from "./journal.js";
import {
  PRODUCTION,
  buildOf,
  type AppState,
  type DependencyShape,
  type SlotState,
} from "./fleet-state.js";
import { sendJson, sendText, setPath } from "./http-util.js";

/**
 * Every slot's web site: `/sites/<app>` (production) or `/sites/<app>-<slot>`, any path below it
 * answers the slot's status JSON for the build the slot really runs. Faults: stopped slots (403
 * like App Service), warm-up (503), injected 5xx/resets/hangs, dependencies down while a build
 * runs, flapping and regressing pages, pages that lie about their build, and routing that flips
 * late after a swap (the host name still reaches the other slot's instances for a while).
 * Production's host name is routed by its traffic-routing rules and the `x-ms-routing-name`
 * pin (query string or cookie; see traffic.ts); its answers set the `x-ms-routing-name` cookie.
 * A slot's faults and health apply wherever its instances serve a request.
 */

const ROUTING_NAME = "x-ms-routing-name";

/** The `x-ms-routing-name` pin of a request: the query string's, else the cookie's. */
function routingPin(
  req: IncomingMessage,
  url: URL,
): { value: string; from: "query" | "cookie" } | undefined {
  for (const [name, value] of url.searchParams)
    if (name.toLowerCase() === ROUTING_NAME) return { value, from: "query" };
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const equals = part.indexOf("=");
    if (equals > 0 && part.slice(0, equals).trim().toLowerCase() === ROUTING_NAME)
      return { value: decodeURIComponent(part.slice(equals + 1).trim()), from: "cookie" };
  }
  return undefined;
}

const STATUS_WORDS: Record<
  DependencyShape,
  { up: string; down: string; overallUp: string; overallDown: string }
> = {
  object: { up: "ok", down: "down", overallUp: "Healthy", overallDown: "Degraded" },
  array: { up: "ok", down: "down", overallUp: "Healthy", overallDown: "Degraded" },
  aspnet: { up: "Healthy", down: "Unhealthy", overallUp: "Healthy", overallDown: "Unhealthy" },
  spring: { up: "UP", down: "DOWN", overallUp: "UP", overallDown: "DOWN" },
  ietf: { up: "pass", down: "fail", overallUp: "pass", overallDown: "fail" },
};

/** The status body of an app's slot running `build` (any JSON value a lying page reports), with `down` dependencies failing. */
export function statusBody(
  app: AppState,
  build: unknown,
  down: string[],
): { httpStatus: number; body: Record<string, unknown> } {
  const format = app.seed.statusFormat ?? {};
  const shape = format.dependencyShape ?? "object";
  const names = format.dependencies ?? ["database", "cache"];
  const words = STATUS_WORDS[shape];
  const healthy = down.length === 0;
  const word = (name: string) => (down.includes(name) ? words.down : words.up);
  const body: Record<string, unknown> = { status: healthy ? words.overallUp : words.overallDown };
  const dependenciesField = format.dependenciesField ?? "dependencies";
  switch (shape) {
    case "object":
      setPath(body, dependenciesField, Object.fromEntries(names.map((name) => [name, word(name)])));
      break;
    case "array":
      setPath(
        body,
        dependenciesField,
        names.map((name) => ({ name, status: word(name) })),
      );
      break;
    case "aspnet":
      body.totalDuration = "00:00:00.0123456";
      body.entries = Object.fromEntries(
        names.map((name) => [
          name,
          { data: {}, duration: "00:00:00.0050000", status: word(name), tags: [] },
        ]),
      );
      break;
    case "spring":
      body.components = Object.fromEntries(
        names.map((name) => [name, { status: word(name), details: {} }]),
      );
      break;
    case "ietf":
      body.version = "1";
      body.checks = Object.fromEntries(
        names.map((name) => [
          `${name}:connections`,
          [{ componentType: "datastore", status: word(name), time: new Date().toISOString() }],
        ]),
      );
      break;
  }
  setPath(body, format.buildField ?? "build", build);
  // ASP.NET Core, Spring Boot and the IETF draft answer 503 when unhealthy; plain pages stay 200.
  const httpStatus =
    !healthy && (shape === "aspnet" || shape === "spring" || shape === "ietf") ? 503 : 200;
  return { httpStatus, body };
}

/** The status pages of one simulator. */
export class StatusPages {
  readonly #context: SimulatorContext;

  constructor(context: SimulatorContext) {
    this.#context = context;
  }

  /** Finds the app and slot a `/sites/<host>` name addresses: the app itself, or `<app>-<slot>`. */
  resolve(
    hostName: string,
  ): { app: AppState; slotName: string; slot: SlotState | undefined } | undefined {
    const wanted = hostName.toLowerCase();
    const exact = this.#context.apps.get(wanted);
    if (exact) return { app: exact, slotName: PRODUCTION, slot: exact.slots.get(PRODUCTION) };
    for (const app of this.#context.apps.values()) {
      const prefix = `${app.seed.name.toLowerCase()}-`;
      if (!wanted.startsWith(prefix)) continue;
      const slotName = wanted.slice(prefix.length);
      const declared = (app.seed.stagingSlotName ?? "staging").toLowerCase();
      const slot = app.slots.get(slotName);
      if (slot || slotName === declared) return { app, slotName, slot };
    }
    return undefined;
  }

  /**
   * The slot whose instances a slot's host name reaches now: itself, or during a swap's late
   * routing flip the other slot of the pair (which runs the build this host served before).
   */
  #served(app: AppState, slot: SlotState, now: number): SlotState {
    const late = app.lateRouting;
    if (!late || now >= late.until) return slot;
    const [a, b] = late.slots;
    const other = slot.name.toLowerCase() === a ? b : slot.name.toLowerCase() === b ? a : undefined;
    return (other !== undefined && app.slots.get(other)) || slot;
  }

  handle(req: IncomingMessage, res: ServerResponse, url: URL, entry: JournalEntry): void {
    const hostName = url.pathname.split("/")[2] ?? "";
    const found = this.resolve(decodeURIComponent(hostName));
    const notFound = () =>
      sendText(
        res,
        404,
        `<html><body><h1>404 Web Site not found.</h1><p>${hostName} is not a site of this simulator.</p></body></html>`,
        "text/html",
      );
    if (!found?.slot) {
      notFound();
      return;
    }
    const { app } = found;
    const now = this.#context.now();
    const routed = this.#context.traffic.route(app, found.slot, routingPin(req, url));
    // The pin lasts about an hour (MicrosoftDocs: "pinned to that slot for one hour").
    if (routed.cookie !== undefined)
      res.setHeader(
        "set-cookie",
        `${ROUTING_NAME}=${routed.cookie}; Path=/sites/${app.seed.name}; Max-Age=3600`,
      );
    const page = routed.slot;
    const slot = this.#served(app, page, now);
    entry.served = {
      app: app.seed.name,
      host: found.slot.name,
      slot: slot.name,
      build: buildOf(slot),
      routedBy: routed.routedBy,
      ...(routed.cookie === undefined ? {} : { cookie: routed.cookie }),
    };
    const faults = this.#context.faults;
    const fault = faults.takeStatusFault(app.seed.name, page.name);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === "reset") {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "hang") {
      this.#context.hold(req);
      return;
    }
    if (fault) {
      sendText(
        res,
        fault.status,
        `<html><body><h1>${fault.status} - Service Unavailable</h1></body></html>`,
        "text/html",
      );
      return;
    }
    if (page.state === "Stopped") {
      sendText(
        res,
        403,
        "<html><head><title>Web App - Unavailable</title></head><body><h1>Error 403 - This web app is stopped.</h1></body></html>",
        "text/html",
      );
      return;
    }
    const warmUp = faults.warmUp(app.seed.name);
    if (now < slot.contentChangedAt + warmUp) {
      sendText(
        res,
        503,
        "<html><body><h1>503 Service Unavailable</h1><p>The application is starting.</p></body></html>",
        "text/html",
        { "retry-after": "1" },
      );
      return;
    }
    const build = buildOf(slot);
    if (build === null) {
      sendText(
        res,
        503,
        "<html><body><h1>:( Application Error</h1><p>The container could not be started: no image tag.</p></body></html>",
        "text/html",
      );
      return;
    }
    const illness = faults.pageIllness(app.seed.name, page.name, now);
    if (illness?.kind === "503") {
      sendText(
        res,
        503,
        "<html><body><h1>503 Service Unavailable</h1><p>The service is unavailable.</p></body></html>",
        "text/html",
      );
      return;
    }
    const down = faults.downDependencies(app.seed.name, page.name === PRODUCTION, build);
    if (illness) down.push(illness.dependency);
    const lie = faults.takeLie(app.seed.name, page.name);
    const { httpStatus, body } = statusBody(app, lie ? lie.build : build, down);
    sendJson(res, httpStatus, body, { "cache-control": "no-store" });
  }
}
