import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import type { Simulator } from "./index.js";

/**
 * The real Azure CLI (Debian's `azure-cli` 2.45) signed in to a simulator: a cloud registered
 * with the simulator's endpoints (Entra through its AD FS path, since MSAL 1.21 sends any other
 * custom authority to the public instance discovery; see test/azure-cli.test.ts) and a service
 * principal login, in a config directory of its own, trusting the simulator's CA.
 */

const run = promisify(execFile);

/** The `az` on PATH, if any (found without running it). */
export function findAz(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "az");
    if (dir !== "" && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** An `az` signed in to `sim`: `az(...args)` resolves the JSON output; `close()` removes its config. */
export async function signedInAzureCli(
  sim: Simulator,
  azPath: string,
  timeoutMs = 60_000,
): Promise<{ az: (...args: string[]) => Promise<unknown>; close: () => void }> {
  const configDir = mkdtempSync(join(tmpdir(), "regional-slot-swap-az-"));
  // A fresh environment: no proxy settings reach the CLI, which must talk to loopback only.
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? configDir,
    AZURE_CONFIG_DIR: configDir,
    AZURE_CORE_COLLECT_TELEMETRY: "false",
    AZURE_CORE_NO_COLOR: "true",
    AZURE_CORE_ONLY_SHOW_ERRORS: "true",
    REQUESTS_CA_BUNDLE: sim.caCertPath,
  };
  const az = async (...args: string[]): Promise<unknown> => {
    const { stdout } = await run(azPath, [...args, "--output", "json"], {
      env,
      timeout: timeoutMs,
      killSignal: "SIGKILL",
      maxBuffer: 16 * 1024 * 1024,
    });
    const text = stdout.trim();
    return text === "" ? undefined : (JSON.parse(text) as unknown);
  };
  const close = () => rmSync(configDir, { recursive: true, force: true });
  try {
    const origin = `${sim.origin}/`;
    const endpoints = {
      "--endpoint-resource-manager": origin,
      "--endpoint-active-directory": `${sim.origin}/adfs`,
      "--endpoint-active-directory-resource-id": origin,
      "--endpoint-active-directory-graph-resource-id": origin,
      "--endpoint-management": origin,
    };
    await az("cloud", "register", "--name", "Simulator", ...Object.entries(endpoints).flat());
    await az("cloud", "set", "--name", "Simulator");
    const login = {
      "--username": sim.clientId,
      "--password": sim.clientSecret,
      "--tenant": sim.tenantId,
    };
    await az("login", "--service-principal", ...Object.entries(login).flat());
  } catch (error) {
    close();
    throw error;
  }
  return { az, close };
}
