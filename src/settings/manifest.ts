/**
 * Reads the release manifest (YAML, or JSON which YAML also reads) into the fleet's shape,
 * reporting every problem at its manifest path so that one run shows all there is to fix.
 */
import { messageOf } from "../error-message.js";
import { Composer, Lexer, LineCounter, Parser, type CST, type Document } from "yaml";
import type { ServiceTarget, StatusPageRule } from "../release/model.js";
import { PRODUCTION_SLOT } from "../release/ports.js";
import { STATUS_URL_PLACEHOLDERS, expandStatusUrl } from "../release/status-url.js";
import { escapeInvisible, hasInvisible } from "../invisible-characters.js";
import { didYouMean, listNames, quote, shownPath, type ProblemList } from "./problems.js";
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

/*
 * Limits of a manifest, far beyond any real fleet (tens to hundreds of services, in tens of
 * kilobytes, six levels deep), so that a wrong or hostile file is refused with one clear problem
 * instead of exhausting the memory, the stack or the time of the run:
 * - 1 MiB of text: some 15,000 services written out in full;
 * - 64 levels of lists and mappings: a manifest needs 6;
 * - 5,000 regions, and 5,000 services in all regions together;
 * - 100 aliases (the yaml package's default), so an alias bomb cannot multiply the document.
 */
/** The largest manifest read, in bytes of UTF-8. */
export const MANIFEST_MAX_BYTES = 1_048_576;
/** The deepest nesting of lists and mappings read. */
export const MANIFEST_MAX_DEPTH = 64;
/** The most regions, and the most services in all regions together, a manifest may list. */
export const MANIFEST_MAX_ENTRIES = 5_000;
const MANIFEST_MAX_ALIASES = 100;

// The core schema of YAML 1.2: no tag builds anything but strings, numbers, booleans, lists and
// mappings. `merge` lets users share a block with `<<: *defaults`; YAML 1.2 leaves it off by default.
// `logLevel: "error"` keeps the library from writing warnings to the console: only problems speak.
// The yaml package sets every key as an own property, `__proto__` included, never through a
// prototype (the bad-input corpus holds it to that); the unknown-field check then reports them.
const YAML_OPTIONS = { schema: "core", merge: true, logLevel: "error", uniqueKeys: true } as const;

const COLLECTIONS: ReadonlySet<string> = new Set(["block-map", "block-seq", "flow-collection"]);

function parseYaml(text: string, file: string, problems: ProblemList): unknown {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MANIFEST_MAX_BYTES) {
    problems.add(
      `manifest ${shownPath(file)}`,
      `is ${bytes.toLocaleString("en-US")} bytes; a release manifest may have at most ${MANIFEST_MAX_BYTES.toLocaleString("en-US")} (1 MiB).`,
      "Check that the manifest input names the release manifest; split a larger fleet into several manifests, released by separate steps.",
    );
    return undefined;
  }
  const lines = new LineCounter();
  lines.addNewLine(0);
  const where = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return `manifest ${shownPath(file)}:${line}:${col}`;
  };

  const tokens = parseTokens(text, lines);
  if (!Array.isArray(tokens)) {
    problems.add(
      where(tokens.tooDeepAt),
      `nests lists and mappings more than ${MANIFEST_MAX_DEPTH} levels deep.`,
      "A release manifest needs 6 levels; check the brackets and the indentation there.",
    );
    return undefined;
  }
  const [doc, second] = composeTwo(tokens, text.length);
  if (second !== undefined) {
    problems.add(
      where(second.range[0]),
      "starts a second YAML document.",
      "Write the manifest as one document: remove the --- line there and what follows, or merge it into the first.",
    );
    return undefined;
  }
  for (const error of doc.errors) {
    // yaml's message may hold a code frame on later lines: keep its first sentence.
    const message = escapeInvisible(error.message.split("\n")[0] ?? error.message);
    problems.add(
      where(error.pos[0]),
      message.replace(/\.?$/, "."),
      "Fix the YAML (or JSON) syntax there.",
    );
  }
  if (doc.errors.length > 0) return undefined;
  try {
    return doc.toJS({ maxAliasCount: MANIFEST_MAX_ALIASES });
  } catch (error) {
    // Unresolvable or too many aliases surface only when the document is turned into values.
    const message = escapeInvisible(messageOf(error)).replace(/\.?$/, ".");
    problems.add(`manifest ${shownPath(file)}`, message, "Fix the YAML aliases.");
    return undefined;
  }
}

/**
 * The syntax tree, read token by token so that absurd nesting is refused as soon as it is seen
 * (composing it would recurse once per level and overflow the stack); or where it got too deep.
 */
function parseTokens(text: string, lines: LineCounter): CST.Token[] | { tooDeepAt: number } {
  const parser = new Parser(lines.addNewLine);
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    tokens.push(...parser.next(lexeme));
    // The stack holds the open collections, and the document and a scalar besides.
    if (parser.stack.length <= MANIFEST_MAX_DEPTH) continue;
    const depth = parser.stack.filter((token) => COLLECTIONS.has(token.type)).length;
    if (depth > MANIFEST_MAX_DEPTH) return { tooDeepAt: parser.offset };
  }
  tokens.push(...parser.end());
  return tokens;
}

/** The first document, and the second when there is one; composing stops there. */
function composeTwo(
  tokens: CST.Token[],
  length: number,
): [Document.Parsed, Document.Parsed | undefined] {
  const documents = new Composer(YAML_OPTIONS).compose(tokens, true, length);
  const first = documents.next();
  // With `forceDoc`, compose always yields a document, an empty one for empty text.
  if (first.done === true) throw new Error("The YAML composer yielded no document: a bug.");
  const second = documents.next();
  return [first.value, second.done === true ? undefined : second.value];
}

class ManifestReader {
  constructor(private readonly problems: ProblemList) {}

  read(root: unknown, file: string): Manifest | undefined {
    if (root === null || root === undefined) {
      this.problems.add(
        `manifest ${shownPath(file)}`,
        "is empty.",
        "Write the release manifest: a mapping with regions, each with a resource-group and services.",
      );
      return undefined;
    }
    if (!isMapping(root)) {
      this.problems.add(
        `manifest ${shownPath(file)}`,
        `holds ${typeName(root)}, not a mapping.`,
        "Write the release manifest as a mapping with slot, status and regions.",
      );
      return undefined;
    }
    this.checkFields(root, TOP_FIELDS, "", "the manifest");
    if (!this.withinLimits(root["regions"])) return undefined;
    const sourceSlot = this.readSlot(root);
    const topStatus = this.readStatus(root["status"], "status");
    const regions = this.list(root, "regions", "", "region", "name: uk-south").map((value, index) =>
      this.readRegion(value, index, topStatus),
    );
    this.checkUnique(regions, "regions", "region");
    return { sourceSlot, regions };
  }

  /** Counts entries before reading them, so a runaway list is one problem, not one per entry. */
  private withinLimits(regions: unknown): boolean {
    if (!Array.isArray(regions)) return true;
    const services = regions.reduce<number>((sum, region) => {
      const list = isMapping(region) ? region["services"] : undefined;
      return sum + (Array.isArray(list) ? list.length : 0);
    }, 0);
    const most = MANIFEST_MAX_ENTRIES.toLocaleString("en-US");
    const over = [
      [regions.length, "regions"],
      [services, "services in all regions together"],
    ] as const;
    for (const [count, what] of over) {
      if (count <= MANIFEST_MAX_ENTRIES) continue;
      this.problems.add(
        "manifest regions",
        `lists ${count.toLocaleString("en-US")} ${what}; a release manifest may list at most ${most}.`,
        "Split the fleet into several manifests, released by separate steps or jobs.",
      );
      return false;
    }
    return true;
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
    const service: ServiceTarget = {
      name: "",
      app: "",
      status: { ...DEFAULT_STATUS_RULE },
      dependsOn: [],
    };
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
    // A URL parser drops tabs and new lines without a word: refuse them rather than guess.
    if (hasInvisible(template)) {
      this.problems.add(
        `manifest ${path}`,
        `${quote(template)} contains a control character.`,
        "Write it like https://{host}/status.",
      );
      return;
    }
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
  const segment = /^[A-Za-z0-9_-]+$/.test(key) ? key : quote(key);
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
