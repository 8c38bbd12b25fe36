import * as core from "@actions/core";
import type { ReleaseLog } from "./release/ports.js";

/** The release's story in the GitHub Actions log: groups per phase and region, annotations per failure. */
export const actionsLog: ReleaseLog = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  error: (message, title) => core.error(message, title === undefined ? undefined : { title }),
  group: (name, body) => core.group(name, body),
};
