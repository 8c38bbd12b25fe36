/**
 * The action's entry point: turns on Node's compile cache, then runs main, nothing else. main is
 * imported only after the cache is on, so the bundle's chunks (dist/*.index.js) are compiled
 * from the cache when a previous run on this machine left one.
 */
import { mkdirSync, mkdtempSync, rmdirSync } from "node:fs";
import { enableCompileCache } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

/**
 * Where the compile cache lives: the runner's tool cache, which survives jobs on a self-hosted
 * runner (a hosted runner is a new machine per job, so there it helps only a second run in the
 * same job), else the job's temporary directory, else Node's default (the OS temporary
 * directory). `NODE_COMPILE_CACHE` set by the workflow wins, as Node documents.
 */
function compileCacheDirectory(env: NodeJS.ProcessEnv): string {
  if (env.NODE_COMPILE_CACHE) return env.NODE_COMPILE_CACHE;
  const base = env.RUNNER_TOOL_CACHE || env.RUNNER_TEMP;
  return base
    ? join(base, "regional-slot-swap", "node-compile-cache")
    : join(tmpdir(), "node-compile-cache");
}

/**
 * Makes `directory` (and its missing parents) one level at a time and proves it writable by
 * making and removing a directory in it. Never recursive: Node's recursive mkdir, which
 * `enableCompileCache` uses too, loops forever under /proc (Node 24.21), and the cache must
 * never stop a run. Throws when the directory cannot be used.
 */
function makeWritableDirectory(directory: string): void {
  const missing: string[] = [];
  for (let at = resolve(directory); ; at = dirname(at)) {
    try {
      mkdirSync(at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") break;
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || dirname(at) === at) throw error;
      missing.push(at);
      continue;
    }
    break;
  }
  for (const at of missing.reverse()) mkdirSync(at);
  rmdirSync(mkdtempSync(join(directory, "probe-")));
}

try {
  const directory = compileCacheDirectory(process.env);
  makeWritableDirectory(directory);
  // Node ≥ 22.1. A directory Node cannot use is reported in the returned status, not thrown;
  // the try is for anything else: the cache only speeds a run up and must never stop one.
  enableCompileCache(directory);
} catch {
  // Run without the cache.
}

const { run } = await import("./main.js");
const { cancelled } = await run();
// Azure may still be finishing a swap, and a request given up on (an OIDC token, a status page)
// may keep its socket open: once the report is out, nothing is left to wait for.
process.exit(cancelled ? 1 : (process.exitCode ?? 0));
