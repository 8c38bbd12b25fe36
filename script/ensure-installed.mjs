// Makes `npm test` and `npm run demo` work on a fresh clone: when the project's dependencies
// (Node 24 among them, as the `node` devDependency) are not installed yet, install them exactly
// as the lockfile says. Runs on whatever Node the machine has (20 or newer).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const needed = ["node", "vitest", "tsx"].map((bin) => join(root, "node_modules", ".bin", bin));
const missing = needed.filter((path) => !existsSync(path));
if (missing.length > 0) {
  console.log("Installing the project's dependencies (npm ci), once…");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  execFileSync(npm, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: root,
    stdio: "inherit",
  });
}
