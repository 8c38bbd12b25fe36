import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimulatorContext } from "./context.js";
import { isObject, parseJson, readBody, sendJson, sendText } from "./http-util.js";

/** The GitHub REST deployments API (under `/github`) and Slack incoming webhooks (under `/slack`). */

/** A deployment created through the simulated GitHub API. */
export interface GithubDeployment {
  id: number;
  repository: string;
  ref: string;
  environment: string;
  description: string | null;
  payload: unknown;
  productionEnvironment: boolean;
  transientEnvironment: boolean;
  createdAt: string;
  /** The request body as sent. */
  request: Record<string, unknown>;
  statuses: GithubDeploymentStatus[];
}

/** A deployment status created through the simulated GitHub API. */
export interface GithubDeploymentStatus {
  id: number;
  deploymentId: number;
  state: string;
  description: string | null;
  environment: string;
  environmentUrl: string | null;
  logUrl: string | null;
  createdAt: string;
  request: Record<string, unknown>;
}

/** A message posted to a Slack webhook. */
export interface SlackMessage {
  at: number;
  body: Record<string, unknown>;
}

const STATES = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];

/** GitHub's deployments endpoints, keeping what was created for assertions. */
export class GithubService {
  readonly #context: SimulatorContext;
  readonly deployments: GithubDeployment[] = [];
  #nextId = 1000;

  constructor(context: SimulatorContext) {
    this.#context = context;
  }

  #apiUrl(path: string): string {
    return `${this.#context.origin}/github${path}`;
  }

  #deploymentBody(deployment: GithubDeployment): Record<string, unknown> {
    const base = `/repos/${deployment.repository}/deployments/${deployment.id}`;
    return {
      url: this.#apiUrl(base),
      id: deployment.id,
      node_id: `DE_${deployment.id}`,
      sha: "0000000000000000000000000000000000000000",
      ref: deployment.ref,
      task: "deploy",
      payload: deployment.payload,
      original_environment: deployment.environment,
      environment: deployment.environment,
      description: deployment.description,
      creator: { login: "github-actions[bot]", id: 41898282, type: "Bot" },
      created_at: deployment.createdAt,
      updated_at: deployment.createdAt,
      statuses_url: this.#apiUrl(`${base}/statuses`),
      repository_url: this.#apiUrl(`/repos/${deployment.repository}`),
      transient_environment: deployment.transientEnvironment,
      production_environment: deployment.productionEnvironment,
    };
  }

  #statusBody(repository: string, status: GithubDeploymentStatus): Record<string, unknown> {
    return {
      url: this.#apiUrl(
        `/repos/${repository}/deployments/${status.deploymentId}/statuses/${status.id}`,
      ),
      id: status.id,
      node_id: `DES_${status.id}`,
      state: status.state,
      creator: { login: "github-actions[bot]", id: 41898282, type: "Bot" },
      description: status.description ?? "",
      environment: status.environment,
      target_url: status.logUrl ?? "",
      log_url: status.logUrl ?? "",
      environment_url: status.environmentUrl ?? "",
      created_at: status.createdAt,
      updated_at: status.createdAt,
      deployment_url: this.#apiUrl(`/repos/${repository}/deployments/${status.deploymentId}`),
      repository_url: this.#apiUrl(`/repos/${repository}`),
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    if (!req.headers.authorization) {
      sendJson(res, 401, {
        message: "Requires authentication",
        documentation_url: "https://docs.github.com/rest",
        status: "401",
      });
      return;
    }
    const match =
      /^\/github\/repos\/([^/]+)\/([^/]+)\/deployments(?:\/(\d+)(\/statuses)?)?\/?$/i.exec(
        url.pathname,
      );
    if (!match) {
      sendJson(res, 404, {
        message: "Not Found",
        documentation_url: "https://docs.github.com/rest",
        status: "404",
      });
      return;
    }
    const repository = `${match[1]}/${match[2]}`;
    const id = match[3] === undefined ? undefined : Number(match[3]);
    const now = new Date(this.#context.now()).toISOString();
    const body = method === "POST" ? parseJson(await readBody(req)) : undefined;
    if (body instanceof Error || (method === "POST" && !isObject(body))) {
      sendJson(res, 400, { message: "Problems parsing JSON", status: "400" });
      return;
    }
    const request = (body ?? {}) as Record<string, unknown>;
    const deployment =
      id === undefined
        ? undefined
        : this.deployments.find(
            (candidate) => candidate.id === id && candidate.repository === repository,
          );
    if (id !== undefined && !deployment) {
      sendJson(res, 404, { message: "Not Found", status: "404" });
      return;
    }

    if (id === undefined && method === "POST") {
      if (typeof request.ref !== "string" || request.ref === "") {
        sendJson(res, 422, {
          message: 'Invalid request.\n\n"ref" wasn\'t supplied.',
          status: "422",
        });
        return;
      }
      const environment =
        typeof request.environment === "string" ? request.environment : "production";
      const created: GithubDeployment = {
        id: this.#nextId++,
        repository,
        ref: request.ref,
        environment,
        description: typeof request.description === "string" ? request.description : null,
        payload: request.payload ?? {},
        productionEnvironment:
          typeof request.production_environment === "boolean"
            ? request.production_environment
            : environment === "production",
        transientEnvironment: request.transient_environment === true,
        createdAt: now,
        request,
        statuses: [],
      };
      this.deployments.push(created);
      sendJson(res, 201, this.#deploymentBody(created));
      return;
    }
    if (id === undefined && method === "GET") {
      const environment = url.searchParams.get("environment");
      const list = this.deployments.filter(
        (candidate) =>
          candidate.repository === repository &&
          (environment === null || candidate.environment === environment),
      );
      sendJson(
        res,
        200,
        list.reverse().map((candidate) => this.#deploymentBody(candidate)),
      );
      return;
    }
    if (deployment && !match[4] && method === "GET") {
      sendJson(res, 200, this.#deploymentBody(deployment));
      return;
    }
    if (deployment && match[4] && method === "POST") {
      if (typeof request.state !== "string" || !STATES.includes(request.state)) {
        sendJson(res, 422, {
          message: `Validation Failed: state must be one of ${STATES.join(", ")}.`,
          status: "422",
        });
        return;
      }
      const status: GithubDeploymentStatus = {
        id: this.#nextId++,
        deploymentId: deployment.id,
        state: request.state,
        description: typeof request.description === "string" ? request.description : null,
        environment:
          typeof request.environment === "string" ? request.environment : deployment.environment,
        environmentUrl:
          typeof request.environment_url === "string" ? request.environment_url : null,
        logUrl:
          typeof request.log_url === "string"
            ? request.log_url
            : typeof request.target_url === "string"
              ? request.target_url
              : null,
        createdAt: now,
        request,
      };
      deployment.statuses.push(status);
      sendJson(res, 201, this.#statusBody(repository, status));
      return;
    }
    if (deployment && match[4] && method === "GET") {
      sendJson(
        res,
        200,
        [...deployment.statuses].reverse().map((status) => this.#statusBody(repository, status)),
      );
      return;
    }
    sendJson(res, 404, { message: "Not Found", status: "404" });
  }
}

/** Slack incoming webhooks: `200 ok` and the parsed message kept, or an injected failure. */
export class SlackService {
  readonly #context: SimulatorContext;
  readonly messages: SlackMessage[] = [];

  constructor(context: SimulatorContext) {
    this.#context = context;
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (
      (req.method ?? "GET").toUpperCase() !== "POST" ||
      !/^\/slack\/services\/[^/]+\/[^/]+\/[^/]+\/?$/.test(url.pathname)
    ) {
      sendText(res, 404, "no_service");
      return;
    }
    const text = await readBody(req);
    const fault = this.#context.faults.takeSlackFault();
    if (fault) {
      sendText(res, fault.status, fault.body);
      return;
    }
    // Slack takes a JSON body, or a form with a `payload` field holding the JSON.
    const contentType = String(req.headers["content-type"] ?? "");
    const raw = contentType.includes("application/x-www-form-urlencoded")
      ? (new URLSearchParams(text).get("payload") ?? "")
      : text;
    const body = parseJson(raw);
    if (!isObject(body)) {
      sendText(res, 400, "invalid_payload");
      return;
    }
    if (
      typeof body.text !== "string" &&
      !Array.isArray(body.blocks) &&
      !Array.isArray(body.attachments)
    ) {
      sendText(res, 400, "no_text");
      return;
    }
    this.messages.push({ at: this.#context.now(), body });
    sendText(res, 200, "ok");
  }
}
