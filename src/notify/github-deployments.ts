import { messageOf } from "../error-message.js";
import { getOctokit } from "@actions/github";
import type { RegionOutcome } from "../release/model.js";
import type { RunEvent, RunEventListener } from "../release/events.js";
import type { ReleaseLog } from "../release/ports.js";
import { truncate } from "./format.js";
import { linkableRunUrl, type WorkflowRun } from "./workflow-run.js";

/** The states GitHub accepts for a deployment status. */
export type DeploymentState =
  "error" | "failure" | "inactive" | "in_progress" | "queued" | "pending" | "success";

/**
 * Per-request options Octokit understands; used here to bound each call in time. A type
 * alias, not an interface, so it stays assignable to Octokit's index-signature parameters.
 */
type RequestOptions = {
  request?: { signal?: AbortSignal };
};

/**
 * The two REST calls this module makes, as the Octokit of `@actions/github` offers them.
 * Declared structurally so tests can pass a small fake instead of a real client.
 */
export interface DeploymentsOctokit {
  rest: {
    repos: {
      createDeployment(
        params: RequestOptions & {
          owner: string;
          repo: string;
          ref: string;
          environment: string;
          description: string;
          payload: Record<string, unknown>;
          auto_merge: boolean;
          required_contexts: string[];
          transient_environment: boolean;
          production_environment: boolean;
        },
      ): Promise<{ status: number; data: unknown }>;
      createDeploymentStatus(
        params: RequestOptions & {
          owner: string;
          repo: string;
          deployment_id: number;
          state: DeploymentState;
          description: string;
          log_url?: string;
        },
      ): Promise<unknown>;
    };
  };
}

/** Where and what the deployments record. */
export interface GitHubDeploymentsOptions {
  owner: string;
  repo: string;
  /** The commit (preferably the SHA) being released. */
  ref: string;
  /** Environments are named `environmentPrefix + region`. */
  environmentPrefix: string;
  build: string;
  /** Link from each status to the run; omitted when undefined. */
  runUrl: string | undefined;
  log: ReleaseLog;
  /** Time allowed for each API call; default 10 s, so a hung connection cannot hold up the release. */
  requestTimeoutMs?: number;
  /**
   * When it aborts, the call in flight ends at once and no other is made (each is a warning):
   * the moment the run may no longer wait for GitHub.
   */
  signal?: AbortSignal;
}

/** GitHub caps a status description at 140 characters. */
const DESCRIPTION_LIMIT = 140;
/** GitHub answers these calls in well under a second; ten is a connection that will not answer. */
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const CANCELLED = "the run was cancelled and stopped waiting for GitHub";

/**
 * The status a region's deployment ends with, and why:
 * - `released` / `already-released` → `success`: production runs the build.
 * - `rolled-back` / `failed` → `failure`: the build did not make it into production (or did and
 *   is unhealthy with `rollback: none`); the deployment must read as failed, not as withdrawn.
 * - `cancelled` → `error`: the run was interrupted mid-region, so production may run a mix of
 *   builds. `inactive` would file it away quietly as "no longer live"; `error` asks for a look.
 * - `not-started` / `planned` → `inactive`: nothing was swapped, so the record is withdrawn
 *   rather than shown as a failure of something that never happened.
 */
export function deploymentStateFor(outcome: RegionOutcome): DeploymentState {
  switch (outcome) {
    case "released":
    case "already-released":
      return "success";
    case "rolled-back":
    case "failed":
      return "failure";
    case "cancelled":
      return "error";
    case "not-started":
    case "planned":
      return "inactive";
  }
}

/**
 * Records one GitHub deployment per region in environment `<prefix><region>`, so the
 * repository's Environments page shows which build each region runs. A failed API call is a
 * warning and never a throw: a missing record must not change the release.
 */
export class GitHubDeployments implements RunEventListener {
  // A promise per region, so a finish that races its start still finds the deployment; kept
  // after the finish so a later rollback (`rollback: all`) updates the same record.
  private readonly deployments = new Map<string, Promise<number | undefined>>();

  constructor(
    private readonly octokit: DeploymentsOctokit,
    private readonly options: GitHubDeploymentsOptions,
  ) {}

  /** Hears the run: a region's start and end are recorded; other events are not GitHub's business. */
  async handle(event: RunEvent): Promise<void> {
    if (event.kind === "RegionStarted") await this.regionStarted(event.region);
    if (event.kind === "RegionFinished") await this.regionFinished(event.region, event.outcome);
  }

  /** Creates the region's deployment and marks it `in_progress`. */
  async regionStarted(region: string): Promise<void> {
    const created = this.createDeployment(region);
    this.deployments.set(region, created);
    const id = await created;
    if (id === undefined) return;
    await this.setStatus(region, id, "in_progress", `Releasing ${this.options.build} to ${region}`);
  }

  /** Gives the region's deployment its final status (see {@link deploymentStateFor}). */
  async regionFinished(region: string, outcome: RegionOutcome): Promise<void> {
    // A region that never started has no record to close; starting one now would claim a
    // deployment that did not happen.
    const id = await this.deployments.get(region);
    if (id === undefined) return;
    await this.setStatus(
      region,
      id,
      deploymentStateFor(outcome),
      this.finalDescription(region, outcome),
    );
  }

  private async createDeployment(region: string): Promise<number | undefined> {
    const { owner, repo, ref, environmentPrefix, build } = this.options;
    if (this.stopped(region, "create the deployment")) return undefined;
    try {
      const response = await this.octokit.rest.repos.createDeployment({
        owner,
        repo,
        ref,
        environment: `${environmentPrefix}${region}`,
        description: truncate(`Release ${build} to ${region}`, DESCRIPTION_LIMIT),
        payload: { build, region },
        // The release swaps slots that already run the build: merging or gating on commit
        // statuses here could only refuse to record what is happening anyway.
        auto_merge: false,
        required_contexts: [],
        transient_environment: false,
        production_environment: true,
        request: { signal: this.requestSignal() },
      });
      const id = deploymentId(response.data);
      if (id === undefined) {
        // 202 is GitHub's answer when it merged instead of deploying; it carries only a message.
        const message = apiMessageOf(response.data);
        this.warn(
          region,
          "create the deployment",
          `GitHub answered ${response.status}${message ? ` ${message}` : ""} without a deployment`,
        );
      }
      return id;
    } catch (error) {
      this.warn(region, "create the deployment", this.describeFailure(error));
      return undefined;
    }
  }

  private async setStatus(
    region: string,
    id: number,
    state: DeploymentState,
    description: string,
  ): Promise<void> {
    const { owner, repo, runUrl } = this.options;
    if (this.stopped(region, `set its status to ${state}`)) return;
    try {
      await this.octokit.rest.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: id,
        state,
        description: truncate(description, DESCRIPTION_LIMIT),
        ...(runUrl === undefined ? {} : { log_url: runUrl }),
        request: { signal: this.requestSignal() },
      });
    } catch (error) {
      this.warn(region, `set its status to ${state}`, this.describeFailure(error));
    }
  }

  private finalDescription(region: string, outcome: RegionOutcome): string {
    const { build } = this.options;
    switch (outcome) {
      case "released":
        return `${build} released in ${region}`;
      case "already-released":
        return `${build} was already released in ${region}`;
      case "rolled-back":
        return `${build} rolled back in ${region}: production is back on its previous build`;
      case "failed":
        return `${build} failed in ${region}; see the run`;
      case "cancelled":
        return `Release of ${build} cancelled in ${region}; production may run a mix of builds`;
      case "not-started":
      case "planned":
        return `${build} was not released in ${region}`;
    }
  }

  /** Ends one API call when its time is up or the run stops waiting for GitHub. */
  private requestSignal(): AbortSignal {
    const timeout = AbortSignal.timeout(
      this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    );
    const { signal } = this.options;
    return signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
  }

  /** True, after a warning, when the run no longer waits for GitHub: the call is not made. */
  private stopped(region: string, action: string): boolean {
    if (this.options.signal?.aborted !== true) return false;
    this.warn(region, action, CANCELLED);
    return true;
  }

  private describeFailure(error: unknown): string {
    return this.options.signal?.aborted === true ? CANCELLED : describeApiError(error);
  }

  private warn(region: string, action: string, reason: string): void {
    try {
      this.options.log.warning(
        `GitHub deployment of region ${region} not recorded: could not ${action}: ${reason}`,
      );
    } catch {
      // The listener must not throw, even if the log does.
    }
  }
}

/** Builds the Octokit the deployments use; `GITHUB_API_URL` points it at GitHub Enterprise Server. */
export function createDeploymentsOctokit(
  token: string,
  env: Record<string, string | undefined>,
): DeploymentsOctokit {
  const baseUrl = env.GITHUB_API_URL?.trim() || "https://api.github.com";
  return getOctokit(token, { baseUrl });
}

/**
 * Wires {@link GitHubDeployments} to this run: owner and repository from `GITHUB_REPOSITORY`,
 * the commit from `GITHUB_SHA` (else `GITHUB_REF`). Returns `undefined` after a warning when the
 * run context cannot say where to record, so the release goes on without records.
 */
export function gitHubDeploymentsForRun(
  octokit: DeploymentsOctokit,
  ctx: WorkflowRun,
  settings: Pick<
    GitHubDeploymentsOptions,
    "environmentPrefix" | "build" | "log" | "requestTimeoutMs" | "signal"
  >,
): GitHubDeployments | undefined {
  const [owner, repo, ...rest] = ctx.repository.split("/");
  const ref = ctx.sha ?? ctx.ref;
  if (
    owner === undefined ||
    owner === "" ||
    repo === undefined ||
    repo === "" ||
    rest.length > 0 ||
    ref === undefined
  ) {
    settings.log.warning(
      "github-deployments: GITHUB_REPOSITORY (owner/name) and GITHUB_SHA or GITHUB_REF must be set to record deployments; none will be recorded",
    );
    return undefined;
  }
  return new GitHubDeployments(octokit, {
    ...settings,
    owner,
    repo,
    ref,
    runUrl: linkableRunUrl(ctx),
  });
}

function deploymentId(data: unknown): number | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const id = (data as { id?: unknown }).id;
  return typeof id === "number" ? id : undefined;
}

function apiMessageOf(data: unknown): string {
  if (typeof data !== "object" || data === null) return "";
  const message = (data as { message?: unknown }).message;
  return typeof message === "string" ? message : "";
}

/**
 * An Octokit RequestError's status and message, with what to do about the usual ones.
 * Octokit reports network failures and timeouts as status 500 without a response; those get
 * no status, since GitHub never answered.
 */
function describeApiError(error: unknown): string {
  const details = (error ?? {}) as { status?: unknown; response?: unknown; cause?: unknown };
  const names = [error, details.cause].map((e) => (e instanceof Error ? e.name : ""));
  if (names.includes("TimeoutError") || names.includes("AbortError")) {
    return "GitHub did not answer in time";
  }
  const message = messageOf(error);
  const status =
    details.response !== undefined && typeof details.status === "number"
      ? details.status
      : undefined;
  if (status === 403 || status === 404) {
    return `${status} ${message}. Give the job \`permissions: deployments: write\` (and a \`github-token\` that may write deployments), or set \`github-deployments: false\``;
  }
  return status === undefined ? `GitHub could not be reached: ${message}` : `${status} ${message}`;
}
