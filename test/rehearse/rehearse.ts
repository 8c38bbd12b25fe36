import { USAGE, parseRehearsalArgs } from "./arguments.js";
import { RehearsalError, formatRehearsal, rehearse } from "./rehearsal.js";

/**
 * `node --import tsx test/rehearse/rehearse.ts --manifest <path> --build <build> ...`: rehearses
 * a real release manifest against the simulator and exits with the action's exit code
 * (2 when the manifest or the options are invalid).
 */

async function main(argv: readonly string[]): Promise<number> {
  try {
    const options = parseRehearsalArgs(argv);
    if (options === "help") {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const rehearsal = await rehearse(options);
    process.stdout.write(`${formatRehearsal(rehearsal)}\n`);
    return rehearsal.exitCode;
  } catch (error) {
    if (!(error instanceof RehearsalError)) throw error;
    process.stderr.write(
      `Cannot rehearse:\n${error.problems.map((problem) => `  ✖ ${problem}`).join("\n")}\n`,
    );
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
