/**
 * The run as spans of time, made from its events: canary steps, swaps, verifications, bakes,
 * rollbacks and refreshes, each with where it ran and whether it failed. Pure; the report carries
 * it and the job summary draws it.
 */
import type { TimedEvent } from "./events.js";

export type SpanKind = "canary" | "swap" | "verification" | "bake" | "rollback" | "refresh";

export interface TimelineSpan {
  region: string;
  /** `null` for a span of the whole region (a bake). */
  service: string | null;
  kind: SpanKind;
  /** What the span was: `canary 25%`, `swap`, `swap back`, `verification`, `bake`… */
  label: string;
  /** ISO 8601. */
  startedAt: string;
  finishedAt: string;
  /** The span did not reach its end as planned (a regression, a failed swap, a cancelled step). */
  failed: boolean;
}

interface OpenSpan {
  region: string;
  service: string | null;
  kind: SpanKind;
  label: string;
  start: number;
}

/** The spans of a run, in the order they started; spans still open at `endAt` end there, failed. */
export function timelineOf(events: readonly TimedEvent[], endAt: number): TimelineSpan[] {
  const spans: Array<TimelineSpan & { start: number }> = [];
  const open = new Map<string, OpenSpan>();
  const lastDirection = new Map<string, "in" | "back">();
  const keyOf = (region: string, service: string | null) => `${region}/${service ?? ""}`;
  const begin = (span: OpenSpan) => open.set(keyOf(span.region, span.service), span);
  const end = (region: string, service: string | null, at: number, failed: boolean) => {
    const key = keyOf(region, service);
    const span = open.get(key);
    if (span === undefined) return;
    open.delete(key);
    spans.push({
      region: span.region,
      service: span.service,
      kind: span.kind,
      label: span.label,
      start: span.start,
      startedAt: new Date(span.start).toISOString(),
      finishedAt: new Date(at).toISOString(),
      failed,
    });
  };
  const bakes = new Map<number, string[]>();
  for (const event of events) {
    switch (event.kind) {
      case "CanaryStepStarted":
        begin({ ...event, kind: "canary", label: `canary ${event.percent}%`, start: event.at });
        break;
      case "CanaryStepPassed":
        end(event.region, event.service, event.at, false);
        break;
      case "TrafficRouteRemoved":
        end(event.region, event.service, event.at, true);
        break;
      case "SwapStarted":
        end(event.region, event.service, event.at, true);
        lastDirection.set(keyOf(event.region, event.service), event.direction);
        begin({
          region: event.region,
          service: event.service,
          kind: event.direction === "in" ? "swap" : "rollback",
          label: event.direction === "in" ? "swap" : "swap back",
          start: event.at,
        });
        break;
      case "SwapCompleted":
        end(event.region, event.service, event.at, false);
        break;
      case "SwapFailed":
        end(event.region, event.service, event.at, true);
        break;
      case "VerificationStarted": {
        const back = lastDirection.get(keyOf(event.region, event.service)) === "back";
        begin({
          region: event.region,
          service: event.service,
          kind: back ? "rollback" : "verification",
          label: back ? "rollback verification" : "verification",
          start: event.at,
        });
        break;
      }
      case "ServiceVerified":
        end(event.region, event.service, event.at, false);
        break;
      case "Regression":
        end(event.region, event.service, event.at, true);
        break;
      case "Failure":
        if (event.region !== null) end(event.region, event.service, event.at, true);
        break;
      case "BakeStarted":
        bakes.set(event.wave, event.regions);
        for (const region of event.regions)
          begin({ region, service: null, kind: "bake", label: "bake", start: event.at });
        break;
      case "BakeFinished":
        for (const region of bakes.get(event.wave) ?? []) end(region, null, event.at, !event.held);
        break;
      case "RefreshStarted":
        begin({ ...event, kind: "refresh", label: "refresh", start: event.at });
        break;
      case "RefreshFinished":
        end(event.region, event.service, event.at, !event.refreshed);
        break;
    }
  }
  for (const span of [...open.values()]) end(span.region, span.service, endAt, true);
  return spans.sort((a, b) => a.start - b.start).map(({ start: _start, ...span }) => span);
}
