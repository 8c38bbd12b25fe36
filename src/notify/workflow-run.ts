/**
 * Where this run lives on GitHub, so that every message can link back to it.
 * Read once from the runner's environment and passed in; nothing here reads `process.env` itself.
 */

/** The GitHub run a report belongs to. */
export interface WorkflowRun {
  /** `owner/name`. */
  repository: string;
  runId: string;
  /** `https://github.com`, or the GitHub Enterprise Server URL. */
  serverUrl: string;
  sha?: string;
  ref?: string;
  actor?: string;
}

/** The run's page on GitHub: what every message links to. */
export function runUrl(ctx: WorkflowRun): string {
  return `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}`;
}

/**
 * The run's page, or `undefined` when the context does not name a repository and a run
 * (a local demo, or a test driving the action without the runner's variables): renderers
 * then leave the link out instead of printing a link that leads nowhere.
 */
export function linkableRunUrl(ctx: WorkflowRun): string | undefined {
  return ctx.repository !== "" && ctx.runId !== "" ? runUrl(ctx) : undefined;
}

/**
 * Reads the run context from the variables every GitHub runner sets. Never throws: a missing
 * repository or run id becomes `""` (see {@link linkableRunUrl}) because a report must still be
 * written when the action runs outside a runner.
 */
export function readWorkflowRun(env: Record<string, string | undefined>): WorkflowRun {
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === "" ? undefined : raw;
  };
  const ctx: WorkflowRun = {
    repository: value("GITHUB_REPOSITORY") ?? "",
    runId: value("GITHUB_RUN_ID") ?? "",
    serverUrl: (value("GITHUB_SERVER_URL") ?? "https://github.com").replace(/\/+$/, ""),
  };
  const sha = value("GITHUB_SHA");
  const ref = value("GITHUB_REF");
  const actor = value("GITHUB_ACTOR");
  if (sha !== undefined) ctx.sha = sha;
  if (ref !== undefined) ctx.ref = ref;
  if (actor !== undefined) ctx.actor = actor;
  return ctx;
}
