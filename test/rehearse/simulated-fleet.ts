import { parseDocument, stringify } from "yaml";
import type { Fleet, StatusPageRule } from "../../src/release/model.js";
import type { AppSeed, DemoFleet, StatusFormat } from "../simulator/index.js";

/**
 * Turns a user's validated fleet into what the simulator needs: one app per service, seeded with
 * production on the old build and the source slot on the new one, and status pages laid out as
 * the manifest's status rules read them. Also finds the status URLs the simulator cannot serve
 * and rewrites them, in a copy of the manifest, to the simulated app's own host.
 */

/** The dependency the simulator reports down for a `--fail` service (one of its default names). */
export const FAILING_DEPENDENCY = "database";

/** One service whose status URL template the simulator cannot serve, and what it becomes. */
export interface StatusUrlRewrite {
  /** Position in the manifest, so the copy can be edited at the same place. */
  regionIndex: number;
  serviceIndex: number;
  region: string;
  service: string;
  from: string;
  to: string;
}

/** A service as `region/service`, the way `--fail` names it. */
export function serviceKey(region: string, service: string): string {
  return `${region}/${service}`;
}

/**
 * Whether the simulator can serve a status URL template: it serves every path below a slot's
 * host name, so the template must be `https://{host}` followed by a path, a query or nothing.
 */
export function isSimulatable(template: string): boolean {
  return /^https:\/\/\{host\}(?=[/?#]|$)/i.test(template);
}

/**
 * The simulatable form of a template: the same path and query on `https://{host}`, so the log
 * still shows the page the user wrote (`https://status.example.com/{region}/api` → `https://{host}/{region}/api`).
 */
export function simulatableUrl(template: string): string {
  const rest = template.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "");
  return `https://{host}${rest === "" || /^[/?#]/.test(rest) ? rest : `/${rest}`}`;
}

/** Every service of `fleet` whose status URL the simulator cannot serve, with its rewrite. */
export function statusUrlRewrites(fleet: Fleet): StatusUrlRewrite[] {
  return fleet.regions.flatMap((region, regionIndex) =>
    region.services.flatMap((service, serviceIndex) =>
      isSimulatable(service.status.urlTemplate)
        ? []
        : [
            {
              regionIndex,
              serviceIndex,
              region: region.name,
              service: service.name,
              from: service.status.urlTemplate,
              to: simulatableUrl(service.status.urlTemplate),
            },
          ],
    ),
  );
}

/** The warning a rehearsal prints for one rewritten status URL. */
export function rewriteWarning(rewrite: StatusUrlRewrite): string {
  return (
    `service ${serviceKey(rewrite.region, rewrite.service)}: status URL "${rewrite.from}" does not have ` +
    `https://{host} as its host, so the simulator cannot serve it. This rehearsal reads "${rewrite.to}" ` +
    `instead (in a temporary copy of the manifest; your file is unchanged), so it does not test that URL.`
  );
}

/**
 * The manifest text with the given services' status URLs replaced. The copy is written from the
 * parsed document (YAML merge keys resolved), so it reads the same to the action as the original.
 */
export function rewriteManifest(text: string, rewrites: readonly StatusUrlRewrite[]): string {
  const root = parseDocument(text, { merge: true }).toJS() as {
    regions: Array<{ services: Array<{ status?: Record<string, unknown> }> }>;
  };
  for (const rewrite of rewrites) {
    const service = root.regions[rewrite.regionIndex]?.services[rewrite.serviceIndex];
    if (!service)
      throw new Error(
        `rehearse: the manifest has no regions[${rewrite.regionIndex}].services[${rewrite.serviceIndex}] to rewrite; a bug.`,
      );
    // A service's status overrides the top-level one field by field, so setting url here is enough.
    service.status = { ...service.status, url: rewrite.to };
  }
  return (
    "# Temporary copy written by the rehearsal: status URLs the simulator cannot serve are rewritten.\n" +
    stringify(root, { aliasDuplicateObjects: false })
  );
}

/** The status page layout that a service's status rule reads as healthy. */
export function statusFormatFor(rule: StatusPageRule): StatusFormat {
  return {
    buildField: rule.buildField,
    // Without a dependencies-field the action looks for `dependencies` first: the default shape.
    ...(rule.dependenciesField === undefined
      ? {}
      : { dependencyShape: "object" as const, dependenciesField: rule.dependenciesField }),
  };
}

/** Problems that make a fleet impossible to simulate (the action itself would accept it). */
export function unsimulatableProblems(fleet: Fleet): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const region of fleet.regions) {
    for (const service of region.services) {
      const key = service.app.toLowerCase();
      const where = serviceKey(region.name, service.name);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, where);
      else
        problems.push(
          `service ${where}: app "${service.app}" is also the app of ${first}; the simulator holds each app once (App Service names are globally unique). Give each service its own app.`,
        );
    }
  }
  return problems;
}

/**
 * The simulated fleet: an app per service with production on `from` and the manifest's source
 * slot on `build`, shaped like the demo fleet so render.ts can print its ground truth.
 */
export function simulatedFleet(
  fleet: Fleet,
  builds: { from: string; build: string },
  manifestYaml: string,
): DemoFleet {
  const regions = fleet.regions.map((region) => ({
    name: region.name,
    location: region.name,
    resourceGroup: region.resourceGroup,
    // Container apps, so `refresh: mirror` can copy production's image to the staging slot.
    services: region.services.map((service) => ({
      name: service.name,
      app: service.app,
      kind: "container" as const,
    })),
  }));
  const apps: AppSeed[] = fleet.regions.flatMap((region) =>
    region.services.map((service) => ({
      subscriptionId: region.subscriptionId,
      resourceGroup: region.resourceGroup,
      name: service.app,
      location: region.name,
      kind: "container",
      production: { build: builds.from },
      staging: { build: builds.build },
      stagingSlotName: fleet.sourceSlot,
      statusFormat: statusFormatFor(service.status),
    })),
  );
  return {
    apps,
    regions,
    manifest: parseDocument(manifestYaml, { merge: true }).toJS() as Record<string, unknown>,
    manifestYaml,
  };
}
