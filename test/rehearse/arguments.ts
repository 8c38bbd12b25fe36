import { parseArgs } from "node:util";
import { RehearsalError, type RehearsalOptions } from "./rehearsal.js";

/** Reads the rehearsal CLI's command line into options, or a request for help. */

/** The CLI's usage text. */
export const USAGE = `Rehearse a release manifest against the simulator (nothing in Azure is touched).

usage: node --import tsx test/rehearse/rehearse.ts --manifest <path> --build <build> [options]

  --manifest <path>          your release manifest (YAML or JSON); it is never modified
  --build <build>            the build to release: every simulated source slot runs it
  --from <build>             the build production runs before the release (default: previous)
  --regions <a,b>            release only these regions (the action's regions input)
  --mode <plan|release>      plan: validate and pre-flight only (default: release)
  --fail <region/service>    that service reports a dependency down in production on the new
                             build, so the rehearsal shows a rollback (repeatable)
  --subscription-id <guid>   subscription of regions that name none (default: a placeholder)
  --input <name=value>       any other action input, e.g. rollback=all, max-parallel=2,
                             swap-with-preview=true, bake-time=5s (repeatable)
  --help                     this text

Exit code: the action's (0 released, planned or already released); 2 when the manifest or
the options are invalid.`;

/** Parses `argv` (without node and the script); throws RehearsalError listing every problem. */
export function parseRehearsalArgs(argv: readonly string[]): RehearsalOptions | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        manifest: { type: "string" },
        build: { type: "string" },
        from: { type: "string" },
        regions: { type: "string" },
        mode: { type: "string" },
        fail: { type: "string", multiple: true },
        "subscription-id": { type: "string" },
        input: { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new RehearsalError([
      `${(error instanceof Error ? error.message : String(error)).replace(/\.?$/, ".")} Run with --help for the options.`,
    ]);
  }
  const values = parsed.values;
  if (values.help) return "help";

  const problems: string[] = [];
  if (!values.manifest)
    problems.push("--manifest: is missing. Give the path of your release manifest.");
  if (!values.build)
    problems.push("--build: is missing. Give the build to release, as its status pages report it.");
  const inputs: Record<string, string> = {};
  for (const pair of values.input ?? []) {
    const at = pair.indexOf("=");
    if (at <= 0) {
      problems.push(`--input ${pair}: write it as name=value, like rollback=all.`);
      continue;
    }
    const name = pair.slice(0, at).trim();
    if (name in inputs) problems.push(`--input ${name}: is given more than once.`);
    inputs[name] = pair.slice(at + 1);
  }
  for (const name of values.fail ?? []) {
    if (!/^[^/\s]+\/[^/\s]+$/.test(name))
      problems.push(`--fail ${name}: write it as region/service, like west-europe/api.`);
  }
  if (problems.length > 0) throw new RehearsalError(problems);

  return {
    manifest: values.manifest!,
    build: values.build!,
    ...(values.from === undefined ? {} : { from: values.from }),
    ...(values.regions === undefined ? {} : { regions: values.regions }),
    ...(values.mode === undefined ? {} : { mode: values.mode }),
    ...(values.fail === undefined ? {} : { fail: values.fail }),
    ...(values["subscription-id"] === undefined
      ? {}
      : { subscriptionId: values["subscription-id"] }),
    inputs,
  };
}
