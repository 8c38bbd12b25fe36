/**
 * The bad-input corpus: inputs and manifests that must be refused, one row each. Every row names
 * exactly where its problems are (the input or manifest path), and for the whole table readSettings
 * throws a SettingsError before anything could reach Azure or Microsoft Entra: no connection, no
 * request, nothing read but the manifest. Then the bundled action runs a few of them against the
 * simulator, which must see no request at all.
 */
import net from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { SettingsError, readSettings, type SettingsProblem } from "../src/settings/index.js";
import { runAction, simulatorInputs } from "./harness/run-action.js";
import { demoFleet, startSimulator, type Simulator } from "./simulator/index.js";

const FILE = ".github/release-manifest.yml";
const SUBSCRIPTION = "22222222-2222-2222-2222-222222222222";
const GUID = "44444444-4444-4444-4444-444444444444";

// Manifests are written in YAML's flow style, one line per region, so that a row shows its fault.
const svc = (name: string, app: string, more = "") => `{ name: ${name}, app: ${app}${more} }`;
const region = (name: string, services: string[], more = "") =>
  `{ name: ${name}, resource-group: rg-${name.replace(/[^\w-]/g, "")}${more}, services: [${services.join(", ")}] }`;
const manifest = (regions: string[], top = "") =>
  `${top}regions:\n${regions.map((entry) => `  - ${entry}\n`).join("")}`;
/** A valid fleet of one region and one service; rows without a manifest of their own use it. */
const ONE = manifest([region("uk-south", [svc("api", "shop-api-uks")])]);
/** ONE with `fields` (YAML flow text) added to its only service. */
const serviceWith = (fields: string) =>
  manifest([region("uk-south", [svc("api", "shop-api-uks", `, ${fields}`)])]);
/** ONE with `fields` added to its only region. */
const regionWith = (fields: string) =>
  manifest([region("uk-south", [svc("api", "shop-api-uks")], `, ${fields}`)]);
/** A region of `count` services named s0, s1, … with apps app-0, app-1, … */
const manyServices = (name: string, count: number, app = (index: number) => `app-${index}`) =>
  region(
    name,
    Array.from({ length: count }, (_, index) => svc(`s${index}`, app(index))),
  );
/** Two regions of one service each, with `top` (YAML lines) before them. */
const twoRegions = (top = "") =>
  manifest(
    [
      region("uk-south", [svc("api", "shop-api-uks")]),
      region("west-europe", [svc("api", "shop-api-weu")]),
    ],
    top,
  );
/** ONE with `top` (YAML lines) before its regions. */
const withTop = (top: string) => manifest([region("uk-south", [svc("api", "shop-api-uks")])], top);
/** One region of api and worker, with `api` and `worker` (YAML flow text) added to each. */
const pair = (api: string, worker = "") =>
  manifest([
    region("uk-south", [
      svc("api", "shop-api-uks", api === "" ? "" : `, ${api}`),
      svc("worker", "shop-worker-uks", worker === "" ? "" : `, ${worker}`),
    ]),
  ]);
const METRICS = "metrics: [{ name: http-5xx-rate, max: 1 }]";
/** ONE with an analysis of `fields` (YAML flow text). */
const analysis = (fields: string) => withTop(`analysis: { ${fields} }\n`);
/** ONE with a canary of `fields` (YAML flow text). */
const canary = (fields: string) => withTop(`canary: { ${fields} }\n`);
/** ONE with one release window of `fields` (YAML flow text). */
const releaseWindow = (fields: string) => withTop(`release-windows: [{ ${fields} }]\n`);
const WINDOW_DAYS = "days: [mon, tue]";
const WINDOW_TIMES = 'from: "09:00", to: "16:00"';
/** A valid window but for `fields`, which replace or add to its own. */
const windowWith = (fields: Record<string, string>) =>
  releaseWindow(
    Object.entries({
      days: "[mon, tue]",
      from: '"09:00"',
      to: '"16:00"',
      "time-zone": "Europe/London",
      ...fields,
    })
      .map(([key, value]) => `${key}: ${value}`)
      .join(", "),
  );
const nested = (depth: number) => `x: ${"[".repeat(depth)}${"]".repeat(depth)}\n${ONE}`;

interface Row {
  /** What is wrong, as the test's name. */
  name: string;
  /** Inputs besides build and subscription-id (which the table sets, valid, unless a row overrides them). */
  inputs?: Record<string, string>;
  /** The manifest at the default path (default: ONE). */
  manifest?: string;
  /** The files instead, by path; an Error is what reading that path throws. */
  files?: Record<string, string | Error>;
  /** Every problem's `where`, in order. */
  where: string[];
  /** Text the first problem's message or hint must hold, when `where` alone does not show the rule. */
  says?: string;
}

const unreadable = Object.assign(new Error("EISDIR: illegal operation on a directory, read"), {
  code: "EISDIR",
});

const INPUT_ROWS: Row[] = [
  { name: "build empty", inputs: { build: "" }, where: ["input build"] },
  { name: "build blank", inputs: { build: "   " }, where: ["input build"] },
  { name: "build with a space", inputs: { build: "1.4.2 beta" }, where: ["input build"] },
  {
    name: "build with a control character",
    inputs: { build: "1.4.2\u0007" },
    where: ["input build"],
    says: '"1.4.2\\u0007" contains a control character',
  },
  { name: "mode misspelt", inputs: { mode: "relase" }, where: ["input mode"], says: "release" },
  { name: "mode unknown", inputs: { mode: "deploy" }, where: ["input mode"] },
  { name: "rollback unknown", inputs: { rollback: "everything" }, where: ["input rollback"] },
  { name: "refresh misspelt", inputs: { refresh: "mirrror" }, where: ["input refresh"] },
  {
    name: "azure-cloud unknown",
    inputs: { "azure-cloud": "AzureGermanCloud" },
    where: ["input azure-cloud"],
  },
  ...["-1", "1.5", "two", "1e3", "99999999999999999999", "0x10"].map((value): Row => ({
    name: `max-parallel ${value}`,
    inputs: { "max-parallel": value },
    where: ["input max-parallel"],
  })),
  {
    name: "status-timeout in words",
    inputs: { "status-timeout": "5 minutes" },
    where: ["input status-timeout"],
  },
  ...["5x", "s", "m5", "1s1h", "5m5m", "1h 30m", ".5s", "5.s", "abc", "1d"].map((value): Row => ({
    name: `bake-time ${value}`,
    inputs: { "bake-time": value },
    where: ["input bake-time"],
    says: "is not a duration",
  })),
  { name: "bake-time negative", inputs: { "bake-time": "-5s" }, where: ["input bake-time"] },
  {
    name: "status-timeout negative",
    inputs: { "status-timeout": "-1" },
    where: ["input status-timeout"],
  },
  {
    name: "status-timeout zero",
    inputs: { "status-timeout": "0" },
    where: ["input status-timeout"],
  },
  {
    name: "status-interval zero",
    inputs: { "status-interval": "0s" },
    where: ["input status-interval"],
  },
  {
    name: "status-timeout beyond a Node.js timer",
    inputs: { "status-timeout": "600h" },
    where: ["input status-timeout"],
  },
  {
    name: "bake-time beyond a Node.js timer",
    inputs: { "bake-time": "1000h" },
    where: ["input bake-time"],
  },
  ...[
    ["swap-with-preview", "yes"],
    ["preserve-vnet", "no"],
    ["github-deployments", "1"],
    ["swap-with-preview", "0"],
    ["preserve-vnet", "tRue"],
    ["github-deployments", "on"],
    ["ignore-release-windows", "yes"],
  ].map(([name = "", value = ""]): Row => ({
    name: `${name} ${value}`,
    inputs: { [name]: value },
    where: [`input ${name}`],
    says: "is not a boolean",
  })),
  {
    name: "status-interval longer than the default status-timeout",
    inputs: { "status-interval": "10m" },
    where: ["input status-interval"],
    says: '"10m" is longer than status-timeout, "5m"',
  },
  {
    name: "status-interval longer than status-timeout",
    inputs: { "status-interval": "2m", "status-timeout": "90s" },
    where: ["input status-interval"],
  },
  {
    name: "status-interval against a status-timeout that is no duration: only the timeout",
    inputs: { "status-interval": "10m", "status-timeout": "five" },
    where: ["input status-timeout"],
  },
  {
    name: "subscription-id not a GUID",
    inputs: { "subscription-id": "my-subscription" },
    where: ["input subscription-id"],
  },
  {
    name: "subscription-id in braces",
    inputs: { "subscription-id": `{${SUBSCRIPTION}}` },
    where: ["input subscription-id"],
  },
  { name: "tenant-id not a GUID", inputs: { "tenant-id": "contoso" }, where: ["input tenant-id"] },
  {
    name: "client-id not a GUID",
    inputs: { "client-id": "my-app", "tenant-id": GUID },
    where: ["input client-id"],
  },
  {
    name: "client-id without tenant-id",
    inputs: { "client-id": GUID },
    where: ["input client-id"],
  },
  {
    name: "client-secret alone",
    inputs: { "client-secret": "s3cret~value" },
    where: ["input client-secret", "input client-secret"],
  },
  {
    name: "arm-endpoint over http",
    inputs: { "arm-endpoint": "http://127.0.0.1:8443" },
    where: ["input arm-endpoint"],
  },
  {
    name: "arm-endpoint without a scheme",
    inputs: { "arm-endpoint": "management.azure.com" },
    where: ["input arm-endpoint"],
  },
  {
    name: "authority-host over ftp",
    inputs: { "authority-host": "ftp://login.example.com" },
    where: ["input authority-host"],
  },
  {
    name: "authority-host with credentials",
    inputs: { "authority-host": "https://user:pw@login.example.com" },
    where: ["input authority-host"],
  },
  {
    name: "slack-webhook-url over http",
    inputs: { "slack-webhook-url": "http://hooks.slack.com/services/T000/B000/XXXX" },
    where: ["input slack-webhook-url"],
  },
  {
    name: "slack-webhook-url without a scheme",
    inputs: { "slack-webhook-url": "hooks.slack.com/x" },
    where: ["input slack-webhook-url"],
  },
  {
    name: "regions naming a region the manifest lacks, with a suggestion",
    inputs: { regions: "uksouth" },
    where: ["input regions"],
    says: '"uksouth" is not a region of the manifest',
  },
  {
    name: "regions naming an unknown region",
    inputs: { regions: "mars" },
    where: ["input regions"],
  },
  {
    name: "regions listing a region twice",
    inputs: { regions: "uk-south,\nuk-south" },
    where: ["input regions"],
  },
  {
    name: "regions with a control character",
    inputs: { regions: "uk-south\u001b[2J" },
    where: ["input regions"],
    says: '"uk-south\\u001b[2J" is not a region',
  },
  { name: "no manifest at the default path", files: {}, where: ["input manifest"] },
  {
    name: "no manifest at the given path",
    inputs: { manifest: "ops/missing.yml" },
    files: {},
    where: ["input manifest"],
  },
  {
    name: "a manifest that cannot be read",
    inputs: { manifest: "ops" },
    files: { ops: unreadable },
    where: ["input manifest"],
    says: "cannot read",
  },
];

const MANIFEST_ROWS: Row[] = [
  {
    name: "YAML: an unclosed flow sequence",
    manifest: "regions:\n  - name: uk-south\n    services: [api\n  - name: x\n",
    where: [`manifest ${FILE}:4:3`],
  },
  {
    name: "YAML: a duplicate key",
    manifest: `slot: staging\nslot: blue\n${ONE}`,
    where: [`manifest ${FILE}:2:1`],
    says: "Map keys must be unique",
  },
  {
    name: "YAML: a tab as indentation",
    manifest: "regions:\n\t- name: uk-south\n",
    where: [`manifest ${FILE}:2:1`],
  },
  {
    name: "YAML: a second document",
    manifest: `${ONE}---\n${ONE}`,
    where: [`manifest ${FILE}:3:1`],
    says: "starts a second YAML document",
  },
  {
    name: "YAML: an alias to no anchor",
    manifest: `status: *defaults\n${ONE}`,
    where: [`manifest ${FILE}`],
  },
  {
    name: "YAML: a billion laughs",
    manifest: [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 8 }, (_, index) => {
        const name = String.fromCharCode(98 + index);
        const previous = String.fromCharCode(97 + index);
        return `${name}: &${name} [${Array(10).fill(`*${previous}`).join(", ")}]`;
      }),
      ONE,
    ].join("\n"),
    where: [`manifest ${FILE}`],
    says: "Excessive alias count",
  },
  {
    name: "JSON: no closing brace",
    inputs: { manifest: "fleet.json" },
    files: { "fleet.json": '{\n  "regions": [\n    { "name": "uk-south", }\n  ]\n' },
    where: ["manifest fleet.json:5:1"],
  },
  {
    name: "JSON: a missing comma",
    inputs: { manifest: "fleet.json" },
    files: {
      "fleet.json":
        '{\n  "regions": [\n    { "name": "uk-south" "resource-group": "rg" }\n  ]\n}\n',
    },
    where: ["manifest fleet.json:3:26", "manifest fleet.json:3:15"],
  },
  {
    name: "JSON: an unclosed object on one line",
    inputs: { manifest: "fleet.json" },
    files: { "fleet.json": '{ "regions": [ { "name": "uk-south" } ]' },
    where: ["manifest fleet.json:1:40"],
  },
  {
    name: "JSON: services as an object",
    inputs: { manifest: "fleet.json" },
    files: {
      "fleet.json": JSON.stringify({
        regions: [
          {
            name: "uk-south",
            "subscription-id": SUBSCRIPTION,
            "resource-group": "rg",
            services: { name: "api", app: "shop-api-uks" },
          },
        ],
      }),
    },
    where: ["manifest regions[0].services"],
    says: "must be a list, not a mapping",
  },
  { name: "an empty file", manifest: "", where: [`manifest ${FILE}`] },
  { name: "only a comment", manifest: "# nothing yet\n", where: [`manifest ${FILE}`] },
  {
    name: "a list at the top",
    manifest: "- uk-south\n- west-europe\n",
    where: [`manifest ${FILE}`],
  },
  { name: "a string at the top", manifest: "uk-south\n", where: [`manifest ${FILE}`] },
  { name: "regions missing", manifest: "slot: staging\n", where: ["manifest regions"] },
  { name: "regions empty", manifest: "regions: []\n", where: ["manifest regions"] },
  {
    name: "regions a mapping",
    manifest: "regions:\n  uk-south: {}\n",
    where: ["manifest regions"],
  },
  { name: "regions a string", manifest: "regions: uk-south\n", where: ["manifest regions"] },
  {
    name: "a region that is a string",
    manifest: "regions: [uk-south]\n",
    where: ["manifest regions[0]"],
  },
  {
    name: "a region without a name",
    manifest: "regions:\n  - { resource-group: rg, services: [{ name: api, app: shop-api }] }\n",
    where: ["manifest regions[0].name"],
  },
  {
    name: "a region name with a space",
    manifest: manifest([region('"uk south"', [svc("api", "shop-api-uks")])]),
    where: ["manifest regions[0].name"],
  },
  {
    name: "a region name that is a number",
    manifest: manifest([region("2024", [svc("api", "shop-api-uks")])]),
    where: ["manifest regions[0].name"],
    says: "must be a string, not a number",
  },
  {
    name: "a region subscription-id that is not a GUID",
    manifest: regionWith("subscription-id: not-a-guid"),
    where: ["manifest regions[0].subscription-id"],
  },
  {
    name: "a region without a resource group",
    manifest: "regions:\n  - { name: uk-south, services: [{ name: api, app: shop-api }] }\n",
    where: ["manifest regions[0].resource-group"],
  },
  {
    name: "a resource group ending with a period",
    manifest: ONE.replace("rg-uk-south", '"rg shop."'),
    where: ["manifest regions[0].resource-group"],
  },
  {
    name: "a resource group that is a mapping",
    manifest:
      "regions:\n  - { name: uk, resource-group: { name: rg }, services: [{ name: api, app: shop-api }] }\n",
    where: ["manifest regions[0].resource-group"],
  },
  {
    name: "a region without services",
    manifest: "regions:\n  - { name: uk-south, resource-group: rg }\n",
    where: ["manifest regions[0].services"],
  },
  {
    name: "a region with no service",
    manifest: manifest([region("uk-south", [])]),
    where: ["manifest regions[0].services"],
  },
  {
    name: "services as a string",
    manifest: "regions:\n  - { name: uk-south, resource-group: rg, services: api }\n",
    where: ["manifest regions[0].services"],
  },
  {
    name: "a service that is a string",
    manifest: manifest([region("uk-south", ["api"])]),
    where: ["manifest regions[0].services[0]"],
  },
  {
    name: "a service without a name",
    manifest: manifest([region("uk-south", ["{ app: shop-api-uks }"])]),
    where: ["manifest regions[0].services[0].name"],
  },
  {
    name: "a service without an app",
    manifest: manifest([region("uk-south", ["{ name: api }"])]),
    where: ["manifest regions[0].services[0].app"],
  },
  ...['"Shop API"', "-shop-web", "a", "a".repeat(61), "shöp-api", "shop_api"].map((app): Row => ({
    name: `app ${app}`,
    manifest: manifest([region("uk-south", [svc("api", app)])]),
    where: ["manifest regions[0].services[0].app"],
    says: "is not a valid App Service name",
  })),
  {
    name: "an app that is a boolean",
    manifest: manifest([region("uk-south", [svc("api", "true")])]),
    where: ["manifest regions[0].services[0].app"],
  },
  {
    name: "a blank app",
    manifest: manifest([region("uk-south", [svc("api", '" "')])]),
    where: ["manifest regions[0].services[0].app"],
  },
  {
    name: "two regions with one name, in different case",
    manifest: manifest([
      region("uk-south", [svc("api", "shop-api-uks")]),
      region("UK-South", [svc("api", "shop-api-uks2")]),
    ]),
    where: ["manifest regions[1].name"],
  },
  {
    name: "two services with one name in a region",
    manifest: manifest([
      region("uk-south", [svc("api", "shop-api-uks"), svc("api", "shop-web-uks")]),
    ]),
    where: ["manifest regions[0].services[1].name"],
  },
  { name: "slot production", manifest: `slot: Production\n${ONE}`, where: ["manifest slot"] },
  {
    name: "slot with an underscore",
    manifest: `slot: blue_green\n${ONE}`,
    where: ["manifest slot"],
  },
  { name: "slot a list", manifest: `slot: [staging]\n${ONE}`, where: ["manifest slot"] },
  { name: "slot empty", manifest: `slot: ""\n${ONE}`, where: ["manifest slot"] },
  {
    name: "status a string",
    manifest: `status: https://{host}/status\n${ONE}`,
    where: ["manifest status"],
  },
  {
    name: "status.url with an unknown placeholder",
    manifest: `status: { url: "https://{hots}/status" }\n${ONE}`,
    where: ["manifest status.url"],
    says: "{hots} is not a placeholder",
  },
  {
    name: "a service's status.url with an unclosed brace",
    manifest: serviceWith('status: { url: "https://{host/status" }'),
    where: ["manifest regions[0].services[0].status.url"],
  },
  ...["ftp://{host}/status", "/status", "{host}/status", "https://{host}:{slot}/"].map(
    (url): Row => ({
      name: `status.url ${url}`,
      manifest: `status: { url: "${url}" }\n${ONE}`,
      where: ["manifest status.url"],
      says: "is not an absolute http or https URL",
    }),
  ),
  {
    name: "build-field not a dot path",
    manifest: `status: { build-field: "app..version" }\n${ONE}`,
    where: ["manifest status.build-field"],
  },
  {
    name: "dependencies-field with a space",
    manifest: serviceWith('status: { dependencies-field: "health checks" }'),
    where: ["manifest regions[0].services[0].status.dependencies-field"],
  },
  {
    name: "an unknown top-level field, with did-you-mean",
    manifest: `slots: staging\n${ONE}`,
    where: ["manifest slots"],
    says: "is not a field of the manifest",
  },
  {
    name: "an unknown status field, with did-you-mean",
    manifest: `status: { buildField: version }\n${ONE}`,
    where: ["manifest status.buildField"],
  },
  {
    name: "resource_group for resource-group",
    manifest:
      "regions:\n  - { name: uk, resource_group: rg, services: [{ name: api, app: shop-api }] }\n",
    where: ["manifest regions[0].resource_group", "manifest regions[0].resource-group"],
  },
  {
    name: "an unknown region field",
    manifest: regionWith("location: westeurope"),
    where: ["manifest regions[0].location"],
  },
  {
    name: "a slot per service",
    manifest: serviceWith("slot: blue"),
    where: ["manifest regions[0].services[0].slot"],
  },
  {
    name: "a misspelt field of a service's status",
    manifest: serviceWith("status: { depedencies-field: deps }"),
    where: ["manifest regions[0].services[0].status.depedencies-field"],
  },
  {
    name: "a field name with a space",
    manifest: regionWith('"app name": x'),
    where: ['manifest regions[0]["app name"]'],
  },
  {
    name: "an anchor carried by an unknown field",
    manifest: `x-defaults: &status { build-field: version }\n${ONE}`,
    where: ["manifest x-defaults"],
  },
  {
    name: "__proto__ at the top (YAML)",
    manifest: `__proto__: { polluted: true }\n${ONE}`,
    where: ["manifest __proto__"],
    says: "is not a field of the manifest",
  },
  {
    name: "__proto__ in a region (YAML)",
    manifest: regionWith("__proto__: { resource-group: rg-evil }"),
    where: ["manifest regions[0].__proto__"],
  },
  {
    name: "constructor in a service (YAML)",
    manifest: serviceWith("constructor: { prototype: { polluted: true } }"),
    where: ["manifest regions[0].services[0].constructor"],
  },
  {
    name: "prototype in a status rule (YAML)",
    manifest: serviceWith("status: { prototype: { polluted: true } }"),
    where: ["manifest regions[0].services[0].status.prototype"],
  },
  {
    name: "__proto__ through a merge key (YAML)",
    manifest: `status: { <<: { __proto__: { polluted: true } } }\n${ONE}`,
    where: ["manifest status.__proto__"],
  },
  {
    name: "__proto__ and constructor.prototype (JSON)",
    inputs: { manifest: "fleet.json" },
    files: {
      "fleet.json": `{ "__proto__": { "polluted": true }, "regions": [{ "name": "uk-south", "resource-group": "rg", "constructor": { "prototype": { "polluted": true } }, "services": [{ "name": "api", "app": "shop-api-uks", "__proto__": { "app": "other" } }] }] }`,
    },
    where: [
      "manifest __proto__",
      "manifest regions[0].constructor",
      "manifest regions[0].services[0].__proto__",
    ],
  },
  {
    name: "one app twice in a region",
    manifest: manifest([
      region("uk-south", [svc("api", "shop-api-uks"), svc("web", "shop-api-uks")]),
    ]),
    where: ["manifest regions[0].services[1].app"],
    says: "is already the app of regions[0].services[0].app",
  },
  {
    name: "one app in two regions, in different case, the subscription from the input",
    manifest: manifest([
      region("uk-south", [svc("api", "shop-api-uks"), svc("web", "shop-web-uks")]),
      region("west-europe", [svc("api", "shop-api-weu")]),
      region("east-us", [svc("web", "Shop-Web-UKS")]).replace("rg-east-us", "RG-UK-SOUTH"),
    ]),
    where: ["manifest regions[2].services[0].app"],
    says: "is already the app of regions[0].services[1].app",
  },
  {
    name: "one app in two regions, one naming the input's subscription",
    manifest: manifest([
      region("uk-south", [svc("api", "shop-api")], `, subscription-id: ${SUBSCRIPTION}`),
      region("west-europe", [svc("api", "shop-api")]).replace("rg-west-europe", "rg-uk-south"),
    ]),
    where: ["manifest regions[1].services[0].app"],
  },
  {
    name: "one app three times: the second and third entries",
    manifest: manifest([
      region("uk-south", [svc("a", "shop-api"), svc("b", "shop-api"), svc("c", "shop-api")]),
    ]),
    where: ["manifest regions[0].services[1].app", "manifest regions[0].services[2].app"],
  },
  {
    name: "waves a string",
    manifest: withTop("waves: uk-south\n"),
    where: ["manifest waves"],
    says: "must be a list, not a string",
  },
  { name: "waves empty", manifest: withTop("waves: []\n"), where: ["manifest waves"] },
  {
    name: "a wave that is a region name",
    manifest: withTop("waves: [uk-south]\n"),
    where: ["manifest waves[0]"],
    says: "must be a wave (a mapping), not a string",
  },
  {
    name: "an unknown field of a wave",
    manifest: withTop("waves: [{ regions: [uk-south], bakeTime: 5m }]\n"),
    where: ["manifest waves[0].bakeTime"],
    says: "Did you mean bake-time?",
  },
  {
    name: "a wave without regions",
    manifest: withTop("waves: [{ bake-time: 5m }]\n"),
    where: ["manifest waves[0].regions"],
    says: "is missing",
  },
  {
    name: "a wave with an empty regions list",
    manifest: twoRegions("waves: [{ regions: [uk-south, west-europe] }, { regions: [] }]\n"),
    where: ["manifest waves[1].regions"],
    says: "is empty",
  },
  {
    name: "a wave's region that is a number",
    manifest: withTop("waves: [{ regions: [2024] }]\n"),
    where: ["manifest waves[0].regions[0]"],
    says: "must be a region name (a string), not a number",
  },
  {
    name: "a wave naming an unknown region, with did-you-mean",
    manifest: withTop("waves: [{ regions: [uk-sout] }]\n"),
    where: ["manifest waves[0].regions[0]"],
    says: '"uk-sout" is not a region of the manifest. Did you mean uk-south?',
  },
  {
    name: "a wave naming a region with an escape sequence",
    manifest: withTop('waves: [{ regions: ["uk-south\\e[2J"] }]\n'),
    // Too far from uk-south to be taken for it: uk-south is in no wave, too.
    where: ["manifest waves[0].regions[0]", "manifest waves"],
    says: '"uk-south\\u001b[2J" is not a region',
  },
  {
    name: "a region in two waves",
    manifest: twoRegions(
      "waves: [{ regions: [uk-south, west-europe] }, { regions: [uk-south] }]\n",
    ),
    where: ["manifest waves[1].regions[0]"],
    says: '"uk-south" is already listed at waves[0].regions[0]',
  },
  {
    name: "a region twice in one wave",
    manifest: withTop("waves: [{ regions: [uk-south, uk-south] }]\n"),
    where: ["manifest waves[0].regions[1]"],
    says: "List each region of a wave once",
  },
  {
    name: "a region in no wave",
    manifest: twoRegions("waves: [{ regions: [uk-south] }]\n"),
    where: ["manifest waves"],
    says: 'region "west-europe" (regions[1]) is in no wave',
  },
  ...["5 minutes", "-5s", "[5m]", "1000h"].map((bake): Row => ({
    name: `a wave's bake-time ${bake}`,
    manifest: withTop(`waves: [{ regions: [uk-south], bake-time: ${bake} }]\n`),
    where: ["manifest waves[0].bake-time"],
  })),
  {
    name: "canary a number",
    manifest: withTop("canary: 5\n"),
    where: ["manifest canary"],
    says: "must be a canary policy (a mapping), not a number",
  },
  {
    name: "canary without steps",
    manifest: canary("step-time: 5m"),
    where: ["manifest canary.steps"],
    says: "is missing",
  },
  { name: "canary steps empty", manifest: canary("steps: []"), where: ["manifest canary.steps"] },
  {
    name: "canary steps a number",
    manifest: canary("steps: 5"),
    where: ["manifest canary.steps"],
    says: "must be a list, not a number",
  },
  ...["0", "100", "2.5", "-5"].map((step): Row => ({
    name: `a canary step of ${step}`,
    manifest: canary(`steps: [${step}, 99]`).replace(", 99]", "]"),
    where: ["manifest canary.steps[0]"],
    says: "is not a whole percentage from 1 to 99",
  })),
  {
    name: "a canary step written as a percentage string",
    manifest: canary('steps: ["5%"]'),
    where: ["manifest canary.steps[0]"],
    says: "must be a number, not a string",
  },
  {
    name: "canary steps not increasing",
    manifest: canary("steps: [5, 50, 25]"),
    where: ["manifest canary.steps[2]"],
    says: "25 is not larger than the step before it, 50",
  },
  {
    name: "a canary step repeated",
    manifest: canary("steps: [5, 5]"),
    where: ["manifest canary.steps[1]"],
  },
  {
    name: "canary step-time zero",
    manifest: canary("steps: [5], step-time: 0s"),
    where: ["manifest canary.step-time"],
    says: "must be longer than zero",
  },
  {
    name: "canary step-time not a duration",
    manifest: canary("steps: [5], step-time: soon"),
    where: ["manifest canary.step-time"],
    says: "is not a duration",
  },
  {
    name: "an unknown canary field",
    manifest: canary("steps: [5], weight: 5"),
    where: ["manifest canary.weight"],
  },
  {
    name: "canary step-time shorter than the default analysis window",
    manifest: withTop(`canary: { steps: [5], step-time: 1m }\nanalysis: { ${METRICS} }\n`),
    where: ["manifest canary.step-time"],
    says: '"1m" is shorter than analysis.window, "5m" (the default)',
  },
  {
    name: "analysis a list",
    manifest: withTop("analysis: [http-5xx-rate]\n"),
    where: ["manifest analysis"],
  },
  {
    name: "analysis without metrics",
    manifest: analysis("window: 5m"),
    where: ["manifest analysis.metrics"],
    says: "is missing",
  },
  {
    name: "analysis metrics empty",
    manifest: analysis("metrics: []"),
    where: ["manifest analysis.metrics"],
  },
  {
    name: "a metric that is a name",
    manifest: analysis("metrics: [http-5xx-rate]"),
    where: ["manifest analysis.metrics[0]"],
  },
  {
    name: "an unknown metric, with did-you-mean",
    manifest: analysis("metrics: [{ name: http-5xx-rates, max: 1 }]"),
    where: ["manifest analysis.metrics[0].name"],
    says: '"http-5xx-rates" is not a metric. Did you mean http-5xx-rate? Use one of: http-5xx-rate, response-time.',
  },
  {
    name: "a metric name with a control character",
    manifest: analysis('metrics: [{ name: "response\\u0007time", max: 1 }]'),
    where: ["manifest analysis.metrics[0].name"],
    says: '"response\\u0007time"',
  },
  {
    name: "one metric twice",
    manifest: analysis(
      "metrics: [{ name: response-time, max: 800 }, { name: Response-Time, max: 900 }]",
    ),
    where: ["manifest analysis.metrics[1].name"],
    says: "is already the name of analysis.metrics[0]",
  },
  {
    name: "a metric without a name",
    manifest: analysis("metrics: [{ max: 1 }]"),
    where: ["manifest analysis.metrics[0].name"],
  },
  {
    name: "a metric without max",
    manifest: analysis("metrics: [{ name: http-5xx-rate }]"),
    where: ["manifest analysis.metrics[0].max"],
    says: "is missing",
  },
  ...["-1", '"1%"', ".inf", "[1]"].map((max): Row => ({
    name: `a metric max of ${max}`,
    manifest: analysis(`metrics: [{ name: http-5xx-rate, max: ${max} }]`),
    where: ["manifest analysis.metrics[0].max"],
  })),
  {
    name: "an unknown metric field",
    manifest: analysis("metrics: [{ name: response-time, max: 800, unit: ms }]"),
    where: ["manifest analysis.metrics[0].unit"],
  },
  ...["0s", "5 minutes"].map((window): Row => ({
    name: `analysis window ${window}`,
    manifest: analysis(`window: ${window}, ${METRICS}`),
    where: ["manifest analysis.window"],
  })),
  ...["0", "1.5", '"50"'].map((count): Row => ({
    name: `analysis min-requests ${count}`,
    manifest: analysis(`min-requests: ${count}, ${METRICS}`),
    where: ["manifest analysis.min-requests"],
  })),
  {
    name: "an unknown analysis field",
    manifest: analysis(`interval: 1m, ${METRICS}`),
    where: ["manifest analysis.interval"],
  },
  {
    name: "release-windows a mapping",
    manifest: withTop("release-windows: { days: [mon] }\n"),
    where: ["manifest release-windows"],
    says: "must be a list, not a mapping",
  },
  {
    name: "release-windows empty",
    manifest: withTop("release-windows: []\n"),
    where: ["manifest release-windows"],
    says: "is empty",
  },
  {
    name: "a release window that is a string",
    manifest: withTop('release-windows: ["mon 09:00-16:00"]\n'),
    where: ["manifest release-windows[0]"],
    says: "must be a release window (a mapping), not a string",
  },
  {
    name: "a release window with nothing in it",
    manifest: withTop("release-windows: [{}]\n"),
    where: [
      "manifest release-windows[0].days",
      "manifest release-windows[0].from",
      "manifest release-windows[0].to",
      "manifest release-windows[0].time-zone",
    ],
    says: "is missing",
  },
  {
    name: "an unknown release window field, with did-you-mean",
    manifest: windowWith({ timezone: "UTC" }),
    where: ["manifest release-windows[0].timezone"],
    says: "Did you mean time-zone? The fields of a release window are days, from, to and time-zone.",
  },
  {
    name: "release window days empty",
    manifest: windowWith({ days: "[]" }),
    where: ["manifest release-windows[0].days"],
    says: "is empty",
  },
  {
    name: "release window days a string",
    manifest: windowWith({ days: "mon-fri" }),
    where: ["manifest release-windows[0].days"],
    says: "must be a list, not a string",
  },
  {
    name: "a release window day misspelt, with did-you-mean",
    manifest: windowWith({ days: "[mon, thr]" }),
    where: ["manifest release-windows[0].days[1]"],
    says: '"thr" is not a day of the week. Did you mean thu? Use the first three letters: mon, tue, wed, thu, fri, sat, sun.',
  },
  {
    name: "a release window day written in full",
    manifest: windowWith({ days: "[monday]" }),
    where: ["manifest release-windows[0].days[0]"],
    says: "Use the first three letters",
  },
  {
    name: "a release window day that is a number",
    manifest: windowWith({ days: "[1, 2]" }),
    where: ["manifest release-windows[0].days[0]", "manifest release-windows[0].days[1]"],
    says: "must be a day (a string), not a number",
  },
  {
    name: "a release window day twice",
    manifest: windowWith({ days: "[xyz, mon, Mon]" }),
    where: ["manifest release-windows[0].days[0]", "manifest release-windows[0].days[2]"],
  },
  ...['"9"', '"09:00:00"', '"9am"', '"09:60"', '"24:00"', '"25:00"', '"-1:00"'].map(
    (from): Row => ({
      name: `a release window from ${from}`,
      manifest: windowWith({ from }),
      where: ["manifest release-windows[0].from"],
    }),
  ),
  ...['"24:01"', '"24:30"', '"16"'].map((to): Row => ({
    name: `a release window to ${to}`,
    manifest: windowWith({ to }),
    where: ["manifest release-windows[0].to"],
  })),
  {
    name: "a release window from written as a number",
    manifest: windowWith({ from: "900" }),
    where: ["manifest release-windows[0].from"],
    says: 'must be a time HH:MM, not a number (900). Write it like from: "09:00".',
  },
  {
    name: "a release window from and to the same time",
    manifest: windowWith({ from: '"09:00"', to: "09:00" }),
    where: ["manifest release-windows[0].to"],
    says: 'is the same time as from: the window would be empty. Write the time the window closes; for a whole day write from: "00:00" and to: "24:00".',
  },
  {
    name: "an unknown time zone, with did-you-mean",
    manifest: windowWith({ "time-zone": "Europe/Lodnon" }),
    where: ["manifest release-windows[0].time-zone"],
    says: '"Europe/Lodnon" is not a time zone known to Node.js. Did you mean Europe/London? Write an IANA time zone name, like Europe/London, America/New_York or UTC.',
  },
  {
    name: "a time zone given by its city",
    manifest: windowWith({ "time-zone": "New_York" }),
    where: ["manifest release-windows[0].time-zone"],
    says: "Did you mean America/New_York?",
  },
  ...[
    "Mars/Olympus_Mons",
    '"Pacific Standard Time"',
    '"+01:00"',
    '"UTC+1"',
    '"Europe/London\\n"',
    "[UTC]",
  ].map((zone): Row => ({
    name: `a time zone of ${zone}`,
    manifest: windowWith({ "time-zone": zone }),
    where: ["manifest release-windows[0].time-zone"],
  })),
  {
    name: "problems in two release windows",
    manifest: withTop(
      `release-windows:\n  - { ${WINDOW_DAYS}, ${WINDOW_TIMES}, time-zone: Europe/London }\n  - { days: [sun], from: "22:00", to: "6:00", time-zone: Nowhere }\n`,
    ),
    where: ["manifest release-windows[1].time-zone"],
  },
  {
    name: "depends-on a string",
    manifest: pair("depends-on: worker"),
    where: ["manifest regions[0].services[0].depends-on"],
    says: "must be a list, not a string",
  },
  {
    name: "a depends-on entry that is a mapping",
    manifest: pair("depends-on: [{ name: worker }]"),
    where: ["manifest regions[0].services[0].depends-on[0]"],
    says: "must be a service name (a string), not a mapping",
  },
  {
    name: "depends-on an unknown service, with did-you-mean",
    manifest: pair("depends-on: [wroker]"),
    where: ["manifest regions[0].services[0].depends-on[0]"],
    says: '"wroker" is not a service of region "uk-south". Did you mean worker?',
  },
  {
    name: "depends-on a service of another region",
    manifest: manifest([
      region("uk-south", [svc("api", "shop-api-uks", ", depends-on: [db]")]),
      region("west-europe", [svc("db", "shop-db-weu")]),
    ]),
    where: ["manifest regions[0].services[0].depends-on[0]"],
    says: '"db" is not a service of region "uk-south"',
  },
  {
    name: "depends-on with an escape sequence",
    manifest: pair('depends-on: ["worker\\e[31m"]'),
    where: ["manifest regions[0].services[0].depends-on[0]"],
    says: '"worker\\u001b[31m"',
  },
  {
    name: "a service depending on itself",
    manifest: pair("depends-on: [api]"),
    where: ["manifest regions[0].services[0].depends-on[0]"],
    says: '"api" is the service itself',
  },
  {
    name: "a depends-on entry twice",
    manifest: pair("depends-on: [worker, worker]"),
    where: ["manifest regions[0].services[0].depends-on[1]"],
    says: '"worker" is already listed at regions[0].services[0].depends-on[0]',
  },
  {
    name: "a depends-on cycle",
    manifest: pair("depends-on: [worker]", "depends-on: [api]"),
    where: ["manifest regions[0].services[0].depends-on"],
    says: "api → worker → api is a cycle",
  },
  {
    name: "a three-service cycle in the second region",
    manifest: manifest([
      region("uk-south", [svc("api", "shop-api-uks")]),
      region("west-europe", [
        svc("a", "app-a", ", depends-on: [b]"),
        svc("b", "app-b", ", depends-on: [c]"),
        svc("c", "app-c", ", depends-on: [a]"),
      ]),
    ]),
    where: ["manifest regions[1].services[0].depends-on"],
    says: "a → b → c → a is a cycle",
  },
  {
    name: "no subscription in the region nor the input",
    inputs: { "subscription-id": "" },
    where: ["manifest regions[0].subscription-id"],
  },
  {
    name: "a region name with a NUL",
    manifest: manifest([region('"uk\\0south"', [svc("api", "shop-api-uks")])]),
    where: ["manifest regions[0].name"],
    says: '"uk\\u0000south" is not a valid name',
  },
  {
    name: "a service name with an escape sequence",
    manifest: manifest([region("uk-south", [svc('"api\\e[31m"', "shop-api-uks")])]),
    where: ["manifest regions[0].services[0].name"],
    says: '"api\\u001b[31m"',
  },
  {
    name: "an app with a bell",
    manifest: manifest([region("uk-south", [svc("api", '"shop\\aapi"')])]),
    where: ["manifest regions[0].services[0].app"],
    says: '"shop\\u0007api"',
  },
  {
    name: "a resource group with a right-to-left override",
    manifest: ONE.replace("rg-uk-south", '"rg\\u202Euks"'),
    where: ["manifest regions[0].resource-group"],
    says: '"rg\\u202euks"',
  },
  {
    name: "a slot with a C1 control character",
    manifest: `slot: "stag\\x9Bing"\n${ONE}`,
    where: ["manifest slot"],
    says: '"stag\\u009bing"',
  },
  {
    name: "a status URL with a tab",
    manifest: `status: { url: "https://{host}/sta\\ttus" }\n${ONE}`,
    where: ["manifest status.url"],
    says: "contains a control character",
  },
  {
    name: "a build-field with a NUL",
    manifest: `status: { build-field: "bu\\0ild" }\n${ONE}`,
    where: ["manifest status.build-field"],
  },
  {
    name: "a field name with a control character",
    manifest: regionWith('"na\\ame": x'),
    where: ['manifest regions[0]["na\\u0007me"]'],
  },
  {
    name: "a control character in JSON",
    inputs: { manifest: "fleet.json" },
    files: {
      "fleet.json": JSON.stringify({
        regions: [
          {
            name: "uk-south\u0000",
            "subscription-id": SUBSCRIPTION,
            "resource-group": "rg",
            services: [{ name: "api", app: "shop-api-uks\n::error::owned" }],
          },
        ],
      }),
    },
    where: ["manifest regions[0].name", "manifest regions[0].services[0].app"],
  },
  {
    name: "a manifest over 1 MiB",
    manifest: `${ONE}# ${"x".repeat(1_048_576)}\n`,
    where: [`manifest ${FILE}`],
    says: "a release manifest may have at most 1,048,576",
  },
  {
    name: "a 10 MB manifest",
    manifest: `${ONE}# ${"x".repeat(10_485_760)}\n`,
    where: [`manifest ${FILE}`],
  },
  {
    name: "10,000 nested flow sequences",
    manifest: nested(10_000),
    where: [`manifest ${FILE}:1:68`],
    says: "nests lists and mappings more than 64 levels deep",
  },
  {
    name: "65 levels: 64 nested flow sequences in the top mapping",
    manifest: nested(64),
    where: [`manifest ${FILE}:1:68`],
  },
  {
    name: "10,000 nested block sequences",
    manifest: `x:\n${"- ".repeat(10_000)}deep\n${ONE}`,
    where: [`manifest ${FILE}:2:128`],
  },
  {
    name: "10,000 nested JSON objects",
    inputs: { manifest: "fleet.json" },
    files: { "fleet.json": `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}` },
    where: ["manifest fleet.json:1:322"],
  },
  {
    name: "5,001 regions",
    manifest: `regions:\n${"  - {}\n".repeat(5_001)}`,
    where: ["manifest regions"],
    says: "lists 5,001 regions; a release manifest may list at most 5,000",
  },
  {
    name: "5,001 services in one region",
    manifest: manifest([manyServices("uk-south", 5_001)]),
    where: ["manifest regions"],
    says: "5,001 services",
  },
  {
    name: "5,001 services in two regions",
    manifest: manifest([manyServices("uk-south", 2_500), manyServices("west-europe", 2_501)]),
    where: ["manifest regions"],
  },
  {
    name: "300 problems: the first 99 and a count of the rest",
    manifest: manifest([manyServices("uk-south", 300, () => "x")]),
    where: [
      ...Array.from({ length: 99 }, (_, index) => `manifest regions[0].services[${index}].app`),
      "manifest",
    ],
    says: "is not a valid App Service name",
  },
];

const ROWS = [...INPUT_ROWS, ...MANIFEST_ROWS];

/** Reads settings from the row as the action would, recording every use of the outside world. */
async function refuse(
  row: Row,
): Promise<{ problems: SettingsProblem[]; message: string; io: string[] }> {
  const inputs: Record<string, string> = {
    build: "1.4.2",
    "subscription-id": SUBSCRIPTION,
    ...row.inputs,
  };
  const files = row.files ?? { [FILE]: row.manifest ?? ONE };
  const io: string[] = [];
  const thrown = await readSettings(
    { getInput: (name) => inputs[name] ?? "" },
    {
      mask: () => void io.push("mask"),
      readFile: async (path) => {
        io.push(`read ${path}`);
        const file = files[path];
        if (typeof file === "string") return file;
        throw file ?? Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
      },
    },
  ).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(SettingsError);
  const error = thrown as SettingsError;
  return { problems: error.problems, message: error.message, io };
}

/** Characters a log line must never receive raw (the same classes settings escape). */
const RAW_INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

describe("the bad-input corpus", () => {
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  const outside = { fetch: vi.fn(), connect: vi.fn() };

  beforeEach(() => {
    // No request leaves: any fetch or socket connection at all is recorded and refused.
    outside.fetch = vi.spyOn(globalThis, "fetch").mockRejectedValue(new Error("no fetch here"));
    outside.connect = vi.spyOn(net.Socket.prototype, "connect").mockImplementation(() => {
      throw new Error("no connection here");
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("has at least 60 distinct rows", () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(60);
    const distinct = new Set(
      ROWS.map((row) => JSON.stringify([row.inputs, row.manifest, row.files])),
    );
    expect(distinct.size).toBe(ROWS.length);
    expect(new Set(ROWS.map((row) => row.name)).size).toBe(ROWS.length);
  });

  it.each(ROWS)("$name", async (row) => {
    const { problems, message, io } = await refuse(row);
    expect(problems.map((problem) => problem.where)).toEqual(row.where);
    const first = problems[0];
    if (row.says !== undefined) expect(`${first?.message} ${first?.hint}`).toContain(row.says);
    for (const problem of problems) {
      expect(problem.message, problem.where).toMatch(/\S.*[.?]$/);
      expect(problem.hint, problem.where).toMatch(/\S.*[.?]$/);
    }
    // One line per problem, each readable as is: nothing a runner or terminal could obey.
    const lines = message.split("\n");
    expect(lines).toHaveLength(problems.length);
    for (const line of lines) {
      expect(line).not.toMatch(RAW_INVISIBLE);
      expect(line.length).toBeLessThan(1_000);
    }
    // Nothing but masking secrets and reading the manifest happened: no sign-in, no Azure.
    expect(io.filter((event) => event !== "mask")).toEqual([
      `read ${row.inputs?.manifest ?? FILE}`,
    ]);
    expect(outside.fetch).not.toHaveBeenCalled();
    expect(outside.connect).not.toHaveBeenCalled();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});

describe("the bundled action on bad manifests, against the simulator", () => {
  const fleet = demoFleet(SUBSCRIPTION);
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ apps: fleet.apps });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => sim.journal.clear());

  const regions = fleet.manifest["regions"] as Array<{ services: object[] }>;
  const sameAppTwice = {
    ...fleet.manifest,
    regions: regions.map((entry, index) =>
      index === 2
        ? { ...entry, services: [...entry.services, { name: "again", app: "SHOP-API-EUS" }] }
        : entry,
    ),
  };
  const cases: Array<{
    name: string;
    manifest: string;
    inputs: Record<string, string>;
    error: string;
  }> = [
    {
      name: "the same app twice",
      manifest: stringify(sameAppTwice),
      inputs: {},
      error: "manifest regions[2].services[3].app: ",
    },
    {
      name: "status-interval longer than status-timeout",
      manifest: fleet.manifestYaml,
      inputs: { "status-interval": "10s", "status-timeout": "3s" },
      error: "input status-interval: ",
    },
    {
      name: "__proto__ in the manifest",
      manifest: `__proto__:\n  polluted: true\n${fleet.manifestYaml}`,
      inputs: {},
      error: "manifest __proto__: ",
    },
    {
      name: "constructor.prototype in a JSON manifest",
      manifest: JSON.stringify(fleet.manifest).replace(
        '"regions":[{',
        '"regions":[{"constructor":{"prototype":{"polluted":true}},',
      ),
      inputs: {},
      error: "manifest regions[0].constructor: ",
    },
  ];

  it.each(cases)("$name: fails naming it, and Azure sees not one request", async (bad) => {
    const manifestPath = join(mkdtempSync(join(tmpdir(), "rss-bad-manifest-")), "manifest.yml");
    writeFileSync(manifestPath, bad.manifest);
    const run = await runAction({
      sim,
      inputs: {
        build: "1.5.0",
        manifest: manifestPath,
        ...simulatorInputs(sim, SUBSCRIPTION),
        ...bad.inputs,
      },
    });

    expect(run.exitCode, run.stdout).toBe(1);
    expect(run.outputs.outcome).toBe("failed");
    const errors = run.stdout.split("\n").filter((line) => line.startsWith("::error"));
    expect(
      errors.filter((line) => line.includes(`::${bad.error}`)),
      run.stdout,
    ).toHaveLength(1);
    expect(run.summary).toContain(bad.error);
    // Not an ARM request, not a token from Entra nor an OIDC token from GitHub: nothing at all.
    expect(sim.journal.entries()).toEqual([]);
  });
});
