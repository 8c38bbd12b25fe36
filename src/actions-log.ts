import * as core from "@actions/core";
import { safeLogText } from "./log-safety.js";
import type { ReleaseLog } from "./release/ports.js";

/**
 * The release's story in the GitHub Actions log: groups per phase and region, annotations per
 * failure. Messages carry text from Azure and status pages, so each is made {@link safeLogText}:
 * nothing this log writes can be a workflow command.
 */
export const actionsLog: ReleaseLog = {
  info: (message) => core.info(safeLogText(message)),
  warning: (message) => core.warning(safeLogText(message)),
  error: (message, title) =>
    core.error(
      safeLogText(message),
      title === undefined ? undefined : { title: safeLogText(title) },
    ),
  group: (name, body) => core.group(safeLogText(name), body),
};
