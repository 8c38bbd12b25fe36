/**
 * Pre-flight: before anything changes, learn where every service stands and refuse to start a
 * release that cannot finish. Reads only.
 */
import { messageOf } from "../error-message.js";
import { forEachLimited } from "./concurrency.js";
import {
  PRODUCTION_SLOT,
  type Deployment,
  type KnownSiteConfig,
  type ResourceGroupAddress,
  type SlotAddress,
  type SlotDescription,
  type TrafficRoute,
} from "./ports.js";
import {
  describeService,
  recordFailure,
  reportsTheBuild,
  runsTheBuild,
  type RegionRun,
  type ReleaseLedger,
  type ServiceRun,
} from "./run-state.js";
import type { StatusPage } from "./status-polling.js";
import { releaseWindowVerdict } from "./release-windows.js";
import { expandStatusUrl } from "./status-url.js";

/** How many services pre-flight reads at once across the fleet, to stay well inside ARM's read budget. */
const PREFLIGHT_CONCURRENCY = 16;

/** Which regions still need a release, or `null` when pre-flight found a reason not to start. */
export async function preflight(context: ReleaseLedger): Promise<RegionRun[] | null> {
  const { log } = context.ports;
  const services = context.regions.flatMap((region) => region.services);
  if (!checkReleaseWindows(context)) return null;
  log.info(
    `Pre-flight: checking ${services.length} services in ${context.regions.length} regions.`,
  );

  const listings = await listResourceGroups(context, services);
  const slotProblems = new Map<ServiceRun, string[]>();
  await forEachLimited(services, PREFLIGHT_CONCURRENCY, async (service) => {
    slotProblems.set(
      service,
      await failingClosed(context, () => inspectSlots(context, service, listings)),
    );
  });
  context.signal.throwIfAborted();

  const toRelease = context.regions.filter((region) => !isAlreadyReleased(context, region));
  for (const region of context.regions) {
    if (!toRelease.includes(region)) {
      region.outcome = "already-released";
      log.info(
        `${region.target.name}: production already runs ${context.policy.build} everywhere; it will not be swapped.`,
      );
    }
  }

  const problems = new Map<ServiceRun, string[]>();
  await forEachLimited(services, PREFLIGHT_CONCURRENCY, async (service) => {
    const found = await failingClosed(context, () =>
      checkService(context, service, toRelease, slotProblems.get(service) ?? []),
    );
    if (found.length > 0) problems.set(service, found);
  });
  context.signal.throwIfAborted();

  if (problems.size === 0) {
    if (context.policy.mode === "plan") await readDifferences(context, toRelease);
    for (const region of toRelease) {
      const toSwap = region.services.filter((service) => !runsTheBuild(context, service));
      const from = [...new Set(toSwap.map((service) => service.before.production ?? "unknown"))];
      const done = region.services.length - toSwap.length;
      log.info(
        `${region.target.name}: to release: ${toSwap.length} service${toSwap.length === 1 ? "" : "s"}, production on ${from.join(", ")}, ${context.sourceSlot} healthy on ${context.policy.build}` +
          (done > 0
            ? `; ${done} already run ${context.policy.build} and will not be swapped.`
            : "."),
      );
    }
    log.info(
      `Pre-flight passed: ${toRelease.length} region(s) to release, ${context.regions.length - toRelease.length} already released.`,
    );
    return toRelease;
  }
  for (const [service, found] of problems) {
    for (const problem of found) recordFailure(context, service, problem);
    const region = context.regions.find((candidate) => candidate.services.includes(service));
    if (region !== undefined) region.outcome = "failed";
  }
  log.error(
    `Pre-flight failed for ${problems.size} service(s): ${[...problems.keys()].map(describeService).join(", ")}. Nothing was swapped.`,
    "Pre-flight failed",
  );
  return null;
}

/**
 * The manifest's release windows, checked once before anything is read: outside every window a
 * release refuses with zero swaps (every region `not-started`) and names the next opening, unless
 * `ignore-release-windows` overrides it. A plan is never refused: it says what a release would meet.
 */
function checkReleaseWindows(context: ReleaseLedger): boolean {
  const windows = context.fleet.releaseWindows;
  if (windows === undefined || windows.length === 0) return true;
  const verdict = releaseWindowVerdict(
    windows,
    context.ports.clock.now(),
    context.policy.ignoreReleaseWindows === true,
  );
  context.releaseWindow = { open: verdict.open, ignored: verdict.ignored, next: verdict.next };
  const { log } = context.ports;
  if (verdict.open) {
    log.info("Inside a release window.");
    return true;
  }
  if (verdict.ignored) {
    log.warning(
      `Outside every release window (the next opens ${verdict.nextText ?? "never"}); ignore-release-windows is true, so the release goes on.`,
    );
    return true;
  }
  if (context.policy.mode === "plan") {
    log.warning(
      `A release now would be refused: ${verdict.refusal ?? "outside every release window"}`,
    );
    return true;
  }
  recordFailure(context, null, `Not started: ${verdict.refusal ?? "outside every release window"}`);
  return false;
}

/** Services whose Azure slot diff a plan shows at once: Azure answers each in about a second. */
const DIFFERENCES_CONCURRENCY = 8;

/**
 * A plan shows, for every service to swap, what the swap would change in its configuration
 * (Azure's slot diff into production). A diff that cannot be read is said, never a failure.
 */
async function readDifferences(context: ReleaseLedger, toRelease: readonly RegionRun[]) {
  const services = toRelease
    .flatMap((region) => region.services)
    .filter((service) => !runsTheBuild(context, service));
  await forEachLimited(services, DIFFERENCES_CONCURRENCY, async (service) => {
    try {
      service.differences = await context.ports.slots.readSlotDifferences(
        service.source,
        { preserveVnet: context.policy.preserveVnet },
        context.signal,
      );
    } catch (error) {
      context.signal.throwIfAborted();
      service.differences = null;
      context.ports.log.warning(
        `${describeService(service)}: Azure's slot diff could not be read: ${messageOf(error)}`,
      );
    }
  });
  context.signal.throwIfAborted();
}

/** Everything pre-flight asks of one service once its slots are known. */
async function checkService(
  context: ReleaseLedger,
  service: ServiceRun,
  toRelease: readonly RegionRun[],
  slotProblemsFound: string[],
): Promise<string[]> {
  if (reportsTheBuild(context, service) && !service.productionHealthy) {
    return [
      `production already reports ${context.policy.build} but fails its checks (${service.productionProblem ?? "not healthy"}): ` +
        "production runs a build that fails its checks. Restore a healthy build in production (or fix this one), then re-run; nothing was swapped.",
    ];
  }
  // A service that already runs the build (a swap finished after a cancelled run, say) is
  // treated like one of a released region, even when the rest of its region is still to go.
  const releasing =
    toRelease.some((region) => region.services.includes(service)) &&
    !runsTheBuild(context, service);
  const found = releasing
    ? [
        ...slotProblemsFound,
        ...(await checkSource(context, service)),
        ...(await checkTrafficRouting(context, service)),
      ]
    : await recordStaleSource(context, service, slotProblemsFound);
  if (found.length === 0 && context.policy.refresh === "mirror") {
    found.push(...(await checkMirrorable(context, service, releasing)));
  }
  return found;
}

/** Pre-flight fails closed: a check that throws is a problem of its service, never a pass. */
async function failingClosed(
  context: ReleaseLedger,
  check: () => Promise<string[]>,
): Promise<string[]> {
  try {
    return await check();
  } catch (error) {
    context.signal.throwIfAborted();
    return [`pre-flight could not check this service: ${messageOf(error)}`];
  }
}

function isAlreadyReleased(context: ReleaseLedger, region: RegionRun): boolean {
  return region.services.every((service) => runsTheBuild(context, service));
}

/** What each resource group's list said of its slots, by `subscription/group`; absent when the list failed. */
type Listings = Map<string, Map<string, SlotDescription>>;

function groupKey(slot: ResourceGroupAddress): string {
  return `${slot.subscriptionId}/${slot.resourceGroup}`.toLowerCase();
}

/**
 * Lists every resource group of the targeted services once (a page per hundred slots), instead
 * of reading each slot: pre-flight then costs ARM about one read per app. A list that fails is
 * left out, and its slots are read one by one.
 */
async function listResourceGroups(
  context: ReleaseLedger,
  services: readonly ServiceRun[],
): Promise<Listings> {
  const groups = new Map(
    services.map((service) => [groupKey(service.production), service.production]),
  );
  const listings: Listings = new Map();
  await forEachLimited([...groups], PREFLIGHT_CONCURRENCY, async ([key, group]) => {
    try {
      listings.set(key, await context.ports.slots.listSlots(group, context.signal));
    } catch (error) {
      context.signal.throwIfAborted();
      context.ports.log.warning(
        `Listing the apps of ${group.resourceGroup} failed (${messageOf(error)}); reading each slot instead.`,
      );
    }
  });
  context.signal.throwIfAborted();
  return listings;
}

/** Both slots exist and run; learns their status page URLs and production's build. */
async function inspectSlots(
  context: ReleaseLedger,
  service: ServiceRun,
  listings: Listings,
): Promise<string[]> {
  const [production, source] = await Promise.all([
    describe(context, service.production, listings),
    describe(context, service.source, listings),
  ]);
  if (production.kind === "found") service.listed.production = production;
  if (source.kind === "found") service.listed.source = source;
  const problems = [
    ...slotProblems(production, `production slot`),
    ...slotProblems(source, `${context.sourceSlot} slot`),
  ];
  if (production.kind === "found")
    service.productionPage = statusPage(context, service, service.production.slot, production.host);
  if (source.kind === "found")
    service.sourcePage = statusPage(context, service, context.sourceSlot, source.host);
  if (production.kind === "found") service.swapMarker = production.lastSwapCompleted;
  if (service.productionPage !== undefined) {
    const read = await context.status.readable(service.productionPage);
    service.before.production = read.last.build;
    service.productionHealthy = read.last.healthy;
    service.productionProblem = read.last.problem;
    if (read.last.build === null) {
      context.ports.log.warning(
        `${describeService(service)}: could not read production's build (${read.last.problem}).`,
      );
    }
  }
  return problems;
}

type DescribeResult =
  | {
      kind: "found";
      state: string;
      host: string;
      lastSwapCompleted?: string | null;
      deployment?: Deployment;
      siteConfig?: KnownSiteConfig;
    }
  | { kind: "missing" }
  | { kind: "error"; message: string };

/**
 * A slot as its resource group's list described it; a slot the list did not name (or whose list
 * failed) is read by itself, so a missing slot is always confirmed by ARM's own answer.
 */
async function describe(
  context: ReleaseLedger,
  slot: SlotAddress,
  listings: Listings,
): Promise<DescribeResult> {
  try {
    const listed = listings.get(groupKey(slot))?.get(`${slot.app}/${slot.slot}`.toLowerCase());
    const description: SlotDescription =
      listed ?? (await context.ports.slots.describeSlot(slot, context.signal));
    if (!description.exists) return { kind: "missing" };
    const found = {
      kind: "found" as const,
      state: description.state,
      host: description.defaultHostName,
      ...(description.deployment === undefined ? {} : { deployment: description.deployment }),
      ...(description.siteConfig === undefined ? {} : { siteConfig: description.siteConfig }),
    };
    return description.swapActivity === undefined
      ? found
      : { ...found, lastSwapCompleted: description.swapActivity.lastSwapCompleted };
  } catch (error) {
    context.signal.throwIfAborted();
    return { kind: "error", message: messageOf(error) };
  }
}

function slotProblems(result: DescribeResult, name: string): string[] {
  if (result.kind === "missing") return [`${name} does not exist`];
  if (result.kind === "error") return [`${name} could not be read: ${result.message}`];
  if (result.state !== "Running") return [`${name} is ${result.state}, not Running`];
  return [];
}

function statusPage(
  context: ReleaseLedger,
  service: ServiceRun,
  slot: string,
  host: string,
): StatusPage {
  const url = expandStatusUrl(service.target.status.urlTemplate, {
    host,
    app: service.target.app,
    slot,
    region: service.region.name,
    service: service.target.name,
  });
  return { url, rule: service.target.status, host, routeToSelf: slot === PRODUCTION_SLOT };
}

/** The source slot of a service to release must be healthy on the expected build. */
async function checkSource(context: ReleaseLedger, service: ServiceRun): Promise<string[]> {
  if (service.sourcePage === undefined) return [];
  const result = await context.status.healthy(service.sourcePage, context.policy.build, {
    settleOnFinalAnswer: true,
  });
  service.before.staging = result.last.build;
  return result.satisfied
    ? []
    : [`${context.sourceSlot} slot is not ready: ${result.last.problem}`];
}

/** In an already-released region the source slot only has its build recorded; slot problems are warnings. */
async function recordStaleSource(
  context: ReleaseLedger,
  service: ServiceRun,
  problems: string[],
): Promise<string[]> {
  for (const problem of problems)
    context.ports.log.warning(`${describeService(service)}: ${problem}`);
  if (service.sourcePage !== undefined) {
    const read = await context.status.readable(service.sourcePage);
    service.before.staging = read.last.build;
  }
  return [];
}

/**
 * Production must send every user to production: with a traffic-routing rule, that share of users
 * would reach the slot swapped out, still running the previous build, after the swap. Azure's
 * guidance is to clear routing rules before a swap; pre-flight refuses rather than guess.
 */
async function checkTrafficRouting(context: ReleaseLedger, service: ServiceRun): Promise<string[]> {
  if (service.productionPage === undefined) return [];
  let routes: TrafficRoute[];
  try {
    routes = await context.ports.slots.readTrafficRouting(service.production, context.signal);
  } catch (error) {
    context.signal.throwIfAborted();
    return [`could not read production's traffic routing: ${messageOf(error)}`];
  }
  return routes
    .filter((route) => route.percent > 0)
    .map(
      (route) =>
        `production routes ${route.percent}% of its traffic to ${route.toHost} (rule "${route.name}"). ` +
        "Set the slot's traffic back to 0% (Deployment slots → Traffic %) before releasing: after a swap those users would reach the previous build.",
    );
}

/** With `refresh: mirror`, the deployment that production will run must be one a refresh can copy. */
async function checkMirrorable(
  context: ReleaseLedger,
  service: ServiceRun,
  releasing: boolean,
): Promise<string[]> {
  if (!releasing && service.before.staging === context.policy.build.trim()) return [];
  const futureProduction = releasing ? service.source : service.production;
  let deployment: Deployment;
  try {
    const listed = service.listed[releasing ? "source" : "production"];
    deployment =
      listed?.deployment ??
      (await context.ports.slots.readDeployment(
        futureProduction,
        context.signal,
        listed?.siteConfig,
      ));
  } catch (error) {
    context.signal.throwIfAborted();
    return [`could not read the ${futureProduction.slot} slot's deployment: ${messageOf(error)}`];
  }
  if (releasing) service.incomingDeployment = deployment;
  if (deployment.kind !== "unsupported") return [];
  return [
    `refresh: mirror cannot copy this app's deployment into its ${context.sourceSlot} slot: ${deployment.reason}. ` +
      `Deploy it as a container image or a WEBSITE_RUN_FROM_PACKAGE URL, or set refresh: none.`,
  ];
}
