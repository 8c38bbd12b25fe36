/**
 * Reads the release manifest (YAML, or JSON which YAML also reads) into the fleet's shape,
 * reporting every problem at its manifest path so that one run shows all there is to fix.
 */
import { messageOf } from "../error-message.js";
import { Composer, Lexer, LineCounter, Parser, type CST, type Document } from "yaml";
import type {
  AnalysisPolicy,
  CanaryPolicy,
  MetricSignal,
  ReleaseWindow,
  ServiceTarget,
  StatusPageRule,
  WaveTarget,
} from "../release/model.js";
import { PRODUCTION_SLOT } from "../release/ports.js";
import { STATUS_URL_PLACEHOLDERS, expandStatusUrl } from "../release/status-url.js";
import { escapeInvisible, hasInvisible } from "../invisible-characters.js";
import { checkDependsOn, type DependingService } from "./depends-on.js";
import { parseClockTime, parseTimeZone, parseWeekday } from "./release-windows.js";
import {
  MOST_LISTED_PROBLEMS,
  closestName,
  didYouMean,
  listNames,
  listSomeNames,
  meaning,
  quote,
  shownPath,
  type ProblemList,
} from "./problems.js";
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
  parseChoice,
  parseDuration,
  parsePositiveDuration,
} from "./values.js";

/** The manifest after validation; meaningful only when no problem was found. */
export interface Manifest {
  sourceSlot: string;
  regions: ManifestRegion[];
  /** The manifest's `waves`, in release order, before the `regions` filter; absent: none declared. */
  waves?: WaveTarget[];
  canary?: CanaryPolicy;
  analysis?: AnalysisPolicy;
  releaseWindows?: ReleaseWindow[];
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

/** How long each canary step is watched when `canary.step-time` is not given: one default analysis window. */
export const DEFAULT_CANARY_STEP_TIME = "5m";
/** The look-back of each analysis evaluation when `analysis.window` is not given (interface.md). */
export const DEFAULT_ANALYSIS_WINDOW = "5m";
/** The fewest requests a window must count to be judged when `analysis.min-requests` is not given. */
export const DEFAULT_MIN_REQUESTS = 50;

const TOP_FIELDS = ["slot", "status", "regions", "waves", "canary", "analysis", "release-windows"];
const REGION_FIELDS = ["name", "subscription-id", "resource-group", "services"];
const SERVICE_FIELDS = ["name", "app", "status", "depends-on"];
const STATUS_FIELDS = ["url", "build-field", "dependencies-field"];
const WAVE_FIELDS = ["regions", "bake-time"];
const CANARY_FIELDS = ["steps", "step-time"];
const ANALYSIS_FIELDS = ["window", "min-requests", "metrics"];
const METRIC_FIELDS = ["name", "max"];
const RELEASE_WINDOW_FIELDS = ["days", "from", "to", "time-zone"];
const METRIC_SIGNALS: readonly MetricSignal[] = ["http-5xx-rate", "response-time"];

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
    const manifest: Manifest = { sourceSlot, regions };
    if (root["waves"] !== undefined) manifest.waves = this.readWaves(root, regions);
    const stepTime = root["canary"] === undefined ? undefined : this.readCanary(root["canary"]);
    if (stepTime?.policy !== undefined) manifest.canary = stepTime.policy;
    const window = root["analysis"] === undefined ? undefined : this.readAnalysis(root["analysis"]);
    if (window?.policy !== undefined) manifest.analysis = window.policy;
    if (root["release-windows"] !== undefined) {
      const windows = this.readReleaseWindows(root);
      if (windows !== undefined) manifest.releaseWindows = windows;
    }
    // A step passes only with one passing evaluation, and one happens once per window.
    if (manifest.canary !== undefined && manifest.analysis !== undefined) {
      const { stepTimeMs } = manifest.canary;
      if (stepTimeMs < manifest.analysis.windowMs) {
        this.problems.add(
          "manifest canary.step-time",
          `${stepTime?.shown ?? ""} is shorter than analysis.window, ${window?.shown ?? ""}: a step would end before its first evaluation, and a step passes only with a passing one.`,
          "Make step-time at least as long as the analysis window, like step-time: 5m with window: 5m.",
        );
      }
    }
    return manifest;
  }

  /**
   * `waves`: every region in exactly one wave. A region left out is reported only when every
   * entry could be read, and not when an unknown entry looks like its misspelling.
   */
  private readWaves(root: Mapping, regions: ManifestRegion[]): WaveTarget[] {
    const known = regions.map((region) => region.name).filter((name) => name !== "");
    const placed = new Map<string, { path: Path; wave: number }>();
    const meant = new Set<string>();
    // An empty or unreadable list has its problem; every region missing from it would be noise.
    let complete = Array.isArray(root["waves"]) && root["waves"].length > 0;
    const example = "regions: [uk-south]";
    const waves = this.list(root, "waves", "", "wave", example).map((value, index) => {
      const path = `waves[${index}]`;
      const wave: WaveTarget = { regions: [], bakeTimeMs: null };
      if (!this.mapping(value, path, "a wave", example)) {
        complete = false;
        return wave;
      }
      this.checkFields(value, WAVE_FIELDS, path, "a wave");
      const bakeTime = this.duration(value, "bake-time", path, { positive: false, example: "15m" });
      if (bakeTime !== undefined) wave.bakeTimeMs = bakeTime.ms;
      if (!Array.isArray(value["regions"])) complete = false;
      this.list(value, "regions", path, "region", "uk-south").forEach((entry, entryIndex) => {
        const where = `${path}.regions[${entryIndex}]`;
        if (typeof entry !== "string") {
          complete = false;
          this.problems.add(
            `manifest ${where}`,
            `must be a region name (a string), not ${typeName(entry)}.`,
            `Write the name of a region of regions, like regions: [${known[0] ?? "uk-south"}].`,
          );
          return;
        }
        const first = placed.get(entry);
        if (first !== undefined) {
          this.problems.add(
            `manifest ${where}`,
            `${quote(entry)} is already listed at ${first.path}.`,
            first.wave === index
              ? "List each region of a wave once."
              : "Put every region in exactly one wave: remove it from one of the two.",
          );
        } else if (known.includes(entry)) {
          placed.set(entry, { path: where, wave: index });
          wave.regions.push(entry);
        } else {
          const close = this.closest(entry, known);
          if (close !== undefined) meant.add(close);
          this.problems.add(
            `manifest ${where}`,
            `${quote(entry)} is not a region of the manifest.`,
            `${meaning(close)}The manifest's regions are ${listSomeNames(known) || "none"}.`,
          );
        }
      });
      return wave;
    });
    if (!complete) return waves;
    for (const region of regions) {
      if (region.name === "" || placed.has(region.name) || meant.has(region.name)) continue;
      this.problems.add(
        "manifest waves",
        `region ${quote(region.name)} (regions[${region.index}]) is in no wave.`,
        `Add it to the regions of one wave, or give it a wave of its own: - regions: [${region.name}]. Every region is released in exactly one wave.`,
      );
    }
    return waves;
  }

  /** `canary`; the policy is absent when anything is wrong. */
  private readCanary(value: unknown): { policy?: CanaryPolicy; shown: string } | undefined {
    const path = "canary";
    const example = "steps: [5, 25, 50]";
    if (!this.mapping(value, path, "a canary policy", example)) return undefined;
    const before = this.problems.items.length;
    this.checkFields(value, CANARY_FIELDS, path, "a canary policy");
    const steps: number[] = [];
    this.list(value, "steps", path, "percentage", "5").forEach((step, index) => {
      const where = `manifest ${path}.steps[${index}]`;
      const hint =
        "Write whole percentages from 1 to 99, each larger than the one before, like steps: [5, 25, 50].";
      if (typeof step !== "number") {
        this.problems.add(where, `must be a number, not ${typeName(step)}.`, hint);
      } else if (!Number.isInteger(step) || step < 1 || step > 99) {
        this.problems.add(where, `${String(step)} is not a whole percentage from 1 to 99.`, hint);
      } else {
        const previous = steps.at(-1);
        if (previous !== undefined && step <= previous) {
          this.problems.add(
            where,
            `${String(step)} is not larger than the step before it, ${String(previous)}.`,
            hint,
          );
        }
        steps.push(step);
      }
    });
    const stepTime = this.duration(value, "step-time", path, { positive: true, example: "5m" });
    const stepTimeMs = stepTime?.ms ?? defaultMs(DEFAULT_CANARY_STEP_TIME);
    const shown = stepTime?.shown ?? `${quote(DEFAULT_CANARY_STEP_TIME)} (the default)`;
    if (this.problems.items.length > before) return { shown };
    return { policy: { steps, stepTimeMs }, shown };
  }

  /** `analysis`; the policy is absent when anything is wrong. */
  private readAnalysis(value: unknown): { policy?: AnalysisPolicy; shown: string } | undefined {
    const path = "analysis";
    if (!this.mapping(value, path, "an analysis policy", "window: 5m")) return undefined;
    const before = this.problems.items.length;
    this.checkFields(value, ANALYSIS_FIELDS, path, "an analysis policy");
    const window = this.duration(value, "window", path, { positive: true, example: "5m" });
    const windowMs = window?.ms ?? defaultMs(DEFAULT_ANALYSIS_WINDOW);
    const shown = window?.shown ?? `${quote(DEFAULT_ANALYSIS_WINDOW)} (the default)`;

    let minRequests = DEFAULT_MIN_REQUESTS;
    const given = value["min-requests"];
    if (given !== undefined) {
      const where = `manifest ${path}.min-requests`;
      const hint = `Write a whole number of requests, like min-requests: ${DEFAULT_MIN_REQUESTS}.`;
      if (typeof given !== "number") {
        this.problems.add(where, `must be a number, not ${typeName(given)}.`, hint);
      } else if (!Number.isSafeInteger(given) || given < 1) {
        this.problems.add(where, `${String(given)} is not a whole number of 1 or more.`, hint);
      } else {
        minRequests = given;
      }
    }

    const metrics: AnalysisPolicy["metrics"] = [];
    const firstPath = new Map<MetricSignal, Path>();
    this.list(value, "metrics", path, "metric", "name: http-5xx-rate").forEach((entry, index) => {
      const where = `${path}.metrics[${index}]`;
      if (!this.mapping(entry, where, "a metric", "name: http-5xx-rate")) return;
      this.checkFields(entry, METRIC_FIELDS, where, "a metric");
      const name = this.string(entry, "name", where, { required: true, example: "http-5xx-rate" });
      let signal: MetricSignal | undefined;
      if (name !== undefined) {
        const parsed = parseChoice(name, METRIC_SIGNALS, "a metric");
        if (!parsed.ok) {
          this.problems.add(`manifest ${where}.name`, parsed.message, parsed.hint);
        } else if (firstPath.has(parsed.value)) {
          this.problems.add(
            `manifest ${where}.name`,
            `${quote(name)} is already the name of ${firstPath.get(parsed.value) ?? ""}.`,
            "Give each metric one threshold: remove one of the two.",
          );
        } else {
          firstPath.set(parsed.value, `${where}`);
          signal = parsed.value;
        }
      }
      const max = this.threshold(entry, where);
      if (signal !== undefined && max !== undefined) metrics.push({ signal, max });
    });
    if (this.problems.items.length > before) return { shown };
    return { policy: { windowMs, minRequests, metrics }, shown };
  }

  /** `release-windows`; absent when anything is wrong. */
  private readReleaseWindows(root: Mapping): ReleaseWindow[] | undefined {
    const before = this.problems.items.length;
    const example = 'days: [mon, tue], from: "09:00", to: "16:00", time-zone: Europe/London';
    const windows: ReleaseWindow[] = [];
    this.list(root, "release-windows", "", "window", `{ ${example} }`).forEach((value, index) => {
      const path = `release-windows[${index}]`;
      if (!this.mapping(value, path, "a release window", example)) return;
      this.checkFields(value, RELEASE_WINDOW_FIELDS, path, "a release window");
      const days = this.readDays(value, path);
      const from = this.clockTime(value, "from", path, "09:00");
      const to = this.clockTime(value, "to", path, "16:00");
      if (from !== undefined && to !== undefined && from === to) {
        this.problems.add(
          `manifest ${path}.to`,
          "is the same time as from: the window would be empty.",
          'Write the time the window closes; for a whole day write from: "00:00" and to: "24:00".',
        );
      }
      const zone = this.string(value, "time-zone", path, {
        required: true,
        example: "Europe/London",
      });
      const timeZone = zone === undefined ? undefined : parseTimeZone(zone);
      if (timeZone !== undefined && !timeZone.ok) {
        this.problems.add(`manifest ${path}.time-zone`, timeZone.message, timeZone.hint);
      }
      if (from === undefined || to === undefined || !timeZone?.ok) return;
      windows.push({ days, fromMinutes: from, toMinutes: to, timeZone: timeZone.value });
    });
    return this.problems.items.length > before ? undefined : windows;
  }

  /** A window's `days`: each a day of the week, once. */
  private readDays(value: Mapping, path: Path): ReleaseWindow["days"] {
    const days: ReleaseWindow["days"] = [];
    const firstIndex = new Map<string, number>();
    this.list(value, "days", path, "day", "mon").forEach((day: unknown, index) => {
      const where = `manifest ${path}.days[${index}]`;
      if (typeof day !== "string") {
        this.problems.add(
          where,
          `must be a day (a string), not ${typeName(day)}.`,
          "Write days as mon, tue, wed, thu, fri, sat or sun, like days: [mon, tue].",
        );
        return;
      }
      const parsed = parseWeekday(day);
      if (!parsed.ok) {
        this.problems.add(where, parsed.message, parsed.hint);
      } else if (firstIndex.has(parsed.value)) {
        this.problems.add(
          where,
          `${quote(day)} is already listed at ${path}.days[${firstIndex.get(parsed.value) ?? 0}].`,
          "List each day of a window once.",
        );
      } else {
        firstIndex.set(parsed.value, index);
        days.push(parsed.value);
      }
    });
    return days;
  }

  /** A window's `from` or `to`: `HH:MM` as a string (YAML reads unquoted 09:00 as one too). */
  private clockTime(
    value: Mapping,
    key: "from" | "to",
    path: Path,
    example: string,
  ): number | undefined {
    const field = value[key];
    if (typeof field === "number") {
      this.problems.add(
        `manifest ${child(path, key)}`,
        `must be a time HH:MM, not a number (${String(field)}).`,
        `Write it like ${key}: "${example}".`,
      );
      return undefined;
    }
    const text = this.string(value, key, path, { required: true, example: `"${example}"` });
    if (text === undefined) return undefined;
    const parsed = parseClockTime(text, key === "to");
    if (parsed.ok) return parsed.value;
    this.problems.add(`manifest ${path}.${key}`, parsed.message, parsed.hint);
    return undefined;
  }

  /** A metric's `max`: a number of zero or more, in the metric's unit. */
  private threshold(entry: Mapping, path: Path): number | undefined {
    const where = `manifest ${path}.max`;
    const max = entry["max"];
    const hint =
      "Write the highest value that passes, as a number: percent for http-5xx-rate, milliseconds for response-time, like max: 1.";
    if (max === undefined) {
      this.problems.add(where, "is missing.", hint);
    } else if (typeof max !== "number") {
      this.problems.add(where, `must be a number, not ${typeName(max)}.`, hint);
    } else if (!Number.isFinite(max) || max < 0) {
      this.problems.add(where, `${String(max)} is not a number of zero or more.`, hint);
    } else {
      return max;
    }
    return undefined;
  }

  /** A duration field, written as the inputs are (`90s`, `5m`, a bare number of seconds). */
  private duration(
    value: Mapping,
    key: string,
    path: Path,
    options: { positive: boolean; example: string },
  ): { ms: number; shown: string } | undefined {
    const field = value[key];
    if (field === undefined) return undefined;
    const where = `manifest ${child(path, key)}`;
    if (typeof field !== "string" && typeof field !== "number") {
      this.problems.add(
        where,
        `must be a duration, not ${typeName(field)}.`,
        `Write it like ${key}: ${options.example}; a bare number is seconds.`,
      );
      return undefined;
    }
    const text = String(field);
    const parsed = (options.positive ? parsePositiveDuration : parseDuration)(text);
    if (parsed.ok) return { ms: parsed.value, shown: quote(text) };
    this.problems.add(where, parsed.message, parsed.hint);
    return undefined;
  }

  /**
   * The name an unknown one was probably meant to be, while its problem may still be listed:
   * past the listed ones, or for a value far longer than any name, it is not worth comparing.
   */
  private closest(given: string, known: readonly string[]): string | undefined {
    if (this.problems.items.length >= MOST_LISTED_PROBLEMS || given.length > 200) return undefined;
    return closestName(given, known);
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

    const read = this.list(value, "services", path, "service", "name: api").map(
      (service, serviceIndex) =>
        this.readService(service, `${path}.services[${serviceIndex}]`, topStatus),
    );
    const services = read.map(({ service }) => service);
    this.checkUnique(services, `${path}.services`, "service");
    const dependsOn = checkDependsOn(
      { name: region.name, services: read.map(({ depending }) => depending) },
      this.problems,
      (given, known) => this.closest(given, known),
    );
    services.forEach((service, index) => (service.dependsOn = dependsOn[index] ?? []));
    region.services = services;
    return region;
  }

  private readService(
    value: unknown,
    path: Path,
    topStatus: Partial<StatusPageRule>,
  ): { service: ServiceTarget; depending: DependingService } {
    const service: ServiceTarget = {
      name: "",
      app: "",
      status: { ...DEFAULT_STATUS_RULE },
      dependsOn: [],
    };
    const depending: DependingService = { name: "", path, entries: [] };
    if (!this.mapping(value, path, "a service", "name: api")) return { service, depending };
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
    depending.name = service.name;
    depending.entries = this.readDependsOn(value, path);
    return { service, depending };
  }

  /** The string entries of a service's `depends-on`; whether they name services is the region's to check. */
  private readDependsOn(value: Mapping, path: Path): DependingService["entries"] {
    const list = value["depends-on"];
    if (list === undefined) return [];
    const where = `${path}.depends-on`;
    const hint = "List the names of services of the same region, like depends-on: [db-migrator].";
    if (!Array.isArray(list)) {
      this.problems.add(`manifest ${where}`, `must be a list, not ${typeName(list)}.`, hint);
      return [];
    }
    const entries: DependingService["entries"] = [];
    list.forEach((entry: unknown, index) => {
      const entryPath = `${where}[${index}]`;
      if (typeof entry === "string") {
        entries.push({ name: entry, path: entryPath });
        return;
      }
      this.problems.add(
        `manifest ${entryPath}`,
        `must be a service name (a string), not ${typeName(entry)}.`,
        hint,
      );
    });
    return entries;
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

function defaultMs(duration: string): number {
  const parsed = parseDuration(duration);
  if (!parsed.ok) throw new Error(`The default duration ${duration} does not parse: a bug.`);
  return parsed.value;
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
