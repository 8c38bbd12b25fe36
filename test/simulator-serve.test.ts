import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { parse } from "yaml";

/** `serve.ts` as CI's `uses: ./` job runs it: env lines appear, the manifest is written, SIGTERM ends it cleanly. */

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it("writes the env file and manifest, serves the fleet, and stops on SIGTERM", async () => {
  const dir = mkdtempSync(join(tmpdir(), "serve-test-"));
  dirs.push(dir);
  const envFile = join(dir, "github-env");
  const manifest = join(dir, "manifest.yml");
  writeFileSync(envFile, "EARLIER=line\n"); // GITHUB_ENV exists and may hold earlier lines: append, never overwrite
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/simulator/serve.ts", "--env-file", envFile, "--manifest", manifest],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("close", (code) => resolve(code)),
  );

  const env = await waitFor(() => {
    const lines = readFileSync(envFile, "utf8").split("\n").filter(Boolean);
    const entries = Object.fromEntries(
      lines.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    return entries.SIM_SUBSCRIPTION_ID ? entries : undefined;
  }, "the env file");
  expect(Object.keys(env)).toEqual([
    "EARLIER",
    "SIM_ARM_ENDPOINT",
    "SIM_AUTHORITY_HOST",
    "SIM_TENANT_ID",
    "SIM_CLIENT_ID",
    "SIM_CLIENT_SECRET",
    "NODE_EXTRA_CA_CERTS",
    "SIM_SLACK_WEBHOOK_URL",
    "SIM_GITHUB_API_URL",
    "SIM_SUBSCRIPTION_ID",
  ]);
  const parsed = parse(readFileSync(manifest, "utf8")) as {
    regions: Array<{ name: string; services: Array<{ app: string }> }>;
  };
  expect(parsed.regions.map((region) => region.name)).toEqual([
    "uk-south",
    "west-europe",
    "east-us",
  ]);

  const ca = readFileSync(env.NODE_EXTRA_CA_CERTS!, "utf8");
  const status = await new Promise<string>((resolve, reject) => {
    request(`${env.SIM_ARM_ENDPOINT}/sites/shop-api-uks/status`, { ca }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve(body));
    })
      .on("error", reject)
      .end();
  });
  expect(JSON.parse(status)).toMatchObject({ build: "1.4.1" });

  child.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(stderr).toBe("");
});
