/** The action's entry point: runs main, nothing else. */
import { run } from "./main.js";

const { cancelled } = await run();
// Azure may still be finishing a swap, and a request given up on (an OIDC token, a status page)
// may keep its socket open: once the report is out, nothing is left to wait for.
process.exit(cancelled ? 1 : (process.exitCode ?? 0));
