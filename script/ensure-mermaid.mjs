#!/usr/bin/env node
// Installs the real Mermaid parser (and linkedom, the DOM shim it needs on Node) for the timeline
// chart's test, once, into .cache/mermaid/ (git-ignored; MERMAID_CACHE_DIR overrides), outside
// the project's node_modules: Mermaid is about 160 MB, and a newcomer's `npm ci` or `npm run demo`
// should not pay for it. Versions, transitive ones too, are pinned by script/mermaid/'s
// package-lock.json; the install is `npm ci` into a fresh directory renamed into place, so two
// runs at once cannot leave a half-installed cache. Prints the directory on its last line.
//
// Usage: node script/ensure-mermaid.mjs
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const pinned = join(root, "script", "mermaid");
const FILES = ["package.json", "package-lock.json", "load.mjs"];

/** What the cache must hold: a digest of the pinned files, written last by a finished install. */
function wanted() {
  const hash = createHash("sha256");
  for (const file of FILES) hash.update(readFileSync(join(pinned, file)));
  return hash.digest("hex");
}

function installedIn(directory, digest) {
  const stamp = join(directory, ".installed");
  return (
    existsSync(stamp) &&
    readFileSync(stamp, "utf8").trim() === digest &&
    existsSync(join(directory, "node_modules", "mermaid", "package.json"))
  );
}

/** The cache directory, installed if it was missing or stale. */
export function ensureMermaid() {
  const target = resolve(process.env.MERMAID_CACHE_DIR || join(root, ".cache", "mermaid"));
  const digest = wanted();
  if (installedIn(target, digest)) return target;

  const started = Date.now();
  console.log(`Installing the Mermaid parser (pinned in script/mermaid/) into ${target}, once…`);
  const staging = `${target}.tmp-${process.pid}-${started}`;
  mkdirSync(staging, { recursive: true });
  try {
    for (const file of FILES) copyFileSync(join(pinned, file), join(staging, file));
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    execFileSync(
      npm,
      [
        "ci",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        "--prefix",
        staging,
      ],
      { cwd: staging, stdio: ["ignore", "inherit", "inherit"] },
    );
    writeFileSync(join(staging, ".installed"), `${digest}\n`);
    if (installedIn(target, digest)) return target; // another run finished first
    rmSync(target, { recursive: true, force: true });
    mkdirSync(dirname(target), { recursive: true });
    try {
      renameSync(staging, target);
    } catch (error) {
      if (!installedIn(target, digest)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  console.log(`Installed the Mermaid parser in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return target;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(ensureMermaid());
}
