/**
 * The rehearsal of a user's own manifest: the simulator is seeded from the manifest and the
 * bundled action (dist/index.js) runs against it. Assertions read the simulator's ground truth.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRehearsalArgs } from "./rehearse/arguments.js";
import { RehearsalError, formatRehearsal, rehearse, type Rehearsal } from "./rehearse/rehearsal.js";
import {
  isSimulatable,
  rewriteManifest,
  simulatableUrl,
  statusFormatFor,
} from "./rehearse/simulated-fleet.js";

const SHOP = "test/fixtures/manifests/shop.yml";
const SHOP_APPS = ["shop-api-uks", "shop-auth-uks", "shop-api-weu", "shop-api-eus"];

function production(rehearsal: Rehearsal): Record<string, string | null> {
  return Object.fromEntries(
    rehearsal.groundTruth.map((truth) => [truth.app, truth.production.build]),
  );
}

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "rss-rehearse-test-")), name);
  writeFileSync(path, text);
  return path;
}

describe("rehearse against the simulator", () => {
  it("plans the shop manifest without swapping anything", async () => {
    const rehearsal = await rehearse({
      manifest: SHOP,
      build: "1.5.0",
      from: "1.4.1",
      mode: "plan",
      swapDurationMs: 200,
    });
    expect(rehearsal.outcome).toBe("planned");
    expect(rehearsal.exitCode).toBe(0);
    expect(Object.keys(production(rehearsal)).sort()).toEqual([...SHOP_APPS].sort());
    expect(Object.values(production(rehearsal))).toEqual(["1.4.1", "1.4.1", "1.4.1", "1.4.1"]);
    expect(rehearsal.warnings).toEqual([]);
  });

  it("releases every region of the shop manifest", async () => {
    const rehearsal = await rehearse({ manifest: SHOP, build: "1.5.0", swapDurationMs: 200 });
    expect(rehearsal.outcome).toBe("released");
    expect(rehearsal.exitCode).toBe(0);
    expect(rehearsal.groundTruth).toHaveLength(SHOP_APPS.length);
    for (const truth of rehearsal.groundTruth) {
      expect(truth.production.build, truth.app).toBe("1.5.0");
      expect(truth.staging?.build, truth.app).toBe("1.5.0"); // refresh: mirror
    }
    // west-europe names no subscription: the placeholder fills in, as the input would.
    const weu = rehearsal.groundTruth.find((truth) => truth.app === "shop-api-weu");
    expect(weu?.subscriptionId).toBe("00000000-0000-0000-0000-000000000000");
    expect(rehearsal.slackMessages).toHaveLength(1);
    const text = formatRehearsal(rehearsal);
    expect(text).toContain("▶ Region west-europe");
    expect(text).toContain("Release 1.5.0: released");
    expect(text).toMatch(/uk-south\s+1\.5\.0 \| 1\.5\.0\s+1\.5\.0 \| 1\.5\.0/);
  });

  it("rolls back the region whose service fails on the new build", async () => {
    const rehearsal = await rehearse({
      manifest: SHOP,
      build: "1.5.0",
      from: "1.4.1",
      fail: ["west-europe/api"],
      inputs: { "status-timeout": "3s" },
      swapDurationMs: 200,
    });
    expect(rehearsal.outcome).toBe("rolled-back");
    expect(rehearsal.exitCode).not.toBe(0);
    expect(production(rehearsal)).toEqual({
      "shop-api-uks": "1.5.0", // released before west-europe; rollback: region keeps it
      "shop-auth-uks": "1.5.0",
      "shop-api-weu": "1.4.1",
      "shop-api-eus": "1.4.1", // never started
    });
    expect(formatRehearsal(rehearsal)).toContain(
      "west-europe/api: production reports its database down",
    );
  });

  it("passes --input through to the action (rollback: all)", async () => {
    const rehearsal = await rehearse({
      manifest: SHOP,
      build: "1.5.0",
      fail: ["west-europe/api"],
      inputs: { rollback: "all", "status-timeout": "3s" },
      swapDurationMs: 200,
    });
    expect(rehearsal.outcome).toBe("rolled-back");
    expect(Object.values(production(rehearsal))).toEqual([
      "previous",
      "previous",
      "previous",
      "previous",
    ]);
  });

  it("rewrites a fixed-host status URL in a copy, warns, and still releases", async () => {
    const text = readFileSync(SHOP, "utf8").replace(
      'status: { url: "https://{host}/healthz", build-field: version }',
      'status: { url: "https://status.example.com/{region}/{service}", build-field: version }',
    );
    expect(text).toContain("status.example.com");
    const manifest = tempFile("release-manifest.yml", text);
    const rehearsal = await rehearse({ manifest, build: "1.5.0", swapDurationMs: 200 });
    expect(rehearsal.warnings).toHaveLength(1);
    expect(rehearsal.warnings[0]).toContain("service uk-south/auth");
    expect(rehearsal.warnings[0]).toContain("https://status.example.com/{region}/{service}");
    expect(rehearsal.manifestRewritten).toBe(true);
    expect(rehearsal.outcome).toBe("released");
    expect(production(rehearsal)["shop-auth-uks"]).toBe("1.5.0");
    // The action read the rewritten path on the simulated host.
    expect(rehearsal.run.stdout).not.toContain("status.example.com");
    expect(readFileSync(manifest, "utf8")).toBe(text);
    expect(formatRehearsal(rehearsal)).toContain("⚠ service uk-south/auth");
  });

  it("reports every problem of an invalid manifest and options before starting anything", async () => {
    const manifest = tempFile(
      "release-manifest.yml",
      "regions:\n  - name: uk-south\n    resource-group: rg\n    services:\n      - name: api\n        apps: shop-api\n",
    );
    const error = await rehearse({
      manifest,
      build: "1.5.0",
      inputs: { "client-id": "x", rollback: "sometimes" },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RehearsalError);
    const problems = (error as RehearsalError).problems.join("\n");
    expect(problems).toContain("--input client-id: is set by the rehearsal");
    expect(problems).toContain("input rollback");
    expect(problems).toContain("regions[0].services[0].apps");
  });

  it("refuses a --fail that names no service of the manifest", async () => {
    const error = await rehearse({ manifest: SHOP, build: "1.5.0", fail: ["uk-south/billing"] })
      .then(() => undefined)
      .catch((caught: unknown) => caught);
    expect((error as RehearsalError).problems).toEqual([
      expect.stringContaining("--fail uk-south/billing: is not a service of the manifest"),
    ]);
  });
});

describe("status URLs the simulator can serve", () => {
  it.each([
    ["https://{host}/status", true],
    ["https://{host}", true],
    ["https://{host}?full=1", true],
    ["http://{host}/status", false],
    ["https://{host}:8443/status", false],
    ["https://{app}.azurewebsites.net/status", false],
    ["https://probe.example.com/check?target={host}", false],
  ])("%s → %s", (template, expected) => {
    expect(isSimulatable(template)).toBe(expected);
  });

  it("keeps the path and query on the slot's host", () => {
    expect(simulatableUrl("https://status.example.com/{region}/{service}?v=2")).toBe(
      "https://{host}/{region}/{service}?v=2",
    );
    expect(simulatableUrl("http://{host}:8443/status")).toBe("https://{host}/status");
    expect(simulatableUrl("https://status.example.com")).toBe("https://{host}");
  });

  it("rewrites only the named service, keeping its other status fields and YAML merges", () => {
    const text = [
      "defaults: &api { name: api, app: shop-api-uks }",
      "regions:",
      "  - name: uk-south",
      "    resource-group: rg",
      "    services:",
      "      - <<: *api",
      "      - name: auth",
      "        app: shop-auth-uks",
      "        status: { url: 'https://x.example.com/h', build-field: version }",
    ].join("\n");
    const copy = rewriteManifest(text, [
      {
        regionIndex: 0,
        serviceIndex: 1,
        region: "uk-south",
        service: "auth",
        from: "https://x.example.com/h",
        to: "https://{host}/h",
      },
    ]);
    expect(copy).toContain("url: https://{host}/h");
    expect(copy).toContain("build-field: version");
    expect(copy).toContain("app: shop-api-uks");
    expect(copy).not.toContain("<<");
  });

  it("lays out the status page as the rule reads it", () => {
    expect(statusFormatFor({ urlTemplate: "https://{host}/s", buildField: "app.version" })).toEqual(
      { buildField: "app.version" },
    );
    expect(
      statusFormatFor({
        urlTemplate: "https://{host}/s",
        buildField: "build",
        dependenciesField: "health.deps",
      }),
    ).toEqual({ buildField: "build", dependencyShape: "object", dependenciesField: "health.deps" });
  });
});

describe("the command line", () => {
  it("reads every option", () => {
    expect(
      parseRehearsalArgs([
        "--manifest",
        "m.yml",
        "--build",
        "1.5.0",
        "--from",
        "1.4.1",
        "--regions",
        "a,b",
        "--mode",
        "plan",
        "--fail",
        "a/api",
        "--fail",
        "b/api",
        "--subscription-id",
        "11111111-1111-1111-1111-111111111111",
        "--input",
        "rollback=all",
        "--input",
        "bake-time=",
      ]),
    ).toEqual({
      manifest: "m.yml",
      build: "1.5.0",
      from: "1.4.1",
      regions: "a,b",
      mode: "plan",
      fail: ["a/api", "b/api"],
      subscriptionId: "11111111-1111-1111-1111-111111111111",
      inputs: { rollback: "all", "bake-time": "" },
    });
  });

  it("lists every problem at once", () => {
    let error: unknown;
    try {
      parseRehearsalArgs(["--input", "rollback", "--fail", "api"]);
    } catch (caught) {
      error = caught;
    }
    expect((error as RehearsalError).problems).toEqual([
      expect.stringContaining("--manifest: is missing"),
      expect.stringContaining("--build: is missing"),
      expect.stringContaining("--input rollback: write it as name=value"),
      expect.stringContaining("--fail api: write it as region/service"),
    ]);
  });

  it("rejects unknown options", () => {
    expect(() => parseRehearsalArgs(["--bogus"])).toThrow(/Unknown option '--bogus'/);
  });
});
