/**
 * The bundled action (dist/index.js), run as a GitHub runner runs it, against the simulator.
 * Assertions read the simulator's ground truth and journal: which build each slot runs and
 * which requests Azure saw.
 */
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ALL_APPS,
  APPS_BY_REGION,
  SUBSCRIPTION,
  production,
  report,
  rig,
  staging,
  swappedApps,
} from "./harness/simulator-rig.js";

describe("the bundled action against the simulator", () => {
  it("releases 3 regions × 3 services region by region, refreshes both kinds of staging slot, and reports", async () => {
    const { sim, release } = await rig();
    const run = await release({ "slack-webhook-url": sim.slackWebhookUrl });

    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.outcome).toBe("released");
    expect(run.outputs["released-regions"]).toBe("uk-south,west-europe,east-us");
    for (const app of ALL_APPS) {
      expect(production(sim, app), app).toBe("1.5.0");
      expect(staging(sim, app), app).toBe("1.5.0");
    }
    // Region by region: every swap of a region starts after every swap of the previous one finished.
    const swaps = sim.journal.swaps();
    expect(swaps).toHaveLength(9);
    const regionOf = (app: string) =>
      Object.entries(APPS_BY_REGION).find(([, apps]) => apps.includes(app))?.[0];
    const order = ["uk-south", "west-europe", "east-us"];
    for (const [index, region] of order.entries()) {
      if (index === 0) continue;
      const previousDone = Math.max(
        ...swaps
          .filter((swap) => regionOf(swap.app) === order[index - 1])
          .map((swap) => swap.completedAt),
      );
      const firstStart = Math.min(
        ...sim.journal
          .swapRequests()
          .filter((request) => regionOf(request.app) === region)
          .map((request) => request.at),
      );
      expect(firstStart).toBeGreaterThanOrEqual(previousDone);
    }
    // The swap body follows the spec: targetSlot and preserveVnet.
    expect(sim.journal.swapRequests()[0]?.body).toMatchObject({ preserveVnet: true });
    // Refresh used site config for container apps and app settings for run-from-package apps.
    expect(sim.slot("shop-api-uks", "staging").linuxFxVersion).toContain(":1.5.0");
    expect(sim.slot("shop-auth-uks", "staging").appSettings.WEBSITE_RUN_FROM_PACKAGE).toMatch(
      /1\.5\.0\.zip$/,
    );
    expect(sim.slot("shop-auth-uks", "staging").appSettings.SERVICE_NAME).toBe("auth");

    const body = report(run);
    expect(body.outcome).toBe("released");
    expect(body.regions.map((region) => region.outcome)).toEqual([
      "released",
      "released",
      "released",
    ]);
    expect(body.regions[0]?.services[0]).toMatchObject({
      app: "shop-api-uks",
      before: { production: "1.4.1", staging: "1.5.0" },
      after: { production: "1.5.0", staging: "1.5.0" },
      refresh: "done",
      error: null,
    });
    expect(run.summary).toContain("| uk-south | api | shop-api-uks |");
    expect(run.stdout).toContain("::group::Region west-europe");
    const slack = sim.slackMessages();
    expect(slack).toHaveLength(1);
    expect(JSON.stringify(slack[0]?.body)).toContain("1.5.0");
    // Signed in through GitHub OIDC: the OIDC endpoint was asked, with Azure's audience.
    expect(sim.journal.of("oidc")[0]?.query.audience).toBe("api://AzureADTokenExchange");
  });

  it("plan mode pre-flights, prints the plan, and writes nothing to Azure", async () => {
    const { sim, release } = await rig();
    const run = await release({ mode: "plan" });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.outcome).toBe("planned");
    expect(sim.journal.armWrites()).toEqual([]);
    expect(ALL_APPS.map((app) => production(sim, app))).toEqual(Array(9).fill("1.4.1"));
    expect(run.stdout).toContain("::group::Plan");
    expect(report(run).regions.map((region) => region.outcome)).toEqual([
      "planned",
      "planned",
      "planned",
    ]);
  });

  it("a pre-flight failure swaps nothing anywhere and names every offending service", async () => {
    const { sim, release } = await rig();
    sim.deploy("shop-billing-weu", "staging", "1.4.9");
    sim.setSlotState("shop-auth-eus", "staging", "Stopped");
    const run = await release();

    expect(run.exitCode).toBe(1);
    expect(run.outputs.outcome).toBe("failed");
    expect(sim.journal.armWrites()).toEqual([]);
    expect(run.stdout).toMatch(/::error.*west-europe\/billing \(shop-billing-weu\).*1\.4\.9/);
    expect(run.stdout).toMatch(/::error.*east-us\/auth \(shop-auth-eus\).*Stopped/);
  });

  it("refuses to release while production routes traffic to the staging slot", async () => {
    const { sim, release } = await rig();
    sim.routeTraffic("shop-auth-weu", "staging", 20);
    const run = await release();

    expect(run.outputs.outcome).toBe("failed");
    expect(sim.journal.armWrites()).toEqual([]);
    // Workflow commands escape "%" as "%25"; the runner shows "20%".
    expect(run.stdout).toMatch(
      /::error.*west-europe\/auth \(shop-auth-weu\): production routes 20%25 of its traffic/,
    );
  });

  it("invalid inputs and manifest: every problem at once, and not one request to Azure", async () => {
    const { sim, release, manifestPath } = await rig();
    writeFileSync(
      manifestPath,
      "regions:\n  - name: uk-south\n    resource-group: rg\n    servces: []\n",
    );
    const run = await release({ rollback: "sometimes", "status-timeout": "five minutes" });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.outcome).toBe("failed");
    expect(run.stdout).toMatch(/::error.*input rollback/);
    expect(run.stdout).toMatch(/::error.*input status-timeout/);
    expect(run.stdout).toMatch(/::error.*manifest regions\[0\]\.servces.*services/);
    expect(run.summary).toContain("invalid settings");
    expect(run.summary).toContain("input status-timeout");
    expect(sim.journal.of("arm")).toEqual([]);
    expect(sim.journal.of("entra")).toEqual([]);
  });

  describe("verification failure in west-europe", () => {
    async function breakWestEurope(rollback: string) {
      const context = await rig();
      context.sim.unhealthyInProduction("shop-api-weu", "1.5.0", "database");
      const run = await context.release({ rollback });
      return { ...context, run };
    }

    it("rollback region: west-europe back on 1.4.1, uk-south stays released, east-us untouched", async () => {
      const { sim, run } = await breakWestEurope("region");
      expect(run.exitCode).toBe(1);
      expect(run.outputs.outcome).toBe("rolled-back");
      expect(run.outputs["released-regions"]).toBe("uk-south");
      expect(APPS_BY_REGION["uk-south"].map((app) => production(sim, app))).toEqual([
        "1.5.0",
        "1.5.0",
        "1.5.0",
      ]);
      expect(APPS_BY_REGION["west-europe"].map((app) => production(sim, app))).toEqual([
        "1.4.1",
        "1.4.1",
        "1.4.1",
      ]);
      expect(APPS_BY_REGION["east-us"].map((app) => production(sim, app))).toEqual([
        "1.4.1",
        "1.4.1",
        "1.4.1",
      ]);
      expect(swappedApps(sim).filter((app) => app.endsWith("-eus"))).toEqual([]);
      expect(report(run).regions.map((region) => region.outcome)).toEqual([
        "released",
        "rolled-back",
        "not-started",
      ]);
      expect(run.stdout).toMatch(
        /::error.*west-europe\/api \(shop-api-weu\): production not healthy on 1\.5\.0/,
      );
    });

    it("rollback all: uk-south is swapped back too, after west-europe", async () => {
      const { sim, run } = await breakWestEurope("all");
      expect(run.outputs.outcome).toBe("rolled-back");
      expect(ALL_APPS.map((app) => production(sim, app))).toEqual(Array(9).fill("1.4.1"));
      const swaps = sim.journal.swaps();
      const lastWeu = Math.max(
        ...swaps.filter((swap) => swap.app.endsWith("-weu")).map((swap) => swap.completedAt),
      );
      const rollbackUks = swaps.filter((swap) => swap.app.endsWith("-uks")).slice(3);
      expect(rollbackUks).toHaveLength(3);
      for (const swap of rollbackUks) expect(swap.startedAt).toBeGreaterThanOrEqual(lastWeu);
      expect(run.outputs["released-regions"]).toBe("");
    });

    it("rollback none: west-europe is left as it is, the run fails and says so", async () => {
      const { sim, run } = await breakWestEurope("none");
      expect(run.outputs.outcome).toBe("failed");
      expect(production(sim, "shop-api-weu")).toBe("1.5.0");
      expect(run.stdout).toMatch(/::error.*rollback is none/);
      expect(report(run).regions[1]?.services[0]?.after).toEqual({
        production: "1.5.0",
        staging: "1.4.1",
      });
    });
  });

  it("a re-run resumes: released regions are never swapped again", async () => {
    const { sim, release } = await rig();
    sim.unhealthyInProduction("shop-api-eus", "1.5.0", "database");
    const first = await release();
    expect(first.outputs.outcome).toBe("rolled-back");
    expect(first.outputs["released-regions"]).toBe("uk-south,west-europe");

    sim.clearFaults();
    const before = sim.journal.swapRequests().length;
    const second = await release();
    expect(second.exitCode).toBe(0);
    expect(second.outputs.outcome).toBe("released");
    const swapsOfSecondRun = sim.journal
      .swapRequests()
      .slice(before)
      .map((request) => request.app);
    expect(swapsOfSecondRun.sort()).toEqual([...APPS_BY_REGION["east-us"]].sort());
    expect(report(second).regions.map((region) => region.outcome)).toEqual([
      "already-released",
      "already-released",
      "released",
    ]);
    for (const app of ALL_APPS) expect(staging(sim, app), app).toBe("1.5.0");

    const third = await release();
    expect(third.outputs.outcome).toBe("already-released");
    expect(sim.journal.swapRequests().length).toBe(before + 3);
  });

  it("resumes after a cancelled run in which Azure finished only some swaps: it swaps the rest", async () => {
    const { sim, release } = await rig();
    sim.slowSwap("shop-billing-uks", 3_000);
    sim.failSwap("shop-billing-uks");
    const finishedInUkSouth = () =>
      sim.journal.swaps().filter((swap) => swap.app.endsWith("-uks") && swap.succeeded).length;
    const first = await release({}, { cancelWhen: () => finishedInUkSouth() === 2 });
    expect(first.outputs.outcome).toBe("cancelled");
    while (sim.isSwapping("shop-billing-uks"))
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(
      ["shop-api-uks", "shop-auth-uks", "shop-billing-uks"].map((app) => production(sim, app)),
    ).toEqual(["1.5.0", "1.5.0", "1.4.1"]);

    const before = sim.journal.swapRequests().length;
    const second = await release();
    expect(second.outputs.outcome).toBe("released");
    const swappedAgain = sim.journal
      .swapRequests()
      .slice(before)
      .map((request) => request.app);
    expect(swappedAgain).not.toContain("shop-api-uks");
    expect(swappedAgain).not.toContain("shop-auth-uks");
    expect(swappedAgain).toContain("shop-billing-uks");
    for (const app of ALL_APPS) {
      expect(production(sim, app), app).toBe("1.5.0");
      expect(staging(sim, app), app).toBe("1.5.0");
    }
  });

  it("swap with preview: applySlotConfig, then the swap; staging keeps working", async () => {
    const { sim, release } = await rig();
    const run = await release({
      "swap-with-preview": "true",
      regions: "uk-south",
      "preserve-vnet": "false",
    });
    expect(run.outputs.outcome).toBe("released");
    const writes = sim.journal
      .armWrites()
      .map((entry) => `${entry.method} ${entry.path.split("/").slice(8).join("/")}`);
    const api = writes.filter((write) => write.includes("shop-api-uks"));
    expect(api[0]).toMatch(/applySlotConfig/i);
    expect(api[1]).toMatch(/slotsswap/i);
    expect(swappedApps(sim).filter((app) => !app.endsWith("-uks"))).toEqual([]);
    for (const request of sim.journal.swapRequests()) {
      expect(request.body).toEqual({ targetSlot: "production", preserveVnet: false });
    }
  });

  it("outlives its access tokens: a release longer than a token's life signs in again through OIDC", async () => {
    const { sim, release } = await rig({ swapDurationMs: 1_500, tokenLifetimeSeconds: 2 });
    const run = await release();

    expect(run.outputs.outcome, run.stdout).toBe("released");
    // With a 2 s token life a request can reach ARM just after its token expired (401); the SDK
    // then signs in again and retries, so the release still succeeds: that is what matters here.
    const tokenRequests = sim.journal.of("entra").filter((entry) => entry.method === "POST");
    expect(tokenRequests.length).toBeGreaterThan(1);
    // Each new Entra token was asked for with a fresh GitHub OIDC token (client assertion).
    expect(sim.journal.of("oidc").length).toBeGreaterThanOrEqual(tokenRequests.length);
  });

  it("signs in with a client secret, and the secret is in no log and no file", async () => {
    const { sim, release } = await rig();
    const run = await release({
      "client-secret": sim.clientSecret,
      "slack-webhook-url": sim.slackWebhookUrl,
      regions: "uk-south",
    });
    expect(run.outputs.outcome).toBe("released");
    expect(sim.journal.of("oidc")).toEqual([]);
    expect(sim.journal.of("entra").some((entry) => entry.method === "POST")).toBe(true);
    // The runner consumes `::add-mask::` commands; they must come before any other line.
    const lines = run.stdout.split("\n");
    const firstOther = lines.findIndex((line) => !line.startsWith("::add-mask::"));
    expect(lines.slice(0, firstOther)).toEqual(
      expect.arrayContaining([
        `::add-mask::${sim.clientSecret}`,
        `::add-mask::${sim.slackWebhookUrl}`,
      ]),
    );
    const shown = lines.slice(firstOther).join("\n");
    const everything = [shown, run.stderr, run.summary, ...Object.values(run.files)].join("\n");
    expect(everything).not.toContain(sim.clientSecret);
    expect(everything).not.toContain(sim.slackWebhookUrl);
    expect(everything).not.toContain(new URL(sim.slackWebhookUrl).pathname);
  });

  it("a failing Slack webhook is a warning and never changes the outcome", async () => {
    const { sim, release } = await rig();
    sim.failSlack({ count: 5, kind: "server-error" });
    const run = await release({ "slack-webhook-url": sim.slackWebhookUrl, regions: "uk-south" });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.outcome).toBe("released");
    expect(run.stdout).toMatch(/::warning::The Slack message was not sent/);
  });

  it("a refresh that cannot be applied keeps the outcome released but fails the step", async () => {
    const { sim, release } = await rig();
    sim.failDeploymentUpdate("shop-billing-uks", { count: 5 });
    const run = await release({ regions: "uk-south" });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.outcome).toBe("released");
    expect(production(sim, "shop-billing-uks")).toBe("1.5.0");
    expect(staging(sim, "shop-billing-uks")).toBe("1.4.1");
    const billing = report(run).regions[0]?.services[2];
    expect(billing?.refresh).toBe("failed");
  });

  it("rides out ARM throttling (429 with Retry-After) and a status page that warms up slowly", async () => {
    const { sim, release } = await rig();
    sim.throttle(
      { app: "shop-api-uks", method: "POST" },
      { count: 1, retryAfterSeconds: 1, status: 429 },
    );
    sim.slowWarmUp("shop-auth-uks", 800);
    const run = await release({ regions: "uk-south" });
    expect(run.outputs.outcome).toBe("released");
    const throttled = sim.journal.of("arm").filter((entry) => entry.status === 429);
    expect(throttled).toHaveLength(1);
    expect(production(sim, "shop-api-uks")).toBe("1.5.0");
  });

  it("records a GitHub deployment per region with its statuses", async () => {
    const { sim, release } = await rig();
    const run = await release({ "github-deployments": "true", regions: "uk-south,west-europe" });
    expect(run.outputs.outcome).toBe("released");
    const deployments = sim.githubDeployments();
    expect(deployments.map((deployment) => deployment.environment)).toEqual([
      "production-uk-south",
      "production-west-europe",
    ]);
    for (const deployment of deployments) {
      expect(deployment.statuses.map((status) => status.state)).toEqual(["in_progress", "success"]);
    }
  });

  it("swap with preview that Azure refuses (site authentication): settings reset, nothing swapped", async () => {
    const { sim, release } = await rig();
    sim.setSiteAuth("shop-auth-uks", true);
    const run = await release({
      "swap-with-preview": "true",
      regions: "uk-south",
      "max-parallel": "1",
    });

    expect(run.exitCode).toBe(1);
    const paths = sim.journal.armWrites().map((entry) => entry.path);
    expect(
      paths.some((path) => /shop-auth-uks\/slots\/staging\/applySlotConfig$/i.test(path)),
    ).toBe(true);
    expect(paths.some((path) => /shop-auth-uks\/resetSlotConfig$/i.test(path))).toBe(true);
    expect(swappedApps(sim).filter((app) => app === "shop-auth-uks")).toHaveLength(0);
    expect(APPS_BY_REGION["uk-south"].map((app) => production(sim, app))).toEqual([
      "1.4.1",
      "1.4.1",
      "1.4.1",
    ]);
    expect(run.stdout).toMatch(
      /::error.*uk-south\/auth \(shop-auth-uks\): swap with preview failed/,
    );
  });

  it("refuses to start when refresh: mirror could not copy an app's deployment, naming it", async () => {
    const { sim, release, manifestPath } = await rig();
    sim.addApp({
      subscriptionId: SUBSCRIPTION,
      resourceGroup: "rg-shop-eus",
      name: "shop-search-eus",
      location: "East US",
      kind: "other",
      production: { build: "1.4.1" },
      staging: { build: "1.5.0" },
    });
    const manifest = (await import("node:fs")).readFileSync(manifestPath, "utf8");
    writeFileSync(manifestPath, `${manifest}      - name: search\n        app: shop-search-eus\n`);
    const run = await release();

    expect(run.exitCode).toBe(1);
    expect(run.outputs.outcome).toBe("failed");
    expect(sim.journal.armWrites()).toEqual([]);
    expect(run.stdout).toMatch(
      /::error.*east-us\/search \(shop-search-eus\): refresh: mirror cannot copy/,
    );
  });

  it("refuses to start with refresh: mirror when an app is a Linux sidecar app, naming it and why", async () => {
    const { sim, release, manifestPath } = await rig();
    sim.addApp({
      subscriptionId: SUBSCRIPTION,
      resourceGroup: "rg-shop-eus",
      name: "shop-sidecar-eus",
      location: "East US",
      kind: "sitecontainers",
      production: { build: "1.4.1" },
      staging: { build: "1.5.0" },
    });
    const manifest = (await import("node:fs")).readFileSync(manifestPath, "utf8");
    writeFileSync(
      manifestPath,
      `${manifest}      - name: sidecar\n        app: shop-sidecar-eus\n`,
    );
    const run = await release();

    expect(run.exitCode).toBe(1);
    expect(run.outputs.outcome).toBe("failed");
    expect(sim.journal.armWrites()).toEqual([]);
    expect(run.stdout).toMatch(
      /::error.*east-us\/sidecar \(shop-sidecar-eus\): refresh: mirror cannot copy this app's deployment into its staging slot: the slot runs a sidecar app \(linuxFxVersion `SITECONTAINERS`\)/,
    );
    expect(sim.slot("shop-sidecar-eus", "production").build).toBe("1.4.1");
  });

  it("bake-time: a regression while the region bakes rolls the region back", async () => {
    const { sim, release } = await rig();
    const running = release({ "bake-time": "4s", regions: "uk-south,west-europe" });
    // Verified and baking: production's page has been read healthy, then read again by the bake.
    const bakingReads = () =>
      sim.journal
        .of("status")
        .filter(
          (entry) => entry.path.startsWith("/sites/shop-billing-uks/") && entry.status === 200,
        );
    // The action learns a swap is done from its operation's last poll; production's page is read
    // during the swap too, so only reads after the last of those polls are the bake's.
    const donePolls = () =>
      sim.journal
        .of("arm")
        .filter((entry) => entry.path.includes("/operationresults/") && entry.status === 200);
    while (
      donePolls().length < 3 ||
      bakingReads().filter((entry) => entry.at > Math.max(...donePolls().map((entry) => entry.at)))
        .length < 2
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    sim.unhealthyInProduction("shop-billing-uks", "1.5.0", "payments-gateway");
    const run = await running;

    expect(run.outputs.outcome).toBe("rolled-back");
    expect(run.stdout).toMatch(
      /::error.*uk-south\/billing \(shop-billing-uks\): regressed during bake-time/,
    );
    expect(APPS_BY_REGION["uk-south"].map((app) => production(sim, app))).toEqual([
      "1.4.1",
      "1.4.1",
      "1.4.1",
    ]);
    expect(swappedApps(sim).filter((app) => app.endsWith("-weu"))).toEqual([]);
  });

  it("signs in through the default credential chain when no client-id is given", async () => {
    const { sim, release } = await rig();
    const run = await release(
      { "client-id": "", "tenant-id": "", regions: "uk-south" },
      {
        env: {
          AZURE_TENANT_ID: sim.tenantId,
          AZURE_CLIENT_ID: sim.clientId,
          AZURE_CLIENT_SECRET: sim.clientSecret,
          AZURE_AUTHORITY_HOST: sim.authorityHost,
        },
      },
    );
    expect(run.outputs.outcome, run.stdout).toBe("released");
    expect(sim.journal.of("oidc")).toEqual([]);
    expect(sim.journal.of("entra").some((entry) => entry.method === "POST")).toBe(true);
  });

  it("SIGINT mid-swap: the swaps in flight are reported as such, Slack still hears of it", async () => {
    const { sim, release } = await rig({ swapDurationMs: 4_000 });
    // SIGINT once all three swaps of uk-south are under way (a swap takes 4 s here).
    const run = await release(
      { "slack-webhook-url": sim.slackWebhookUrl },
      { cancelWhen: () => sim.journal.swapRequests().length === 3, cancelSignal: "SIGINT" },
    );

    expect(run.exitCode).not.toBe(0);
    const body = report(run);
    expect(body.outcome).toBe("cancelled");
    expect(body.regions.map((region) => region.outcome)).toEqual([
      "cancelled",
      "not-started",
      "not-started",
    ]);
    for (const service of body.regions[0]?.services ?? []) {
      expect(service.error).toContain("cancelled while its swap was running");
      // The report says what the page said when the run ended: the swap had not finished yet.
      expect(service.after).toEqual({ production: "1.4.1", staging: "1.5.0" });
    }
    expect(swappedApps(sim).filter((app) => !app.endsWith("-uks"))).toEqual([]);
    expect(JSON.stringify(sim.slackMessages().at(-1)?.body)).toContain("cancelled");
  });

  it("cancellation: no new swap, a report with each region's state, exit within 5 seconds", async () => {
    const { sim, release } = await rig({ swapDurationMs: 4_000 });
    const run = await release({}, { cancelAfterMs: 5_000 });
    const signalledAt = run.signalledAt ?? Number.NaN;

    expect(run.exitCode).not.toBe(0);
    expect(run.exitAfterSignalMs).toBeLessThan(5_000);
    expect(run.outputs.outcome).toBe("cancelled");
    const body = report(run);
    expect(body.outcome).toBe("cancelled");
    expect(body.regions.map((region) => region.outcome)).toContain("cancelled");
    expect(body.regions.at(-1)?.outcome).toBe("not-started");
    const swapsAfterCancel = sim.journal
      .swapRequests()
      .filter((request) => request.at > signalledAt);
    expect(swapsAfterCancel).toEqual([]);
  });
});
