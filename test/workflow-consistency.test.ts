/**
 * Keeps the workflows, the examples and action.yml consistent with each other, so a renamed or
 * new input cannot silently break the reusable release workflow or the copies users make of
 * the examples, and keeps their shell scripts safe from the values they handle. Each rule is a
 * small function, checked once on a bad fixture (so it can fail) and then on every real file.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
/** The placeholder owner/name under which users reference this action and its workflows. */
const ownRepository = "regional-slot-swap/regional-slot-swap";

type Yaml = Record<string, unknown>;

function isRecord(value: unknown): value is Yaml {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function record(value: unknown): Yaml {
  return isRecord(value) ? value : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function readYaml(relativePath: string): Yaml {
  return record(parse(readFileSync(path.join(root, relativePath), "utf8")));
}

/** Workflow files (examples/ also holds a manifest, which has no `jobs`). */
function workflowPaths(): string[] {
  const found: string[] = [];
  for (const folder of [".github/workflows", "examples"]) {
    for (const name of readdirSync(path.join(root, folder)).sort()) {
      if (!/\.ya?ml$/.test(name)) continue;
      const relativePath = `${folder}/${name}`;
      if ("jobs" in readYaml(relativePath)) found.push(relativePath);
    }
  }
  return found;
}

interface ActionInput {
  required: boolean;
  hasDefault: boolean;
}

function actionInputs(action: Yaml): Map<string, ActionInput> {
  const inputs = new Map<string, ActionInput>();
  for (const [name, spec] of Object.entries(record(action.inputs))) {
    const fields = record(spec);
    inputs.set(name, { required: fields.required === true, hasDefault: "default" in fields });
  }
  return inputs;
}

/** `on` parsed from YAML: `on:` is a plain key in YAML 1.2 (not the boolean true). */
function triggers(workflow: Yaml): Yaml {
  return record(workflow.on);
}

function jobs(workflow: Yaml): [string, Yaml][] {
  return Object.entries(record(workflow.jobs)).map(([id, job]) => [id, record(job)]);
}

function steps(job: Yaml): Yaml[] {
  return list(job.steps).map(record);
}

function isOwnAction(uses: string): boolean {
  return uses === "./" || uses.startsWith(`${ownRepository}@`);
}

/** The workflow file a job calls, when it calls one of this repository's reusable workflows. */
function ownReusableWorkflow(uses: string): string | undefined {
  const match = new RegExp(
    `^(?:\\./|${ownRepository.replace("/", "\\/")}/)\\.github/workflows/([\\w.-]+\\.ya?ml)(?:@.+)?$`,
  ).exec(uses);
  return match?.[1] === undefined ? undefined : `.github/workflows/${match[1]}`;
}

/** Problems of one `with:` block given the inputs the callee declares. */
function inputProblems(passed: Yaml, declared: Map<string, ActionInput>, where: string): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(passed)) {
    if (!declared.has(key)) problems.push(`${where}: passes '${key}', which is not an input`);
  }
  for (const [name, input] of declared) {
    if (input.required && !input.hasDefault && !(name in passed)) {
      problems.push(`${where}: does not pass the required input '${name}'`);
    }
  }
  return problems;
}

/** Every expression text of a document: `${{ }}` bodies, and whole `if:` values. */
function expressions(node: unknown, key = ""): string[] {
  if (typeof node === "string") {
    const found = [...node.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((match) => match[1] ?? "");
    return key === "if" && found.length === 0 ? [node] : found;
  }
  if (Array.isArray(node)) return node.flatMap((item) => expressions(item));
  if (isRecord(node)) return Object.entries(node).flatMap(([k, v]) => expressions(v, k));
  return [];
}

/** Names read from a context (`inputs`, `secrets`) in a workflow, e.g. `inputs.build`. */
function contextReferences(workflow: Yaml, context: string): Set<string> {
  const pattern = new RegExp(`(?<![\\w.-])${context}\\.([A-Za-z_][\\w-]*)`, "g");
  const names = new Set<string>();
  for (const expression of expressions(workflow)) {
    for (const match of expression.matchAll(pattern)) names.add(match[1] ?? "");
  }
  return names;
}

function declaredInputs(workflow: Yaml): Set<string> {
  const on = triggers(workflow);
  return new Set([
    ...Object.keys(record(record(on.workflow_call).inputs)),
    ...Object.keys(record(record(on.workflow_dispatch).inputs)),
  ]);
}

function undeclaredReferences(workflow: Yaml): string[] {
  const declared = declaredInputs(workflow);
  const declaredSecrets = new Set(
    Object.keys(record(record(triggers(workflow).workflow_call).secrets)),
  );
  const problems = [...contextReferences(workflow, "inputs")]
    .filter((name) => !declared.has(name))
    .map((name) => `inputs.${name} is used but not declared`);
  for (const name of contextReferences(workflow, "secrets")) {
    if (
      name !== "GITHUB_TOKEN" &&
      "workflow_call" in triggers(workflow) &&
      !declaredSecrets.has(name)
    ) {
      problems.push(`secrets.${name} is used but not declared under workflow_call.secrets`);
    }
  }
  return problems;
}

/** `uses:` values with their line, for third-party pinning (text, because comments matter). */
function unpinnedUses(text: string): string[] {
  const problems: string[] = [];
  for (const line of text.split("\n")) {
    const match = /^\s*(?:-\s+)?uses:\s*["']?([^\s"'#]+)["']?\s*(#.*)?$/.exec(line);
    const uses = match?.[1];
    if (uses === undefined || uses.startsWith("./") || uses.startsWith("docker://")) continue;
    if (isOwnAction(uses) || ownReusableWorkflow(uses) !== undefined) continue;
    if (!/@[0-9a-f]{40}$/.test(uses)) problems.push(`${uses} is not pinned to a full commit SHA`);
    else if (!/^#\s*v\d/.test(match?.[2] ?? ""))
      problems.push(`${uses} has no version comment (# vX.Y.Z)`);
  }
  return problems;
}

/** The `run:` scripts of a workflow, each with the job and step it belongs to. */
function runScripts(workflow: Yaml): { where: string; script: string }[] {
  return jobs(workflow).flatMap(([jobId, job]) =>
    steps(job)
      .map((step, index) => ({ step, index }))
      .filter(({ step }) => typeof step.run === "string")
      .map(({ step, index }) => ({
        where: `job '${jobId}' step '${String(step.id ?? step.name ?? index + 1)}'`,
        script: String(step.run),
      })),
  );
}

/**
 * `${{ }}` inside a `run:` script: the runner pastes the value into the script before the shell
 * reads it, so a build name or a manifest path becomes shell code. Pass values through `env:`
 * and write "$VAR" instead.
 */
function expressionsInRun(script: string): string[] {
  return [...script.matchAll(/\$\{\{[^\n]*?(?:\}\}|$)/gm)].map(
    (match) => `runs the expression ${match[0].trim()} in the shell; pass it through env:`,
  );
}

interface Sanitiser {
  name: string;
  /** The function's whole definition, to run it on its own. */
  definition: string;
}

/**
 * The functions a script defines that sanitise a value for a workflow command: the body (up to
 * the first line that is only `}`) makes the runner's escapes of %, CR and LF (`%25`, `%0D`,
 * `%0A`) and strips a leading `::`. What they print is checked by running them.
 */
function sanitisers(script: string): Sanitiser[] {
  const found: Sanitiser[] = [];
  for (const match of script.matchAll(/^\s*(?:function\s+)?([A-Za-z_]\w*)\s*\(\)\s*\{\s*$/gm)) {
    const start = match.index ?? 0;
    const end = /^\s*\}\s*$/m.exec(script.slice(start));
    if (end === null) continue;
    const definition = script.slice(start, start + end.index + end[0].length);
    if (["%25", "%0D", "%0A", "::"].every((needle) => definition.includes(needle)))
      found.push({ name: match[1] ?? "", definition });
  }
  return found;
}

/**
 * Workflow commands that could carry an unsanitised value. The rule: a line that writes a
 * workflow command (`echo` or `printf` of an argument that starts with `::`) may expand a value
 * only as `$(f "...")`, where f is a sanitiser (see `sanitisers`) defined in the same step. Any
 * other `$` (`$VAR`, `${VAR}`, `$1`, `$(...)`) or backquote on that line is a problem: a value
 * with a newline would start a workflow command of its own (`::add-mask::`, `::stop-commands::`).
 * Keep one command per line; write a literal dollar as `\$`.
 */
function unsanitisedCommands(script: string): string[] {
  const safeCalls = sanitisers(script).map(
    ({ name }) => new RegExp(`\\$\\(\\s*${name}\\s+"[^"]*"\\s*\\)`, "g"),
  );
  const problems: string[] = [];
  for (const line of script.split("\n")) {
    if (!/\b(?:echo|printf)\s+(?:-\w+\s+)*["']?::/.test(line)) continue;
    const rest = safeCalls.reduce((text, call) => text.replace(call, ""), line);
    if (/(?<!\\)\$|`/.test(rest))
      problems.push(`writes a workflow command with an unsanitised value: ${line.trim()}`);
  }
  return problems;
}

/** Problems of every `run:` script of a workflow (see the two rules above). */
function shellProblems(workflow: Yaml): string[] {
  return runScripts(workflow).flatMap(({ where, script }) =>
    [...expressionsInRun(script), ...unsanitisedCommands(script)].map(
      (problem) => `${where}: ${problem}`,
    ),
  );
}

/** What a sanitiser prints for a value, run on its own by bash (the shell of every step). */
function sanitised({ name, definition }: Sanitiser, value: string): string {
  const result = spawnSync("bash", ["-c", `${definition}\n${name} "$1"`, name, value], {
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
  return result.stdout;
}

const action = readYaml("action.yml");
const inputsOfAction = actionInputs(action);
const outputsOfAction = Object.keys(record(action.outputs));

describe("the rules catch what they are for", () => {
  it("flags an unknown input and a missing required one", () => {
    expect(inputProblems({ bogus: "1" }, inputsOfAction, "step")).toEqual([
      "step: passes 'bogus', which is not an input",
      "step: does not pass the required input 'build'",
    ]);
  });

  it("flags an input or secret used but not declared, also inside if:", () => {
    const workflow = record(
      parse(`
on:
  workflow_call:
    inputs: { build: { type: string } }
jobs:
  a:
    if: inputs.mode == 'release'
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ inputs.build }} \${{ secrets.token }} \${{ github.event.inputs.other }}"
`),
    );
    expect(undeclaredReferences(workflow)).toEqual([
      "inputs.mode is used but not declared",
      "secrets.token is used but not declared under workflow_call.secrets",
    ]);
  });

  it("flags tags, short SHAs and missing version comments, not local or own references", () => {
    const text = [
      "      - uses: actions/checkout@v6",
      "      - uses: actions/checkout@de0fac2",
      "      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd",
      "      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2",
      "      - uses: ./",
      `      - uses: ${ownRepository}@v1`,
      `    uses: ${ownRepository}/.github/workflows/release.yml@v1`,
    ].join("\n");
    expect(unpinnedUses(text)).toEqual([
      "actions/checkout@v6 is not pinned to a full commit SHA",
      "actions/checkout@de0fac2 is not pinned to a full commit SHA",
      "actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd has no version comment (# vX.Y.Z)",
    ]);
  });
});

describe("the shell rules catch what they are for", () => {
  const fixture = record(
    parse(
      [
        "on: push",
        "jobs:",
        "  a:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - id: good",
        "        run: |",
        "          clean() {",
        "            local value=$1",
        "            while [[ $value == ::* ]]; do value=${value#::}; done",
        "            value=${value//'%'/%25}; value=${value//$'\\r'/%0D}; value=${value//$'\\n'/%0A}",
        "            printf '%s' \"$value\"",
        "          }",
        "          fake() {",
        "            printf '%s' \"$1\"",
        "          }",
        '          echo "::notice title=Fine::$(clean "mode is \'$MODE\'"), costs \\$5"',
        '          echo "::error::$(fake "$MODE")"',
        "      - id: bad",
        "        run: |",
        '          echo "build ${{ inputs.build }}"',
        "          echo \"::error title=Bad::mode is '$MODE'\"",
        '          printf \'::warning::%s\\n\' "$(clean "$MODE")"',
        '          echo "::error::`cat notes`"',
        '          echo "plain $MODE" >> "$GITHUB_OUTPUT"',
        "",
      ].join("\n"),
    ),
  );

  it("flags an expression in run:, an unsanitised value, and a sanitiser of another step", () => {
    expect(shellProblems(fixture)).toEqual([
      `job 'a' step 'good': writes a workflow command with an unsanitised value: echo "::error::$(fake "$MODE")"`,
      "job 'a' step 'bad': runs the expression ${{ inputs.build }} in the shell; pass it through env:",
      `job 'a' step 'bad': writes a workflow command with an unsanitised value: echo "::error title=Bad::mode is '$MODE'"`,
      `job 'a' step 'bad': writes a workflow command with an unsanitised value: printf '::warning::%s\\n' "$(clean "$MODE")"`,
      "job 'a' step 'bad': writes a workflow command with an unsanitised value: echo \"::error::`cat notes`\"",
    ]);
  });

  it("recognises a sanitiser by its escapes, and runs it", () => {
    const [good] = runScripts(fixture);
    const found = sanitisers(good?.script ?? "");
    expect(found.map(({ name }) => name)).toEqual(["clean"]);
    expect(sanitised(found[0]!, "::::50%\r\n::add-mask::x")).toBe("50%25%0D%0A::add-mask::x");
  });
});

describe("workflows and action.yml", () => {
  const paths = workflowPaths();

  it("finds the workflows this test is about", () => {
    for (const expected of [
      ".github/workflows/release.yml",
      ".github/workflows/release-fleet.yml",
      ".github/workflows/ci.yml",
      "examples/release-on-tag.yml",
      "examples/release-manual.yml",
    ]) {
      expect(paths).toContain(expected);
    }
  });

  it("passes the action only inputs it has, and every required one", () => {
    const problems: string[] = [];
    let actionSteps = 0;
    for (const file of paths) {
      for (const [jobId, job] of jobs(readYaml(file))) {
        for (const step of steps(job)) {
          if (typeof step.uses !== "string" || !isOwnAction(step.uses)) continue;
          actionSteps += 1;
          const where = `${file} job '${jobId}' step '${String(step.id ?? step.name)}'`;
          problems.push(...inputProblems(record(step.with), inputsOfAction, where));
        }
      }
    }
    expect(problems).toEqual([]);
    // plan + release in release.yml, plan + release + re-run in ci.yml
    expect(actionSteps).toBeGreaterThanOrEqual(5);
  });

  it("declares every input and secret it reads", () => {
    const problems = paths.flatMap((file) =>
      undeclaredReferences(readYaml(file)).map((problem) => `${file}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it("calls the reusable workflows only with inputs and secrets they declare", () => {
    const problems: string[] = [];
    const callers = new Map<string, number>();
    for (const file of paths) {
      for (const [jobId, job] of jobs(readYaml(file))) {
        const called = typeof job.uses === "string" ? ownReusableWorkflow(job.uses) : undefined;
        if (called === undefined) continue;
        callers.set(file, (callers.get(file) ?? 0) + 1);
        const calledOn = record(triggers(readYaml(called)).workflow_call);
        const declared = new Map<string, ActionInput>();
        for (const [name, spec] of Object.entries(record(calledOn.inputs))) {
          const fields = record(spec);
          declared.set(name, {
            required: fields.required === true,
            hasDefault: "default" in fields,
          });
        }
        const where = `${file} job '${jobId}' → ${called}`;
        problems.push(...inputProblems(record(job.with), declared, where));
        if (job.secrets !== "inherit") {
          const declaredSecrets = record(calledOn.secrets);
          for (const name of Object.keys(record(job.secrets))) {
            if (!(name in declaredSecrets))
              problems.push(`${where}: passes secret '${name}', not declared`);
          }
          for (const [name, spec] of Object.entries(declaredSecrets)) {
            if (record(spec).required === true && !(name in record(job.secrets))) {
              problems.push(`${where}: does not pass the required secret '${name}'`);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect([...callers.keys()].sort()).toEqual([
      ".github/workflows/release-fleet.yml",
      "examples/release-manual.yml",
      "examples/release-on-tag.yml",
    ]);
  });

  it("puts no expression in a run: script and no unsanitised value in a workflow command", () => {
    const problems = paths.flatMap((file) =>
      shellProblems(readYaml(file)).map((problem) => `${file}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it("has sanitisers that escape as the runner does", () => {
    const found = paths.flatMap((file) =>
      runScripts(readYaml(file)).flatMap(({ script }) => sanitisers(script)),
    );
    // release.yml's input check and ci.yml's smoke test
    expect(found.length).toBeGreaterThanOrEqual(2);
    for (const sanitiser of found) {
      expect(sanitised(sanitiser, "::mode\r\n::stop-commands::x 100%")).toBe(
        "mode%0D%0A::stop-commands::x 100%25",
      );
    }
  });

  it("pins every third-party action to a commit SHA with a version comment", () => {
    const problems = paths.flatMap((file) =>
      unpinnedUses(readFileSync(path.join(root, file), "utf8")).map(
        (problem) => `${file}: ${problem}`,
      ),
    );
    expect(problems).toEqual([]);
  });
});

describe("the reusable release workflow", () => {
  const workflow = readYaml(".github/workflows/release.yml");
  const call = record(triggers(workflow).workflow_call);
  const plan = record(record(workflow.jobs).plan);
  const release = record(record(workflow.jobs).release);

  it("exposes every output of the action, wired through a job to the action step", () => {
    const workflowOutputs = record(call.outputs);
    for (const output of outputsOfAction) {
      expect(String(record(workflowOutputs[output]).value)).toContain(
        `jobs.release.outputs.${output}`,
      );
      expect(record(release.outputs)[output]).toBe(`\${{ steps.release.outputs.${output} }}`);
    }
    const releaseStep = steps(release).find((step) => step.id === "release");
    expect(typeof releaseStep?.uses === "string" && isOwnAction(releaseStep.uses)).toBe(true);
  });

  it("references only job outputs that exist", () => {
    const problems: string[] = [];
    for (const [name, spec] of Object.entries(record(call.outputs))) {
      for (const match of String(record(spec).value).matchAll(
        /jobs\.([\w-]+)\.outputs\.([\w-]+)/g,
      )) {
        const [, jobId = "", output = ""] = match;
        if (!(output in record(record(record(workflow.jobs)[jobId]).outputs))) {
          problems.push(
            `output '${name}' reads jobs.${jobId}.outputs.${output}, which does not exist`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("plans first, then releases behind an environment, one release per manifest at a time", () => {
    expect(plan.needs).toBeUndefined();
    const planStep = steps(plan).find((step) => step.id === "plan");
    expect(record(planStep?.with).mode).toBe("plan");
    expect(release.needs).toBe("plan");
    expect(String(release.if)).toContain("inputs.mode == 'release'");
    expect(release.environment).toBe("${{ inputs.environment }}");
    const concurrency = record(release.concurrency);
    expect(String(concurrency.group)).toContain("inputs.manifest");
    expect(concurrency["cancel-in-progress"]).toBe(false);
  });

  it("asks for the least permissions, per job", () => {
    expect(workflow.permissions).toEqual({});
    expect(plan.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(release.permissions).toEqual({
      contents: "read",
      "id-token": "write",
      deployments: "write",
    });
  });

  it("uploads the report even when the release fails or is cancelled", () => {
    const upload = steps(release).find(
      (step) => typeof step.uses === "string" && step.uses.startsWith("actions/upload-artifact@"),
    );
    expect(String(upload?.if)).toContain("always()");
    expect(String(record(upload?.with).path)).toBe("${{ steps.release.outputs.report-path }}");
  });

  it("falls back to repository variables for the Azure ids", () => {
    const releaseWith = record(steps(release).find((step) => step.id === "release")?.with);
    expect(releaseWith["tenant-id"]).toBe("${{ inputs.tenant-id || vars.AZURE_TENANT_ID }}");
    expect(releaseWith["client-id"]).toBe("${{ inputs.client-id || vars.AZURE_CLIENT_ID }}");
    expect(releaseWith["subscription-id"]).toBe(
      "${{ inputs.subscription-id || vars.AZURE_SUBSCRIPTION_ID }}",
    );
    expect(releaseWith["client-secret"]).toBe("${{ secrets.azure-client-secret }}");
  });

  it("signs the plan job in as its own read-only identity, never the one that may swap", () => {
    const planWith = record(steps(plan).find((step) => step.id === "plan")?.with);
    expect(planWith["client-id"]).toBe("${{ inputs.plan-client-id || vars.AZURE_PLAN_CLIENT_ID }}");
    expect(planWith["client-secret"]).toBe("${{ secrets.plan-azure-client-secret }}");
    const planText = JSON.stringify(plan);
    expect(planText).not.toContain("secrets.azure-client-secret");
    // The input check refuses a plan without its own identity when the release job has one.
    const check = record(steps(plan).find((step) => step.id === "names"));
    expect(record(check.env).PLAN_CLIENT_ID).toBe(planWith["client-id"]);
    expect(String(check.run)).toContain('[ -z "$PLAN_CLIENT_ID" ] && [ -n "$RELEASE_CLIENT_ID" ]');
  });
});

describe("the fleet workflow", () => {
  const fleet = readYaml(".github/workflows/release-fleet.yml");
  const job = record(record(fleet.jobs).manifest);

  it("releases each manifest as its own matrix leg, none cancelling the others", () => {
    const strategy = record(job.strategy);
    expect(strategy["fail-fast"]).toBe(false);
    expect(record(strategy.matrix).manifest).toBe("${{ fromJSON(inputs.manifests) }}");
    expect(record(job.with).manifest).toBe("${{ matrix.manifest }}");
    expect(ownReusableWorkflow(String(job.uses))).toBe(".github/workflows/release.yml");
  });

  it("passes on every input it shares with release.yml", () => {
    const releaseInputs = Object.keys(
      record(record(triggers(readYaml(".github/workflows/release.yml")).workflow_call).inputs),
    );
    const fleetInputs = Object.keys(record(record(triggers(fleet).workflow_call).inputs));
    const passed = Object.keys(record(job.with));
    const shared = fleetInputs.filter((name) => releaseInputs.includes(name));
    expect(shared.filter((name) => !passed.includes(name))).toEqual([]);
  });
});
