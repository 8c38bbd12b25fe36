import { spawn } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/**
 * Runs the bundled action (`dist/index.js`) exactly as a GitHub runner does: a Node 24 child
 * process with an `INPUT_*` variable for every input of action.yml, the runner's files
 * (`GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`, `RUNNER_TEMP`) and OIDC variables, pointed at the simulator.
 */

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The part of a simulator the runner environment needs. */
export interface RunnerSimulator {
  githubApiUrl: string;
  oidcRequestUrl: string;
  oidcRequestToken: string;
  caCertPath: string;
}

/**
 * The inputs that point the action at a simulator: its ARM endpoint and Entra authority, its
 * tenant and app (signed in through its GitHub OIDC), and the fleet's default subscription.
 */
export function simulatorInputs(
  sim: { tenantId: string; clientId: string; armEndpoint: string; authorityHost: string },
  subscriptionId: string,
): Record<string, string> {
  return {
    "subscription-id": subscriptionId,
    "tenant-id": sim.tenantId,
    "client-id": sim.clientId,
    "arm-endpoint": sim.armEndpoint,
    "authority-host": sim.authorityHost,
  };
}

/** How to run the action. */
export interface RunActionOptions {
  /** Inputs by their action.yml names (`max-parallel`); unknown names are an error. */
  inputs: Record<string, string>;
  sim: RunnerSimulator;
  /** Extra environment variables (they win over the runner's). */
  env?: Record<string, string>;
  /** Sends `cancelSignal` (default SIGTERM) after this many milliseconds, as a cancelled run does. */
  cancelAfterMs?: number;
  /** Sends `cancelSignal` as soon as this returns true (checked every 20 ms), e.g. once swaps are under way. */
  cancelWhen?: () => boolean;
  cancelSignal?: NodeJS.Signals;
  /** Kills the process (SIGKILL) after this long; default 5 minutes. */
  timeoutMs?: number;
  /** Script to run instead of `dist/index.js` (to test the harness itself). */
  entry?: string;
  /** Path of action.yml (default: the repository's). */
  actionYml?: string;
  /** Keep the run's temporary directory instead of deleting it. */
  keepFiles?: boolean;
}

/** What a run produced. */
export interface ActionRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** Step outputs parsed from the `GITHUB_OUTPUT` file. */
  outputs: Record<string, string>;
  /** The job summary (`GITHUB_STEP_SUMMARY`) as written. */
  summary: string;
  /** The JSON at `outputs['report-path']`, if any. */
  report: unknown;
  /** Every file the run wrote or changed under its directories, by absolute path. */
  files: Record<string, string>;
  /** The run's temporary directory (deleted unless `keepFiles`). */
  workDir: string;
  /** The environment the action ran with (secrets included: do not print it). */
  env: Record<string, string>;
  durationMs: number;
  /** When the cancel signal was sent (`Date.now()`); `null` when none was. */
  signalledAt: number | null;
  /** Milliseconds from the cancel signal to the process's exit; `null` when none was sent. */
  exitAfterSignalMs: number | null;
  /** The action process's peak resident memory (VmHWM), KiB; `null` where /proc cannot tell. */
  peakRssKiB: number | null;
}

/**
 * Watches a live process's peak resident set size (VmHWM of /proc/<pid>/status, a high-water
 * mark kept by the kernel) every 100 ms; `stop()` reads it once more and returns the highest
 * seen, KiB, or `null` where /proc is missing. Call `stop()` on the child's `exit` event, before
 * it is reaped, for the last reading.
 */
export function watchPeakRss(pid: number | undefined): { stop(): number | null } {
  let peak: number | null = null;
  const read = () => {
    try {
      const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (match) peak = Math.max(peak ?? 0, Number(match[1]));
    } catch {
      // gone, or no /proc
    }
  };
  read();
  const timer = setInterval(read, 100);
  return {
    stop() {
      read();
      clearInterval(timer);
      return peak;
    },
  };
}

/** A fake `github.token` value, as the runner substitutes for `${{ github.token }}`. */
export const FAKE_GITHUB_TOKEN = "ghs_simulatedGithubToken000000000000000";

interface ActionInput {
  default?: unknown;
  required?: boolean;
}

/** The runner's name for an input's variable: upper case, spaces to `_`, hyphens kept. */
export function inputVariableName(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/** Reads action.yml's inputs. */
export function readActionInputs(
  actionYml = join(REPO_ROOT, "action.yml"),
): Record<string, ActionInput> {
  const document = parse(readFileSync(actionYml, "utf8")) as {
    inputs?: Record<string, ActionInput>;
  };
  return document.inputs ?? {};
}

/** Resolves an input default the way the runner evaluates the few expressions action.yml uses. */
function evaluateDefault(value: unknown): string {
  if (value === undefined || value === null) return "";
  const text = String(value);
  return text.replace(/\$\{\{\s*github\.token\s*\}\}/g, FAKE_GITHUB_TOKEN);
}

/**
 * Parses a `GITHUB_OUTPUT` file: `name<<DELIMITER` … `DELIMITER` blocks (what `core.setOutput`
 * writes) and plain `name=value` lines.
 */
export function parseGithubOutput(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (index++; index < lines.length && lines[index] !== delimiter; index++)
        value.push(lines[index]!);
      outputs[name!] = value.join("\n");
    } else if (line.includes("=")) {
      const at = line.indexOf("=");
      outputs[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return outputs;
}

function listFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? listFiles(path) : entry.isFile() ? [path] : [];
  });
}

function snapshot(directory: string): Map<string, string> {
  return new Map(listFiles(directory).map((path) => [path, readFileSync(path, "utf8")]));
}

/** Environment variables of the parent that must not leak into the runner's (a run inside GitHub Actions, Azure sign-in). */
const LEAKY =
  /^(INPUT_|GITHUB_|ACTIONS_|RUNNER_|AZURE_|ARM_|NODE_OPTIONS$|NODE_EXTRA_CA_CERTS$|VITEST)/;

/** Runs the action once and collects everything it produced. */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const declared = readActionInputs(options.actionYml);
  const unknown = Object.keys(options.inputs).filter((name) => !(name in declared));
  if (unknown.length > 0) {
    throw new Error(
      `runAction: unknown input(s) ${unknown.join(", ")}; action.yml declares ${Object.keys(declared).join(", ")}.`,
    );
  }

  const workDir = mkdtempSync(join(tmpdir(), "regional-slot-swap-run-"));
  const runnerTemp = join(workDir, "runner-temp");
  const workspace = join(workDir, "workspace");
  const files = join(workDir, "runner-files");
  for (const directory of [runnerTemp, workspace, files]) mkdirSync(directory, { recursive: true });
  const outputFile = join(files, "output.txt");
  const summaryFile = join(files, "step-summary.md");
  const eventFile = join(files, "event.json");
  for (const file of [
    outputFile,
    summaryFile,
    join(files, "env.txt"),
    join(files, "path.txt"),
    join(files, "state.txt"),
  ])
    writeFileSync(file, "");
  writeFileSync(
    eventFile,
    JSON.stringify({
      repository: { full_name: "octo-org/shop", name: "shop", owner: { login: "octo-org" } },
    }),
  );

  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !LEAKY.test(entry[0]),
    ),
  );
  const inputs = Object.fromEntries(
    Object.entries(declared).map(([name, input]) => [
      inputVariableName(name),
      options.inputs[name] ?? evaluateDefault(input.default),
    ]),
  );
  const env: Record<string, string> = {
    ...inherited,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_ACTION: "__run",
    GITHUB_ACTOR: "octocat",
    GITHUB_ACTION_PATH: REPO_ROOT,
    GITHUB_API_URL: options.sim.githubApiUrl,
    GITHUB_ENV: join(files, "env.txt"),
    GITHUB_EVENT_NAME: "workflow_dispatch",
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_GRAPHQL_URL: `${options.sim.githubApiUrl}/graphql`,
    GITHUB_JOB: "release",
    GITHUB_OUTPUT: outputFile,
    GITHUB_PATH: join(files, "path.txt"),
    GITHUB_REF: "refs/heads/main",
    GITHUB_REF_NAME: "main",
    GITHUB_REPOSITORY: "octo-org/shop",
    GITHUB_REPOSITORY_OWNER: "octo-org",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_NUMBER: "17",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    GITHUB_STATE: join(files, "state.txt"),
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKFLOW: "release",
    GITHUB_WORKSPACE: workspace,
    RUNNER_ARCH: "X64",
    RUNNER_NAME: "simulated-runner",
    RUNNER_OS: "Linux",
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: join(workDir, "tool-cache"),
    ACTIONS_ID_TOKEN_REQUEST_URL: options.sim.oidcRequestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: options.sim.oidcRequestToken,
    NODE_EXTRA_CA_CERTS: options.sim.caCertPath,
    ...inputs,
    ...options.env,
  };

  const before = snapshot(workDir);
  const entry = options.entry ?? join(REPO_ROOT, "dist", "index.js");
  const started = Date.now();
  const child = spawn(process.execPath, [entry], {
    cwd: workspace,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const rss = watchPeakRss(child.pid);
  let peakRssKiB: number | null = null;
  child.once("exit", () => (peakRssKiB = rss.stop()));
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let timedOut = false;
  let signalledAt: number | null = null;
  const cancel = () => {
    signalledAt = Date.now();
    child.kill(options.cancelSignal ?? "SIGTERM");
  };
  const cancelTimer =
    options.cancelAfterMs === undefined ? undefined : setTimeout(cancel, options.cancelAfterMs);
  const cancelWatch =
    options.cancelWhen === undefined
      ? undefined
      : setInterval(() => {
          if (options.cancelWhen?.()) {
            clearInterval(cancelWatch);
            cancel();
          }
        }, 20);
  const killTimer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? 300_000);
  const { exitCode, signal } = await new Promise<{
    exitCode: number | null;
    signal: NodeJS.Signals | null;
  }>((resolvePromise, reject) => {
    child.once("error", reject);
    child.once("close", (code, closeSignal) =>
      resolvePromise({ exitCode: code, signal: closeSignal }),
    );
  });
  clearTimeout(cancelTimer);
  clearInterval(cancelWatch);
  clearTimeout(killTimer);
  peakRssKiB ??= rss.stop();
  const exitedAt = Date.now();
  const durationMs = exitedAt - started;
  const exitAfterSignalMs = signalledAt === null ? null : exitedAt - signalledAt;

  const after = snapshot(workDir);
  const written: Record<string, string> = {};
  for (const [path, content] of after) if (before.get(path) !== content) written[path] = content;
  const outputs = parseGithubOutput(after.get(outputFile) ?? "");
  let report: unknown = undefined;
  const reportPath = outputs["report-path"];
  if (reportPath) {
    try {
      report = JSON.parse(readFileSync(reportPath, "utf8")) as unknown;
    } catch (error) {
      report = {
        harnessError: `report-path '${reportPath}' is not readable JSON: ${String(error)}`,
      };
    }
    if (!(reportPath in written)) {
      try {
        if (statSync(reportPath).isFile()) written[reportPath] = readFileSync(reportPath, "utf8");
      } catch {
        // reported above
      }
    }
  }
  if (!options.keepFiles) rmSync(workDir, { recursive: true, force: true });
  return {
    exitCode,
    signal,
    timedOut,
    stdout,
    stderr,
    outputs,
    summary: after.get(summaryFile) ?? "",
    report,
    files: written,
    workDir,
    env,
    durationMs,
    signalledAt,
    exitAfterSignalMs,
    peakRssKiB,
  };
}

/** A path relative to the run's directory, for readable assertions and printing. */
export function relativeToRun(run: ActionRun, path: string): string {
  return relative(run.workDir, path);
}
