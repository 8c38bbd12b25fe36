import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runAction, watchPeakRss } from "../harness/run-action.js";
import {
  REAL_ARM_LIMITS,
  startSimulator,
  type JournalEntry,
  type Simulator,
} from "../simulator/index.js";
import { SUBSCRIPTION_ID, TO_BUILD, generateFleet } from "./release-bench.js";
import type { BaselineJob, BaselineResult } from "./sequential-baseline.js";
import {
  renderBenchmarks,
  writeFormatted,
  type BenchRecord,
  type SizeResult,
} from "./scale-report.js";

/**
 * Issue 9's benchmark (`npm run bench`): the bundled action releases fleets of 10 × 3, 20 × 5 and
 * 100 × 10 apps (services × regions) against the simulator with ARM's real token buckets on, and
 * a sequential-SDK baseline (sequential-baseline.ts) releases the same fleet in the same run.
 * Per size: wall time, Azure's own time, the floor ARM's buckets set, ARM requests per app by
 * kind, 429s, polls per swap, peak RSS. Writes test/bench/results/<label>.json and, from every
 * results file there, docs/benchmarks.md and docs/benchmarks.svg.
 *
 * Options: `--quick` (10 × 3 and 20 × 5, the baseline on 5 apps), `--only <label>`, `--label
 * <name>` (default `latest`), `--entry <dist/index.js>` (another build, e.g. an older commit's),
 * `--render` (only docs/ again, from results/), `--build <text>` (what the entry was built from, for the report), `--no-baseline`, `--no-write`,
 * `--swap-ms` (6000), `--warm-up-ms` (500), `--retry-after` (1).
 */

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const RESULTS_DIR = join(REPO_ROOT, "test", "bench", "results");

interface Size {
  label: string;
  services: number;
  regions: number;
  /** Apps the sequential baseline releases (from the first region on); its time is scaled to the fleet. */
  baselineApps: number;
}

const SIZES: Size[] = [
  { label: "10 × 3", services: 10, regions: 3, baselineApps: 30 },
  { label: "20 × 5", services: 20, regions: 5, baselineApps: 10 },
  { label: "100 × 10", services: 100, regions: 10, baselineApps: 10 },
];

interface Options {
  quick: boolean;
  only: string | undefined;
  label: string;
  entry: string;
  baseline: boolean;
  write: boolean;
  swapMs: number;
  warmUpMs: number;
  retryAfterSeconds: number;
  build: string | undefined;
}

function parseOptions(argv: string[]): Options {
  const after = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const number = (flag: string, fallback: number) => {
    const text = after(flag);
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${flag} needs a number ≥ 0.`);
    return value;
  };
  return {
    quick: argv.includes("--quick"),
    only: after("--only"),
    label: after("--label") ?? "latest",
    entry: resolve(after("--entry") ?? join(REPO_ROOT, "dist", "index.js")),
    baseline: !argv.includes("--no-baseline"),
    write: !argv.includes("--no-write"),
    swapMs: number("--swap-ms", 6000),
    warmUpMs: number("--warm-up-ms", 500),
    retryAfterSeconds: number("--retry-after", 1),
    build: after("--build"),
  };
}

const isPoll = (entry: JournalEntry) => /\/operationresults\//i.test(entry.path);
const isSwapPost = (entry: JournalEntry) =>
  entry.method === "POST" && /\/slotsswap$/i.test(entry.path);
const bucketOf = (method: string) =>
  method === "GET" || method === "HEAD" ? "reads" : method === "DELETE" ? "deletes" : "writes";

/**
 * The least time ARM's buckets and Azure allow for a release of `regions` × `services` apps,
 * region after region, counting only what no client can avoid: one swap POST per app (a write
 * token each) and the swap's polls at its `Retry-After` pace (`pollsPerSwap` read tokens each,
 * sent while the region's swaps run). A region ends `regionSeconds` after its last POST, or when
 * the read bucket has let its polls through, whichever is later; both buckets refill meanwhile.
 * Without the buckets this is Azure's own time.
 */
export function releaseFloorSeconds(
  regions: number,
  services: number,
  regionSeconds: number,
  pollsPerSwap = 0,
): number {
  const writes = REAL_ARM_LIMITS.writes;
  const reads = REAL_ARM_LIMITS.reads;
  let writeTokens = writes.bucket;
  let readTokens = reads.bucket;
  let now = 0;
  for (let r = 0; r < regions; r++) {
    const writeWait = Math.max(0, (services - writeTokens) / writes.refillPerSecond);
    now += writeWait;
    writeTokens =
      Math.min(writes.bucket, writeTokens + writeWait * writes.refillPerSecond) - services;
    readTokens = Math.min(reads.bucket, readTokens + writeWait * reads.refillPerSecond);
    const polls = services * pollsPerSwap;
    const seconds = Math.max(regionSeconds, (polls - readTokens) / reads.refillPerSecond);
    // Polls are spent while the bucket refills: what is left at the end, at most a full bucket.
    readTokens = Math.min(reads.bucket, readTokens + seconds * reads.refillPerSecond - polls);
    now += seconds;
    writeTokens = Math.min(writes.bucket, writeTokens + seconds * writes.refillPerSecond);
  }
  return now;
}

/** The least time the buckets allow for the requests a run had answered: per bucket (n − burst) / refill. */
function bucketFloorSeconds(arm: JournalEntry[]): number {
  const counts = { reads: 0, writes: 0, deletes: 0 };
  for (const entry of arm) if (entry.status !== 429) counts[bucketOf(entry.method)]++;
  return Math.max(
    ...(["reads", "writes", "deletes"] as const).map(
      (type) =>
        Math.max(0, counts[type] - REAL_ARM_LIMITS[type].bucket) /
        REAL_ARM_LIMITS[type].refillPerSecond,
    ),
  );
}

/** The ARM requests of a run, per app, by kind (429 answers counted apart). */
function requestKinds(sim: Simulator, apps: number) {
  const arm = sim.journal.of("arm");
  const answered = arm.filter((entry) => entry.status !== 429);
  const firstSwapAt = Math.min(...answered.filter(isSwapPost).map((entry) => entry.at));
  const preflight = answered.filter((entry) => entry.at < firstSwapAt);
  const swaps = answered.filter(isSwapPost);
  const polls = answered.filter(isPoll);
  const other = answered.length - preflight.length - swaps.length - polls.length;
  return {
    armTotal: arm.length,
    throttled: arm.length - answered.length,
    perApp: {
      preflight: preflight.length / apps,
      swapPosts: swaps.length / apps,
      polls: polls.length / apps,
      other: other / apps,
      total: arm.length / apps,
    },
    pollsPerSwap: polls.length / Math.max(1, sim.journal.swaps().length),
    bucketFloorSeconds: bucketFloorSeconds(arm),
  };
}

async function withSimulator<T>(
  size: Size,
  options: Options,
  body: (sim: Simulator, fleet: ReturnType<typeof generateFleet>) => Promise<T>,
): Promise<T> {
  const fleet = generateFleet(size.regions, size.services);
  // armLimits left out: ARM's real token buckets.
  const sim = await startSimulator({
    apps: fleet.apps,
    swapDurationMs: options.swapMs,
    retryAfterSeconds: options.retryAfterSeconds,
  });
  try {
    if (options.warmUpMs > 0)
      for (const app of fleet.apps) sim.slowWarmUp(app.name, options.warmUpMs);
    return await body(sim, fleet);
  } finally {
    await sim.close();
  }
}

async function runActionSize(size: Size, options: Options): Promise<SizeResult["action"]> {
  return withSimulator(size, options, async (sim, fleet) => {
    const workDir = mkdtempSync(join(tmpdir(), "regional-slot-swap-scale-"));
    try {
      const manifest = join(workDir, "release-manifest.yml");
      writeFileSync(manifest, fleet.manifestYaml);
      const run = await runAction({
        sim,
        entry: options.entry,
        timeoutMs: 30 * 60_000,
        inputs: {
          build: TO_BUILD,
          manifest,
          "subscription-id": SUBSCRIPTION_ID,
          "tenant-id": sim.tenantId,
          "client-id": sim.clientId,
          "arm-endpoint": sim.armEndpoint,
          "authority-host": sim.authorityHost,
          "status-interval": "1s",
          "status-timeout": "60s",
        },
      });
      const truth = sim.groundTruth();
      const released =
        run.exitCode === 0 &&
        run.outputs.outcome === "released" &&
        truth.every((app) => app.production.build === TO_BUILD);
      const problems = released
        ? []
        : `${run.stdout}\n${run.stderr}`
            .split("\n")
            .filter((line) => /::error/.test(line))
            .slice(0, 3);
      return {
        released,
        problems,
        wallSeconds: run.durationMs / 1000,
        peakRssMiB: run.peakRssKiB === null ? null : run.peakRssKiB / 1024,
        ...requestKinds(sim, fleet.apps.length),
      };
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
}

async function runBaselineSize(size: Size, options: Options): Promise<SizeResult["baseline"]> {
  return withSimulator(size, options, async (sim, fleet) => {
    const workDir = mkdtempSync(join(tmpdir(), "regional-slot-swap-baseline-"));
    try {
      const apps = fleet.apps.slice(0, Math.min(size.baselineApps, fleet.apps.length));
      const job: BaselineJob = {
        armEndpoint: sim.armEndpoint,
        authorityHost: sim.authorityHost,
        tenantId: sim.tenantId,
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
        subscriptionId: SUBSCRIPTION_ID,
        slot: "staging",
        apps: apps.map((app) => ({
          resourceGroup: app.resourceGroup,
          name: app.name,
          statusUrl: sim.statusUrl(app.name, "production"),
        })),
      };
      const jobPath = join(workDir, "job.json");
      writeFileSync(jobPath, JSON.stringify(job));
      const started = Date.now();
      const child = spawn(
        process.execPath,
        ["--import", "tsx", join(REPO_ROOT, "test", "bench", "sequential-baseline.ts"), jobPath],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, NODE_EXTRA_CA_CERTS: sim.caCertPath },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      const rss = watchPeakRss(child.pid);
      let peakKiB: number | null = null;
      child.once("exit", () => (peakKiB = rss.stop()));
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const code = await new Promise<number | null>((done) => child.once("close", done));
      peakKiB ??= rss.stop();
      const result = JSON.parse(stdout.trim().split("\n").pop() || "null") as BaselineResult | null;
      if (code !== 0 || result === null)
        throw new Error(`the sequential baseline failed (${code}): ${stderr.slice(-2000)}`);
      const seconds = (Date.now() - started) / 1000;
      const kinds = requestKinds(sim, apps.length);
      return {
        apps: apps.length,
        released: result.failed === 0 && result.swapped === apps.length,
        measuredSeconds: seconds,
        // One app after another: the fleet takes as long per app as the sample did.
        wallSeconds: (seconds * fleet.apps.length) / apps.length,
        statusNot200: result.statusNot200,
        peakRssMiB: peakKiB === null ? null : peakKiB / 1024,
        ...kinds,
      };
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
}

function machine(): BenchRecord["machine"] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

/** What was run: `--build <text>` (e.g. the commit it was built from), else the entry's path. */
function buildOf(entry: string, note: string | undefined): string {
  const size = Math.round(readFileSync(entry, "utf8").length / 1024);
  return (
    note ??
    `${entry === join(REPO_ROOT, "dist", "index.js") ? "dist/ of the work tree" : entry} (${size} KiB entry)`
  );
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (argv.includes("--render")) {
    // Only docs/benchmarks.md and .svg again, from the runs in test/bench/results.
    await renderBenchmarks(RESULTS_DIR, REPO_ROOT);
    return 0;
  }
  if (!existsSync(options.entry)) {
    process.stdout.write(`${options.entry} is missing: build the action first (npm run build).\n`);
    return 1;
  }
  const sizes = SIZES.filter((size) => !options.quick || size.services * size.regions <= 100)
    .filter((size) => options.only === undefined || size.label === options.only)
    .map((size) => (options.quick ? { ...size, baselineApps: 5 } : size));
  const started = Date.now();
  const results: SizeResult[] = [];
  for (const size of sizes) {
    const regionSeconds = (options.swapMs + options.warmUpMs) / 1000;
    const action = await runActionSize(size, options);
    const azureSeconds = size.regions * regionSeconds;
    // A swap is polled at Retry-After pace until it is done: ⌈duration / Retry-After⌉ polls.
    const pollsPerSwap = Math.ceil(options.swapMs / 1000 / options.retryAfterSeconds);
    const floorSeconds = releaseFloorSeconds(
      size.regions,
      size.services,
      regionSeconds,
      pollsPerSwap,
    );
    process.stdout.write(
      `${size.label} action: ${action.wallSeconds.toFixed(1)} s (Azure ${azureSeconds.toFixed(1)} s, floor ${floorSeconds.toFixed(1)} s), ${action.perApp.total.toFixed(2)} ARM requests/app, ${action.throttled} × 429, ${action.pollsPerSwap.toFixed(2)} polls/swap, ${action.peakRssMiB?.toFixed(0) ?? "?"} MiB${action.released ? "" : ` — NOT RELEASED: ${action.problems.join(" | ")}`}\n`,
    );
    const baseline = options.baseline ? await runBaselineSize(size, options) : undefined;
    if (baseline)
      process.stdout.write(
        `${size.label} baseline: ${baseline.measuredSeconds.toFixed(1)} s for ${baseline.apps} apps → ${baseline.wallSeconds.toFixed(1)} s for the fleet, ${baseline.perApp.total.toFixed(2)} ARM requests/app, ${baseline.throttled} × 429, ${baseline.peakRssMiB?.toFixed(0) ?? "?"} MiB\n`,
      );
    results.push({
      label: size.label,
      services: size.services,
      regions: size.regions,
      apps: size.services * size.regions,
      azureSeconds,
      floorSeconds,
      swapPostFloorSeconds:
        Math.max(0, size.services * size.regions - REAL_ARM_LIMITS.writes.bucket) /
        REAL_ARM_LIMITS.writes.refillPerSecond,
      action,
      ...(baseline ? { baseline } : {}),
    });
  }
  const record: BenchRecord = {
    label: options.label,
    date: new Date().toISOString(),
    build: buildOf(options.entry, options.build),
    machine: machine(),
    simulator: {
      swapMs: options.swapMs,
      warmUpMs: options.warmUpMs,
      retryAfterSeconds: options.retryAfterSeconds,
    },
    quick: options.quick,
    totalSeconds: (Date.now() - started) / 1000,
    sizes: results,
  };
  if (options.write) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    await writeFormatted(join(RESULTS_DIR, `${options.label}.json`), JSON.stringify(record));
    await renderBenchmarks(RESULTS_DIR, REPO_ROOT);
    process.stdout.write(
      `written: test/bench/results/${options.label}.json, docs/benchmarks.md, docs/benchmarks.svg\n`,
    );
  }
  process.stdout.write(`took ${record.totalSeconds.toFixed(0)} s\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
