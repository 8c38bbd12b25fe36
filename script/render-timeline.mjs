#!/usr/bin/env node
// Draws a run's timeline chart (src/notify/timeline-chart.ts) as GitHub would, to look at it:
// Mermaid's own browser bundle (from the cache script/ensure-mermaid.mjs installs) in headless
// Chromium (Debian's package: apt-get install -y chromium), screenshot to a PNG.
//
//   node --import tsx script/render-timeline.mjs [--report REPORT.json] [--out docs/timeline.png]
//
// Without --report it draws script/timeline-scenario.ts's run: the demo's third release at a
// real pace (two waves, canaries, east-us's billing caught at 10 %). --report takes the JSON
// report of any run, e.g. one `npm run demo` kept (its log names the file).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { ensureMermaid } from "./ensure-mermaid.mjs";
import { timelineChart } from "../src/notify/timeline-chart.ts";
import { demoLikeRelease } from "./timeline-scenario.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    report: { type: "string" },
    out: { type: "string", default: join(root, "docs", "timeline.png") },
    width: { type: "string", default: "1200" },
  },
});

function chromium() {
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      return execFileSync("which", [name], { encoding: "utf8" }).trim();
    } catch {
      // not this one
    }
  }
  throw new Error("No Chromium on PATH: apt-get install -y chromium (Debian's package).");
}

const report = values.report
  ? JSON.parse(readFileSync(values.report, "utf8"))
  : await demoLikeRelease();
const chart = timelineChart(report);
if (chart === null) throw new Error("The run has no span: there is no timeline to draw.");

const bundle = join(ensureMermaid(), "node_modules", "mermaid", "dist", "mermaid.min.js");
if (!existsSync(bundle)) throw new Error(`Mermaid's browser bundle is missing: ${bundle}`);
const width = Number(values.width);
// Mermaid's gantt rows: 50 px above, 24 px a task, the axis below.
const height = 50 + chart.tasks * 24 + 90;
const work = mkdtempSync(join(tmpdir(), "timeline-render-"));
try {
  const escaped = chart.text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  writeFileSync(
    join(work, "timeline.html"),
    `<!doctype html>
<html><head><meta charset="utf-8">
<style>body { margin: 0; padding: 8px; background: #fff; font-family: sans-serif; }</style>
<script src="${pathToFileURL(bundle).href}"></script>
</head><body>
<pre class="mermaid">${escaped}</pre>
<script>
  mermaid.initialize({ startOnLoad: true, theme: "default", gantt: { useWidth: ${width - 16} } });
</script>
</body></html>
`,
  );
  const out = resolve(values.out);
  execFileSync(
    chromium(),
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--hide-scrollbars",
      "--allow-file-access-from-files",
      "--virtual-time-budget=10000",
      `--window-size=${width},${height}`,
      `--screenshot=${out}`,
      pathToFileURL(join(work, "timeline.html")).href,
    ],
    { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, TZ: "UTC" } },
  );
  console.log(`${out}: ${chart.tasks} tasks (${chart.detail}), ${width}×${height}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
