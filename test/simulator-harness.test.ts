import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FAKE_GITHUB_TOKEN,
  inputVariableName,
  parseGithubOutput,
  readActionInputs,
  runAction,
} from "./harness/run-action.js";
import { startSimulator, type Simulator } from "./simulator/index.js";

/**
 * The runner harness, tested with a throwaway action script: it must set every input like the
 * runner, give the child the simulator's CA and OIDC variables, and collect outputs, summary,
 * report and files, also after a cancellation.
 */

const FAKE_ACTION = `
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
const inputs = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith("INPUT_")));
// A real HTTPS call: works only if NODE_EXTRA_CA_CERTS made the simulator's CA trusted.
const response = await fetch(process.env.ACTIONS_ID_TOKEN_REQUEST_URL + "&audience=api://AzureADTokenExchange", {
  headers: { authorization: "Bearer " + process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN },
});
const { value } = await response.json();
const reportPath = join(process.env.RUNNER_TEMP, "report.json");
const finish = (outcome, code) => {
  writeFileSync(reportPath, JSON.stringify({ outcome, inputs, oidc: value.split(".").length }));
  appendFileSync(process.env.GITHUB_OUTPUT, "outcome<<ghadelimiter_1\\n" + outcome + "\\nghadelimiter_1\\n");
  appendFileSync(process.env.GITHUB_OUTPUT, "report-path<<ghadelimiter_2\\n" + reportPath + "\\nghadelimiter_2\\n");
  appendFileSync(process.env.GITHUB_STEP_SUMMARY, "## Release " + outcome + "\\n");
  process.exit(code);
};
process.on("SIGTERM", () => finish("cancelled", 1));
console.log("::group::fake action");
console.log("cwd=" + process.cwd());
console.log("::endgroup::");
if (process.env.INPUT_MODE === "wait") setInterval(() => {}, 1000);
else finish("released", 0);
`;

let sim: Simulator;
let scriptDir: string;
let entry: string;

beforeAll(async () => {
  sim = await startSimulator({ apps: [] });
  scriptDir = mkdtempSync(join(tmpdir(), "fake-action-"));
  entry = join(scriptDir, "index.mjs");
  writeFileSync(entry, FAKE_ACTION);
});
afterAll(async () => {
  await sim.close();
  rmSync(scriptDir, { recursive: true, force: true });
});

describe("runAction", () => {
  it("sets INPUT_ variables for every input of action.yml, with defaults, like the runner", async () => {
    const run = await runAction({ sim, entry, inputs: { build: "1.5.0", "max-parallel": "2" } });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const report = run.report as { outcome: string; inputs: Record<string, string>; oidc: number };
    const declared = readActionInputs();
    expect(Object.keys(report.inputs).sort()).toEqual(
      Object.keys(declared).map(inputVariableName).sort(),
    );
    expect(report.inputs["INPUT_BUILD"]).toBe("1.5.0");
    expect(report.inputs["INPUT_MAX-PARALLEL"]).toBe("2");
    expect(report.inputs["INPUT_MANIFEST"]).toBe(".github/release-manifest.yml");
    expect(report.inputs["INPUT_GITHUB-TOKEN"]).toBe(FAKE_GITHUB_TOKEN);
    expect(report.inputs["INPUT_SLACK-WEBHOOK-URL"]).toBe("");
    expect(report.oidc).toBe(3);
    expect(run.outputs).toMatchObject({ outcome: "released" });
    expect(run.summary).toBe("## Release released\n");
    expect(Object.keys(run.files).some((path) => path.endsWith("report.json"))).toBe(true);
    expect(run.stdout).toContain(`cwd=${join(run.workDir, "workspace")}`);
  });

  it("rejects an input action.yml does not declare", async () => {
    await expect(
      runAction({ sim, entry, inputs: { build: "1", max_parallel: "2" } }),
    ).rejects.toThrow(/unknown input\(s\) max_parallel/);
  });

  it("cancels with SIGTERM after cancelAfterMs and still collects what the run wrote", async () => {
    const run = await runAction({
      sim,
      entry,
      inputs: { build: "1.5.0", mode: "wait" },
      cancelAfterMs: 1500,
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.outcome).toBe("cancelled");
    expect(run.report).toMatchObject({ outcome: "cancelled" });
  });
});

describe("parseGithubOutput", () => {
  it("reads heredoc blocks with multi-line values and plain lines", () => {
    const text =
      "a<<ghadelimiter_x\nline 1\nline 2\nghadelimiter_x\nb=plain=value\nc<<EOF\n\nEOF\n";
    expect(parseGithubOutput(text)).toEqual({ a: "line 1\nline 2", b: "plain=value", c: "" });
  });
});
