import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import * as tls from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RegionOutcome } from "../src/release/model.js";
import type { ReleaseLog } from "../src/release/ports.js";
import {
  createDeploymentsOctokit,
  deploymentStateFor,
  GitHubDeployments,
  gitHubDeploymentsForRun,
  type DeploymentsOctokit,
} from "../src/notify/github-deployments.js";
import { ctx, RUN_URL, unknownRun } from "./notify-fixtures.js";
import { createSelfSignedCertificate } from "./simulator/certificate.js";

type Call = {
  method: "createDeployment" | "createDeploymentStatus";
  params: Record<string, unknown>;
};

/** An Octokit stand-in that records calls; `fail` decides which calls throw. */
function fakeOctokit(
  options: {
    fail?: (call: Call) => Error | undefined;
    createAnswer?: { status: number; data: unknown };
  } = {},
): { octokit: DeploymentsOctokit; calls: Call[] } {
  const calls: Call[] = [];
  let nextId = 100;
  const record = (call: Call): void => {
    // The per-call timeout signal differs every call; the recorded params leave it out.
    const params = { ...call.params };
    delete params.request;
    calls.push({ method: call.method, params });
    const error = options.fail?.(call);
    if (error !== undefined) throw error;
  };
  const octokit: DeploymentsOctokit = {
    rest: {
      repos: {
        createDeployment: async (params) => {
          record({ method: "createDeployment", params });
          return options.createAnswer ?? { status: 201, data: { id: nextId++ } };
        },
        createDeploymentStatus: async (params) => {
          record({ method: "createDeploymentStatus", params });
          return { status: 201, data: {} };
        },
      },
    },
  };
  return { octokit, calls };
}

function recordingLog(): ReleaseLog & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    info: () => undefined,
    warning: (message) => void warnings.push(message),
    error: () => undefined,
    group: (_name, body) => body(),
  };
}

function httpError(status: number, message: string): Error {
  // Octokit's RequestError carries the status and, when GitHub answered, the response.
  return Object.assign(new Error(message), { name: "HttpError", status, response: { status } });
}

function deployments(octokit: DeploymentsOctokit, log: ReleaseLog): GitHubDeployments {
  return new GitHubDeployments(octokit, {
    owner: "contoso",
    repo: "shop",
    ref: "abcdef1234567890",
    environmentPrefix: "production-",
    build: "1.4.2",
    runUrl: RUN_URL,
    log,
  });
}

describe("GitHubDeployments", () => {
  it("creates a deployment per region, in progress, then released as success", async () => {
    const { octokit, calls } = fakeOctokit();
    const log = recordingLog();
    const listener = deployments(octokit, log);
    await listener.regionStarted("uk-south");
    await listener.regionFinished("uk-south", "released");
    expect(calls).toEqual([
      {
        method: "createDeployment",
        params: {
          owner: "contoso",
          repo: "shop",
          ref: "abcdef1234567890",
          environment: "production-uk-south",
          description: "Release 1.4.2 to uk-south",
          payload: { build: "1.4.2", region: "uk-south" },
          auto_merge: false,
          required_contexts: [],
          transient_environment: false,
          production_environment: true,
        },
      },
      {
        method: "createDeploymentStatus",
        params: {
          owner: "contoso",
          repo: "shop",
          deployment_id: 100,
          state: "in_progress",
          description: "Releasing 1.4.2 to uk-south",
          log_url: RUN_URL,
        },
      },
      {
        method: "createDeploymentStatus",
        params: {
          owner: "contoso",
          repo: "shop",
          deployment_id: 100,
          state: "success",
          description: "1.4.2 released in uk-south",
          log_url: RUN_URL,
        },
      },
    ]);
    expect(log.warnings).toEqual([]);
  });

  it.each<[RegionOutcome, string]>([
    ["released", "success"],
    ["already-released", "success"],
    ["rolled-back", "failure"],
    ["failed", "failure"],
    ["cancelled", "error"],
    ["not-started", "inactive"],
    ["planned", "inactive"],
  ])("ends a %s region's deployment as %s", async (outcome, state) => {
    expect(deploymentStateFor(outcome)).toBe(state);
    const { octokit, calls } = fakeOctokit();
    const listener = deployments(octokit, recordingLog());
    await listener.regionStarted("west-europe");
    await listener.regionFinished("west-europe", outcome);
    expect(calls.at(-1)?.params).toMatchObject({ deployment_id: 100, state });
    expect(String(calls.at(-1)?.params.description).length).toBeLessThanOrEqual(140);
  });

  it("updates the same record when an earlier region is rolled back later", async () => {
    const { octokit, calls } = fakeOctokit();
    const listener = deployments(octokit, recordingLog());
    await listener.regionStarted("uk-south");
    await listener.regionFinished("uk-south", "released");
    await listener.regionStarted("west-europe");
    await listener.regionFinished("west-europe", "rolled-back");
    await listener.regionFinished("uk-south", "rolled-back");
    const statuses = calls
      .filter((call) => call.method === "createDeploymentStatus")
      .map((call) => [call.params.deployment_id, call.params.state]);
    expect(statuses).toEqual([
      [100, "in_progress"],
      [100, "success"],
      [101, "in_progress"],
      [101, "failure"],
      [100, "failure"],
    ]);
  });

  it("warns, never throws, when the deployment cannot be created, and records nothing more", async () => {
    const { octokit, calls } = fakeOctokit({
      fail: (call) =>
        call.method === "createDeployment"
          ? httpError(403, "Resource not accessible by integration")
          : undefined,
    });
    const log = recordingLog();
    const listener = deployments(octokit, log);
    await expect(listener.regionStarted("uk-south")).resolves.toBeUndefined();
    await expect(listener.regionFinished("uk-south", "released")).resolves.toBeUndefined();
    expect(calls.map((call) => call.method)).toEqual(["createDeployment"]);
    expect(log.warnings).toEqual([
      "GitHub deployment of region uk-south not recorded: could not create the deployment: 403 Resource not accessible by integration. Give the job `permissions: deployments: write` (and a `github-token` that may write deployments), or set `github-deployments: false`",
    ]);
  });

  it("warns when a status cannot be set and goes on with the next one", async () => {
    let statusCalls = 0;
    const { octokit, calls } = fakeOctokit({
      fail: (call) =>
        call.method === "createDeploymentStatus" && ++statusCalls === 1
          ? httpError(502, "Bad Gateway")
          : undefined,
    });
    const log = recordingLog();
    const listener = deployments(octokit, log);
    await listener.regionStarted("uk-south");
    await listener.regionFinished("uk-south", "released");
    expect(log.warnings).toEqual([
      "GitHub deployment of region uk-south not recorded: could not set its status to in_progress: 502 Bad Gateway",
    ]);
    expect(calls.at(-1)?.params).toMatchObject({ state: "success" });
  });

  it("warns when GitHub answers without a deployment", async () => {
    const { octokit, calls } = fakeOctokit({
      createAnswer: { status: 202, data: { message: "Auto-merged main into topic" } },
    });
    const log = recordingLog();
    const listener = deployments(octokit, log);
    await listener.regionStarted("uk-south");
    await listener.regionFinished("uk-south", "released");
    expect(calls).toHaveLength(1);
    expect(log.warnings[0]).toContain(
      "GitHub answered 202 Auto-merged main into topic without a deployment",
    );
  });

  it("records nothing for a region that never started", async () => {
    const { octokit, calls } = fakeOctokit();
    await deployments(octokit, recordingLog()).regionFinished("east-us", "not-started");
    expect(calls).toEqual([]);
  });
});

describe("gitHubDeploymentsForRun", () => {
  it("takes owner, repository and commit from the run", async () => {
    const { octokit, calls } = fakeOctokit();
    const listener = gitHubDeploymentsForRun(octokit, ctx, {
      environmentPrefix: "prod-",
      build: "2.0",
      log: recordingLog(),
    });
    await listener?.regionStarted("uk-south");
    expect(calls[0]?.params).toMatchObject({
      owner: "contoso",
      repo: "shop",
      ref: ctx.sha,
      environment: "prod-uk-south",
    });
    expect(calls[1]?.params).toMatchObject({ log_url: RUN_URL });
  });

  it("warns and records nothing when the run does not name a repository", () => {
    const log = recordingLog();
    const { octokit } = fakeOctokit();
    const listener = gitHubDeploymentsForRun(
      octokit,
      { ...unknownRun, sha: "abc" },
      { environmentPrefix: "production-", build: "2.0", log },
    );
    expect(listener).toBeUndefined();
    expect(log.warnings[0]).toContain("GITHUB_REPOSITORY (owner/name)");
  });
});

describe("createDeploymentsOctokit", () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      server === undefined ? resolve() : server.close(() => resolve()),
    );
  });

  it("talks to GITHUB_API_URL with the token", async () => {
    const requests: { method?: string; url?: string; auth?: string; body: string }[] = [];
    server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      request.on("end", () => {
        requests.push({
          method: request.method,
          url: request.url,
          auth: request.headers.authorization,
          body,
        });
        response.writeHead(201, { "content-type": "application/json" });
        response.end(JSON.stringify({ id: 7 }));
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const octokit = createDeploymentsOctokit("t0ken", {
      GITHUB_API_URL: `http://127.0.0.1:${port}/api/v3`,
    });
    const log = recordingLog();
    const listener = gitHubDeploymentsForRun(octokit, ctx, {
      environmentPrefix: "production-",
      build: "1.4.2",
      log,
    });
    await listener?.regionStarted("uk-south");
    expect(log.warnings).toEqual([]);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /api/v3/repos/contoso/shop/deployments",
      "POST /api/v3/repos/contoso/shop/deployments/7/statuses",
    ]);
    expect(requests[0]?.auth).toBe("token t0ken");
    expect(JSON.parse(requests[0]?.body ?? "{}")).toMatchObject({
      environment: "production-uk-south",
      auto_merge: false,
    });
    expect(JSON.parse(requests[1]?.body ?? "{}")).toMatchObject({
      state: "in_progress",
      log_url: RUN_URL,
    });
  });

  it("warns when GitHub does not answer in time or cannot be reached", async () => {
    server = createServer(() => undefined);
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const log = recordingLog();
    const options = {
      owner: "contoso",
      repo: "shop",
      ref: "abc",
      environmentPrefix: "production-",
      build: "1.4.2",
      runUrl: RUN_URL,
      log,
      requestTimeoutMs: 50,
    };
    const silent = createDeploymentsOctokit("t", { GITHUB_API_URL: `http://127.0.0.1:${port}` });
    await new GitHubDeployments(silent, options).regionStarted("uk-south");
    // A port that was just freed: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nowhere = createDeploymentsOctokit("t", {
      GITHUB_API_URL: `http://127.0.0.1:${freePort}`,
    });
    await new GitHubDeployments(nowhere, options).regionStarted("west-europe");
    expect(log.warnings).toHaveLength(2);
    expect(log.warnings[0]).toBe(
      "GitHub deployment of region uk-south not recorded: could not create the deployment: GitHub did not answer in time",
    );
    expect(log.warnings[1]).toMatch(
      /^GitHub deployment of region west-europe not recorded: could not create the deployment: GitHub could not be reached: .*ECONNREFUSED/,
    );
  });
});

describe("GitHub API calls that hang", () => {
  const tlsIdentity = createSelfSignedCertificate("hung GitHub API");
  const seen: string[] = [];
  // Under /hung nothing is ever answered; under /endless-body every answer has its headers and
  // then a body that never ends.
  const server = createHttpsServer(
    { key: tlsIdentity.keyPem, cert: tlsIdentity.certPem },
    (request, response) => {
      seen.push(`${request.method} ${request.url}`);
      if (request.url?.startsWith("/hung/")) return;
      response.writeHead(201, { "content-type": "application/json" }).write('{"id":');
    },
  );
  let origin = "";
  beforeAll(async () => {
    tls.setDefaultCACertificates([...tls.getCACertificates("default"), tlsIdentity.certPem]);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => void (seen.length = 0));
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  function forRun(
    base: string,
    log: ReleaseLog,
    options: { requestTimeoutMs?: number; signal?: AbortSignal },
  ): GitHubDeployments | undefined {
    const octokit = createDeploymentsOctokit("t", { GITHUB_API_URL: `${origin}${base}` });
    return gitHubDeploymentsForRun(octokit, ctx, {
      environmentPrefix: "production-",
      build: "1.4.2",
      log,
      ...options,
    });
  }

  it.each([
    ["a connection that never answers", "/hung", "GitHub did not answer in time"],
    // Octokit keeps the headers and drops the cut-off body: a 201 without a deployment.
    ["a body that never ends", "/endless-body", "GitHub answered 201 without a deployment"],
  ])(
    "gives up on %s within the limit gitHubDeploymentsForRun was given",
    async (_what, base, reason) => {
      const log = recordingLog();
      const started = Date.now();
      await forRun(base, log, { requestTimeoutMs: 100 })?.regionStarted("uk-south");
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(log.warnings).toEqual([
        `GitHub deployment of region uk-south not recorded: could not create the deployment: ${reason}`,
      ]);
    },
  );

  it(
    "ends a hung call at once when the run's signal aborts, and makes no call after it",
    { timeout: 5_000 },
    async () => {
      const log = recordingLog();
      const controller = new AbortController();
      const listener = forRun("/hung", log, {
        requestTimeoutMs: 60_000,
        signal: controller.signal,
      });
      const starting = listener?.regionStarted("uk-south");
      while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const aborted = Date.now();
      controller.abort(new Error("cancelled by SIGTERM"));
      await starting;
      expect(Date.now() - aborted).toBeLessThan(500);
      await listener?.regionStarted("west-europe");
      expect(seen).toEqual(["POST /hung/repos/contoso/shop/deployments"]);
      expect(log.warnings).toEqual([
        "GitHub deployment of region uk-south not recorded: could not create the deployment: the run was cancelled and stopped waiting for GitHub",
        "GitHub deployment of region west-europe not recorded: could not create the deployment: the run was cancelled and stopped waiting for GitHub",
      ]);
    },
  );
});
