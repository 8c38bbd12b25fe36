import { describe, expect, it } from "vitest";
import { assessStatus } from "../src/release/health.js";
import type { StatusPageRule } from "../src/release/model.js";
import type { StatusResponse } from "../src/release/ports.js";

const rule: StatusPageRule = { urlTemplate: "https://{host}/status", buildField: "build" };
const json = (body: unknown, httpStatus = 200): StatusResponse => ({
  kind: "response",
  httpStatus,
  body,
  bodyIsJson: true,
});

describe("health rules", () => {
  it("is healthy on the expected build with healthy dependencies (trimmed strings)", () => {
    const answer = assessStatus(
      json({ status: "OK", build: " 1.5.0 ", dependencies: { db: "Connected", cache: true } }),
      rule,
      "1.5.0 ",
    );
    expect(answer).toEqual({
      build: "1.5.0",
      healthy: true,
      transient: false,
      inconclusive: false,
      problem: null,
    });
  });

  it("accepts every healthy word in any case", () => {
    for (const word of ["ok", "HEALTHY", "Up", "pass", "connected", "true"]) {
      expect(assessStatus(json({ build: "1", status: word }), rule, "1").healthy).toBe(true);
    }
    expect(assessStatus(json({ build: "1", status: "degraded" }), rule, "1").problem).toBe(
      'status is "degraded"',
    );
  });

  it("reports another build as a final, readable answer", () => {
    const answer = assessStatus(json({ build: "1.4.9" }), rule, "1.5.0");
    expect(answer).toMatchObject({ build: "1.4.9", healthy: false, transient: false });
    expect(answer.problem).toBe("reports build 1.4.9, expected 1.5.0");
  });

  it("treats network errors, 429 and 5xx as transient, other statuses as final", () => {
    expect(assessStatus({ kind: "unreachable", reason: "ECONNRESET" }, rule, "1").transient).toBe(
      true,
    );
    expect(assessStatus(json({ build: "1" }, 429), rule, "1").transient).toBe(true);
    expect(assessStatus(json({ build: "1", status: "Unhealthy" }, 503), rule, "1")).toMatchObject({
      transient: true,
      build: "1",
      healthy: false,
    });
    expect(assessStatus(json({ build: "1" }, 404), rule, "1")).toMatchObject({
      transient: false,
      healthy: false,
    });
  });

  it("needs a JSON body with the build field", () => {
    expect(
      assessStatus(
        { kind: "response", httpStatus: 200, body: "<html>", bodyIsJson: false },
        rule,
        "1",
      ).problem,
    ).toBe("the body is not JSON");
    expect(assessStatus(json({ version: "1" }), rule, "1").problem).toBe(
      'no build in field "build"',
    );
  });

  it("reads the build from a dot path, numbers as strings", () => {
    expect(
      assessStatus(json({ app: { version: 42 } }), { ...rule, buildField: "app.version" }, "42")
        .healthy,
    ).toBe(true);
  });

  it("understands every dependency shape", () => {
    const shapes: Record<string, unknown> = {
      words: { dependencies: { db: "ok", cache: "down" } },
      booleans: { dependencies: { db: true, cache: false } },
      objects: { dependencies: { db: { status: "Healthy" }, cache: { status: "Unhealthy" } } },
      ietfArrays: {
        checks: {
          db: [{ componentId: "primary", status: "pass" }],
          cache: [{ status: "pass" }, { status: "fail" }],
        },
      },
      namedArray: {
        dependencies: [
          { name: "db", status: "up" },
          { name: "cache", status: "down" },
        ],
      },
      aspnet: { entries: { db: { status: "Healthy" }, cache: { status: "Degraded" } } },
      spring: { components: { db: { status: "UP" }, cache: { status: "DOWN" } } },
    };
    for (const [shape, body] of Object.entries(shapes)) {
      const answer = assessStatus(json({ build: "1", ...(body as object) }), rule, "1");
      expect(answer.problem, shape).toBe("dependency cache is not healthy");
    }
  });

  it("uses the first well-known field the body has, or the configured one", () => {
    const body = { build: "1", dependencies: { db: "ok" }, checks: { db: [{ status: "fail" }] } };
    expect(assessStatus(json(body), rule, "1").healthy).toBe(true);
    expect(assessStatus(json(body), { ...rule, dependenciesField: "checks" }, "1").problem).toBe(
      "dependency db is not healthy",
    );
    expect(
      assessStatus(json({ build: "1" }), { ...rule, dependenciesField: "deps" }, "1").problem,
    ).toBe('no dependencies in field "deps"');
  });

  it("accepts any build when none is expected", () => {
    expect(assessStatus(json({ build: "0.9" }), rule, null).healthy).toBe(true);
  });

  it("calls an unreachable page or a 429 inconclusive, and a 5xx a real answer (it counts in a bake)", () => {
    expect(assessStatus({ kind: "unreachable", reason: "ETIMEDOUT" }, rule, "1").inconclusive).toBe(
      true,
    );
    const throttled = { kind: "response" as const, httpStatus: 429, body: "", bodyIsJson: false };
    expect(assessStatus(throttled, rule, "1")).toMatchObject({
      inconclusive: true,
      transient: true,
    });
    const down = { kind: "response" as const, httpStatus: 503, body: "", bodyIsJson: false };
    expect(assessStatus(down, rule, "1")).toMatchObject({ inconclusive: false, transient: true });
  });

  it("reads only the body's own fields: a build-field of constructor finds nothing", () => {
    expect(
      assessStatus(json({ status: "ok" }), { ...rule, buildField: "constructor" }, null).build,
    ).toBe(null);
  });
});
