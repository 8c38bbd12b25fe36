import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  AZURE_CLOUDS,
  INPUTS,
  INPUT_DEFAULTS,
  SettingsError,
  readSettings,
  type ActionSettings,
  type InputSpec,
  type SettingsProblem,
} from "../src/settings/index.js";

const FIXTURES = "test/fixtures/manifests";
const SHOP_YML = readFileSync(`${FIXTURES}/shop.yml`, "utf8");
const SHOP_JSON = readFileSync(`${FIXTURES}/shop.json`, "utf8");
const DEFAULT_MANIFEST = ".github/release-manifest.yml";
const SUBSCRIPTION = "22222222-2222-2222-2222-222222222222";
const TENANT = "33333333-3333-3333-3333-333333333333";
const CLIENT = "44444444-4444-4444-4444-444444444444";

interface Harness {
  events: string[];
  masked: string[];
  result: Promise<ActionSettings>;
}

/** Runs readSettings over plain inputs (the helpers below add build and subscription-id) and an in-memory file system, recording what it did. */
function run(
  inputs: Record<string, string>,
  files: Record<string, string> = { [DEFAULT_MANIFEST]: SHOP_YML },
): Harness {
  const events: string[] = [];
  const masked: string[] = [];
  const source = { getInput: (name: string) => inputs[name] ?? "" };
  const io = {
    mask(secret: string) {
      events.push("mask");
      masked.push(secret);
    },
    async readFile(path: string) {
      events.push(`read ${path}`);
      const text = files[path];
      if (text !== undefined) return text;
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), {
        code: "ENOENT",
      });
    },
  };
  return { events, masked, result: readSettings(source, io) };
}

async function settingsOf(
  inputs: Record<string, string>,
  files?: Record<string, string>,
): Promise<ActionSettings> {
  return run({ build: "1.4.2", "subscription-id": SUBSCRIPTION, ...inputs }, files).result;
}

/** The SettingsError readSettings must reject with, failing the test if it resolves or throws anything else. */
async function errorOf(
  inputs: Record<string, string>,
  files?: Record<string, string>,
): Promise<SettingsError> {
  const error = await run(
    { build: "1.4.2", "subscription-id": SUBSCRIPTION, ...inputs },
    files,
  ).result.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SettingsError);
  return error as SettingsError;
}

async function problemsOf(
  inputs: Record<string, string>,
  files?: Record<string, string>,
): Promise<SettingsProblem[]> {
  return (await errorOf(inputs, files)).problems;
}

/** The problems as the log lines users read. */
async function linesOf(
  inputs: Record<string, string>,
  files?: Record<string, string>,
): Promise<string[]> {
  return (await errorOf(inputs, files)).message.split("\n");
}

async function wheresOf(
  inputs: Record<string, string>,
  files?: Record<string, string>,
): Promise<string[]> {
  return (await problemsOf(inputs, files)).map((problem) => problem.where);
}

/** Runs with `manifest` as the only file, at the default path. */
function withManifest(manifest: string): Record<string, string> {
  return { [DEFAULT_MANIFEST]: manifest };
}

/** A minimal valid manifest: one region with one service whose `app:` is the last line, so tests append that service's fields, more services or more regions. */
const minimal = `
regions:
  - name: uk-south
    subscription-id: ${SUBSCRIPTION}
    resource-group: rg-uks
    services:
      - name: api
        app: shop-api-uks
`;

describe("defaults", () => {
  it("applies action.yml's defaults when only build is given", async () => {
    const settings = await settingsOf({});
    expect(settings.policy).toEqual({
      build: "1.4.2",
      mode: "release",
      rollback: "region",
      maxParallel: 0,
      statusTimeoutMs: 300_000,
      statusIntervalMs: 5_000,
      bakeTimeMs: 0,
      swapWithPreview: false,
      preserveVnet: true,
      refresh: "mirror",
      ignoreReleaseWindows: false,
    });
    expect(settings.manifestPath).toBe(DEFAULT_MANIFEST);
    expect(settings.azure).toEqual({
      method: "default-chain",
      cloud: "AzureCloud",
      armEndpoint: "https://management.azure.com",
      authorityHost: "https://login.microsoftonline.com",
      customAuthority: false,
      readCloudMetadata: false,
      oidcAudience: "api://AzureADTokenExchange",
    });
    expect(settings.github).toEqual({ deployments: false, environmentPrefix: "production-" });
    expect(settings).not.toHaveProperty("slackWebhookUrl");
    expect(settings.ignoreReleaseWindows).toBe(false);
  });

  it("declares in action.yml exactly the inputs of INPUTS, with their defaults and descriptions", () => {
    const action = parse(readFileSync("action.yml", "utf8")) as {
      inputs: Record<string, { description?: string; default?: string; required?: boolean }>;
    };
    const declared = Object.entries(action.inputs).map(([name, input]) => ({
      name,
      description: input.description,
      required: input.required,
      default: input.default,
    }));
    // In INPUTS' order too, so action.yml reads as the table does.
    const ours = Object.entries(INPUTS).map(([name, spec]: [string, InputSpec<unknown>]) => ({
      name,
      description: spec.description,
      required: spec.required !== undefined,
      default: spec.required !== undefined ? undefined : (spec.runnerDefault ?? spec.default),
    }));
    expect(declared).toEqual(ours);
    const optional = ours.filter((input) => !input.required).map((input) => input.name);
    expect(Object.keys(INPUT_DEFAULTS)).toEqual(optional);
    expect(INPUT_DEFAULTS["github-token"]).toBe("");
  });

  it("reads the manifest with the defaults of slot and status", async () => {
    const settings = await settingsOf({}, withManifest(minimal));
    expect(settings.fleet).toEqual({
      sourceSlot: "staging",
      regions: [
        {
          name: "uk-south",
          subscriptionId: SUBSCRIPTION,
          resourceGroup: "rg-uks",
          services: [
            {
              name: "api",
              app: "shop-api-uks",
              status: { urlTemplate: "https://{host}/status", buildField: "build" },
              dependsOn: [],
            },
          ],
        },
      ],
      waves: [{ regions: ["uk-south"], bakeTimeMs: null }],
    });
  });

  it("trims inputs and treats blank ones as unset", async () => {
    const settings = await settingsOf({ build: "  1.4.2\n", mode: "  ", "bake-time": " 10s " });
    expect(settings.policy.build).toBe("1.4.2");
    expect(settings.policy.mode).toBe("release");
    expect(settings.policy.bakeTimeMs).toBe(10_000);
  });
});

describe("input rules", () => {
  it("requires build", async () => {
    expect(await linesOf({ build: "" })).toEqual([
      "input build: is empty. Set build to the build your status pages report, e.g. build: ${{ github.ref_name }}.",
    ]);
    expect(await wheresOf({ build: "   " })).toEqual(["input build"]);
  });

  it("rejects whitespace inside build", async () => {
    const [problem] = await problemsOf({ build: "1.4.2 beta" });
    expect(problem).toMatchObject({
      where: "input build",
      message: '"1.4.2 beta" contains whitespace.',
    });
  });

  it.each([
    ["mode", "plan", { mode: "plan" }],
    ["rollback", "all", { rollback: "all" }],
    ["rollback", "none", { rollback: "none" }],
    ["refresh", "none", { refresh: "none" }],
    ["mode", "PLAN", { mode: "plan" }],
  ])("accepts %s: %s", async (name, value, expected) => {
    expect((await settingsOf({ [name]: value })).policy).toMatchObject(expected);
  });

  it.each([
    ["mode", "relase", "Did you mean release? Use one of: release, plan."],
    ["rollback", "everything", "Use one of: region, all, none."],
    ["refresh", "mirrror", "Did you mean mirror? Use one of: mirror, none."],
  ])("rejects %s: %s", async (name, value, hint) => {
    const problems = await problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.where).toBe(`input ${name}`);
    expect(problems[0]?.message).toMatch(new RegExp(`^"${value}" is not a `));
    expect(problems[0]?.hint).toBe(hint);
  });

  it("reads max-parallel as a whole number of zero or more", async () => {
    expect((await settingsOf({ "max-parallel": "3" })).policy.maxParallel).toBe(3);
    expect((await settingsOf({ "max-parallel": "0" })).policy.maxParallel).toBe(0);
    for (const bad of ["-1", "1.5", "two", "1e3"]) {
      expect(await linesOf({ "max-parallel": bad })).toEqual([
        `input max-parallel: "${bad}" is not a whole number of zero or more. Write a number like 0, 2 or 10.`,
      ]);
    }
  });

  it.each([
    ["90s", 90_000],
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["1h", 3_600_000],
    ["1m30s", 90_000],
    ["2h0m5s", 7_205_000],
    ["45", 45_000],
    ["0.5", 500],
    ["1.5s", 1_500],
    ["250ms", 250],
    ["5M", 300_000],
  ])("reads the duration %s as %i ms", async (text, ms) => {
    const settings = await settingsOf({
      "status-timeout": text,
      "status-interval": text,
      "bake-time": text,
    });
    expect(settings.policy.statusTimeoutMs).toBe(ms);
    expect(settings.policy.statusIntervalMs).toBe(ms);
    expect(settings.policy.bakeTimeMs).toBe(ms);
  });

  it("explains a duration that is not one", async () => {
    expect(await linesOf({ "status-timeout": "5 minutes" })).toEqual([
      'input status-timeout: "5 minutes" is not a duration. Write it like 90s, 5m or 1h30m; a bare number is seconds.',
    ]);
  });

  it.each(["5x", "s", "m5", "1s1h", "5m5m", "1h 30m", ".5s", "5.s", "abc"])(
    "rejects the duration %s",
    async (text) => {
      const problems = await problemsOf({ "bake-time": text });
      expect(problems).toEqual([
        {
          where: "input bake-time",
          message: `${JSON.stringify(text)} is not a duration.`,
          hint: "Write it like 90s, 5m or 1h30m; a bare number is seconds.",
        },
      ]);
    },
  );

  it("rejects negative durations", async () => {
    const problems = await problemsOf({ "bake-time": "-5s", "status-timeout": "-1" });
    expect(problems.map((p) => [p.where, p.message])).toEqual([
      ["input status-timeout", '"-1" is negative.'],
      ["input bake-time", '"-5s" is negative.'],
    ]);
  });

  it("requires status-timeout and status-interval above zero but allows a zero bake-time", async () => {
    const problems = await problemsOf({ "status-timeout": "0", "status-interval": "0s" });
    expect(problems.map((p) => [p.where, p.message])).toEqual([
      ["input status-timeout", '"0" must be longer than zero.'],
      ["input status-interval", '"0s" must be longer than zero.'],
    ]);
    expect((await settingsOf({ "bake-time": "0" })).policy.bakeTimeMs).toBe(0);
  });

  it("rejects durations longer than a Node.js timer can wait", async () => {
    expect(await wheresOf({ "status-timeout": "600h" })).toEqual(["input status-timeout"]);
    expect((await settingsOf({ "status-timeout": "500h" })).policy.statusTimeoutMs).toBe(
      1_800_000_000,
    );
  });

  it.each(["true", "True", "TRUE", "false", "False", "FALSE"])(
    "reads the boolean word %s like core.getBooleanInput",
    async (word) => {
      const expected = word.toLowerCase() === "true";
      const settings = await settingsOf({
        "swap-with-preview": word,
        "preserve-vnet": word,
        "github-deployments": word,
        "ignore-release-windows": word,
      });
      expect(settings.ignoreReleaseWindows).toBe(expected);
      expect(settings.policy.swapWithPreview).toBe(expected);
      expect(settings.policy.preserveVnet).toBe(expected);
      expect(settings.github.deployments).toBe(expected);
    },
  );

  it.each(["yes", "no", "1", "0", "tRue", "on"])("rejects the boolean word %s", async (word) => {
    const problems = await problemsOf({
      "swap-with-preview": word,
      "preserve-vnet": word,
      "github-deployments": word,
    });
    expect(problems.map((p) => p.where)).toEqual([
      "input swap-with-preview",
      "input preserve-vnet",
      "input github-deployments",
    ]);
    expect(problems[0]?.message).toBe(`"${word}" is not a boolean.`);
    expect(problems[0]?.hint).toBe("Write true or false (True, TRUE, False and FALSE work too).");
  });

  it("passes the github token and environment prefix through", async () => {
    const settings = await settingsOf({ "github-token": "ghs_abc", "environment-prefix": "prod/" });
    expect(settings.github).toEqual({
      token: "ghs_abc",
      deployments: false,
      environmentPrefix: "prod/",
    });
  });

  it("rejects a subscription-id that is not a GUID", async () => {
    expect(await linesOf({ "subscription-id": "my-subscription" })).toEqual([
      'input subscription-id: "my-subscription" is not a GUID. Copy the subscription id from the Azure portal, like 00000000-0000-0000-0000-000000000000.',
    ]);
  });

  it("accepts a slack-webhook-url over https only and never prints it", async () => {
    const url = "https://hooks.slack.com/services/T000/B000/XXXX";
    expect((await settingsOf({ "slack-webhook-url": url })).slackWebhookUrl).toBe(url);
    for (const bad of ["http://hooks.slack.com/services/T000/B000/XXXX", "hooks.slack.com/x"]) {
      const lines = await linesOf({ "slack-webhook-url": bad });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^input slack-webhook-url: the value \(hidden, it is a secret\) /);
      expect(lines[0]).not.toContain("hooks.slack.com/");
    }
  });
});

describe("Azure sign-in", () => {
  it.each([
    [
      "AzureCloud",
      "https://management.azure.com",
      "https://login.microsoftonline.com",
      "api://AzureADTokenExchange",
    ],
    [
      "AzureChinaCloud",
      "https://management.chinacloudapi.cn",
      "https://login.chinacloudapi.cn",
      "api://AzureADTokenExchangeChina",
    ],
    [
      "AzureUSGovernment",
      "https://management.usgovcloudapi.net",
      "https://login.microsoftonline.us",
      "api://AzureADTokenExchangeUSGov",
    ],
  ])(
    "uses %s's endpoints and OIDC audience",
    async (cloud, armEndpoint, authorityHost, oidcAudience) => {
      const settings = await settingsOf({ "azure-cloud": cloud });
      expect(settings.azure).toMatchObject({
        cloud,
        armEndpoint,
        authorityHost,
        customAuthority: false,
        readCloudMetadata: false,
        oidcAudience,
      });
      expect(AZURE_CLOUDS[cloud as keyof typeof AZURE_CLOUDS]).toEqual({
        armEndpoint,
        authorityHost,
        oidcAudience,
      });
    },
  );

  it("accepts the cloud name in any case and rejects unknown clouds", async () => {
    expect((await settingsOf({ "azure-cloud": "azurechinacloud" })).azure.cloud).toBe(
      "AzureChinaCloud",
    );
    expect(await linesOf({ "azure-cloud": "AzureGermanCloud" })).toEqual([
      'input azure-cloud: "AzureGermanCloud" is not an Azure cloud. Use one of: AzureCloud, AzureChinaCloud, AzureUSGovernment.',
    ]);
  });

  it("takes custom endpoints without their trailing slash and skips instance discovery", async () => {
    const settings = await settingsOf({
      "arm-endpoint": "https://127.0.0.1:8443/",
      "authority-host": "https://127.0.0.1:8444/",
    });
    expect(settings.azure).toMatchObject({
      cloud: "AzureCloud",
      armEndpoint: "https://127.0.0.1:8443",
      authorityHost: "https://127.0.0.1:8444",
      customAuthority: true,
    });
  });

  it("does not call the cloud's own authority host custom", async () => {
    const settings = await settingsOf({
      "azure-cloud": "AzureUSGovernment",
      "authority-host": "https://LOGIN.microsoftonline.us/",
    });
    expect(settings.azure.customAuthority).toBe(false);
    expect(settings.azure.authorityHost).toBe("https://LOGIN.microsoftonline.us");
  });

  it("reads the authority from the cloud's metadata while only arm-endpoint is custom", async () => {
    const settings = await settingsOf({
      "arm-endpoint": "https://management.local.azurestack.external",
    });
    expect(settings.azure).toMatchObject({
      armEndpoint: "https://management.local.azurestack.external",
      authorityHost: "https://login.microsoftonline.com",
      customAuthority: false,
      readCloudMetadata: true,
    });
    // Not with an authority host given, nor when arm-endpoint is the cloud's own.
    const notCustom: Record<string, string>[] = [
      {
        "arm-endpoint": "https://management.local.azurestack.external",
        "authority-host": "https://login.microsoftonline.com",
      },
      { "azure-cloud": "AzureChinaCloud", "arm-endpoint": "https://MANAGEMENT.chinacloudapi.cn/" },
    ];
    for (const inputs of notCustom) {
      expect((await settingsOf(inputs)).azure.readCloudMetadata).toBe(false);
    }
  });

  it("takes arm-api-version and oidc-audience, and names each when it is bad", async () => {
    const settings = await settingsOf({
      "azure-cloud": "AzureUSGovernment",
      "arm-api-version": "2022-03-01",
      "oidc-audience": "api://my-exchange",
    });
    expect(settings.azure).toMatchObject({
      armApiVersion: "2022-03-01",
      oidcAudience: "api://my-exchange",
    });
    expect(
      (await settingsOf({ "arm-api-version": "2024-04-01-preview" })).azure.armApiVersion,
    ).toBe("2024-04-01-preview");
    expect((await settingsOf({})).azure).not.toHaveProperty("armApiVersion");
    expect(await linesOf({ "arm-api-version": "v2022", "oidc-audience": "api://a b" })).toEqual([
      'input arm-api-version: "v2022" is not an Azure Resource Manager api-version. Write a date like 2022-03-01 (one of the versions ARM lists for Microsoft.Web/sites), or leave it empty for the SDK\'s own.',
      'input oidc-audience: "api://a b" holds spaces or invisible characters. Write the audience of the federated credential exactly, like api://AzureADTokenExchange, or leave it empty for AzureCloud\'s.',
    ]);
    expect(await linesOf({ "arm-api-version": "2022-3-1" })).toEqual([
      expect.stringMatching(/^input arm-api-version: "2022-3-1" is not/),
    ]);
  });

  it("requires absolute https URLs for the endpoints", async () => {
    const problems = await problemsOf({
      "arm-endpoint": "http://127.0.0.1:8443",
      "authority-host": "login.example.com",
    });
    expect(problems).toEqual([
      {
        where: "input arm-endpoint",
        message: '"http://127.0.0.1:8443" does not use https.',
        hint: "Write a URL that starts with https://. Leave it empty to use AzureCloud's.",
      },
      {
        where: "input authority-host",
        message: '"login.example.com" is not an absolute URL.',
        hint: "Write a URL that starts with https://. Leave it empty to use AzureCloud's.",
      },
    ]);
  });

  it("signs in through OIDC with a client id and tenant", async () => {
    const settings = await settingsOf({ "client-id": CLIENT, "tenant-id": TENANT });
    expect(settings.azure).toMatchObject({ method: "oidc", clientId: CLIENT, tenantId: TENANT });
    expect(settings.azure).not.toHaveProperty("clientSecret");
  });

  it("signs in with a client secret when one is given", async () => {
    const settings = await settingsOf({
      "client-id": CLIENT,
      "tenant-id": TENANT,
      "client-secret": "s3cret~value",
    });
    expect(settings.azure).toMatchObject({
      method: "client-secret",
      clientId: CLIENT,
      tenantId: TENANT,
      clientSecret: "s3cret~value",
    });
  });

  it("uses the default chain without a client id, passing a tenant along", async () => {
    const settings = await settingsOf({ "tenant-id": TENANT });
    expect(settings.azure).toMatchObject({ method: "default-chain", tenantId: TENANT });
  });

  it("requires client-id and tenant-id for a client secret", async () => {
    const problems = await problemsOf({ "client-secret": "s3cret~value" });
    expect(problems.map((p) => [p.where, p.message])).toEqual([
      ["input client-secret", "is set but client-id is empty."],
      ["input client-secret", "is set but tenant-id is empty."],
    ]);
    expect(problems.map((p) => p.message + p.hint).join()).not.toContain("s3cret");
  });

  it("requires tenant-id for a client id", async () => {
    expect(await linesOf({ "client-id": CLIENT })).toEqual([
      "input client-id: is set but tenant-id is empty. Set tenant-id to the Microsoft Entra tenant of the app registration.",
    ]);
  });

  it("requires GUIDs for tenant-id and client-id", async () => {
    const problems = await problemsOf({ "tenant-id": "contoso", "client-id": "my-app" });
    expect(problems.map((p) => [p.where, p.message])).toEqual([
      ["input tenant-id", '"contoso" is not a GUID.'],
      ["input client-id", '"my-app" is not a GUID.'],
    ]);
  });
});

describe("masking", () => {
  it("masks every secret before reading anything else", async () => {
    const harness = run(
      {
        build: "1.4.2",
        "client-id": CLIENT,
        "tenant-id": TENANT,
        "client-secret": " s3cret~value ",
        "slack-webhook-url": "https://hooks.slack.com/services/T000/B000/XXXX",
        "github-token": "ghs_token",
        "subscription-id": SUBSCRIPTION,
      },
      withManifest(SHOP_YML),
    );
    await harness.result;
    expect(harness.masked).toEqual([
      "https://hooks.slack.com/services/T000/B000/XXXX",
      "ghs_token",
      "s3cret~value",
    ]);
    expect(harness.events).toEqual(["mask", "mask", "mask", `read ${DEFAULT_MANIFEST}`]);
  });

  it("masks the secrets even when the inputs are invalid", async () => {
    const harness = run({
      build: "",
      "client-secret": "s3cret~value",
      "slack-webhook-url": "http://hooks.slack.com/services/T000/B000/XXXX",
    });
    await expect(harness.result).rejects.toBeInstanceOf(SettingsError);
    expect(harness.masked).toEqual([
      "http://hooks.slack.com/services/T000/B000/XXXX",
      "s3cret~value",
    ]);
  });

  it("masks nothing when no secret is set", async () => {
    const harness = run({ build: "1.4.2", "subscription-id": SUBSCRIPTION });
    await harness.result;
    expect(harness.masked).toEqual([]);
  });
});

describe("regions filter", () => {
  it("keeps the manifest's order whatever the filter's order", async () => {
    const settings = await settingsOf({
      "subscription-id": SUBSCRIPTION,
      regions: "east-us, uk-south",
    });
    expect(settings.fleet.regions.map((region) => region.name)).toEqual(["uk-south", "east-us"]);
  });

  it("splits on new lines as well as commas", async () => {
    const settings = await settingsOf({
      "subscription-id": SUBSCRIPTION,
      regions: "east-us\nwest-europe,\n",
    });
    expect(settings.fleet.regions.map((region) => region.name)).toEqual(["west-europe", "east-us"]);
  });

  it("targets every region when empty", async () => {
    const settings = await settingsOf({ "subscription-id": SUBSCRIPTION });
    expect(settings.fleet.regions.map((region) => region.name)).toEqual([
      "uk-south",
      "west-europe",
      "east-us",
    ]);
  });

  it("rejects names the manifest does not have, listing those it has", async () => {
    expect(
      await linesOf({ "subscription-id": SUBSCRIPTION, regions: "uk-south,uksouth,mars" }),
    ).toEqual([
      'input regions: "uksouth" is not a region of the manifest. Did you mean uk-south? The manifest\'s regions are uk-south, west-europe, east-us.',
      'input regions: "mars" is not a region of the manifest. The manifest\'s regions are uk-south, west-europe, east-us.',
    ]);
  });

  it("rejects a region listed twice", async () => {
    expect(
      await linesOf({ "subscription-id": SUBSCRIPTION, regions: "uk-south,east-us\nuk-south" }),
    ).toEqual(['input regions: "uk-south" is listed more than once. List each region once.']);
  });

  it("takes the subscription from the region, else from the input", async () => {
    const settings = await settingsOf({ "subscription-id": SUBSCRIPTION });
    expect(settings.fleet.regions.map((region) => region.subscriptionId)).toEqual([
      "11111111-1111-1111-1111-111111111111",
      SUBSCRIPTION,
      SUBSCRIPTION,
    ]);
  });

  it("needs a subscription only for the targeted regions", async () => {
    const settings = await settingsOf({ "subscription-id": "", regions: "uk-south" });
    expect(settings.fleet.regions.map((region) => region.name)).toEqual(["uk-south"]);
    expect(await linesOf({ "subscription-id": "", regions: "uk-south,east-us" })).toEqual([
      'manifest regions[2].subscription-id: is missing for region "east-us", and the subscription-id input is empty. Add subscription-id to the region, or set the subscription-id input.',
    ]);
  });
});

describe("manifest file", () => {
  it("reads the manifest from the manifest input's path", async () => {
    const settings = await settingsOf(
      { manifest: "deploy/fleet.yml" },
      { "deploy/fleet.yml": minimal },
    );
    expect(settings.manifestPath).toBe("deploy/fleet.yml");
    expect(settings.fleet.regions).toHaveLength(1);
  });

  it("reads a JSON manifest", async () => {
    const settings = await settingsOf({ manifest: "fleet.json" }, { "fleet.json": SHOP_JSON });
    expect(settings.fleet).toEqual({
      sourceSlot: "blue",
      regions: [
        {
          name: "uk-south",
          subscriptionId: "11111111-1111-1111-1111-111111111111",
          resourceGroup: "rg-shop-uks",
          services: [
            {
              name: "api",
              app: "shop-api-uks",
              status: { urlTemplate: "https://{host}/status", buildField: "app.version" },
              dependsOn: [],
            },
          ],
        },
      ],
      waves: [{ regions: ["uk-south"], bakeTimeMs: null }],
    });
  });

  it("reads JSON indented with tabs, which YAML forbids in block style", async () => {
    const tabbed = JSON.stringify(JSON.parse(SHOP_JSON), null, "\t");
    expect(tabbed).toContain("\n\t\t");
    const fromTabs = await settingsOf({ manifest: "fleet.json" }, { "fleet.json": tabbed });
    const fromSpaces = await settingsOf({ manifest: "fleet.json" }, { "fleet.json": SHOP_JSON });
    expect(fromTabs.fleet).toEqual(fromSpaces.fleet);
  });

  it("says which path was tried when the file is missing", async () => {
    expect(await linesOf({}, {})).toEqual([
      `input manifest: no release manifest at ".github/release-manifest.yml", the default path (${resolve(DEFAULT_MANIFEST)}). Check out the repository before this step (actions/checkout), or set the manifest input to the manifest's path relative to the working directory.`,
    ]);
    const [problem] = await problemsOf({ manifest: "ops/missing.yml" }, {});
    expect(problem?.message).toBe(
      `no release manifest at "ops/missing.yml" (${resolve("ops/missing.yml")}).`,
    );
  });

  it("names the file, line and column of a syntax error", async () => {
    const broken = "regions:\n  - name: uk-south\n    services: [api\n  - name: x\n";
    const problems = await problemsOf({ manifest: "fleet.yml" }, { "fleet.yml": broken });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.where).toMatch(/^manifest fleet\.yml:\d+:\d+$/);
    expect(problems[0]?.hint).toBe("Fix the YAML (or JSON) syntax there.");
    expect(problems[0]?.message).not.toContain("\n");
  });

  it("reports a duplicate key at its position", async () => {
    const duplicated = `slot: staging\nslot: blue\n${minimal}`;
    expect(await linesOf({}, withManifest(duplicated))).toEqual([
      `manifest ${DEFAULT_MANIFEST}:2:1: Map keys must be unique. Fix the YAML (or JSON) syntax there.`,
    ]);
  });

  it("names the position of a broken JSON manifest", async () => {
    const problems = await problemsOf(
      { manifest: "fleet.json" },
      { "fleet.json": '{\n  "regions": [\n    { "name": "uk-south", }\n  ]\n' },
    );
    expect(problems[0]?.where).toMatch(/^manifest fleet\.json:\d+:\d+$/);
  });

  it("rejects an empty manifest and one that is not a mapping", async () => {
    expect(await wheresOf({}, withManifest("# nothing yet\n"))).toEqual([
      `manifest ${DEFAULT_MANIFEST}`,
    ]);
    expect(await linesOf({}, withManifest("- uk-south\n- west-europe\n"))).toEqual([
      `manifest ${DEFAULT_MANIFEST}: holds a list, not a mapping. Write the release manifest as a mapping with slot, status and regions.`,
    ]);
  });

  it("supports anchors and merge keys", async () => {
    // The one service of `minimal` merges the anchored status into its own.
    const merged = `${minimal}        status:
          <<: *status
          url: https://{host}/healthz
`;
    const manifest = `x-defaults: &status { build-field: version }\n${merged}`;
    const problems = await problemsOf({}, withManifest(manifest));
    // The anchor's carrier is itself an unknown field: anchors must live inside known fields.
    expect(problems.map((p) => p.where)).toEqual(["manifest x-defaults"]);
    const shared = `status: &status { build-field: version }\n${merged}`;
    const settings = await settingsOf({}, withManifest(shared));
    expect(settings.fleet.regions[0]?.services[0]?.status).toEqual({
      urlTemplate: "https://{host}/healthz",
      buildField: "version",
    });
  });
});

describe("manifest rules", () => {
  it("reads the contract's example manifest", async () => {
    const settings = await settingsOf({ "subscription-id": SUBSCRIPTION });
    expect(settings.fleet.sourceSlot).toBe("staging");
    expect(settings.fleet.regions[0]).toEqual({
      name: "uk-south",
      subscriptionId: "11111111-1111-1111-1111-111111111111",
      resourceGroup: "rg-shop-uks",
      services: [
        {
          name: "api",
          app: "shop-api-uks",
          status: {
            urlTemplate: "https://{host}/status",
            buildField: "build",
            dependenciesField: "dependencies",
          },
          dependsOn: [],
        },
        {
          name: "auth",
          app: "shop-auth-uks",
          status: {
            urlTemplate: "https://{host}/healthz",
            buildField: "version",
            dependenciesField: "dependencies",
          },
          dependsOn: [],
        },
      ],
    });
  });

  it("merges a service's status over the top-level one field by field", async () => {
    const manifest = `
status:
  url: https://{app}.internal/{region}/status
  dependencies-field: checks
${minimal}      - name: auth
        app: shop-auth-uks
        status: { build-field: meta.build }
      - name: web
        app: shop-web-uks
        status: { url: "http://{host}:8080/{service}/{slot}", dependencies-field: health.entries }
`;
    const services = (await settingsOf({}, withManifest(manifest))).fleet.regions[0]?.services;
    expect(services?.map((service) => service.status)).toEqual([
      {
        urlTemplate: "https://{app}.internal/{region}/status",
        buildField: "build",
        dependenciesField: "checks",
      },
      {
        urlTemplate: "https://{app}.internal/{region}/status",
        buildField: "meta.build",
        dependenciesField: "checks",
      },
      {
        urlTemplate: "http://{host}:8080/{service}/{slot}",
        buildField: "build",
        dependenciesField: "health.entries",
      },
    ]);
  });

  it("rejects production as the source slot and invalid slot names", async () => {
    expect(await linesOf({}, withManifest(`slot: Production\n${minimal}`))).toEqual([
      'manifest slot: "Production" is the production slot itself; services are swapped from another slot into it. Name the slot your build is deployed to, like staging.',
    ]);
    expect(await linesOf({}, withManifest(`slot: blue_green\n${minimal}`))).toEqual([
      'manifest slot: "blue_green" is not a valid slot name. Use 2-59 letters, digits and hyphens, not starting or ending with a hyphen.',
    ]);
  });

  it("requires a non-empty list of regions", async () => {
    expect(await linesOf({}, withManifest("slot: staging\n"))).toEqual([
      'manifest regions: is missing. Add regions: List at least one region, each starting with "- ", like - name: uk-south.',
    ]);
    expect(await wheresOf({}, withManifest("regions: []\n"))).toEqual(["manifest regions"]);
    const [problem] = await problemsOf({}, withManifest("regions:\n  uk-south: {}\n"));
    expect(problem).toMatchObject({
      where: "manifest regions",
      message: "must be a list, not a mapping.",
    });
  });

  it("requires region names to be unique", async () => {
    const manifest = `${minimal}  - name: UK-South
    subscription-id: ${SUBSCRIPTION}
    resource-group: rg-uks2
    services:
      - name: api
        app: shop-api-uks2
`;
    expect(await linesOf({}, withManifest(manifest))).toEqual([
      'manifest regions[1].name: "UK-South" is already the name of regions[0]. Give every region a unique name.',
    ]);
  });

  it("requires service names to be unique within a region, not across regions", async () => {
    const manifest = `
regions:
  - name: uk-south
    subscription-id: ${SUBSCRIPTION}
    resource-group: rg-uks
    services:
      - { name: api, app: shop-api-uks }
      - { name: web, app: shop-web-uks }
      - { name: api, app: shop-api2-uks }
  - name: west-europe
    subscription-id: ${SUBSCRIPTION}
    resource-group: rg-weu
    services:
      - { name: api, app: shop-api-weu }
`;
    expect(await linesOf({}, withManifest(manifest))).toEqual([
      'manifest regions[0].services[2].name: "api" is already the name of regions[0].services[0]. Give every service a unique name.',
    ]);
  });

  it("checks every region's fields", async () => {
    const manifest = `
regions:
  - name: "uk south"
    subscription-id: not-a-guid
    resource-group: "rg shop."
    services: []
  - subscription-id: ${SUBSCRIPTION}
  - just-a-name
`;
    expect(await linesOf({}, withManifest(manifest))).toEqual([
      'manifest regions[0].name: "uk south" is not a valid name. Use up to 100 letters, digits, hyphens, underscores and periods, starting and ending with a letter or digit.',
      'manifest regions[0].subscription-id: "not-a-guid" is not a GUID. Copy the subscription id from the Azure portal, like 00000000-0000-0000-0000-000000000000.',
      'manifest regions[0].resource-group: "rg shop." is not a valid resource group name. Use 1-90 letters, digits, underscores, hyphens, periods and parentheses, not ending with a period.',
      'manifest regions[0].services: is empty. List at least one service, each starting with "- ", like - name: api.',
      "manifest regions[1].name: is missing. Add it, like name: uk-south.",
      "manifest regions[1].resource-group: is missing. Add it, like resource-group: rg-shop-uks.",
      'manifest regions[1].services: is missing. Add services: List at least one service, each starting with "- ", like - name: api.',
      "manifest regions[2]: must be a region (a mapping), not a string. Write its fields as key: value lines, like name: uk-south.",
    ]);
  });

  it("accepts resource group names with periods, parentheses and underscores", async () => {
    const manifest = minimal.replace("rg-uks", "rg_(shop).uks");
    const settings = await settingsOf({}, withManifest(manifest));
    expect(settings.fleet.regions[0]?.resourceGroup).toBe("rg_(shop).uks");
  });

  it("needs a subscription from the region or the input, naming both", async () => {
    const manifest = minimal.replace(`    subscription-id: ${SUBSCRIPTION}\n`, "");
    expect(await linesOf({ "subscription-id": "" }, withManifest(manifest))).toEqual([
      'manifest regions[0].subscription-id: is missing for region "uk-south", and the subscription-id input is empty. Add subscription-id to the region, or set the subscription-id input.',
    ]);
    const settings = await settingsOf({ "subscription-id": SUBSCRIPTION }, withManifest(manifest));
    expect(settings.fleet.regions[0]?.subscriptionId).toBe(SUBSCRIPTION);
  });

  it("names an invalid App Service name by its path", async () => {
    const manifest = `${minimal}  - name: west-europe
    subscription-id: ${SUBSCRIPTION}
    resource-group: rg-weu
    services:
      - name: api
        app: Shop API
      - name: web
        app: -shop-web
      - name: x
        app: "a"
      - name: long
        app: ${"a".repeat(61)}
`;
    const lines = await linesOf({}, withManifest(manifest));
    expect(lines).toEqual([
      'manifest regions[1].services[0].app: "Shop API" is not a valid App Service name. Use 2-60 letters, digits and hyphens, not starting or ending with a hyphen.',
      'manifest regions[1].services[1].app: "-shop-web" is not a valid App Service name. Use 2-60 letters, digits and hyphens, not starting or ending with a hyphen.',
      'manifest regions[1].services[2].app: "a" is not a valid App Service name. Use 2-60 letters, digits and hyphens, not starting or ending with a hyphen.',
      `manifest regions[1].services[3].app: "${"a".repeat(61)}" is not a valid App Service name. Use 2-60 letters, digits and hyphens, not starting or ending with a hyphen.`,
    ]);
    const sixty = minimal.replace("shop-api-uks", "a".repeat(60));
    expect((await settingsOf({}, withManifest(sixty))).fleet.regions[0]?.services[0]?.app).toBe(
      "a".repeat(60),
    );
  });

  it("names the expected type of a wrongly typed field", async () => {
    const manifest = `
slot: [staging]
status: https://{host}/status
regions:
  - name: 2024
    subscription-id: ${SUBSCRIPTION}
    resource-group: { name: rg }
    services:
      - name: api
        app: true
`;
    expect(await linesOf({}, withManifest(manifest))).toEqual([
      "manifest slot: must be a string, not a list. Write it like slot: staging.",
      "manifest status: must be a status rule (a mapping), not a string. Write its fields as key: value lines, like url: https://{host}/status.",
      'manifest regions[0].name: must be a string, not a number. Quote it, like name: "2024".',
      "manifest regions[0].resource-group: must be a string, not a mapping. Write it like resource-group: rg-shop-uks.",
      'manifest regions[0].services[0].app: must be a string, not a boolean. Quote it, like app: "true".',
    ]);
  });

  it("rejects unknown fields at every level, suggesting the field meant", async () => {
    const manifest = `
slots: staging
status:
  url: https://{host}/status
  buildField: version
regions:
  - name: uk-south
    subscription-id: ${SUBSCRIPTION}
    resource_group: rg-uks
    servces:
      - name: api
        app: shop-api-uks
  - name: west-europe
    subscription-id: ${SUBSCRIPTION}
    resource-group: rg-weu
    location: westeurope
    services:
      - name: api
        app: shop-api-weu
        slot: blue
        status: { url: "https://{host}/status", depedencies-field: deps }
`;
    expect(await linesOf({}, withManifest(manifest))).toEqual([
      "manifest slots: is not a field of the manifest. Did you mean slot? The fields of the manifest are slot, status, regions, waves, canary, analysis and release-windows.",
      "manifest status.buildField: is not a field of a status rule. Did you mean build-field? The fields of a status rule are url, build-field and dependencies-field.",
      "manifest regions[0].resource_group: is not a field of a region. Did you mean resource-group? The fields of a region are name, subscription-id, resource-group and services.",
      "manifest regions[0].servces: is not a field of a region. Did you mean services? The fields of a region are name, subscription-id, resource-group and services.",
      "manifest regions[0].resource-group: is missing. Add it, like resource-group: rg-shop-uks.",
      'manifest regions[0].services: is missing. Add services: List at least one service, each starting with "- ", like - name: api.',
      "manifest regions[1].location: is not a field of a region. The fields of a region are name, subscription-id, resource-group and services.",
      "manifest regions[1].services[0].slot: is not a field of a service. The fields of a service are name, app, status and depends-on.",
      "manifest regions[1].services[0].status.depedencies-field: is not a field of a status rule. Did you mean dependencies-field? The fields of a status rule are url, build-field and dependencies-field.",
    ]);
  });

  it("quotes unusual field names in paths", async () => {
    const manifest = minimal.replace(
      "resource-group: rg-uks",
      'resource-group: rg-uks\n    "app name": x',
    );
    expect(await wheresOf({}, withManifest(manifest))).toEqual(['manifest regions[0]["app name"]']);
  });

  it("allows only the known placeholders in status URLs", async () => {
    const manifest = `
status:
  url: https://{hots}/{version}/status
${minimal}        status: { url: "https://{host/status" }
`;
    expect(await linesOf({}, withManifest(manifest))).toEqual([
      "manifest status.url: {hots} is not a placeholder. Did you mean {host}? The placeholders are {host}, {app}, {slot}, {region} and {service}.",
      "manifest status.url: {version} is not a placeholder. The placeholders are {host}, {app}, {slot}, {region} and {service}.",
      'manifest regions[0].services[0].status.url: "https://{host/status" has a brace that opens or closes no placeholder. Write placeholders as {host}, {app}, {slot}, {region} and {service}.',
    ]);
  });

  it("requires status URLs to be http or https once filled in", async () => {
    for (const url of [
      "/status",
      "ftp://{host}/status",
      "{host}/status",
      "https://{host}:{slot}/",
    ]) {
      const manifest = `status: { url: "${url}" }\n${minimal}`;
      expect(await linesOf({}, withManifest(manifest))).toEqual([
        `manifest status.url: ${JSON.stringify(url)} is not an absolute http or https URL. Write it like https://{host}/status.`,
      ]);
    }
  });

  it("requires the status fields to be dot paths", async () => {
    const manifest = `status: { build-field: "app..version", dependencies-field: "health checks" }\n${minimal}`;
    expect(await linesOf({}, withManifest(manifest))).toEqual([
      'manifest status.build-field: "app..version" is not a dot path. Write field names separated by dots, like build or app.version.',
      'manifest status.dependencies-field: "health checks" is not a dot path. Write field names separated by dots, like build or app.version.',
    ]);
  });

  it("rejects empty strings", async () => {
    const manifest = `slot: ""\n${minimal.replace("app: shop-api-uks", 'app: " "')}`;
    expect(await linesOf({}, withManifest(manifest))).toEqual([
      "manifest slot: is empty. Write it like slot: staging, or remove it to use the default.",
      "manifest regions[0].services[0].app: is empty. Write it like app: shop-api-uks.",
    ]);
  });
});

describe("one entry per app", () => {
  const twoRegions = (second: string) => `${minimal}      - name: web
        app: shop-web-uks
  - name: west-europe
    resource-group: ${second}
    services:
      - name: api
        app: shop-api-weu
      - name: web
        app: Shop-Web-UKS
`;

  it("rejects one app in two services, ignoring case, with the region's subscription from the input", async () => {
    const manifest = twoRegions("RG-UKS");
    expect(await linesOf({}, withManifest(manifest))).toEqual([
      `manifest regions[1].services[1].app: "Shop-Web-UKS" in resource group "RG-UKS" of subscription "${SUBSCRIPTION}" is already the app of regions[0].services[1].app; one app would be swapped twice, the second swap undoing the first. Give each service its own app: correct the app or resource-group of one of the two entries, or remove one.`,
    ]);
    // Even when the run targets only one of the two regions: the manifest itself is wrong.
    expect(await wheresOf({ regions: "west-europe" }, withManifest(manifest))).toEqual([
      "manifest regions[1].services[1].app",
    ]);
  });

  it("allows one app name in another resource group or subscription", async () => {
    await expect(settingsOf({}, withManifest(twoRegions("rg-weu")))).resolves.toBeDefined();
    const otherSubscription = twoRegions("rg-uks").replace(
      "  - name: west-europe\n",
      "  - name: west-europe\n    subscription-id: 55555555-5555-5555-5555-555555555555\n",
    );
    await expect(settingsOf({}, withManifest(otherSubscription))).resolves.toBeDefined();
  });
});

describe("status-interval and status-timeout", () => {
  it("rejects a status-interval longer than status-timeout", async () => {
    expect(await linesOf({ "status-interval": "2m", "status-timeout": "90s" })).toEqual([
      'input status-interval: "2m" is longer than status-timeout, "90s": a status page would be read once at most before the timeout. Make status-interval shorter than status-timeout, like status-interval: 5s with status-timeout: 5m.',
    ]);
  });

  it("allows them to be equal", async () => {
    const settings = await settingsOf({ "status-interval": "5m" });
    expect(settings.policy.statusIntervalMs).toBe(settings.policy.statusTimeoutMs);
  });
});

describe("hostile manifests", () => {
  it("reads __proto__, constructor and prototype as unknown fields, polluting nothing", async () => {
    const manifest = `__proto__: { polluted: true }\n${minimal}        constructor: { prototype: { polluted: true } }\n`;
    expect(await linesOf({}, withManifest(manifest))).toEqual([
      "manifest __proto__: is not a field of the manifest. The fields of the manifest are slot, status, regions, waves, canary, analysis and release-windows.",
      "manifest regions[0].services[0].constructor: is not a field of a service. The fields of a service are name, app, status and depends-on.",
    ]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("escapes control characters and cuts long values in messages", async () => {
    const escape = minimal.replace("name: api", 'name: "api\\e]0;owned\\a\\u202e"');
    expect(await linesOf({}, withManifest(escape))).toEqual([
      'manifest regions[0].services[0].name: "api\\u001b]0;owned\\u0007\\u202e" is not a valid name. Use up to 100 letters, digits, hyphens, underscores and periods, starting and ending with a letter or digit.',
    ]);
    const long = minimal.replace("app: shop-api-uks", `app: ${"a".repeat(5000)}`);
    const [problem] = await problemsOf({}, withManifest(long));
    expect(problem?.message).toBe(
      `"${"a".repeat(200)}…" (5,000 characters) is not a valid App Service name.`,
    );
  });

  it("refuses a manifest over 1 MiB, reading up to 1 MiB", async () => {
    const padded = (bytes: number) => `${minimal}#${"x".repeat(bytes - minimal.length - 1)}`;
    expect(await linesOf({}, withManifest(padded(1_048_577)))).toEqual([
      `manifest ${DEFAULT_MANIFEST}: is 1,048,577 bytes; a release manifest may have at most 1,048,576 (1 MiB). Check that the manifest input names the release manifest; split a larger fleet into several manifests, released by separate steps.`,
    ]);
    await expect(settingsOf({}, withManifest(padded(1_048_576)))).resolves.toBeDefined();
  });

  it("refuses nesting deeper than 64 levels at its position", async () => {
    const nested = (depth: number) => `x: ${"[".repeat(depth)}${"]".repeat(depth)}\n${minimal}`;
    // The top-level mapping is the first level.
    expect(await wheresOf({}, withManifest(nested(63)))).toEqual(["manifest x"]);
    expect(await linesOf({}, withManifest(nested(64)))).toEqual([
      `manifest ${DEFAULT_MANIFEST}:1:68: nests lists and mappings more than 64 levels deep. A release manifest needs 6 levels; check the brackets and the indentation there.`,
    ]);
  });

  it("reads 5,000 services and refuses more with one problem", async () => {
    const services = (count: number) =>
      Array.from(
        { length: count },
        (_, index) => `      - { name: s${index}, app: app-${index} }\n`,
      ).join("");
    const fleet = (count: number) =>
      `regions:\n  - name: uk-south\n    resource-group: rg-uks\n    services:\n${services(count)}`;
    const settings = await settingsOf({}, withManifest(fleet(5_000)));
    expect(settings.fleet.regions[0]?.services).toHaveLength(5_000);
    expect(await linesOf({}, withManifest(fleet(5_001)))).toEqual([
      "manifest regions: lists 5,001 services in all regions together; a release manifest may list at most 5,000. Split the fleet into several manifests, released by separate steps or jobs.",
    ]);
  });

  it("lists at most 100 problems, counting the rest", async () => {
    const services = Array.from(
      { length: 150 },
      (_, index) => `      - { name: s${index}, app: x }\n`,
    );
    const manifest = `regions:\n  - name: uk-south\n    resource-group: rg-uks\n    services:\n${services.join("")}`;
    const lines = await linesOf({ build: "" }, withManifest(manifest));
    expect(lines).toHaveLength(100);
    expect(lines[0]).toMatch(/^input build: /);
    expect(lines[99]).toBe(
      "manifest: has 52 more problems, not listed: an error lists at most 100. Fix the problems above and run again to see the rest.",
    );
  });
});

describe("many problems at once", () => {
  it("reports every input and manifest problem in one error, inputs first", async () => {
    const manifest = `
slot: production
regions:
  - name: uk-south
    resource-group: rg-uks
    services:
      - name: api
        app: Shop API
      - name: api
        app: shop-auth-uks
        status: { url: "https://{hots}/status" }
`;
    const error = await errorOf(
      {
        build: "",
        mode: "deploy",
        "status-timeout": "5 minutes",
        "preserve-vnet": "yes",
        "client-id": CLIENT,
        regions: "uk-south,mars",
        "subscription-id": "",
      },
      withManifest(manifest),
    );
    const problems = error.problems;
    expect(problems.map((p) => p.where)).toEqual([
      "input build",
      "input mode",
      "input status-timeout",
      "input preserve-vnet",
      "input client-id",
      "input regions",
      "manifest slot",
      "manifest regions[0].services[0].app",
      "manifest regions[0].services[1].status.url",
      "manifest regions[0].services[1].name",
      "manifest regions[0].subscription-id",
    ]);
    const lines = error.message.split("\n");
    expect(lines).toHaveLength(problems.length);
    expect(lines[2]).toBe(
      'input status-timeout: "5 minutes" is not a duration. Write it like 90s, 5m or 1h30m; a bare number is seconds.',
    );
    expect(lines[7]).toBe(
      'manifest regions[0].services[0].app: "Shop API" is not a valid App Service name. Use 2-60 letters, digits and hyphens, not starting or ending with a hyphen.',
    );
  });
});

describe("progressive delivery", () => {
  /** Three regions in two waves, db-migrator before api in uk-south. */
  const progressive = (more = "") => `
waves:
  - regions: [uk-south]
    bake-time: 15m
  - regions: [east-us, west-europe]
    bake-time: 1h
${more}regions:
  - name: uk-south
    resource-group: rg-uks
    services:
      - name: db-migrator
        app: shop-migrator-uks
      - name: api
        app: shop-api-uks
        depends-on: [db-migrator]
      - name: web
        app: shop-web-uks
        depends-on: [api, db-migrator]
  - name: west-europe
    resource-group: rg-weu
    services:
      - { name: api, app: shop-api-weu }
  - name: east-us
    resource-group: rg-eus
    services:
      - { name: api, app: shop-api-eus }
`;

  it("reads waves in their order, with their own bake times", async () => {
    const { fleet } = await settingsOf({}, withManifest(progressive()));
    expect(fleet.waves).toEqual([
      { regions: ["uk-south"], bakeTimeMs: 900_000 },
      { regions: ["east-us", "west-europe"], bakeTimeMs: 3_600_000 },
    ]);
    expect(fleet.wavesDeclared).toBe(true);
    // The regions keep the manifest's order; the waves say the release order.
    expect(fleet.regions.map((region) => region.name)).toEqual([
      "uk-south",
      "west-europe",
      "east-us",
    ]);
    expect(fleet).not.toHaveProperty("canary");
    expect(fleet).not.toHaveProperty("analysis");
  });

  it("takes a wave's bake-time as the inputs take durations, or leaves it to the input", async () => {
    const manifest = progressive()
      .replace("bake-time: 15m", "bake-time: 90")
      .replace("    bake-time: 1h\n", "");
    const { fleet } = await settingsOf({ "bake-time": "2m" }, withManifest(manifest));
    expect(fleet.waves.map((wave) => wave.bakeTimeMs)).toEqual([90_000, null]);
    const zero = progressive().replace("bake-time: 15m", "bake-time: 0s");
    expect((await settingsOf({}, withManifest(zero))).fleet.waves[0]?.bakeTimeMs).toBe(0);
  });

  it("drops the regions the regions input leaves out from their waves, and skips an empty wave", async () => {
    const some = await settingsOf({ regions: "west-europe" }, withManifest(progressive()));
    expect(some.fleet.waves).toEqual([{ regions: ["west-europe"], bakeTimeMs: 3_600_000 }]);
    expect(some.fleet.regions.map((region) => region.name)).toEqual(["west-europe"]);
    const two = await settingsOf({ regions: "east-us,uk-south" }, withManifest(progressive()));
    expect(two.fleet.waves).toEqual([
      { regions: ["uk-south"], bakeTimeMs: 900_000 },
      { regions: ["east-us"], bakeTimeMs: 3_600_000 },
    ]);
  });

  it("makes each targeted region its own wave without waves", async () => {
    const { fleet } = await settingsOf({ regions: "east-us,uk-south" });
    expect(fleet.waves).toEqual([
      { regions: ["uk-south"], bakeTimeMs: null },
      { regions: ["east-us"], bakeTimeMs: null },
    ]);
    expect(fleet).not.toHaveProperty("wavesDeclared");
  });

  it("reads depends-on, and a filter never leaves out a dependency", async () => {
    const { fleet } = await settingsOf({}, withManifest(progressive()));
    expect(fleet.regions[0]?.services.map((service) => [service.name, service.dependsOn])).toEqual([
      ["db-migrator", []],
      ["api", ["db-migrator"]],
      ["web", ["api", "db-migrator"]],
    ]);
    // The filter keeps or drops whole regions, so every dependency is in the fleet it targets.
    for (const regions of ["uk-south", "west-europe,east-us", ""]) {
      const filtered = (await settingsOf({ regions }, withManifest(progressive()))).fleet;
      for (const region of filtered.regions) {
        const names = region.services.map((service) => service.name);
        for (const service of region.services) {
          for (const dependency of service.dependsOn) expect(names).toContain(dependency);
        }
      }
    }
  });

  it("reads canary, step-time defaulting to 5m", async () => {
    const canary = "canary:\n  steps: [5, 25, 50]\n  step-time: 2m\n";
    expect((await settingsOf({}, withManifest(progressive(canary)))).fleet.canary).toEqual({
      steps: [5, 25, 50],
      stepTimeMs: 120_000,
    });
    const defaults = "canary: { steps: [1, 99] }\n";
    expect((await settingsOf({}, withManifest(progressive(defaults)))).fleet.canary).toEqual({
      steps: [1, 99],
      stepTimeMs: 300_000,
    });
  });

  it("reads analysis, window defaulting to 5m and min-requests to 50", async () => {
    const analysis = `analysis:
  metrics:
    - { name: http-5xx-rate, max: 1 }
    - { name: Response-Time, max: 800 }
`;
    expect((await settingsOf({}, withManifest(progressive(analysis)))).fleet.analysis).toEqual({
      windowMs: 300_000,
      minRequests: 50,
      metrics: [
        { signal: "http-5xx-rate", max: 1 },
        { signal: "response-time", max: 800 },
      ],
    });
    const given = `analysis: { window: 10m, min-requests: 1, metrics: [{ name: http-5xx-rate, max: 0 }] }
canary: { steps: [10], step-time: 10m }
`;
    const { fleet } = await settingsOf({}, withManifest(progressive(given)));
    expect(fleet.analysis).toEqual({
      windowMs: 600_000,
      minRequests: 1,
      metrics: [{ signal: "http-5xx-rate", max: 0 }],
    });
    expect(fleet.canary).toEqual({ steps: [10], stepTimeMs: 600_000 });
  });

  it("explains a wave problem with the regions there are", async () => {
    const manifest = progressive().replace("[east-us, west-europe]", "[east-us, west_europe]");
    expect(await linesOf({}, withManifest(manifest))).toEqual([
      'manifest waves[1].regions[1]: "west_europe" is not a region of the manifest. Did you mean west-europe? The manifest\'s regions are uk-south, west-europe and east-us.',
    ]);
    const missing = progressive().replace("[east-us, west-europe]", "[west-europe]");
    expect(await linesOf({}, withManifest(missing))).toEqual([
      'manifest waves: region "east-us" (regions[2]) is in no wave. Add it to the regions of one wave, or give it a wave of its own: - regions: [east-us]. Every region is released in exactly one wave.',
    ]);
  });

  it("names a depends-on cycle", async () => {
    const manifest = progressive().replace(
      "      - name: db-migrator\n        app: shop-migrator-uks\n",
      "      - name: db-migrator\n        app: shop-migrator-uks\n        depends-on: [web]\n",
    );
    expect(await linesOf({}, withManifest(manifest))).toEqual([
      "manifest regions[0].services[0].depends-on: db-migrator → web → api → db-migrator is a cycle: no service of it can be swapped first. Remove one depends-on entry of the cycle, so that one of its services waits for none of the others.",
      "manifest regions[0].services[0].depends-on: db-migrator → web → db-migrator is a cycle: no service of it can be swapped first. Remove one depends-on entry of the cycle, so that one of its services waits for none of the others.",
    ]);
  });

  it("reads a chain of 5,000 services without a stack overflow, and names a cycle that long in one line", async () => {
    const chain = (cycle: boolean) =>
      `regions:\n  - name: uk-south\n    resource-group: rg-uks\n    services:\n${Array.from(
        { length: 5_000 },
        (_, index) =>
          `      - { name: s${index}, app: app-${index}${index > 0 ? `, depends-on: [s${index - 1}]` : cycle ? ", depends-on: [s4999]" : ""} }\n`,
      ).join("")}`;
    const { fleet } = await settingsOf({}, withManifest(chain(false)));
    expect(fleet.regions[0]?.services[4_999]?.dependsOn).toEqual(["s4998"]);
    const lines = await linesOf({}, withManifest(chain(true)));
    expect(lines).toEqual([
      "manifest regions[0].services[0].depends-on: s0 → s4999 → s4998 → s4997 → s4996 → s4995 → s4994 → s4993 → … 4,991 more … → s1 → s0 is a cycle: no service of it can be swapped first. Remove one depends-on entry of the cycle, so that one of its services waits for none of the others.",
    ]);
  });
});

describe("release windows", () => {
  const windows = (entries: string) => withManifest(`release-windows:\n${entries}${minimal}`);

  it("reads each window's days, times in minutes after midnight, and time zone", async () => {
    const { fleet } = await settingsOf(
      {},
      windows(`  - days: [mon, tue, wed, thu]
    from: "09:00"
    to: "16:00"
    time-zone: Europe/London
  - { days: [Fri, SUN], from: 22:30, to: 6:00, time-zone: america/new_york }
  - { days: [sat], from: "00:00", to: "24:00", time-zone: US/Eastern }
`),
    );
    expect(fleet.releaseWindows).toEqual([
      {
        days: ["mon", "tue", "wed", "thu"],
        fromMinutes: 540,
        toMinutes: 960,
        timeZone: "Europe/London",
      },
      // Unquoted 22:30 is a string in YAML 1.2; a `to` before `from` ends the next day.
      { days: ["fri", "sun"], fromMinutes: 1350, toMinutes: 360, timeZone: "America/New_York" },
      // An alias stays as the user wrote it; 24:00 is the midnight that ends the day.
      { days: ["sat"], fromMinutes: 0, toMinutes: 1440, timeZone: "US/Eastern" },
    ]);
  });

  it("leaves them out when the manifest has none, and keeps them whatever regions are targeted", async () => {
    expect(await settingsOf({}, withManifest(minimal))).not.toHaveProperty("fleet.releaseWindows");
    const entry = '  - { days: [mon], from: "09:00", to: "16:00", time-zone: UTC }\n';
    const more = `${minimal}  - name: west-europe
    subscription-id: ${SUBSCRIPTION}
    resource-group: rg-weu
    services: [{ name: api, app: shop-api-weu }]
`;
    const { fleet } = await settingsOf(
      { regions: "west-europe" },
      withManifest(`release-windows:\n${entry}${more}`),
    );
    expect(fleet.releaseWindows).toEqual([
      { days: ["mon"], fromMinutes: 540, toMinutes: 960, timeZone: "UTC" },
    ]);
  });

  it("names an unknown time zone and the one meant, with every other problem of the window", async () => {
    const lines = await linesOf(
      {},
      windows('  - { days: [mon, thr], from: "9am", to: "24:00", time-zone: Europe/Lodnon }\n'),
    );
    expect(lines).toEqual([
      'manifest release-windows[0].days[1]: "thr" is not a day of the week. Did you mean thu? Use the first three letters: mon, tue, wed, thu, fri, sat, sun.',
      'manifest release-windows[0].from: "9am" is not a time HH:MM. Write a time of day as HH:MM, from "00:00" to "23:59", like from: "09:00".',
      'manifest release-windows[0].time-zone: "Europe/Lodnon" is not a time zone known to Node.js. Did you mean Europe/London? Write an IANA time zone name, like Europe/London, America/New_York or UTC.',
    ]);
  });
});
