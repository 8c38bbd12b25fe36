/** The action's entry point: runs main, nothing else. */
import { run } from "./main.js";

const { cancelled } = await run();
// A swap Azure is still finishing keeps its poller alive; a cancelled job must not wait for it.
if (cancelled) process.exit(1);
