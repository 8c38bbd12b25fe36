/**
 * Reads the release manifest (YAML, or JSON which YAML also reads) into the fleet's shape,
 * reporting every problem at its manifest path so that one run shows all there is to fix.
 */
import { messageOf } from "../error-message.js";
import { parseDocument } from "yaml";
import type { ServiceTarget, StatusPageRule } from "../release/model.js";
import { PRODUCTION_SLOT } from "../release/ports.js";
import { STATUS_URL_PLACEHOLDERS, expandStatusUrl } from "../release/status-url.js";
import { didYouMean, listNames, quote, type ProblemList } from "./problems.js";
import {
  APP_NAME_RULE,
  FLEET_NAME_RULE,
  RESOURCE_GROUP_RULE,
  SLOT_NAME_RULE,
  isAppServiceName,
  isDotPath,
  isFleetName,
  isGuid,
  isResourceGroupName,
  isSlotName,
} from "./values.js";

/** The manifest after validation; meaningful only when no problem was found. */
export interface Manifest {
  sourceSlot: string;
  regions: ManifestRegion[];
}

/** One region as the manifest writes it; the subscription may still come from the input. */
export interface ManifestRegion {
  /** Position in the manifest's `regions` list, for messages. */
  index: number;
  /** False when the entry is not a mapping at all; its problem is already recorded. */
  isMapping: boolean;
  /** '' when missing or invalid; its problem is already recorded. */
  name: string;
  /** As written, valid or not: only its absence is the fleet's business. */
  subscriptionId?: string;
  resourceGroup: string;
  services: ServiceTarget[];
}

/** The status page rule every service gets when the manifest says nothing. */
export const DEFAULT_STATUS_RULE: Readonly<StatusPageRule> = {
  urlTemplate: "https://{host}/status",
  buildField: "build",
};

/** The slot services are swapped from when the manifest names none. */
export const DEFAULT_SOURCE_SLOT = "staging";

const TOP_FIELDS = ["slot", "status", "regions"];
const REGION_FIELDS = ["name", "subscription-id", "resource-group", "services"];
const SERVICE_FIELDS = ["name", "app", "status"];
const STATUS_FIELDS = ["url", "build-field", "dependencies-field"];

/** Where in the manifest a value sits, as users write it: `regions[1].services[0].app`. */
type Path = string;

type Mapping = Record<string, unknown>;

/**
 * Parses and validates the manifest text. Returns undefined when the file cannot be read as a
 * manifest at all (syntax errors, not a mapping), so that callers skip checks that need it.
 */
export function parseManifest(
  text: string,
  file: string,
  problems: ProblemList,
): Manifest | undefined {
  const root = parseYaml(text, file, problems);
  if (root === undefined) return undefined;
  return new ManifestReader(problems).read(root, file);
}

function parseYaml(text: string, file: string, problems: ProblemList): unknown {
  // `merge` lets users share a block with `<<: *defaults`; YAML 1.2 leaves it off by default.
  const doc = parseDocument(text, { merge: true, prettyErrors: true });
  for (const error of doc.errors) {
    const position = error.linePos?.[0];
    const where = position === undefined ? file : `${file}:${position.line}:${position.col}`;
    // yaml's own message repeats the position and adds a code frame: keep its first sentence.
    const message = (error.message.split("\n")[0] ?? error.message)
      .replace(/ at line \d+, column \d+:?$/, "")
      .replace(/\.?$/, ".");
    problems.add(`manifest ${where}`, message, "Fix the YAML (or JSON) syntax there.");
  }
  if (doc.errors.length > 0) return undefined;
  try {
    return doc.toJS();
  } catch (error) {
    // Unresolvable or too many aliases surface only when the document is turned into values.
    const message = messageOf(error);
    problems.add(`manifest ${file}`, `${message.replace(/\.?$/, ".")}`, "Fix the YAML aliases.");
    return undefined;
  }
}

class ManifestReader {
  constructor(private readonly problems: ProblemList) {}

  read(root: unknown, file: string): Manifest | undefined {
    if (root === null || root === undefined) {
      this.problems.add(
        `manifest ${file}`,
        "is empty.",
        "Write the release manifest: a mapping with regions, each with a resource-group and services.",
      );
      return undefined;
    }
    if (!isMapping(root)) {
      this.problems.add(
        `manifest ${file}`,
        `holds ${typeName(root)}, not a mapping.`,
        "Write the release manifest as a mapping with slot, status and regions.",
      );
      return undefined;
    }
    this.checkFields(root, TOP_FIELDS, "", "the manifest");
    const sourceSlot = this.readSlot(root);
    const topStatus = this.readStatus(root["status"], "status");
    const regions = this.list(root, "regions", "", "region", "name: uk-south").map((value, index) =>
      this.readRegion(value, index, topStatus),
    );
    this.checkUnique(regions, "regions", "region");
    return { sourceSlot, regions };
  }

  private readSlot(root: Mapping): string {
    const slot = this.string(root, "slot", "", { required: false, example: "staging" });
    if (slot === undefined) return DEFAULT_SOURCE_SLOT;
    if (slot.toLowerCase() === PRODUCTION_SLOT) {
      this.problems.add(
        "manifest slot",
        `${quote(slot)} is the production slot itself; services are swapped from another slot into it.`,
        "Name the slot your build is deployed to, like staging.",
      );
    } else if (!isSlotName(slot)) {
      this.problems.add(
        "manifest slot",
        `${quote(slot)} is not a valid slot name.`,
        SLOT_NAME_RULE,
      );
    }
    return slot;
  }

  private readRegion(value: unknown, index: number, topStatus: Partial<StatusPageRule>) {
    const path = `regions[${index}]`;
    const region: ManifestRegion = {
      index,
      isMapping: false,
      name: "",
      resourceGroup: "",
      services: [],
    };
    if (!this.mapping(value, path, "a region", "name: uk-south")) return region;
    region.isMapping = true;
    this.checkFields(value, REGION_FIELDS, path, "a region");
    region.name = this.fleetName(value, path, "uk-south");

    const subscriptionId = this.string(value, "subscription-id", path, {
      required: false,
      example: "00000000-0000-0000-0000-000000000000",
    });
    if (subscriptionId !== undefined) {
      region.subscriptionId = subscriptionId;
      if (!isGuid(subscriptionId))
        this.problems.add(
          `manifest ${path}.subscription-id`,
          `${quote(subscriptionId)} is not a GUID.`,
          "Copy the subscription id from the Azure portal, like 00000000-0000-0000-0000-000000000000.",
        );
    }

    const resourceGroup = this.string(value, "resource-group", path, {
      required: true,
      example: "rg-shop-uks",
    });
    if (resourceGroup !== undefined) {
      region.resourceGroup = resourceGroup;
      if (!isResourceGroupName(resourceGroup)) {
        this.problems.add(
          `manifest ${path}.resource-group`,
          `${quote(resourceGroup)} is not a valid resource group name.`,
          RESOURCE_GROUP_RULE,
        );
      }
    }

    const services = this.list(value, "services", path, "service", "name: api").map(
      (service, serviceIndex) =>
        this.readService(service, `${path}.services[${serviceIndex}]`, topStatus),
    );
    this.checkUnique(services, `${path}.services`, "service");
    region.services = services;
    return region;
  }

  private readService(value: unknown, path: Path, topStatus: Partial<StatusPageRule>) {
    const service: ServiceTarget = { name: "", app: "", status: { ...DEFAULT_STATUS_RULE } };
    if (!this.mapping(value, path, "a service", "name: api")) return service;
    this.checkFields(value, SERVICE_FIELDS, path, "a service");
    service.name = this.fleetName(value, path, "api");
    const app = this.string(value, "app", path, { required: true, example: "shop-api-uks" });
    if (app !== undefined) {
      service.app = app;
      if (!isAppServiceName(app)) {
        this.problems.add(
          `manifest ${path}.app`,
          `${quote(app)} is not a valid App Service name.`,
          APP_NAME_RULE,
        );
      }
    }
    // A service's status overrides the top-level one field by field.
    const own = this.readStatus(value["status"], `${path}.status`);
    service.status = { ...DEFAULT_STATUS_RULE, ...topStatus, ...own };
    return service;
  }

  private readStatus(value: unknown, path: Path): Partial<StatusPageRule> {
    const rule: Partial<StatusPageRule> = {};
    if (value === undefined || value === null) return rule;
    if (!this.mapping(value, path, "a status rule", "url: https://{host}/status")) return rule;
    this.checkFields(value, STATUS_FIELDS, path, "a status rule");

    const url = this.string(value, "url", path, {
      required: false,
      example: "https://{host}/status",
    });
    if (url !== undefined) {
      rule.urlTemplate = url;
      this.checkUrlTemplate(url, `${path}.url`);
    }
    const fields = [
      ["build-field", "buildField", "version"],
      ["dependencies-field", "dependenciesField", "dependencies"],
    ] as const;
    for (const [key, property, example] of fields) {
      const field = this.string(value, key, path, { required: false, example });
      if (field === undefined) continue;
      rule[property] = field;
      if (!isDotPath(field)) {
        this.problems.add(
          `manifest ${path}.${key}`,
          `${quote(field)} is not a dot path.`,
          "Write field names separated by dots, like build or app.version.",
        );
      }
    }
    return rule;
  }

  private checkUrlTemplate(template: string, path: Path): void {
    const known: readonly string[] = STATUS_URL_PLACEHOLDERS;
    const placeholderList = listNames(STATUS_URL_PLACEHOLDERS.map((name) => `{${name}}`));
    let placeholdersOk = true;
    for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
      const name = match[1] ?? "";
      if (known.includes(name)) continue;
      placeholdersOk = false;
      const meant = didYouMean(name, known).replace(/mean (.*)\?/, "mean {$1}?");
      this.problems.add(
        `manifest ${path}`,
        `{${name}} is not a placeholder.`,
        `${meant}The placeholders are ${placeholderList}.`,
      );
    }
    if (/[{}]/.test(template.replace(/\{[^{}]*\}/g, ""))) {
      placeholdersOk = false;
      this.problems.add(
        `manifest ${path}`,
        `${quote(template)} has a brace that opens or closes no placeholder.`,
        `Write placeholders as ${placeholderList}.`,
      );
    }
    if (!placeholdersOk) return;
    // Checked with stand-in values: the real host name is known only once ARM is asked.
    const example = expandStatusUrl(template, {
      host: "example-app-staging.azurewebsites.net",
      app: "example-app",
      slot: "staging",
      region: "example-region",
      service: "example-service",
    });
    let protocol: string | undefined;
    try {
      protocol = new URL(example).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== "http:" && protocol !== "https:") {
      this.problems.add(
        `manifest ${path}`,
        `${quote(template)} is not an absolute http or https URL.`,
        "Write it like https://{host}/status.",
      );
    }
  }

  private fleetName(value: Mapping, path: Path, example: string): string {
    const name = this.string(value, "name", path, { required: true, example });
    if (name === undefined) return "";
    if (!isFleetName(name)) {
      this.problems.add(
        `manifest ${path}.name`,
        `${quote(name)} is not a valid name.`,
        FLEET_NAME_RULE,
      );
      return "";
    }
    return name;
  }

  /** Names are compared ignoring case: GitHub environment names, built from them, ignore case too. */
  private checkUnique(items: { name: string }[], path: Path, what: string): void {
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      if (item.name === "") return;
      const key = item.name.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, index);
        return;
      }
      this.problems.add(
        `manifest ${path}[${index}].name`,
        `${quote(item.name)} is already the name of ${path}[${first}].`,
        `Give every ${what} a unique name.`,
      );
    });
  }

  private checkFields(value: Mapping, allowed: readonly string[], path: Path, what: string): void {
    for (const key of Object.keys(value)) {
      if (allowed.includes(key)) continue;
      this.problems.add(
        `manifest ${child(path, key)}`,
        `is not a field of ${what}.`,
        `${didYouMean(key, allowed)}The fields of ${what} are ${listNames(allowed)}.`,
      );
    }
  }

  private mapping(value: unknown, path: Path, what: string, example: string): value is Mapping {
    if (isMapping(value)) return true;
    this.problems.add(
      `manifest ${path}`,
      `must be ${what} (a mapping), not ${typeName(value)}.`,
      `Write its fields as key: value lines, like ${example}.`,
    );
    return false;
  }

  /** A required, non-empty list; an empty result when anything is wrong. */
  private list(value: Mapping, key: string, path: Path, what: string, example: string): unknown[] {
    const where = `manifest ${child(path, key)}`;
    const list = value[key];
    const hint = `List at least one ${what}, each starting with "- ", like - ${example}.`;
    if (list === undefined) {
      this.problems.add(where, "is missing.", `Add ${key}: ${hint}`);
      return [];
    }
    if (!Array.isArray(list)) {
      this.problems.add(where, `must be a list, not ${typeName(list)}.`, hint);
      return [];
    }
    if (list.length === 0) this.problems.add(where, "is empty.", hint);
    return list;
  }

  /** A string field; undefined when absent or wrong, with the problem recorded. */
  private string(
    value: Mapping,
    key: string,
    path: Path,
    options: { required: boolean; example: string },
  ): string | undefined {
    const where = `manifest ${child(path, key)}`;
    const field = value[key];
    if (field === undefined || field === null) {
      if (options.required) {
        this.problems.add(where, "is missing.", `Add it, like ${key}: ${options.example}.`);
      }
      return undefined;
    }
    if (typeof field !== "string") {
      const scalar = typeof field === "number" || typeof field === "boolean";
      this.problems.add(
        where,
        `must be a string, not ${typeName(field)}.`,
        scalar
          ? `Quote it, like ${key}: "${String(field)}".`
          : `Write it like ${key}: ${options.example}.`,
      );
      return undefined;
    }
    if (field.trim() === "") {
      this.problems.add(
        where,
        "is empty.",
        options.required
          ? `Write it like ${key}: ${options.example}.`
          : `Write it like ${key}: ${options.example}, or remove it to use the default.`,
      );
      return undefined;
    }
    return field;
  }
}

function child(path: Path, key: string): Path {
  const segment = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
  if (path === "") return segment;
  return /^[A-Za-z0-9_-]+$/.test(key) ? `${path}.${key}` : `${path}[${segment}]`;
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return "a date";
  switch (typeof value) {
    case "object":
      return "a mapping";
    case "number":
    case "bigint":
      return "a number";
    case "boolean":
      return "a boolean";
    case "string":
      return "a string";
    default:
      return typeof value;
  }
}
