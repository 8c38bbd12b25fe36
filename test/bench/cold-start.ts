import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { inputVariableName, readActionInputs } from "../harness/run-action.js";

/**
 * Cold start of the bundled action: milliseconds from spawning `node dist/index.js` to the first
 * byte it writes to stdout (its first log line; the runner shows nothing earlier), over several
 * runs, in three cases:
 *
 * - **invalid settings** (the manifest does not exist): the first line is the settings error,
 *   printed before anything else is loaded;
 * - **valid settings**: a small manifest and a run against an ARM endpoint that refuses
 *   connections (127.0.0.1, port 9); the first line (`::group::Pre-flight`) comes once the
 *   release's modules (Azure SDK, Octokit, engine) are loaded, before any request (the run is
 *   ended there);
 * - each with Node's compile cache empty (a new machine: a GitHub-hosted runner's first run) and
 *   warm (a second run on the machine, or a self-hosted runner with its tool cache).
 *
 * Run: `npm run bench:cold-start -- [--runs N] [--entry path/to/index.js]`. Prints medians; the
 * machine's load changes the numbers, so compare runs made one after the other.
 */

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** One case's timings, ms. */
export interface ColdStartSample {
  firstLineMs: number[];
  /** CPU time (user + system) the process had used at its first line, ms (10 ms ticks). */
  firstLineCpuMs: number[];
  exitMs: number[];
  firstLine: string;
}

/** The median of some numbers (NaN for none). */
export function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** CPU time of a live process so far (utime + stime of /proc/<pid>/stat), ms; NaN when unreadable. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14 and 15 of stat(5), counted from the state (field 3) on.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * Spawns the entry once; resolves with the time to its first stdout byte and to its exit.
 * `stopAtFirstLine`: end it there (a valid run would go on to retry the refused connection):
 * SIGKILL, or SIGTERM, which the action takes as a cancellation and exits normally (so Node
 * writes its compile cache, as it does at every normal exit).
 */
function spawnOnce(
  entry: string,
  env: Record<string, string>,
  stopAtFirstLine?: "SIGKILL" | "SIGTERM",
): Promise<{ firstLineMs: number; firstLineCpuMs: number; exitMs: number; firstLine: string }> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [entry], { env, stdio: ["ignore", "pipe", "ignore"] });
    let firstAt: bigint | undefined;
    let firstLine = "";
    let firstLineCpuMs = Number.NaN;
    child.stdout.on("data", (chunk: Buffer) => {
      if (firstAt !== undefined) return;
      firstAt = process.hrtime.bigint();
      firstLineCpuMs = cpuMsOf(child.pid);
      firstLine = chunk.toString("utf8").split("\n")[0] ?? "";
      if (stopAtFirstLine) child.kill(stopAtFirstLine);
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.once("error", reject);
    child.once("close", () => {
      clearTimeout(killer);
      const ended = process.hrtime.bigint();
      const ms = (to: bigint | undefined) =>
        to === undefined ? Number.NaN : Number(to - started) / 1e6;
      resolvePromise({ firstLineMs: ms(firstAt), firstLineCpuMs, exitMs: ms(ended), firstLine });
    });
  });
}

/** The runner's environment for one case: every input (defaults from action.yml) and its files. */
function caseEnv(
  workDir: string,
  manifest: string,
  cache: "off" | "warm",
  cacheDir: string,
): Record<string, string> {
  const declared = readActionInputs();
  const inputs: Record<string, string> = {
    build: "2.1.0",
    manifest,
    "subscription-id": "00000000-0000-0000-0000-0000000000c5",
    "tenant-id": "00000000-0000-0000-0000-0000000000c6",
    "client-id": "00000000-0000-0000-0000-0000000000c7",
    "arm-endpoint": "https://127.0.0.1:9",
    "authority-host": "https://127.0.0.1:9",
    "github-deployments": "false",
  };
  const env: Record<string, string> = { PATH: process.env.PATH ?? "" };
  for (const [name, input] of Object.entries(declared)) {
    const value = inputs[name] ?? (typeof input.default === "string" ? input.default : "");
    env[inputVariableName(name)] = value.replace(/\$\{\{[^}]*\}\}/g, "");
  }
  for (const file of ["output", "summary"]) writeFileSync(join(workDir, file), "");
  const runnerTemp = join(workDir, "runner-temp");
  mkdirSync(runnerTemp, { recursive: true });
  return {
    ...env,
    GITHUB_ACTIONS: "true",
    GITHUB_OUTPUT: join(workDir, "output"),
    GITHUB_STEP_SUMMARY: join(workDir, "summary"),
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: cacheDir,
    ...(cache === "off" ? { NODE_DISABLE_COMPILE_CACHE: "1" } : {}),
  };
}

/** Runs one case `runs` times (after one run that fills the cache, when it is warm). */
export async function measureColdStart(
  entry: string,
  valid: boolean,
  cache: "off" | "warm",
  runs: number,
): Promise<ColdStartSample> {
  const workDir = mkdtempSync(join(tmpdir(), "regional-slot-swap-cold-start-"));
  try {
    const manifest = join(workDir, valid ? "release-manifest.yml" : "missing.yml");
    if (valid)
      writeFileSync(
        manifest,
        [
          "slot: staging",
          "status: { url: 'https://{host}/status', build-field: build }",
          "regions:",
          "  - name: region-01",
          "    resource-group: rg-cold-start",
          "    services:",
          "      - { name: api, app: cold-start-api }",
          "",
        ].join("\n"),
      );
    const cacheDir = join(workDir, "tool-cache");
    const env = caseEnv(workDir, manifest, cache, cacheDir);
    if (cache === "warm") await spawnOnce(entry, env, valid ? "SIGTERM" : undefined);
    const sample: ColdStartSample = {
      firstLineMs: [],
      firstLineCpuMs: [],
      exitMs: [],
      firstLine: "",
    };
    for (let i = 0; i < runs; i++) {
      const one = await spawnOnce(entry, env, valid ? "SIGKILL" : undefined);
      sample.firstLineMs.push(one.firstLineMs);
      sample.firstLineCpuMs.push(one.firstLineCpuMs);
      sample.exitMs.push(one.exitMs);
      sample.firstLine ||= one.firstLine;
    }
    return sample;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Milliseconds of a bare `node -e 0`: the floor no bundle can go below. */
export async function bareNodeMs(runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await new Promise<void>((resolvePromise, reject) => {
      const child = spawn(process.execPath, ["-e", "process.stdout.write('x')"], {
        stdio: "ignore",
      });
      child.once("error", reject);
      child.once("close", () => resolvePromise());
    });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return medianOf(times);
}

async function main(argv: string[]): Promise<number> {
  const at = argv.indexOf("--runs");
  const runs = at >= 0 ? Number(argv[at + 1]) : 15;
  const entryAt = argv.indexOf("--entry");
  const entry = resolve(entryAt >= 0 ? argv[entryAt + 1]! : join(REPO_ROOT, "dist", "index.js"));
  if (!existsSync(entry)) {
    process.stdout.write(`${entry} is missing: build the action first with \`npm run build\`.\n`);
    return 1;
  }
  process.stdout.write(`cold start of ${entry}, ${runs} runs per case (median, min–max, ms)\n`);
  process.stdout.write(`bare node: ${(await bareNodeMs(runs)).toFixed(0)} ms\n`);
  for (const valid of [false, true])
    for (const cache of ["off", "warm"] as const) {
      const sample = await measureColdStart(entry, valid, cache, runs);
      const first = sample.firstLineMs;
      process.stdout.write(
        `${valid ? "valid settings  " : "invalid settings"}, compile cache ${cache.padEnd(4)}: first line ${medianOf(first).toFixed(0)} (${Math.min(...first).toFixed(0)}–${Math.max(...first).toFixed(0)}), CPU ${medianOf(sample.firstLineCpuMs).toFixed(0)}; line: ${sample.firstLine.slice(0, 70)}\n`,
      );
    }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exitCode = await main(process.argv.slice(2));
