/*
 * A second client for the simulator: the real Azure CLI (Debian's `azure-cli` 2.45.0, MSAL
 * Python 1.21, azure-mgmt-web at api-version 2022-03-01) logs in through a registered cloud
 * whose endpoints are the simulator, reads and swaps slots, and sets traffic routing; every
 * command is checked against the simulator's ground truth and the requests it saw.
 *
 * Divergences found between the CLI and the simulator, and how each was settled:
 *
 * 1. Instance discovery for a custom authority. MSAL Python 1.21 (as used by CLI 2.45) sends
 *    every authority host it does not know to
 *    `https://login.microsoftonline.com/common/discovery/instance` (hard-coded, msal/authority.py),
 *    and the CLI offers no switch to turn that off (`az config set core.instance_discovery=false`
 *    came later: Azure/azure-cli PR #27494, 2023-09, closing issue #26433). On real Azure that
 *    endpoint answers 400 `invalid_instance` (AADSTS50049) for a host it does not know
 *    (Azure/azure-cli issue #10643), so a 2.45 CLI cannot use a custom Entra host at all; offline
 *    it cannot even be reached. The simulator's own `/common/discovery/instance` is never asked. Only an
 *    AD FS authority (`…/adfs`, Azure Stack Hub) skips instance discovery. Settled: the
 *    simulator serves AD FS too (`/adfs/.well-known/openid-configuration`, no `/v2.0`, and
 *    `/adfs/oauth2/token/`), and these tests register the cloud with `{origin}/adfs`. MSAL also
 *    drops the port when it builds the discovery URL, so port-bearing hosts need that path.
 * 2. `GET /subscriptions` (api-version 2019-11-01 for a custom cloud): `az login` lists the
 *    subscriptions first; the simulator answered 404 InvalidResourceType. Real ARM serves it.
 *    Settled: the simulator lists every subscription that holds an app (test/simulator/subscriptions.ts).
 * 3. `POST …/publishxml`: `az webapp show` always reads the publishing profiles (for
 *    `ftpPublishingUrl`); the simulator answered 404. Real App Service returns the profiles' XML.
 *    Settled: the simulator serves Web Deploy, FTP and Zip Deploy profiles (test/simulator/publish-profile.ts).
 * 4. `experiments` in site config: `az webapp traffic-routing set/clear` does
 *    `configs.experiments.ramp_up_rules = []` without a check, so real Azure always returns
 *    `experiments: {rampUpRules: []}`; the simulator left it out (as the spec's example does),
 *    and the CLI crashed with `'NoneType' object has no attribute 'ramp_up_rules'`. Settled:
 *    the simulator always answers `experiments`.
 * 5. Which applySlotConfig the CLI calls. `az webapp deployment slot swap --slot staging
 *    --action preview` calls `POST …/slots/staging/applySlotConfig {targetSlot: "production",
 *    preserveVnet: true}` (custom.py `swap_slot`: `apply_slot_configuration_slot`); the
 *    production-site form is used only without `--slot`. ../shared/azure-protocol.md and issue 7
 *    said the CLI uses the production-site form: that was wrong for the CLI (the simulator
 *    accepted both forms, nothing to fix there). `--action reset` calls the production-site
 *    `POST …/resetSlotConfig`, which resets every slot.
 * 6. Traffic-routing host names. The CLI builds `actionHostName` from the site's
 *    `defaultHostName` as `<first label>-<slot>.<rest>` (real Azure: `app-staging.azurewebsites.net`).
 *    The simulator's host names are `127.0.0.1:<port>/sites/<app>` (one origin for every slot),
 *    so the CLI writes `127-staging.0.0.1:<port>/sites/<app>`. Not fixed (every status page
 *    would need a DNS name): the tests assert the rule's name and percentage, that production's
 *    site config holds it, and the host the CLI derives. The action reports `actionHostName` as
 *    it finds it, so against the simulator a CLI-made rule names that derived host.
 * 7. api-versions: the CLI sends 2022-03-01 to Microsoft.Web and 2019-11-01 to subscriptions,
 *    not the SDK's 2025-03-01; both are versions real ARM serves. The simulator accepts them;
 *    the tests assert them, so an api-version check that refuses them fails here.
 * 8. Swaps: the CLI polls the `Location` of the 202 until 200 with no body, as the simulator
 *    answers; no divergence. `preserveVnet` defaults to true in the body.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type AppSeed, type Simulator } from "./simulator/index.js";

const SUB = "00000000-0000-0000-0000-00000000c11a";
const RG = "rg-cli";
const APP = "cli-shop";
/** Each `az` call is killed after this; a test makes at most three calls. */
const AZ_TIMEOUT_MS = 60_000;

/** The `az` on PATH, if any (found without running it). */
function findAz(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "az");
    if (dir !== "" && existsSync(candidate)) return candidate;
  }
  return undefined;
}

const azPath = findAz();
const inCi = process.env.CI === "true";

if (!azPath && inCi) {
  describe("Azure CLI", () => {
    it("is installed (.ci/run installs Debian's azure-cli)", () => {
      throw new Error(
        "CI=true but `az` is not on PATH: the Azure CLI suite cannot run. .ci/run installs it with `apt-get install -y azure-cli`; check that step's output.",
      );
    });
  });
} else if (!azPath) {
  process.stderr.write(
    "test/azure-cli.test.ts: skipped, `az` is not on PATH (install Debian's azure-cli: apt-get install -y azure-cli).\n",
  );
}

const seed: AppSeed = {
  subscriptionId: SUB,
  resourceGroup: RG,
  name: APP,
  location: "UK South",
  kind: "container",
  production: { build: "2.0.0" },
  staging: { build: "2.1.0" },
  stickySettings: { ENVIRONMENT_NAME: { production: "Production", staging: "Staging" } },
  appSettings: { FEATURE_FLAGS: "checkout" },
};

describe.runIf(azPath !== undefined)(
  "Azure CLI 2.45 against the simulator",
  { timeout: 4 * AZ_TIMEOUT_MS },
  () => {
    let sim: Simulator;
    let configDir: string;

    /** Runs `az` with its own config dir, trusting the simulator's CA; resolves stdout (JSON parsed when it is). */
    const az = (...args: string[]): Promise<unknown> => {
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const name of [
        "HTTPS_PROXY",
        "HTTP_PROXY",
        "NO_PROXY",
        "https_proxy",
        "http_proxy",
        "no_proxy",
      ])
        delete env[name];
      Object.assign(env, {
        AZURE_CONFIG_DIR: configDir,
        AZURE_CORE_COLLECT_TELEMETRY: "false",
        AZURE_CORE_NO_COLOR: "true",
        AZURE_CORE_ONLY_SHOW_ERRORS: "true",
        REQUESTS_CA_BUNDLE: sim.caCertPath,
      });
      return new Promise((resolve, reject) => {
        execFile(
          azPath!,
          [...args, "--output", "json"],
          { env, timeout: AZ_TIMEOUT_MS, killSignal: "SIGKILL", maxBuffer: 16 * 1024 * 1024 },
          (error, stdout, stderr) => {
            if (error) {
              reject(
                new Error(
                  `az ${args.join(" ")} failed (${error.killed ? `killed after ${AZ_TIMEOUT_MS} ms` : `exit ${String(error.code)}`}):\n${stderr}`,
                ),
              );
              return;
            }
            const text = stdout.trim();
            try {
              resolve(text === "" ? undefined : JSON.parse(text));
            } catch {
              resolve(text);
            }
          },
        );
      });
    };
    const app = ["--resource-group", RG, "--name", APP];
    /** ARM requests seen since `from` (journal index), as `METHOD path-after-site api-version`. */
    const armSince = (from: number): string[] =>
      sim.journal
        .entries()
        .slice(from)
        .filter((entry) => entry.service === "arm")
        .map(
          (entry) =>
            `${entry.method} ${entry.path.replace(/^.*\/sites\/[^/]+/i, "") || "/"} ${entry.query["api-version"] ?? "-"} ${entry.status}`,
        );
    const mark = (): number => sim.journal.entries().length;
    /** `az webapp deployment slot swap` of staging with production, plus `extra` arguments. */
    const swapStaging = (...extra: string[]): Promise<unknown> =>
      az("webapp", "deployment", "slot", "swap", ...app, "--slot", "staging", ...extra);

    beforeAll(async () => {
      sim = await startSimulator({ apps: [seed], swapDurationMs: 300 });
      configDir = mkdtempSync(join(tmpdir(), "regional-slot-swap-az-"));
      const origin = sim.origin;
      await az(
        "cloud",
        "register",
        "--name",
        "Simulator",
        "--endpoint-resource-manager",
        `${origin}/`,
        "--endpoint-active-directory",
        `${origin}/adfs`,
        "--endpoint-active-directory-resource-id",
        `${origin}/`,
        "--endpoint-active-directory-graph-resource-id",
        `${origin}/`,
        "--endpoint-management",
        `${origin}/`,
      );
      await az("cloud", "set", "--name", "Simulator");
    }, 4 * AZ_TIMEOUT_MS);
    afterAll(async () => {
      await sim?.close();
      if (configDir) rmSync(configDir, { recursive: true, force: true });
    });

    it("logs in with a service principal's secret through the cloud's AD FS endpoint", async () => {
      const from = mark();
      const accounts = (await az(
        "login",
        "--service-principal",
        "--username",
        sim.clientId,
        "--password",
        sim.clientSecret,
        "--tenant",
        sim.tenantId,
      )) as Array<Record<string, unknown>>;
      expect(accounts.map((account) => account.id)).toEqual([SUB]);
      expect(accounts[0]).toMatchObject({
        tenantId: sim.tenantId,
        state: "Enabled",
        user: { name: sim.clientId, type: "servicePrincipal" },
      });
      const seen = sim.journal
        .entries()
        .slice(from)
        .map((entry) => `${entry.method} ${entry.path} ${entry.status}`);
      expect(seen).toEqual([
        "GET /adfs/.well-known/openid-configuration 200",
        "POST /adfs/oauth2/token/ 200",
        "GET /subscriptions 200",
      ]);
      expect(sim.journal.entries()[from + 2]?.query["api-version"]).toBe("2019-11-01");
    });

    it("az webapp show: the production site as ARM has it", async () => {
      const from = mark();
      const site = (await az("webapp", "show", ...app)) as Record<string, unknown>;
      const truth = sim.slot(APP, "production");
      expect(site).toMatchObject({
        name: APP,
        state: "Running",
        defaultHostName: truth.defaultHostName,
        resourceGroup: RG,
      });
      expect((site.siteConfig as Record<string, unknown>).linuxFxVersion).toBe(
        truth.linuxFxVersion,
      );
      expect(String(site.ftpPublishingUrl)).toMatch(/^ftps:\/\//);
      expect(armSince(from)).toEqual([
        "GET / 2022-03-01 200",
        "GET /config/web 2022-03-01 200",
        "POST /publishxml 2022-03-01 200",
      ]);
    });

    it("az webapp config show: each slot's image", async () => {
      for (const slot of ["production", "staging"]) {
        const config = (await az(
          "webapp",
          "config",
          "show",
          ...app,
          ...(slot === "production" ? [] : ["--slot", slot]),
        )) as Record<string, unknown>;
        expect(config.linuxFxVersion).toBe(sim.slot(APP, slot).linuxFxVersion);
      }
      expect(sim.slot(APP, "production").linuxFxVersion).toMatch(/:2\.0\.0$/);
    });

    it("az webapp config appsettings list: values and which are slot settings", async () => {
      const from = mark();
      const settings = (await az("webapp", "config", "appsettings", "list", ...app)) as Array<{
        name: string;
        value: string;
        slotSetting: boolean;
      }>;
      const byName = Object.fromEntries(settings.map((setting) => [setting.name, setting]));
      expect(byName.ENVIRONMENT_NAME).toEqual({
        name: "ENVIRONMENT_NAME",
        value: "Production",
        slotSetting: true,
      });
      expect(byName.FEATURE_FLAGS).toMatchObject({ value: "checkout", slotSetting: false });
      expect(Object.keys(byName).sort()).toEqual(
        Object.keys(sim.slot(APP, "production").appSettings).sort(),
      );
      expect(armSince(from)).toEqual([
        "POST /config/appsettings/list 2022-03-01 200",
        "GET /config/slotConfigNames 2022-03-01 200",
      ]);
    });

    it("az webapp deployment slot list: the staging slot", async () => {
      const slots = (await az("webapp", "deployment", "slot", "list", ...app)) as Array<
        Record<string, unknown>
      >;
      expect(slots.map((slot) => slot.name)).toEqual(["staging"]);
      expect(slots[0]?.defaultHostName).toBe(sim.slot(APP, "staging").defaultHostName);
    });

    it("az webapp deployment slot swap: the builds change slots, sticky settings stay", async () => {
      const from = mark();
      await swapStaging();
      expect(sim.slot(APP, "production").build).toBe("2.1.0");
      expect(sim.slot(APP, "staging").build).toBe("2.0.0");
      expect(sim.slot(APP, "production").appSettings.ENVIRONMENT_NAME).toBe("Production");
      expect(sim.slot(APP, "staging").appSettings.ENVIRONMENT_NAME).toBe("Staging");
      expect(sim.isSwapping(APP)).toBe(false);
      const requests = sim.journal.swapRequests();
      expect(requests.at(-1)).toMatchObject({
        app: APP,
        slot: "staging",
        body: { targetSlot: "production", preserveVnet: true },
        processed: true,
        status: 202,
      });
      const seen = armSince(from);
      expect(seen[0]).toBe("POST /slots/staging/slotsswap 2022-03-01 202");
      expect(seen.at(-1)).toMatch(
        /^GET \/slots\/staging\/operationresults\/[0-9a-f-]+ 2022-03-01 200$/,
      );
      expect(sim.journal.swaps().at(-1)).toMatchObject({
        sourceSlot: "staging",
        targetSlot: "production",
        succeeded: true,
        before: { production: "2.0.0", staging: "2.1.0" },
      });
    });

    it("az webapp deployment slot swap --action preview, then --action reset", async () => {
      const from = mark();
      const productionBefore = sim.slot(APP, "production");
      await swapStaging("--action", "preview");
      const previewing = sim.slot(APP, "staging");
      expect(previewing.previewing).toBe(true);
      expect(previewing.appSettings.ENVIRONMENT_NAME).toBe("Production");
      expect(previewing.build).toBe("2.0.0"); // a preview moves no content
      expect(sim.slot(APP, "production")).toMatchObject({
        build: productionBefore.build,
        appSettings: productionBefore.appSettings,
        previewing: false,
      });

      await swapStaging("--action", "reset");
      const reset = sim.slot(APP, "staging");
      expect(reset.previewing).toBe(false);
      expect(reset.appSettings.ENVIRONMENT_NAME).toBe("Staging");
      expect(reset.build).toBe("2.0.0");
      expect(sim.slot(APP, "production").build).toBe("2.1.0");
      expect(armSince(from)).toEqual([
        "POST /slots/staging/applySlotConfig 2022-03-01 200",
        "POST /resetSlotConfig 2022-03-01 200",
      ]);
    });

    it("az webapp traffic-routing set and clear: production's ramp-up rules", async () => {
      const from = mark();
      const rules = (await az(
        "webapp",
        "traffic-routing",
        "set",
        ...app,
        "--distribution",
        "staging=25",
      )) as Array<Record<string, unknown>>;
      expect(rules).toMatchObject([{ name: "staging", reroutePercentage: 25 }]);
      const held = async (): Promise<unknown> =>
        (
          (await az("webapp", "config", "show", ...app)) as {
            experiments: { rampUpRules: unknown[] };
          }
        ).experiments.rampUpRules;
      expect(await held()).toMatchObject([{ name: "staging", reroutePercentage: 25 }]);
      // The CLI names the slot's host `<first label>-<slot>.<rest>` of defaultHostName (divergence 6).
      const [firstLabel, ...rest] = sim.slot(APP, "production").defaultHostName.split(".");
      expect(rules[0]?.actionHostName).toBe(`${firstLabel}-staging.${rest.join(".")}`);
      expect(sim.slot(APP, "staging").build).toBe("2.0.0");
      expect(armSince(from).slice(0, 3)).toEqual([
        "GET / 2022-03-01 200",
        "GET /config/web 2022-03-01 200",
        "PATCH /config/web 2022-03-01 200",
      ]);

      await az("webapp", "traffic-routing", "clear", ...app);
      expect(await held()).toEqual([]);
    });
  },
);
