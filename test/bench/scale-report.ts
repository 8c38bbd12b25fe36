import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { format, resolveConfig } from "prettier";

/** ARM requests of one run, per app, by kind (429 answers apart). */
export interface RequestKinds {
  armTotal: number;
  throttled: number;
  perApp: { preflight: number; swapPosts: number; polls: number; other: number; total: number };
  pollsPerSwap: number;
  /** The least time the buckets allow for the requests the run had answered. */
  bucketFloorSeconds: number;
}

/** One fleet size of one bench run. */
export interface SizeResult {
  label: string;
  services: number;
  regions: number;
  apps: number;
  /** Per region the longest swap + warm-up (services swapped together), summed over regions. */
  azureSeconds: number;
  /** Azure's own time with the write bucket's wait for each region's swap POSTs. */
  floorSeconds: number;
  /** The issue's figure: (swap POSTs − write burst) / write refill. */
  swapPostFloorSeconds: number;
  action: RequestKinds & {
    released: boolean;
    problems: string[];
    wallSeconds: number;
    peakRssMiB: number | null;
  };
  baseline?: RequestKinds & {
    apps: number;
    released: boolean;
    measuredSeconds: number;
    wallSeconds: number;
    statusNot200: number;
    peakRssMiB: number | null;
  };
}

/** One bench run, as test/bench/results/<label>.json keeps it. */
export interface BenchRecord {
  label: string;
  date: string;
  build: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string };
  simulator: { swapMs: number; warmUpMs: number; retryAfterSeconds: number };
  quick: boolean;
  totalSeconds: number;
  sizes: SizeResult[];
}

const f1 = (value: number | null | undefined) =>
  value === null || value === undefined || !Number.isFinite(value) ? "–" : value.toFixed(1);
const f2 = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : "–");

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
}

/** The table of one run: a column per size, the action and the baseline side by side. */
function sizesTable(record: BenchRecord): string[] {
  const columns = record.sizes.flatMap((size) => [
    { size, who: "action" as const },
    ...(size.baseline ? [{ size, who: "baseline" as const }] : []),
  ]);
  const runOf = (column: (typeof columns)[number]) =>
    column.who === "action" ? column.size.action : column.size.baseline!;
  const row = (label: string, cell: (column: (typeof columns)[number]) => string) => [
    label,
    ...columns.map(cell),
  ];
  return table(
    ["", ...columns.map((column) => `${column.size.label} ${column.who}`)],
    [
      row("apps", (c) => String(c.size.apps)),
      row("released", (c) =>
        c.who === "action"
          ? c.size.action.released
            ? "yes"
            : "**no**"
          : `${c.size.baseline!.released ? "yes" : "**no**"} (${c.size.baseline!.apps} apps run)`,
      ),
      row("wall time (s)", (c) =>
        c.who === "action"
          ? f1(c.size.action.wallSeconds)
          : c.size.baseline!.apps < c.size.apps
            ? `${f1(c.size.baseline!.wallSeconds)} (scaled from ${f1(c.size.baseline!.measuredSeconds)})`
            : f1(c.size.baseline!.wallSeconds),
      ),
      row("Azure's own time (s)", (c) => f1(c.size.azureSeconds)),
      row("floor: Azure + write bucket (s)", (c) => f1(c.size.floorSeconds)),
      row("ratio to Azure's own time", (c) => f2(runOf(c).wallSeconds / c.size.azureSeconds)),
      row("ratio to the floor", (c) => f2(runOf(c).wallSeconds / c.size.floorSeconds)),
      // The baseline's sample is too small for the buckets; sequential, it never nears them.
      row("floor of the requests sent (s)", (c) =>
        c.who === "action" ? f1(c.size.action.bucketFloorSeconds) : "–",
      ),
      row("ARM requests per app (incl. 429s)", (c) => f2(runOf(c).perApp.total)),
      row("… before the first swap (pre-flight)", (c) => f2(runOf(c).perApp.preflight)),
      row("… swap POSTs", (c) => f2(runOf(c).perApp.swapPosts)),
      row("… LRO polls", (c) => f2(runOf(c).perApp.polls)),
      row("… other (verification, refresh, …)", (c) => f2(runOf(c).perApp.other)),
      row("429 answers", (c) => String(runOf(c).throttled)),
      row("polls per swap", (c) => f2(runOf(c).pollsPerSwap)),
      row("peak RSS (MiB)", (c) => f1(runOf(c).peakRssMiB)),
    ],
  );
}

/** Issue 9's goals judged on one run. */
function goals(record: BenchRecord): string[] {
  const big = record.sizes.find((size) => size.apps >= 1000);
  const small = record.sizes.find((size) => size.services === 10 && size.regions === 3);
  const lines: string[] = [];
  const verdict = (ok: boolean | undefined) =>
    ok === undefined ? "not measured" : ok ? "**pass**" : "**fail**";
  lines.push(
    `- 1,000 apps with zero 429s: ${verdict(big && big.action.released && big.action.throttled === 0)}${big ? ` (${big.action.throttled} × 429, ${big.action.released ? "released" : "not released"})` : ""}`,
    `- pre-flight ≤ 1.5 ARM reads per app: ${verdict(big ? big.action.perApp.preflight <= 1.5 : small ? small.action.perApp.preflight <= 1.5 : undefined)} (${record.sizes.map((size) => `${size.label}: ${f2(size.action.perApp.preflight)}`).join(", ")})`,
  );
  const expectedPolls = Math.ceil(
    record.simulator.swapMs / 1000 / record.simulator.retryAfterSeconds,
  );
  lines.push(
    `- polls at Retry-After pace, ≤ ⌈duration / Retry-After⌉ = ${expectedPolls} per swap: ${verdict(record.sizes.every((size) => size.action.pollsPerSwap <= expectedPolls))} (${record.sizes.map((size) => `${size.label}: ${f2(size.action.pollsPerSwap)}`).join(", ")})`,
  );
  if (small)
    lines.push(
      `- 10 × 3 wall time ≤ 1.15 × Azure's own time (${f1(small.azureSeconds)} s → ${f1(1.15 * small.azureSeconds)} s): ${verdict(small.action.wallSeconds <= 1.15 * small.azureSeconds)} (${f1(small.action.wallSeconds)} s, ${f2(small.action.wallSeconds / small.azureSeconds)}×)`,
    );
  if (big)
    lines.push(
      `- 100 × 10 wall time ≤ 1.15 × the floor (${f1(big.floorSeconds)} s → ${f1(1.15 * big.floorSeconds)} s): ${verdict(big.action.wallSeconds <= 1.15 * big.floorSeconds)} (${f1(big.action.wallSeconds)} s, ${f2(big.action.wallSeconds / big.floorSeconds)}×)`,
    );
  const rss = record.sizes.filter((size) => size.action.peakRssMiB !== null);
  if (rss.length >= 2) {
    const first = rss[0]!;
    const last = rss[rss.length - 1]!;
    const perApp =
      (last.action.peakRssMiB! - first.action.peakRssMiB!) / Math.max(1, last.apps - first.apps);
    lines.push(
      `- memory flat per app: peak RSS ${rss.map((size) => `${size.label}: ${f1(size.action.peakRssMiB)} MiB`).join(", ")}; ${(perApp * 1024).toFixed(0)} KiB more per app`,
    );
  }
  return lines;
}

/** A line chart of `series` (points: apps → value) on log axes, as SVG elements from x0 on. */
function chart(
  title: string,
  unit: string,
  series: Array<{ name: string; color: string; dash?: string; points: Array<[number, number]> }>,
  x0: number,
): string[] {
  const width = 420;
  const height = 260;
  const left = x0 + 60;
  const top = 40;
  const plotW = width - 80;
  const plotH = height - 80;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const xMin = Math.log10(Math.min(...xs));
  const xMax = Math.log10(Math.max(...xs));
  const yLow = Math.floor(Math.log10(Math.max(1, Math.min(...ys))));
  const yHigh = Math.ceil(Math.log10(Math.max(10, ...ys)));
  const px = (x: number) => left + ((Math.log10(x) - xMin) / Math.max(1e-9, xMax - xMin)) * plotW;
  const py = (y: number) =>
    top + plotH - ((Math.log10(Math.max(y, 10 ** yLow)) - yLow) / (yHigh - yLow)) * plotH;
  const out = [
    `<text x="${x0 + width / 2}" y="22" text-anchor="middle" font-weight="bold">${title} (${unit}, log scale)</text>`,
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#333"/>`,
    `<text x="${left + plotW / 2}" y="${top + plotH + 36}" text-anchor="middle" font-size="11">apps (log scale)</text>`,
  ];
  for (let power = yLow; power <= yHigh; power++) {
    const value = 10 ** power;
    out.push(
      `<line x1="${left}" y1="${py(value)}" x2="${left + plotW}" y2="${py(value)}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${py(value) + 4}" text-anchor="end" font-size="10">${value}</text>`,
    );
  }
  for (const x of [...new Set(xs)])
    out.push(
      `<text x="${px(x)}" y="${top + plotH + 16}" text-anchor="middle" font-size="10">${x}</text>`,
    );
  series.forEach((s, index) => {
    const path = s.points.map((p) => `${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(" ");
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""} points="${path}"/>`,
      ...s.points.map(
        (p) =>
          `<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="3" fill="${s.color}"><title>${s.name}: ${p[1].toFixed(1)} ${unit} at ${p[0]} apps</title></circle>`,
      ),
      `<rect x="${left + 8}" y="${top + 6 + index * 15}" width="10" height="3" fill="${s.color}"/>`,
      `<text x="${left + 22}" y="${top + 11 + index * 15}" font-size="10">${s.name}</text>`,
    );
  });
  return out;
}

/** docs/benchmarks.svg: wall time and ARM requests against fleet size, action vs baseline. */
function svg(records: BenchRecord[]): string {
  const palette = ["#1f6feb", "#8957e5", "#2da44e"];
  const wall: Parameters<typeof chart>[2] = [];
  const requests: Parameters<typeof chart>[2] = [];
  const latest = records[records.length - 1]!;
  records.forEach((record, index) => {
    const color = palette[index % palette.length]!;
    wall.push({
      name: `action (${record.label})`,
      color,
      points: record.sizes.map((size) => [size.apps, size.action.wallSeconds]),
    });
    requests.push({
      name: `action (${record.label})`,
      color,
      points: record.sizes.map((size) => [size.apps, size.action.armTotal]),
    });
  });
  const withBaseline = latest.sizes.filter((size) => size.baseline);
  if (withBaseline.length) {
    wall.push({
      name: "sequential SDK",
      color: "#cf222e",
      points: withBaseline.map((size) => [size.apps, size.baseline!.wallSeconds]),
    });
    requests.push({
      name: "sequential SDK",
      color: "#cf222e",
      points: withBaseline.map((size) => [size.apps, size.baseline!.perApp.total * size.apps]),
    });
  }
  wall.push({
    name: "floor (Azure + write bucket)",
    color: "#6e7781",
    dash: "4 3",
    points: latest.sizes.map((size) => [size.apps, size.floorSeconds]),
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="860" height="280" viewBox="0 0 860 280" font-family="sans-serif" font-size="12">`,
    `<rect width="860" height="280" fill="white"/>`,
    ...chart("Wall time of a release", "s", wall, 0),
    ...chart("ARM requests of a release (incl. 429s)", "requests", requests, 430),
    `</svg>`,
    "",
  ].join("\n");
}

/** The runs in results/, oldest first: the newest is the one the goals are judged on. */
function readRecords(resultsDir: string): BenchRecord[] {
  const records = readdirSync(resultsDir)
    .filter((name) => name.endsWith(".json") && name !== "cold-start.json")
    .map((name) => JSON.parse(readFileSync(join(resultsDir, name), "utf8")) as BenchRecord);
  return records.sort((a, b) => a.date.localeCompare(b.date));
}

/** Writes `text` to `path` as the repository's prettier would (format:check passes). */
export async function writeFormatted(path: string, text: string): Promise<void> {
  const options = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(text, { ...options, filepath: path }));
}

/** Writes docs/benchmarks.md and docs/benchmarks.svg from every run in `resultsDir`. */
export async function renderBenchmarks(resultsDir: string, repoRoot: string): Promise<void> {
  const records = readRecords(resultsDir);
  const latest = records[records.length - 1]!;
  const prose = readFileSync(join(repoRoot, "test", "bench", "benchmarks-intro.md"), "utf8");
  const lines = [prose.trimEnd(), ""];
  lines.push("## Goals of issue 9, judged on the latest run", "", ...goals(latest), "");
  for (const record of [...records].reverse()) {
    const sim = record.simulator;
    lines.push(
      `## Run \`${record.label}\` (${record.date.slice(0, 16).replace("T", " ")} UTC${record.quick ? ", quick" : ""})`,
      "",
      `Build: ${record.build}. Machine: ${record.machine.cpus} CPUs (${record.machine.cpuModel}), ${record.machine.memoryGiB} GiB, Node ${record.machine.node}. Simulator: ${sim.swapMs / 1000} s swaps, ${sim.warmUpMs / 1000} s warm-up, Retry-After ${sim.retryAfterSeconds} s, ARM's real token buckets. The bench took ${record.totalSeconds.toFixed(0)} s.`,
      "",
      ...sizesTable(record),
      "",
    );
    for (const size of record.sizes)
      if (!size.action.released)
        lines.push(
          `${size.label}: the action did not release. It printed:`,
          "",
          "```text",
          ...size.action.problems.map((line) => line.slice(0, 400)),
          "```",
          "",
        );
  }
  await writeFormatted(join(repoRoot, "docs", "benchmarks.md"), `${lines.join("\n").trimEnd()}\n`);
  writeFileSync(join(repoRoot, "docs", "benchmarks.svg"), svg(records));
}
