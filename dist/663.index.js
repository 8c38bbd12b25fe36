export const id = 663;
export const ids = [663];
export const modules = {

/***/ 6587:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ messageOf)
/* harmony export */ });
/** A readable message from anything thrown: the Error's message, or the value as text. */
function messageOf(error) {
    return error instanceof Error ? error.message : String(error);
}


/***/ }),

/***/ 6081:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   t: () => (/* binding */ escapeInvisible),
/* harmony export */   w: () => (/* binding */ hasInvisible)
/* harmony export */ });
/**
 * Characters no log, summary, message or report may receive raw: text from a user, a library,
 * Azure or a status page is shown, never obeyed. One definition for the whole action.
 */
// Characters a log must never receive raw: C0 and C1 controls (a new line could start a workflow
// command), format characters (bidirectional overrides, zero-width joiners), line and paragraph
// separators, and halves of surrogate pairs.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const SHORT_ESCAPES = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
};
/** Writes control and other invisible characters as JSON escapes (`\n`, `\u202e`), so text from a user or a library is shown, never obeyed. */
function escapeInvisible(text) {
    return text.replace(INVISIBLE, (character) => {
        const short = SHORT_ESCAPES[character];
        if (short !== undefined)
            return short;
        // Per UTF-16 unit, as JSON writes a character beyond the Basic Multilingual Plane.
        return character
            .split("")
            .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`)
            .join("");
    });
}
/** True when `text` holds a control or other invisible character, which no name or identifier may. */
function hasInvisible(text) {
    return escapeInvisible(text) !== text;
}


/***/ }),

/***/ 8224:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H: () => (/* binding */ safeLogText)
/* harmony export */ });
/* harmony import */ var _invisible_characters_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6081);
/**
 * Text from Azure or a status page is data: the runner must never read it as a workflow command.
 * The runner takes a line for a command when it begins, after white space, with `::`, and (the
 * legacy form) when it holds `##[` anywhere; a CR or LF would let such a line start mid-message.
 */

/**
 * One line of the Actions log that the runner cannot take for a command, whatever `text` holds:
 * control characters escaped, `##[` broken up, and a leading `::` prefixed with a backslash.
 * Applying it twice changes nothing more.
 */
function safeLogText(text) {
    const line = (0,_invisible_characters_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeInvisible */ .t)(text).replaceAll("##[", "##\\[");
    return line.trimStart().startsWith("::") ? `\\${line}` : line;
}


/***/ }),

/***/ 1663:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./src/error-message.ts
var error_message = __webpack_require__(6587);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./src/log-safety.ts
var log_safety = __webpack_require__(8224);
;// CONCATENATED MODULE: ./src/actions-log.ts


/**
 * The release's story in the GitHub Actions log: groups per phase and region, annotations per
 * failure. Messages carry text from Azure and status pages, so each is made {@link safeLogText}:
 * nothing this log writes can be a workflow command.
 */
const actionsLog = {
    info: (message) => core/* info */.pq((0,log_safety/* safeLogText */.H)(message)),
    warning: (message) => core/* warning */.$e((0,log_safety/* safeLogText */.H)(message)),
    error: (message, title) => core/* error */.z3((0,log_safety/* safeLogText */.H)(message), title === undefined ? undefined : { title: (0,log_safety/* safeLogText */.H)(title) }),
    group: (name, body) => core/* group */.Os((0,log_safety/* safeLogText */.H)(name), body),
};

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/settings/azure-sign-in.ts
var azure_sign_in = __webpack_require__(4044);
// EXTERNAL MODULE: ./src/settings/problems.ts
var settings_problems = __webpack_require__(1477);
// EXTERNAL MODULE: ./src/settings/values.ts
var values = __webpack_require__(535);
;// CONCATENATED MODULE: ./src/settings/fleet.ts


/** Splits the `regions` input: names separated by commas or new lines; blanks are ignored. */
function splitRegionFilter(text) {
    return text
        .split(/[,\r\n]/)
        .map((name) => name.trim())
        .filter((name) => name !== "");
}
/**
 * Checks the filter against the manifest and builds the fleet. `manifest` is undefined when it
 * could not be read; then only what the filter says by itself is checked.
 */
function selectFleet(manifest, filter, defaultSubscriptionId, problems) {
    const listed = new Set();
    for (const name of filter) {
        if (listed.has(name)) {
            problems.inputs.add("input regions", `${(0,settings_problems/* quote */.hD)(name)} is listed more than once.`, "List each region once.");
        }
        listed.add(name);
    }
    if (manifest === undefined)
        return { sourceSlot: "", regions: [], waves: [] };
    checkOneEntryPerApp(manifest, defaultSubscriptionId, problems.manifest);
    const known = manifest.regions.map((region) => region.name).filter((name) => name !== "");
    for (const name of listed) {
        if (known.includes(name))
            continue;
        problems.inputs.add("input regions", `${(0,settings_problems/* quote */.hD)(name)} is not a region of the manifest.`, `${(0,settings_problems/* didYouMean */.au)(name, known)}The manifest's regions are ${known.join(", ") || "none"}.`);
    }
    const targeted = listed.size === 0
        ? manifest.regions
        : manifest.regions.filter((region) => listed.has(region.name));
    const regions = targeted.map((region) => {
        const subscriptionId = region.subscriptionId ?? defaultSubscriptionId;
        // A region that is not even a mapping has its problem already; a missing subscription is noise.
        if (subscriptionId === undefined && region.isMapping) {
            const which = region.name === "" ? "" : ` for region ${(0,settings_problems/* quote */.hD)(region.name)}`;
            problems.manifest.add(`manifest regions[${region.index}].subscription-id`, `is missing${which}, and the subscription-id input is empty.`, "Add subscription-id to the region, or set the subscription-id input.");
        }
        return {
            name: region.name,
            subscriptionId: subscriptionId ?? "",
            resourceGroup: region.resourceGroup,
            services: region.services,
        };
    });
    // The filter keeps or drops whole regions, and depends-on names services of the same region:
    // no service of the fleet can depend on one the filter left out.
    const targetedNames = new Set(regions.map((region) => region.name));
    const waves = manifest.waves === undefined
        ? regions.map((region) => ({ regions: [region.name], bakeTimeMs: null }))
        : manifest.waves
            .map((wave) => ({
            ...wave,
            regions: wave.regions.filter((name) => targetedNames.has(name)),
        }))
            .filter((wave) => wave.regions.length > 0);
    return {
        sourceSlot: manifest.sourceSlot,
        regions,
        waves,
        ...(manifest.waves === undefined ? {} : { wavesDeclared: true }),
        ...(manifest.canary === undefined ? {} : { canary: manifest.canary }),
        ...(manifest.analysis === undefined ? {} : { analysis: manifest.analysis }),
        ...(manifest.releaseWindows === undefined ? {} : { releaseWindows: manifest.releaseWindows }),
    };
}
/**
 * Two services naming one app (same subscription, resource group and app name, compared ignoring
 * case as Azure does) would have it swapped twice: the second swap undoes the first. Every
 * region counts, targeted or not, and a region without a subscription gets the input's.
 */
function checkOneEntryPerApp(manifest, defaultSubscriptionId, problems) {
    const firstPath = new Map();
    for (const region of manifest.regions) {
        const subscriptionId = region.subscriptionId ?? defaultSubscriptionId ?? "";
        region.services.forEach((service, index) => {
            // An invalid name has its own problem already; it names no app to be swapped twice.
            if (!(0,values/* isAppServiceName */.WM)(service.app) || !(0,values/* isResourceGroupName */.Zt)(region.resourceGroup))
                return;
            const path = `regions[${region.index}].services[${index}].app`;
            const key = JSON.stringify([subscriptionId, region.resourceGroup, service.app]).toLowerCase();
            const first = firstPath.get(key);
            if (first === undefined) {
                firstPath.set(key, path);
                return;
            }
            const subscription = subscriptionId === "" ? "" : ` of subscription ${(0,settings_problems/* quote */.hD)(subscriptionId)}`;
            problems.add(`manifest ${path}`, `${(0,settings_problems/* quote */.hD)(service.app)} in resource group ${(0,settings_problems/* quote */.hD)(region.resourceGroup)}${subscription} is already the app of ${first}; one app would be swapped twice, the second swap undoing the first.`, "Give each service its own app: correct the app or resource-group of one of the two entries, or remove one.");
        });
    }
}

// EXTERNAL MODULE: ./src/invisible-characters.ts
var invisible_characters = __webpack_require__(6081);
;// CONCATENATED MODULE: ./src/settings/inputs.ts




const input = (spec) => spec;
/** Inputs whose rules involve other inputs keep their text here and are checked once all are read. */
const asText = (text) => ({ ok: true, value: text });
const MODES = ["release", "plan"];
const ROLLBACKS = ["region", "all", "none"];
const REFRESHES = ["mirror", "none"];
function parseBuild(text) {
    if (!/\s/.test(text) && !(0,invisible_characters/* hasInvisible */.w)(text))
        return { ok: true, value: text };
    const what = /\s/.test(text) ? "whitespace" : "a control character";
    return {
        ok: false,
        message: `${(0,settings_problems/* quote */.hD)(text)} contains ${what}.`,
        hint: "Set build to one build identifier, exactly as the status pages report it, like 1.4.2.",
    };
}
function parseOptionalHttpsSecret(text) {
    if (text === "")
        return { ok: true, value: undefined };
    const parsed = (0,values/* parseHttpsUrl */.mX)(text, { secret: true });
    return parsed.ok ? { ok: true, value: text } : parsed;
}
function parseOptionalGuid(text) {
    if (text === "")
        return { ok: true, value: undefined };
    if ((0,values/* isGuid */.W_)(text))
        return { ok: true, value: text };
    return {
        ok: false,
        message: `${(0,settings_problems/* quote */.hD)(text)} is not a GUID.`,
        hint: "Copy the subscription id from the Azure portal, like 00000000-0000-0000-0000-000000000000.",
    };
}
/** Every input of the action, in action.yml's order; the only place one is declared. */
const INPUTS = {
    build: input({
        description: "The build every service must run after the release, as its status page reports it, e.g. `${{ github.ref_name }}`.",
        default: "",
        required: {
            hint: "Set build to the build your status pages report, e.g. build: ${{ github.ref_name }}.",
        },
        parse: parseBuild,
    }),
    manifest: input({
        description: "Path of the release manifest, YAML or JSON.",
        default: ".github/release-manifest.yml",
        parse: asText,
    }),
    regions: input({
        description: "Comma- or newline-separated subset of region names to release. The manifest's order is kept. Empty means every region.",
        default: "",
        // Checked against the manifest once it is read.
        parse: (text) => ({ ok: true, value: splitRegionFilter(text) }),
    }),
    mode: input({
        description: "`release`, or `plan`: validate and pre-flight only, print the plan, change nothing.",
        default: "release",
        parse: (text) => (0,values/* parseChoice */.HU)(text, MODES, "a mode"),
    }),
    rollback: input({
        description: "What to swap back when a region fails: `region`, `all` (also regions released earlier in this run, newest first) or `none`.",
        default: "region",
        parse: (text) => (0,values/* parseChoice */.HU)(text, ROLLBACKS, "a rollback policy"),
    }),
    "max-parallel": input({
        description: "Services swapped at once inside a region; `0` means all of them.",
        default: "0",
        parse: values/* parseWholeNumber */.oA,
    }),
    "status-timeout": input({
        description: "How long a status page may take to report healthy and the expected build, e.g. `90s`, `5m`, `1h30m`.",
        default: "5m",
        parse: values/* parsePositiveDuration */.lj,
    }),
    "status-interval": input({
        description: "Pause between two reads of a status page.",
        default: "5s",
        parse: values/* parsePositiveDuration */.lj,
    }),
    "bake-time": input({
        description: "How long a released region (with the manifest's `waves`, a released wave) is watched (still healthy, still the expected build) before the next one starts. A wave's own `bake-time` overrides it.",
        default: "0s",
        parse: values/* parseDuration */.E9,
    }),
    "swap-with-preview": input({
        description: "Multi-phase swap: apply production settings to staging, verify staging, then complete the swap; the settings are reset on failure.",
        default: "false",
        parse: values/* parseBoolean */.yG,
    }),
    "preserve-vnet": input({
        description: "Passed to the swap operation (`preserveVnet`).",
        default: "true",
        parse: values/* parseBoolean */.yG,
    }),
    refresh: input({
        description: "After every region is released: `mirror` makes each staging slot run its production slot's deployment; `none` leaves them.",
        default: "mirror",
        parse: (text) => (0,values/* parseChoice */.HU)(text, REFRESHES, "a refresh policy"),
    }),
    "ignore-release-windows": input({
        description: "Start swaps even outside the manifest's `release-windows`, for an urgent hotfix. It is recorded in the report and the Slack message.",
        default: "false",
        parse: values/* parseBoolean */.yG,
    }),
    "slack-webhook-url": input({
        description: "Slack incoming-webhook URL for the release message. A secret; it is masked and never printed.",
        default: "",
        secret: true,
        parse: parseOptionalHttpsSecret,
    }),
    "github-token": input({
        description: "Token for GitHub API calls (deployments).",
        default: "",
        runnerDefault: "${{ github.token }}",
        secret: true,
        parse: asText,
    }),
    "github-deployments": input({
        description: "Record a GitHub deployment per region, in environment `<environment-prefix><region>`.",
        default: "false",
        parse: values/* parseBoolean */.yG,
    }),
    "environment-prefix": input({
        description: "Prefix of the GitHub deployment environment names.",
        default: "production-",
        parse: asText,
    }),
    "subscription-id": input({
        description: "Default Azure subscription for regions that name none.",
        default: "",
        parse: parseOptionalGuid,
    }),
    // The sign-in inputs depend on each other (the cloud picks endpoints and audience, a secret
    // needs a client): readAzureSignIn checks them together.
    "tenant-id": input({
        description: "Microsoft Entra tenant. With `client-id` and no `client-secret`, sign-in uses GitHub OIDC (workload identity federation).",
        default: "",
        parse: asText,
    }),
    "client-id": input({
        description: "Microsoft Entra application (client) id. Empty means the default credential chain.",
        default: "",
        parse: asText,
    }),
    "client-secret": input({
        description: "Sign in with this client secret instead of OIDC. A secret; it is masked.",
        default: "",
        secret: true,
        parse: asText,
    }),
    "azure-cloud": input({
        description: "`AzureCloud`, `AzureChinaCloud` or `AzureUSGovernment`.",
        default: "AzureCloud",
        parse: asText,
    }),
    "arm-endpoint": input({
        description: "Azure Resource Manager base URL (Azure Stack, private clouds, the simulator). Empty means the one of `azure-cloud`.",
        default: "",
        parse: asText,
    }),
    "authority-host": input({
        description: "Microsoft Entra authority host. Empty means the one of `azure-cloud`.",
        default: "",
        parse: asText,
    }),
    "arm-api-version": input({
        description: "api-version of every Microsoft.Web request, for clouds that do not offer the SDK's newest (Azure US Government, Azure Stack Hub), e.g. `2022-03-01`. Empty means the SDK's own. When ARM answers that the version is not offered, the run fails before any change and names the versions ARM listed.",
        default: "",
        parse: asText,
    }),
    "oidc-audience": input({
        description: "Audience of the GitHub OIDC token exchanged with Microsoft Entra; it must match the federated credential. Empty means the one of `azure-cloud`: `api://AzureADTokenExchange`, `api://AzureADTokenExchangeChina` (AzureChinaCloud) or `api://AzureADTokenExchangeUSGov` (AzureUSGovernment).",
        default: "",
        parse: asText,
    }),
};
const INPUT_NAMES = Object.keys(INPUTS);
/**
 * Defaults of the optional inputs, from INPUTS. `github-token` defaults to an expression only
 * the runner can evaluate, so its default here is ''.
 */
const INPUT_DEFAULTS = Object.fromEntries(INPUT_NAMES.filter((name) => INPUTS[name].required === undefined).map((name) => [
    name,
    INPUTS[name].default,
]));
/** Inputs whose values must never reach a log, in the order of INPUTS. */
const SECRET_INPUTS = INPUT_NAMES.filter((name) => INPUTS[name].secret === true);
/** The trimmed value of an input, or '' when unset. */
function rawInput(source, name) {
    return (source.getInput(name) ?? "").trim();
}
/** Reads and parses every input in the table's order, filing problems under `input <name>`. */
function readInputs(source, problems) {
    const values = {};
    const refused = new Set();
    for (const name of INPUT_NAMES) {
        const spec = INPUTS[name];
        const text = rawInput(source, name) || spec.default;
        const parsed = spec.required !== undefined && text === ""
            ? { ok: false, message: "is empty.", hint: spec.required.hint }
            : spec.parse(text);
        if (parsed.ok) {
            values[name] = parsed.value;
            continue;
        }
        problems.add(`input ${name}`, parsed.message, parsed.hint);
        refused.add(name);
        const fallback = spec.parse(spec.default);
        if (!fallback.ok)
            throw new Error(`The default of input ${name} does not parse: a bug.`);
        values[name] = fallback.value;
    }
    return { values: values, refused };
}
/** The release policy, from the inputs read; durations are milliseconds. */
function readPolicy({ values, refused }, source, problems) {
    const statusTimeoutMs = values["status-timeout"];
    const statusIntervalMs = values["status-interval"];
    // Compared only when both were read: against a default stood in for a wrong value, it misleads.
    if (!refused.has("status-timeout") &&
        !refused.has("status-interval") &&
        statusIntervalMs > statusTimeoutMs) {
        const shown = (name) => (0,settings_problems/* quote */.hD)(rawInput(source, name) || INPUTS[name].default);
        problems.add("input status-interval", `${shown("status-interval")} is longer than status-timeout, ${shown("status-timeout")}: a status page would be read once at most before the timeout.`, "Make status-interval shorter than status-timeout, like status-interval: 5s with status-timeout: 5m.");
    }
    return {
        build: values.build,
        mode: values.mode,
        rollback: values.rollback,
        maxParallel: values["max-parallel"],
        statusTimeoutMs,
        statusIntervalMs,
        bakeTimeMs: values["bake-time"],
        swapWithPreview: values["swap-with-preview"],
        preserveVnet: values["preserve-vnet"],
        refresh: values.refresh,
        ignoreReleaseWindows: values["ignore-release-windows"],
    };
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./src/release/ports.ts
var ports = __webpack_require__(9541);
// EXTERNAL MODULE: ./src/release/status-url.ts
var status_url = __webpack_require__(4643);
;// CONCATENATED MODULE: ./src/settings/depends-on.ts
/**
 * The `depends-on` rules of one region: every entry names another service of the region, once,
 * and no services wait for each other in a cycle (none of them could be swapped first).
 */

/** The most services a cycle's message names before it counts the rest. */
const MOST_NAMES_SHOWN = 10;
/**
 * Checks the region's `depends-on` entries and returns each service's valid ones, in order.
 * `closest` is the name an unknown one was probably meant to be (undefined: none, or not worth it).
 */
function checkDependsOn(region, problems, closest) {
    const known = region.services.map((service) => service.name).filter((name) => name !== "");
    const indexOf = new Map(region.services.map((service, index) => [service.name, index]));
    const ofRegion = region.name === "" ? "this region" : `region ${(0,settings_problems/* quote */.hD)(region.name)}`;
    const valid = region.services.map((service) => {
        const firstPath = new Map();
        const names = [];
        for (const entry of service.entries) {
            const first = firstPath.get(entry.name);
            if (service.name !== "" && entry.name === service.name) {
                problems.add(`manifest ${entry.path}`, `${(0,settings_problems/* quote */.hD)(entry.name)} is the service itself.`, "Remove it: a service cannot wait for itself.");
            }
            else if (first !== undefined) {
                problems.add(`manifest ${entry.path}`, `${(0,settings_problems/* quote */.hD)(entry.name)} is already listed at ${first}.`, "List each service once.");
            }
            else if (!indexOf.has(entry.name) || entry.name === "") {
                problems.add(`manifest ${entry.path}`, `${(0,settings_problems/* quote */.hD)(entry.name)} is not a service of ${ofRegion}.`, `${(0,settings_problems/* meaning */.ak)(closest(entry.name, known))}The services of ${ofRegion} are ${(0,settings_problems/* listSomeNames */.F1)(known)}; depends-on names services of the same region.`);
            }
            else {
                names.push(entry.name);
            }
            if (first === undefined)
                firstPath.set(entry.name, entry.path);
        }
        return names;
    });
    const edges = valid.map((names) => names.map((name) => indexOf.get(name) ?? -1));
    for (const cycle of findCycles(edges)) {
        const [start = 0] = cycle;
        const names = cycle.map((index) => region.services[index]?.name ?? "");
        problems.add(`manifest ${region.services[start]?.path ?? ""}.depends-on`, `${shownCycle(names)} is a cycle: no service of it can be swapped first.`, "Remove one depends-on entry of the cycle, so that one of its services waits for none of the others.");
    }
    return valid;
}
/**
 * The cycles a depth-first search meets, one per edge back into the path being walked, each as
 * node indices from where it starts round to there again. Iterative: a chain of thousands of
 * services must not overflow the stack.
 */
function findCycles(edges) {
    const NEW = 0;
    const ON_PATH = 1;
    const DONE = 2;
    const state = edges.map(() => NEW);
    const cycles = [];
    for (let root = 0; root < edges.length; root++) {
        if (state[root] !== NEW)
            continue;
        const path = [{ node: root, next: 0 }];
        state[root] = ON_PATH;
        for (let top = path.at(-1); top !== undefined; top = path.at(-1)) {
            const target = edges[top.node]?.[top.next];
            if (target === undefined) {
                state[top.node] = DONE;
                path.pop();
                continue;
            }
            top.next += 1;
            if (state[target] === NEW) {
                state[target] = ON_PATH;
                path.push({ node: target, next: 0 });
            }
            else if (state[target] === ON_PATH) {
                const from = path.findIndex((step) => step.node === target);
                cycles.push([...path.slice(from).map((step) => step.node), target]);
            }
        }
    }
    return cycles;
}
/** `a → b → a`; a long cycle keeps its ends and counts what is left out. */
function shownCycle(names) {
    if (names.length <= MOST_NAMES_SHOWN)
        return names.join(" → ");
    const head = names.slice(0, MOST_NAMES_SHOWN - 2);
    const tail = names.slice(-2);
    const left = names.length - head.length - tail.length;
    return [...head, `… ${left.toLocaleString("en-US")} more …`, ...tail].join(" → ");
}

;// CONCATENATED MODULE: ./src/settings/release-windows.ts


/** The days a window may start on, in the manifest's words. */
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const MINUTES_PER_DAY = 24 * 60;
const CLOCK_TIME = /^(\d{1,2}):(\d{2})$/;
/** Reads a day of the week, `mon` … `sun`, ignoring case. */
function parseWeekday(text) {
    const parsed = (0,values/* parseChoice */.HU)(text, WEEKDAYS, "a day of the week");
    if (parsed.ok)
        return parsed;
    return { ...parsed, hint: parsed.hint.replace("Use one of:", "Use the first three letters:") };
}
/**
 * Reads `HH:MM` as minutes after midnight; `24:00` (the midnight that ends the day) only where
 * `endOfDay` allows it, for a window's `to`.
 */
function parseClockTime(text, endOfDay) {
    const match = CLOCK_TIME.exec(text.trim());
    const hint = endOfDay
        ? 'Write a time of day as HH:MM, from "00:00" to "24:00", like to: "16:00".'
        : 'Write a time of day as HH:MM, from "00:00" to "23:59", like from: "09:00".';
    if (match === null)
        return { ok: false, message: `${(0,settings_problems/* quote */.hD)(text)} is not a time HH:MM.`, hint };
    const minutes = Number(match[1]) * 60 + Number(match[2]);
    const valid = Number(match[2]) < 60 &&
        (minutes < MINUTES_PER_DAY || (endOfDay && minutes === MINUTES_PER_DAY));
    if (!valid) {
        return { ok: false, message: `${(0,settings_problems/* quote */.hD)(text)} is not a time of day.`, hint };
    }
    return { ok: true, value: minutes };
}
/**
 * Reads an IANA time zone name that Node's time zone data (the runner's ICU) knows. Case is
 * corrected (`europe/london` is `Europe/London`); an alias stays as written (`US/Eastern`), as
 * users know it. UTC offsets (`+01:00`) are refused: they know no daylight saving, and the
 * manifest's contract is IANA names.
 */
function parseTimeZone(text) {
    const hint = `${(0,settings_problems/* meaning */.ak)(likelyZone(text))}Write an IANA time zone name, like Europe/London, America/New_York or UTC.`;
    if (!/^[A-Za-z][A-Za-z0-9_+/-]*$/.test(text)) {
        return { ok: false, message: `${(0,settings_problems/* quote */.hD)(text)} is not an IANA time zone name.`, hint };
    }
    try {
        const { timeZone } = new Intl.DateTimeFormat("en-US", { timeZone: text }).resolvedOptions();
        return { ok: true, value: timeZone.toLowerCase() === text.toLowerCase() ? timeZone : text };
    }
    catch {
        return { ok: false, message: `${(0,settings_problems/* quote */.hD)(text)} is not a time zone known to Node.js.`, hint };
    }
}
/** The zone `given` was most likely meant to be: by its whole name, or by its city (`London`). */
function likelyZone(given) {
    if (given.length > 100)
        return undefined;
    const zones = [...Intl.supportedValuesOf("timeZone"), "UTC"];
    const whole = (0,settings_problems/* closestName */.Nf)(given, zones);
    if (whole !== undefined)
        return whole;
    const city = (zone) => zone.slice(zone.lastIndexOf("/") + 1);
    const cities = zones.map(city);
    const meant = (0,settings_problems/* closestName */.Nf)(city(given), cities);
    return meant === undefined ? undefined : zones[cities.indexOf(meant)];
}

;// CONCATENATED MODULE: ./src/settings/manifest.ts
/**
 * Reads the release manifest (YAML, or JSON which YAML also reads) into the fleet's shape,
 * reporting every problem at its manifest path so that one run shows all there is to fix.
 */









/** The status page rule every service gets when the manifest says nothing. */
const DEFAULT_STATUS_RULE = {
    urlTemplate: "https://{host}/status",
    buildField: "build",
};
/** The slot services are swapped from when the manifest names none. */
const DEFAULT_SOURCE_SLOT = "staging";
/** How long each canary step is watched when `canary.step-time` is not given: one default analysis window. */
const DEFAULT_CANARY_STEP_TIME = "5m";
/** The look-back of each analysis evaluation when `analysis.window` is not given (interface.md). */
const DEFAULT_ANALYSIS_WINDOW = "5m";
/** The fewest requests a window must count to be judged when `analysis.min-requests` is not given. */
const DEFAULT_MIN_REQUESTS = 50;
const TOP_FIELDS = ["slot", "status", "regions", "waves", "canary", "analysis", "release-windows"];
const REGION_FIELDS = ["name", "subscription-id", "resource-group", "services"];
const SERVICE_FIELDS = ["name", "app", "status", "depends-on"];
const STATUS_FIELDS = ["url", "build-field", "dependencies-field"];
const WAVE_FIELDS = ["regions", "bake-time"];
const CANARY_FIELDS = ["steps", "step-time"];
const ANALYSIS_FIELDS = ["window", "min-requests", "metrics"];
const METRIC_FIELDS = ["name", "max"];
const RELEASE_WINDOW_FIELDS = ["days", "from", "to", "time-zone"];
const METRIC_SIGNALS = ["http-5xx-rate", "response-time"];
/**
 * Parses and validates the manifest text. Returns undefined when the file cannot be read as a
 * manifest at all (syntax errors, not a mapping), so that callers skip checks that need it.
 */
function parseManifest(text, file, problems) {
    const root = parseYaml(text, file, problems);
    if (root === undefined)
        return undefined;
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
const MANIFEST_MAX_BYTES = 1_048_576;
/** The deepest nesting of lists and mappings read. */
const MANIFEST_MAX_DEPTH = 64;
/** The most regions, and the most services in all regions together, a manifest may list. */
const MANIFEST_MAX_ENTRIES = 5_000;
const MANIFEST_MAX_ALIASES = 100;
// The core schema of YAML 1.2: no tag builds anything but strings, numbers, booleans, lists and
// mappings. `merge` lets users share a block with `<<: *defaults`; YAML 1.2 leaves it off by default.
// `logLevel: "error"` keeps the library from writing warnings to the console: only problems speak.
// The yaml package sets every key as an own property, `__proto__` included, never through a
// prototype (the bad-input corpus holds it to that); the unknown-field check then reports them.
const YAML_OPTIONS = { schema: "core", merge: true, logLevel: "error", uniqueKeys: true };
const COLLECTIONS = new Set(["block-map", "block-seq", "flow-collection"]);
function parseYaml(text, file, problems) {
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > MANIFEST_MAX_BYTES) {
        problems.add(`manifest ${(0,settings_problems/* shownPath */.pS)(file)}`, `is ${bytes.toLocaleString("en-US")} bytes; a release manifest may have at most ${MANIFEST_MAX_BYTES.toLocaleString("en-US")} (1 MiB).`, "Check that the manifest input names the release manifest; split a larger fleet into several manifests, released by separate steps.");
        return undefined;
    }
    const lines = new dist/* LineCounter */.HN();
    lines.addNewLine(0);
    const where = (offset) => {
        const { line, col } = lines.linePos(offset);
        return `manifest ${(0,settings_problems/* shownPath */.pS)(file)}:${line}:${col}`;
    };
    const tokens = parseTokens(text, lines);
    if (!Array.isArray(tokens)) {
        problems.add(where(tokens.tooDeepAt), `nests lists and mappings more than ${MANIFEST_MAX_DEPTH} levels deep.`, "A release manifest needs 6 levels; check the brackets and the indentation there.");
        return undefined;
    }
    const [doc, second] = composeTwo(tokens, text.length);
    if (second !== undefined) {
        problems.add(where(second.range[0]), "starts a second YAML document.", "Write the manifest as one document: remove the --- line there and what follows, or merge it into the first.");
        return undefined;
    }
    for (const error of doc.errors) {
        // yaml's message may hold a code frame on later lines: keep its first sentence.
        const message = (0,invisible_characters/* escapeInvisible */.t)(error.message.split("\n")[0] ?? error.message);
        problems.add(where(error.pos[0]), message.replace(/\.?$/, "."), "Fix the YAML (or JSON) syntax there.");
    }
    if (doc.errors.length > 0)
        return undefined;
    try {
        return doc.toJS({ maxAliasCount: MANIFEST_MAX_ALIASES });
    }
    catch (error) {
        // Unresolvable or too many aliases surface only when the document is turned into values.
        const message = (0,invisible_characters/* escapeInvisible */.t)((0,error_message/* messageOf */.b)(error)).replace(/\.?$/, ".");
        problems.add(`manifest ${(0,settings_problems/* shownPath */.pS)(file)}`, message, "Fix the YAML aliases.");
        return undefined;
    }
}
/**
 * The syntax tree, read token by token so that absurd nesting is refused as soon as it is seen
 * (composing it would recurse once per level and overflow the stack); or where it got too deep.
 */
function parseTokens(text, lines) {
    const parser = new dist/* Parser */.iX(lines.addNewLine);
    const tokens = [];
    for (const lexeme of new dist/* Lexer */.JG().lex(text)) {
        tokens.push(...parser.next(lexeme));
        // The stack holds the open collections, and the document and a scalar besides.
        if (parser.stack.length <= MANIFEST_MAX_DEPTH)
            continue;
        const depth = parser.stack.filter((token) => COLLECTIONS.has(token.type)).length;
        if (depth > MANIFEST_MAX_DEPTH)
            return { tooDeepAt: parser.offset };
    }
    tokens.push(...parser.end());
    return tokens;
}
/** The first document, and the second when there is one; composing stops there. */
function composeTwo(tokens, length) {
    const documents = new dist/* Composer */.Dk(YAML_OPTIONS).compose(tokens, true, length);
    const first = documents.next();
    // With `forceDoc`, compose always yields a document, an empty one for empty text.
    if (first.done === true)
        throw new Error("The YAML composer yielded no document: a bug.");
    const second = documents.next();
    return [first.value, second.done === true ? undefined : second.value];
}
class ManifestReader {
    problems;
    constructor(problems) {
        this.problems = problems;
    }
    read(root, file) {
        if (root === null || root === undefined) {
            this.problems.add(`manifest ${(0,settings_problems/* shownPath */.pS)(file)}`, "is empty.", "Write the release manifest: a mapping with regions, each with a resource-group and services.");
            return undefined;
        }
        if (!isMapping(root)) {
            this.problems.add(`manifest ${(0,settings_problems/* shownPath */.pS)(file)}`, `holds ${typeName(root)}, not a mapping.`, "Write the release manifest as a mapping with slot, status and regions.");
            return undefined;
        }
        this.checkFields(root, TOP_FIELDS, "", "the manifest");
        if (!this.withinLimits(root["regions"]))
            return undefined;
        const sourceSlot = this.readSlot(root);
        const topStatus = this.readStatus(root["status"], "status");
        const regions = this.list(root, "regions", "", "region", "name: uk-south").map((value, index) => this.readRegion(value, index, topStatus));
        this.checkUnique(regions, "regions", "region");
        const manifest = { sourceSlot, regions };
        if (root["waves"] !== undefined)
            manifest.waves = this.readWaves(root, regions);
        const stepTime = root["canary"] === undefined ? undefined : this.readCanary(root["canary"]);
        if (stepTime?.policy !== undefined)
            manifest.canary = stepTime.policy;
        const window = root["analysis"] === undefined ? undefined : this.readAnalysis(root["analysis"]);
        if (window?.policy !== undefined)
            manifest.analysis = window.policy;
        if (root["release-windows"] !== undefined) {
            const windows = this.readReleaseWindows(root);
            if (windows !== undefined)
                manifest.releaseWindows = windows;
        }
        // A step passes only with one passing evaluation, and one happens once per window.
        if (manifest.canary !== undefined && manifest.analysis !== undefined) {
            const { stepTimeMs } = manifest.canary;
            if (stepTimeMs < manifest.analysis.windowMs) {
                this.problems.add("manifest canary.step-time", `${stepTime?.shown ?? ""} is shorter than analysis.window, ${window?.shown ?? ""}: a step would end before its first evaluation, and a step passes only with a passing one.`, "Make step-time at least as long as the analysis window, like step-time: 5m with window: 5m.");
            }
        }
        return manifest;
    }
    /**
     * `waves`: every region in exactly one wave. A region left out is reported only when every
     * entry could be read, and not when an unknown entry looks like its misspelling.
     */
    readWaves(root, regions) {
        const known = regions.map((region) => region.name).filter((name) => name !== "");
        const placed = new Map();
        const meant = new Set();
        // An empty or unreadable list has its problem; every region missing from it would be noise.
        let complete = Array.isArray(root["waves"]) && root["waves"].length > 0;
        const example = "regions: [uk-south]";
        const waves = this.list(root, "waves", "", "wave", example).map((value, index) => {
            const path = `waves[${index}]`;
            const wave = { regions: [], bakeTimeMs: null };
            if (!this.mapping(value, path, "a wave", example)) {
                complete = false;
                return wave;
            }
            this.checkFields(value, WAVE_FIELDS, path, "a wave");
            const bakeTime = this.duration(value, "bake-time", path, { positive: false, example: "15m" });
            if (bakeTime !== undefined)
                wave.bakeTimeMs = bakeTime.ms;
            if (!Array.isArray(value["regions"]))
                complete = false;
            this.list(value, "regions", path, "region", "uk-south").forEach((entry, entryIndex) => {
                const where = `${path}.regions[${entryIndex}]`;
                if (typeof entry !== "string") {
                    complete = false;
                    this.problems.add(`manifest ${where}`, `must be a region name (a string), not ${typeName(entry)}.`, `Write the name of a region of regions, like regions: [${known[0] ?? "uk-south"}].`);
                    return;
                }
                const first = placed.get(entry);
                if (first !== undefined) {
                    this.problems.add(`manifest ${where}`, `${(0,settings_problems/* quote */.hD)(entry)} is already listed at ${first.path}.`, first.wave === index
                        ? "List each region of a wave once."
                        : "Put every region in exactly one wave: remove it from one of the two.");
                }
                else if (known.includes(entry)) {
                    placed.set(entry, { path: where, wave: index });
                    wave.regions.push(entry);
                }
                else {
                    const close = this.closest(entry, known);
                    if (close !== undefined)
                        meant.add(close);
                    this.problems.add(`manifest ${where}`, `${(0,settings_problems/* quote */.hD)(entry)} is not a region of the manifest.`, `${(0,settings_problems/* meaning */.ak)(close)}The manifest's regions are ${(0,settings_problems/* listSomeNames */.F1)(known) || "none"}.`);
                }
            });
            return wave;
        });
        if (!complete)
            return waves;
        for (const region of regions) {
            if (region.name === "" || placed.has(region.name) || meant.has(region.name))
                continue;
            this.problems.add("manifest waves", `region ${(0,settings_problems/* quote */.hD)(region.name)} (regions[${region.index}]) is in no wave.`, `Add it to the regions of one wave, or give it a wave of its own: - regions: [${region.name}]. Every region is released in exactly one wave.`);
        }
        return waves;
    }
    /** `canary`; the policy is absent when anything is wrong. */
    readCanary(value) {
        const path = "canary";
        const example = "steps: [5, 25, 50]";
        if (!this.mapping(value, path, "a canary policy", example))
            return undefined;
        const before = this.problems.items.length;
        this.checkFields(value, CANARY_FIELDS, path, "a canary policy");
        const steps = [];
        this.list(value, "steps", path, "percentage", "5").forEach((step, index) => {
            const where = `manifest ${path}.steps[${index}]`;
            const hint = "Write whole percentages from 1 to 99, each larger than the one before, like steps: [5, 25, 50].";
            if (typeof step !== "number") {
                this.problems.add(where, `must be a number, not ${typeName(step)}.`, hint);
            }
            else if (!Number.isInteger(step) || step < 1 || step > 99) {
                this.problems.add(where, `${String(step)} is not a whole percentage from 1 to 99.`, hint);
            }
            else {
                const previous = steps.at(-1);
                if (previous !== undefined && step <= previous) {
                    this.problems.add(where, `${String(step)} is not larger than the step before it, ${String(previous)}.`, hint);
                }
                steps.push(step);
            }
        });
        const stepTime = this.duration(value, "step-time", path, { positive: true, example: "5m" });
        const stepTimeMs = stepTime?.ms ?? defaultMs(DEFAULT_CANARY_STEP_TIME);
        const shown = stepTime?.shown ?? `${(0,settings_problems/* quote */.hD)(DEFAULT_CANARY_STEP_TIME)} (the default)`;
        if (this.problems.items.length > before)
            return { shown };
        return { policy: { steps, stepTimeMs }, shown };
    }
    /** `analysis`; the policy is absent when anything is wrong. */
    readAnalysis(value) {
        const path = "analysis";
        if (!this.mapping(value, path, "an analysis policy", "window: 5m"))
            return undefined;
        const before = this.problems.items.length;
        this.checkFields(value, ANALYSIS_FIELDS, path, "an analysis policy");
        const window = this.duration(value, "window", path, { positive: true, example: "5m" });
        const windowMs = window?.ms ?? defaultMs(DEFAULT_ANALYSIS_WINDOW);
        const shown = window?.shown ?? `${(0,settings_problems/* quote */.hD)(DEFAULT_ANALYSIS_WINDOW)} (the default)`;
        let minRequests = DEFAULT_MIN_REQUESTS;
        const given = value["min-requests"];
        if (given !== undefined) {
            const where = `manifest ${path}.min-requests`;
            const hint = `Write a whole number of requests, like min-requests: ${DEFAULT_MIN_REQUESTS}.`;
            if (typeof given !== "number") {
                this.problems.add(where, `must be a number, not ${typeName(given)}.`, hint);
            }
            else if (!Number.isSafeInteger(given) || given < 1) {
                this.problems.add(where, `${String(given)} is not a whole number of 1 or more.`, hint);
            }
            else {
                minRequests = given;
            }
        }
        const metrics = [];
        const firstPath = new Map();
        this.list(value, "metrics", path, "metric", "name: http-5xx-rate").forEach((entry, index) => {
            const where = `${path}.metrics[${index}]`;
            if (!this.mapping(entry, where, "a metric", "name: http-5xx-rate"))
                return;
            this.checkFields(entry, METRIC_FIELDS, where, "a metric");
            const name = this.string(entry, "name", where, { required: true, example: "http-5xx-rate" });
            let signal;
            if (name !== undefined) {
                const parsed = (0,values/* parseChoice */.HU)(name, METRIC_SIGNALS, "a metric");
                if (!parsed.ok) {
                    this.problems.add(`manifest ${where}.name`, parsed.message, parsed.hint);
                }
                else if (firstPath.has(parsed.value)) {
                    this.problems.add(`manifest ${where}.name`, `${(0,settings_problems/* quote */.hD)(name)} is already the name of ${firstPath.get(parsed.value) ?? ""}.`, "Give each metric one threshold: remove one of the two.");
                }
                else {
                    firstPath.set(parsed.value, `${where}`);
                    signal = parsed.value;
                }
            }
            const max = this.threshold(entry, where);
            if (signal !== undefined && max !== undefined)
                metrics.push({ signal, max });
        });
        if (this.problems.items.length > before)
            return { shown };
        return { policy: { windowMs, minRequests, metrics }, shown };
    }
    /** `release-windows`; absent when anything is wrong. */
    readReleaseWindows(root) {
        const before = this.problems.items.length;
        const example = 'days: [mon, tue], from: "09:00", to: "16:00", time-zone: Europe/London';
        const windows = [];
        this.list(root, "release-windows", "", "window", `{ ${example} }`).forEach((value, index) => {
            const path = `release-windows[${index}]`;
            if (!this.mapping(value, path, "a release window", example))
                return;
            this.checkFields(value, RELEASE_WINDOW_FIELDS, path, "a release window");
            const days = this.readDays(value, path);
            const from = this.clockTime(value, "from", path, "09:00");
            const to = this.clockTime(value, "to", path, "16:00");
            if (from !== undefined && to !== undefined && from === to) {
                this.problems.add(`manifest ${path}.to`, "is the same time as from: the window would be empty.", 'Write the time the window closes; for a whole day write from: "00:00" and to: "24:00".');
            }
            const zone = this.string(value, "time-zone", path, {
                required: true,
                example: "Europe/London",
            });
            const timeZone = zone === undefined ? undefined : parseTimeZone(zone);
            if (timeZone !== undefined && !timeZone.ok) {
                this.problems.add(`manifest ${path}.time-zone`, timeZone.message, timeZone.hint);
            }
            if (from === undefined || to === undefined || !timeZone?.ok)
                return;
            windows.push({ days, fromMinutes: from, toMinutes: to, timeZone: timeZone.value });
        });
        return this.problems.items.length > before ? undefined : windows;
    }
    /** A window's `days`: each a day of the week, once. */
    readDays(value, path) {
        const days = [];
        const firstIndex = new Map();
        this.list(value, "days", path, "day", "mon").forEach((day, index) => {
            const where = `manifest ${path}.days[${index}]`;
            if (typeof day !== "string") {
                this.problems.add(where, `must be a day (a string), not ${typeName(day)}.`, "Write days as mon, tue, wed, thu, fri, sat or sun, like days: [mon, tue].");
                return;
            }
            const parsed = parseWeekday(day);
            if (!parsed.ok) {
                this.problems.add(where, parsed.message, parsed.hint);
            }
            else if (firstIndex.has(parsed.value)) {
                this.problems.add(where, `${(0,settings_problems/* quote */.hD)(day)} is already listed at ${path}.days[${firstIndex.get(parsed.value) ?? 0}].`, "List each day of a window once.");
            }
            else {
                firstIndex.set(parsed.value, index);
                days.push(parsed.value);
            }
        });
        return days;
    }
    /** A window's `from` or `to`: `HH:MM` as a string (YAML reads unquoted 09:00 as one too). */
    clockTime(value, key, path, example) {
        const field = value[key];
        if (typeof field === "number") {
            this.problems.add(`manifest ${child(path, key)}`, `must be a time HH:MM, not a number (${String(field)}).`, `Write it like ${key}: "${example}".`);
            return undefined;
        }
        const text = this.string(value, key, path, { required: true, example: `"${example}"` });
        if (text === undefined)
            return undefined;
        const parsed = parseClockTime(text, key === "to");
        if (parsed.ok)
            return parsed.value;
        this.problems.add(`manifest ${path}.${key}`, parsed.message, parsed.hint);
        return undefined;
    }
    /** A metric's `max`: a number of zero or more, in the metric's unit. */
    threshold(entry, path) {
        const where = `manifest ${path}.max`;
        const max = entry["max"];
        const hint = "Write the highest value that passes, as a number: percent for http-5xx-rate, milliseconds for response-time, like max: 1.";
        if (max === undefined) {
            this.problems.add(where, "is missing.", hint);
        }
        else if (typeof max !== "number") {
            this.problems.add(where, `must be a number, not ${typeName(max)}.`, hint);
        }
        else if (!Number.isFinite(max) || max < 0) {
            this.problems.add(where, `${String(max)} is not a number of zero or more.`, hint);
        }
        else {
            return max;
        }
        return undefined;
    }
    /** A duration field, written as the inputs are (`90s`, `5m`, a bare number of seconds). */
    duration(value, key, path, options) {
        const field = value[key];
        if (field === undefined)
            return undefined;
        const where = `manifest ${child(path, key)}`;
        if (typeof field !== "string" && typeof field !== "number") {
            this.problems.add(where, `must be a duration, not ${typeName(field)}.`, `Write it like ${key}: ${options.example}; a bare number is seconds.`);
            return undefined;
        }
        const text = String(field);
        const parsed = (options.positive ? values/* parsePositiveDuration */.lj : values/* parseDuration */.E9)(text);
        if (parsed.ok)
            return { ms: parsed.value, shown: (0,settings_problems/* quote */.hD)(text) };
        this.problems.add(where, parsed.message, parsed.hint);
        return undefined;
    }
    /**
     * The name an unknown one was probably meant to be, while its problem may still be listed:
     * past the listed ones, or for a value far longer than any name, it is not worth comparing.
     */
    closest(given, known) {
        if (this.problems.items.length >= settings_problems/* MOST_LISTED_PROBLEMS */.pF || given.length > 200)
            return undefined;
        return (0,settings_problems/* closestName */.Nf)(given, known);
    }
    /** Counts entries before reading them, so a runaway list is one problem, not one per entry. */
    withinLimits(regions) {
        if (!Array.isArray(regions))
            return true;
        const services = regions.reduce((sum, region) => {
            const list = isMapping(region) ? region["services"] : undefined;
            return sum + (Array.isArray(list) ? list.length : 0);
        }, 0);
        const most = MANIFEST_MAX_ENTRIES.toLocaleString("en-US");
        const over = [
            [regions.length, "regions"],
            [services, "services in all regions together"],
        ];
        for (const [count, what] of over) {
            if (count <= MANIFEST_MAX_ENTRIES)
                continue;
            this.problems.add("manifest regions", `lists ${count.toLocaleString("en-US")} ${what}; a release manifest may list at most ${most}.`, "Split the fleet into several manifests, released by separate steps or jobs.");
            return false;
        }
        return true;
    }
    readSlot(root) {
        const slot = this.string(root, "slot", "", { required: false, example: "staging" });
        if (slot === undefined)
            return DEFAULT_SOURCE_SLOT;
        if (slot.toLowerCase() === ports/* PRODUCTION_SLOT */.P) {
            this.problems.add("manifest slot", `${(0,settings_problems/* quote */.hD)(slot)} is the production slot itself; services are swapped from another slot into it.`, "Name the slot your build is deployed to, like staging.");
        }
        else if (!(0,values/* isSlotName */.m7)(slot)) {
            this.problems.add("manifest slot", `${(0,settings_problems/* quote */.hD)(slot)} is not a valid slot name.`, values/* SLOT_NAME_RULE */.CS);
        }
        return slot;
    }
    readRegion(value, index, topStatus) {
        const path = `regions[${index}]`;
        const region = {
            index,
            isMapping: false,
            name: "",
            resourceGroup: "",
            services: [],
        };
        if (!this.mapping(value, path, "a region", "name: uk-south"))
            return region;
        region.isMapping = true;
        this.checkFields(value, REGION_FIELDS, path, "a region");
        region.name = this.fleetName(value, path, "uk-south");
        const subscriptionId = this.string(value, "subscription-id", path, {
            required: false,
            example: "00000000-0000-0000-0000-000000000000",
        });
        if (subscriptionId !== undefined) {
            region.subscriptionId = subscriptionId;
            if (!(0,values/* isGuid */.W_)(subscriptionId))
                this.problems.add(`manifest ${path}.subscription-id`, `${(0,settings_problems/* quote */.hD)(subscriptionId)} is not a GUID.`, "Copy the subscription id from the Azure portal, like 00000000-0000-0000-0000-000000000000.");
        }
        const resourceGroup = this.string(value, "resource-group", path, {
            required: true,
            example: "rg-shop-uks",
        });
        if (resourceGroup !== undefined) {
            region.resourceGroup = resourceGroup;
            if (!(0,values/* isResourceGroupName */.Zt)(resourceGroup)) {
                this.problems.add(`manifest ${path}.resource-group`, `${(0,settings_problems/* quote */.hD)(resourceGroup)} is not a valid resource group name.`, values/* RESOURCE_GROUP_RULE */.oX);
            }
        }
        const read = this.list(value, "services", path, "service", "name: api").map((service, serviceIndex) => this.readService(service, `${path}.services[${serviceIndex}]`, topStatus));
        const services = read.map(({ service }) => service);
        this.checkUnique(services, `${path}.services`, "service");
        const dependsOn = checkDependsOn({ name: region.name, services: read.map(({ depending }) => depending) }, this.problems, (given, known) => this.closest(given, known));
        services.forEach((service, index) => (service.dependsOn = dependsOn[index] ?? []));
        region.services = services;
        return region;
    }
    readService(value, path, topStatus) {
        const service = {
            name: "",
            app: "",
            status: { ...DEFAULT_STATUS_RULE },
            dependsOn: [],
        };
        const depending = { name: "", path, entries: [] };
        if (!this.mapping(value, path, "a service", "name: api"))
            return { service, depending };
        this.checkFields(value, SERVICE_FIELDS, path, "a service");
        service.name = this.fleetName(value, path, "api");
        const app = this.string(value, "app", path, { required: true, example: "shop-api-uks" });
        if (app !== undefined) {
            service.app = app;
            if (!(0,values/* isAppServiceName */.WM)(app)) {
                this.problems.add(`manifest ${path}.app`, `${(0,settings_problems/* quote */.hD)(app)} is not a valid App Service name.`, values/* APP_NAME_RULE */.dS);
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
    readDependsOn(value, path) {
        const list = value["depends-on"];
        if (list === undefined)
            return [];
        const where = `${path}.depends-on`;
        const hint = "List the names of services of the same region, like depends-on: [db-migrator].";
        if (!Array.isArray(list)) {
            this.problems.add(`manifest ${where}`, `must be a list, not ${typeName(list)}.`, hint);
            return [];
        }
        const entries = [];
        list.forEach((entry, index) => {
            const entryPath = `${where}[${index}]`;
            if (typeof entry === "string") {
                entries.push({ name: entry, path: entryPath });
                return;
            }
            this.problems.add(`manifest ${entryPath}`, `must be a service name (a string), not ${typeName(entry)}.`, hint);
        });
        return entries;
    }
    readStatus(value, path) {
        const rule = {};
        if (value === undefined || value === null)
            return rule;
        if (!this.mapping(value, path, "a status rule", "url: https://{host}/status"))
            return rule;
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
        ];
        for (const [key, property, example] of fields) {
            const field = this.string(value, key, path, { required: false, example });
            if (field === undefined)
                continue;
            rule[property] = field;
            if (!(0,values/* isDotPath */.PA)(field)) {
                this.problems.add(`manifest ${path}.${key}`, `${(0,settings_problems/* quote */.hD)(field)} is not a dot path.`, "Write field names separated by dots, like build or app.version.");
            }
        }
        return rule;
    }
    checkUrlTemplate(template, path) {
        // A URL parser drops tabs and new lines without a word: refuse them rather than guess.
        if ((0,invisible_characters/* hasInvisible */.w)(template)) {
            this.problems.add(`manifest ${path}`, `${(0,settings_problems/* quote */.hD)(template)} contains a control character.`, "Write it like https://{host}/status.");
            return;
        }
        const known = status_url/* STATUS_URL_PLACEHOLDERS */.e;
        const placeholderList = (0,settings_problems/* listNames */.Zv)(status_url/* STATUS_URL_PLACEHOLDERS */.e.map((name) => `{${name}}`));
        let placeholdersOk = true;
        for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
            const name = match[1] ?? "";
            if (known.includes(name))
                continue;
            placeholdersOk = false;
            const meant = (0,settings_problems/* didYouMean */.au)(name, known).replace(/mean (.*)\?/, "mean {$1}?");
            this.problems.add(`manifest ${path}`, `{${name}} is not a placeholder.`, `${meant}The placeholders are ${placeholderList}.`);
        }
        if (/[{}]/.test(template.replace(/\{[^{}]*\}/g, ""))) {
            placeholdersOk = false;
            this.problems.add(`manifest ${path}`, `${(0,settings_problems/* quote */.hD)(template)} has a brace that opens or closes no placeholder.`, `Write placeholders as ${placeholderList}.`);
        }
        if (!placeholdersOk)
            return;
        // Checked with stand-in values: the real host name is known only once ARM is asked.
        const example = (0,status_url/* expandStatusUrl */.q)(template, {
            host: "example-app-staging.azurewebsites.net",
            app: "example-app",
            slot: "staging",
            region: "example-region",
            service: "example-service",
        });
        let protocol;
        try {
            protocol = new URL(example).protocol;
        }
        catch {
            protocol = undefined;
        }
        if (protocol !== "http:" && protocol !== "https:") {
            this.problems.add(`manifest ${path}`, `${(0,settings_problems/* quote */.hD)(template)} is not an absolute http or https URL.`, "Write it like https://{host}/status.");
        }
    }
    fleetName(value, path, example) {
        const name = this.string(value, "name", path, { required: true, example });
        if (name === undefined)
            return "";
        if (!(0,values/* isFleetName */.Wo)(name)) {
            this.problems.add(`manifest ${path}.name`, `${(0,settings_problems/* quote */.hD)(name)} is not a valid name.`, values/* FLEET_NAME_RULE */.uV);
            return "";
        }
        return name;
    }
    /** Names are compared ignoring case: GitHub environment names, built from them, ignore case too. */
    checkUnique(items, path, what) {
        const seen = new Map();
        items.forEach((item, index) => {
            if (item.name === "")
                return;
            const key = item.name.toLowerCase();
            const first = seen.get(key);
            if (first === undefined) {
                seen.set(key, index);
                return;
            }
            this.problems.add(`manifest ${path}[${index}].name`, `${(0,settings_problems/* quote */.hD)(item.name)} is already the name of ${path}[${first}].`, `Give every ${what} a unique name.`);
        });
    }
    checkFields(value, allowed, path, what) {
        for (const key of Object.keys(value)) {
            if (allowed.includes(key))
                continue;
            this.problems.add(`manifest ${child(path, key)}`, `is not a field of ${what}.`, `${(0,settings_problems/* didYouMean */.au)(key, allowed)}The fields of ${what} are ${(0,settings_problems/* listNames */.Zv)(allowed)}.`);
        }
    }
    mapping(value, path, what, example) {
        if (isMapping(value))
            return true;
        this.problems.add(`manifest ${path}`, `must be ${what} (a mapping), not ${typeName(value)}.`, `Write its fields as key: value lines, like ${example}.`);
        return false;
    }
    /** A required, non-empty list; an empty result when anything is wrong. */
    list(value, key, path, what, example) {
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
        if (list.length === 0)
            this.problems.add(where, "is empty.", hint);
        return list;
    }
    /** A string field; undefined when absent or wrong, with the problem recorded. */
    string(value, key, path, options) {
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
            this.problems.add(where, `must be a string, not ${typeName(field)}.`, scalar
                ? `Quote it, like ${key}: "${String(field)}".`
                : `Write it like ${key}: ${options.example}.`);
            return undefined;
        }
        if (field.trim() === "") {
            this.problems.add(where, "is empty.", options.required
                ? `Write it like ${key}: ${options.example}.`
                : `Write it like ${key}: ${options.example}, or remove it to use the default.`);
            return undefined;
        }
        return field;
    }
}
function defaultMs(duration) {
    const parsed = (0,values/* parseDuration */.E9)(duration);
    if (!parsed.ok)
        throw new Error(`The default duration ${duration} does not parse: a bug.`);
    return parsed.value;
}
function child(path, key) {
    const segment = /^[A-Za-z0-9_-]+$/.test(key) ? key : (0,settings_problems/* quote */.hD)(key);
    if (path === "")
        return segment;
    return /^[A-Za-z0-9_-]+$/.test(key) ? `${path}.${key}` : `${path}[${segment}]`;
}
function isMapping(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
function typeName(value) {
    if (value === null || value === undefined)
        return "nothing";
    if (Array.isArray(value))
        return "a list";
    if (value instanceof Date)
        return "a date";
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

;// CONCATENATED MODULE: ./src/settings/read-settings.ts
/**
 * The only reader of the action's inputs and of the release manifest: it masks secrets, validates
 * everything, and hands the rest of the action typed settings, or one error listing every problem.
 */







/** Reads, validates and returns the settings; masks secrets first. Throws SettingsError listing every problem. */
async function readSettings(source, io) {
    // Before anything can log or throw: a validation message must never be the first to print a secret.
    for (const name of SECRET_INPUTS) {
        const secret = rawInput(source, name);
        if (secret !== "")
            io.mask(secret);
    }
    const problems = new settings_problems/* ProblemList */.Ku();
    const inputs = readInputs(source, problems);
    const { values } = inputs;
    const policy = readPolicy(inputs, source, problems);
    const azure = (0,azure_sign_in/* readAzureSignIn */.MW)({
        "azure-cloud": values["azure-cloud"],
        "arm-endpoint": values["arm-endpoint"],
        "authority-host": values["authority-host"],
        "tenant-id": values["tenant-id"],
        "client-id": values["client-id"],
        "client-secret": values["client-secret"],
        "arm-api-version": values["arm-api-version"],
        "oidc-audience": values["oidc-audience"],
    }, problems);
    // Manifest problems come after the input problems, so the log reads inputs first.
    const manifestProblems = new settings_problems/* ProblemList */.Ku();
    const manifestPath = values.manifest;
    const manifest = await readManifest(manifestPath, rawInput(source, "manifest") === "", io, manifestProblems);
    // A refused subscription-id still stands for the regions without one: no second problem for them.
    const subscriptionId = inputs.refused.has("subscription-id")
        ? rawInput(source, "subscription-id")
        : values["subscription-id"];
    const fleet = selectFleet(manifest, values.regions, subscriptionId, {
        inputs: problems,
        manifest: manifestProblems,
    });
    const all = [...problems.items, ...manifestProblems.items];
    if (all.length > 0)
        throw new settings_problems/* SettingsError */.GN((0,settings_problems/* listedProblems */.SG)(all));
    const slackWebhookUrl = values["slack-webhook-url"];
    const token = values["github-token"];
    return {
        policy,
        fleet,
        manifestPath,
        azure,
        ...(slackWebhookUrl === undefined ? {} : { slackWebhookUrl }),
        github: {
            ...(token === "" ? {} : { token }),
            deployments: values["github-deployments"],
            environmentPrefix: values["environment-prefix"],
        },
        ignoreReleaseWindows: values["ignore-release-windows"],
    };
}
async function readManifest(path, isDefaultPath, io, problems) {
    let text;
    try {
        text = await io.readFile(path);
    }
    catch (error) {
        const tried = `${(0,settings_problems/* quote */.hD)(path)}${isDefaultPath ? ", the default path" : ""} (${(0,external_node_path_.resolve)(path)})`;
        const code = error?.code;
        if (code === "ENOENT" || code === "ENOTDIR") {
            problems.add("input manifest", `no release manifest at ${tried}.`, "Check out the repository before this step (actions/checkout), or set the manifest input to the manifest's path relative to the working directory.");
        }
        else {
            const reason = (0,error_message/* messageOf */.b)(error);
            problems.add("input manifest", `cannot read ${tried}: ${reason}.`, "Point the manifest input at a readable YAML or JSON file.");
        }
        return undefined;
    }
    return parseManifest(text, path, problems);
}

;// CONCATENATED MODULE: ./src/settings/index.ts
/**
 * Settings: the only reader of the action's inputs and of the release manifest. The rest of the
 * action imports from here.
 */





;// CONCATENATED MODULE: ./src/main.ts
/**
 * The action: read settings, build the adapters, run the release, report it, and fail the step
 * once when it must. Importing this module runs nothing.
 */





/**
 * The modules a release needs beyond its settings (the Azure SDK, Octokit, the release engine,
 * the notifications), loaded once the settings are valid: a bad input or manifest is told
 * without paying for them, and the first log line comes sooner (cold start). The bundler splits
 * each into a chunk of dist/.
 */
async function loadReleaseModules() {
    const [monitorMetrics, armSlotGateway, cloudMetadata, signIn, githubDeployments, jobSummary, planText, reportFile, workflowRun, slack, slackMessage, release, report, statusReader, clock, armPacing,] = await Promise.all([
        Promise.all(/* import() | release */[__webpack_require__.e(938), __webpack_require__.e(666)]).then(__webpack_require__.bind(__webpack_require__, 8249)),
        Promise.all(/* import() | release */[__webpack_require__.e(938), __webpack_require__.e(666)]).then(__webpack_require__.bind(__webpack_require__, 2694)),
        Promise.all(/* import() | release */[__webpack_require__.e(938), __webpack_require__.e(666)]).then(__webpack_require__.bind(__webpack_require__, 9422)),
        Promise.all(/* import() | release */[__webpack_require__.e(938), __webpack_require__.e(666)]).then(__webpack_require__.bind(__webpack_require__, 5428)),
        Promise.all(/* import() | release */[__webpack_require__.e(938), __webpack_require__.e(666)]).then(__webpack_require__.bind(__webpack_require__, 7859)),
        Promise.all(/* import() | release */[__webpack_require__.e(938), __webpack_require__.e(666)]).then(__webpack_require__.bind(__webpack_require__, 3727)),
        Promise.all(/* import() | release */[__webpack_require__.e(938), __webpack_require__.e(666)]).then(__webpack_require__.bind(__webpack_require__, 7848)),
        Promise.all(/* import() | release */[__webpack_require__.e(938), __webpack_require__.e(666)]).then(__webpack_require__.bind(__webpack_require__, 5658)),
        Promise.all(/* import() | release */[__webpack_require__.e(938), __webpack_require__.e(666)]).then(__webpack_require__.bind(__webpack_require__, 8444)),
        Promise.all(/* import() | release */[__webpack_require__.e(938), __webpack_require__.e(666)]).then(__webpack_require__.bind(__webpack_require__, 7569)),
        Promise.all(/* import() | release */[__webpack_require__.e(938), __webpack_require__.e(666)]).then(__webpack_require__.bind(__webpack_require__, 4959)),
        Promise.all(/* import() | release */[__webpack_require__.e(938), __webpack_require__.e(666)]).then(__webpack_require__.bind(__webpack_require__, 9175)),
        Promise.all(/* import() | release */[__webpack_require__.e(938), __webpack_require__.e(666)]).then(__webpack_require__.bind(__webpack_require__, 6276)),
        Promise.all(/* import() | release */[__webpack_require__.e(938), __webpack_require__.e(666)]).then(__webpack_require__.bind(__webpack_require__, 6516)),
        Promise.all(/* import() | release */[__webpack_require__.e(938), __webpack_require__.e(666)]).then(__webpack_require__.bind(__webpack_require__, 8349)),
        Promise.all(/* import() | release */[__webpack_require__.e(938), __webpack_require__.e(666)]).then(__webpack_require__.bind(__webpack_require__, 346)),
    ]);
    return {
        AzureMonitorMetrics: monitorMetrics.AzureMonitorMetrics,
        ArmSlotGateway: armSlotGateway.ArmSlotGateway,
        withCloudMetadata: cloudMetadata.withCloudMetadata,
        createAzureCredential: signIn.createAzureCredential,
        createDeploymentsOctokit: githubDeployments.createDeploymentsOctokit,
        gitHubDeploymentsForRun: githubDeployments.gitHubDeploymentsForRun,
        renderJobSummary: jobSummary.renderJobSummary,
        describePlan: planText.describePlan,
        writeReportFile: reportFile.writeReportFile,
        readWorkflowRun: workflowRun.readWorkflowRun,
        postSlackMessage: slack.postSlackMessage,
        buildSlackMessage: slackMessage.buildSlackMessage,
        runRelease: release.runRelease,
        releasedRegions: report.releasedRegions,
        stepFails: report.stepFails,
        HttpsStatusReader: statusReader.HttpsStatusReader,
        systemClock: clock.systemClock,
        ArmRequestBudget: armPacing.ArmRequestBudget,
    };
}
/** The run's first log line: what it is about to do, from the validated settings alone. */
function startLine(settings) {
    const regions = settings.fleet.regions;
    const services = regions.reduce((count, region) => count + region.services.length, 0);
    const what = settings.policy.mode === "plan" ? "Planning" : "Releasing";
    return `${what} build ${settings.policy.build} to ${services} service(s) in ${regions.length} region(s) of ${settings.manifestPath}.`;
}
/** A cancelled run must have exited within this long after SIGINT/SIGTERM (interface.md: 5 s). */
const CANCEL_EXIT_DEADLINE_MS = 4_500;
/** How long the Slack message may take when the run was cancelled and time is short. */
const CANCELLED_SLACK_TIMEOUT_MS = 1_000;
/**
 * How long GitHub deployments and Slack may still be waited for once the run is cancelled: long
 * enough to record the cancelled outcome, short enough to exit well inside the deadline.
 */
const CANCELLED_NOTIFY_GRACE_MS = 2_500;
/** Runs the action once. Never throws: every failure ends in `core.setFailed`. Says whether the run was cancelled. */
async function run(env = process.env) {
    const cancellation = listenForCancellation();
    try {
        const settings = await readSettings({ getInput: (name) => core/* getInput */.V4(name, { trimWhitespace: false }) }, { mask: (secret) => core/* setSecret */.Pq(secret), readFile: (path) => (0,promises_.readFile)(path, "utf8") });
        // Said before the release's modules load, so the log starts as soon as the settings are known.
        actionsLog.info(startLine(settings));
        const modules = await loadReleaseModules();
        const { withCloudMetadata, readWorkflowRun, runRelease, stepFails } = modules;
        // A custom cloud's authority and ARM audience come from its metadata, before signing in.
        const azure = await withCloudMetadata(settings.azure, cancellation.signal);
        const runContext = readWorkflowRun(env);
        const report = await runRelease({ fleet: settings.fleet, policy: settings.policy }, releasePorts(modules, { ...settings, azure }, runContext, env, cancellation.notifySignal), cancellation.signal);
        await publish(modules, report, settings, runContext, env, cancellation);
        if (stepFails(report))
            core/* setFailed */.C1(failureLine(report));
    }
    catch (error) {
        if (error instanceof settings_problems/* SettingsError */.GN) {
            await reportInvalidSettings(error);
        }
        else {
            core/* setFailed */.C1(`regional-slot-swap stopped on an unexpected error: ${(0,error_message/* messageOf */.b)(error)}`);
        }
    }
    finally {
        cancellation.dispose();
    }
    return { cancelled: cancellation.signal.aborted };
}
/** The adapters the release core talks to the world through, for this run's settings. */
function releasePorts(modules, settings, runContext, env, notifySignal) {
    const { createAzureCredential, ArmSlotGateway, AzureMonitorMetrics, HttpsStatusReader } = modules;
    const credential = createAzureCredential(settings.azure, {
        getIdToken: (audience) => core/* getIDToken */.V9(audience),
    });
    // One budget for every ARM request of the run: slots, swaps and Azure Monitor share ARM's buckets.
    const arm = {
        budget: new modules.ArmRequestBudget(modules.systemClock),
        armEndpoint: settings.azure.armEndpoint,
        ...(settings.azure.armAudience === undefined
            ? {}
            : { armAudience: settings.azure.armAudience }),
    };
    return {
        slots: new ArmSlotGateway(credential, {
            ...arm,
            ...(settings.azure.armApiVersion === undefined
                ? {}
                : { apiVersion: settings.azure.armApiVersion }),
        }),
        ...(settings.fleet.analysis === undefined
            ? {}
            : { metrics: new AzureMonitorMetrics(credential, arm) }),
        statusPages: new HttpsStatusReader(),
        clock: modules.systemClock,
        log: actionsLog,
        listener: regionListener(modules, settings, runContext, env, notifySignal),
    };
}
/** Bad inputs or manifest: an annotation per problem, the list in the job summary, and nothing done in Azure. */
async function reportInvalidSettings(error) {
    const lines = error.problems.map(settings_problems/* formatProblem */.Vw);
    for (const line of lines)
        core/* error */.z3(line, { title: "Invalid settings" });
    core/* setOutput */.uH("outcome", "failed");
    core/* setOutput */.uH("released-regions", "");
    try {
        await core/* summary */.z
            .addHeading("❌ regional-slot-swap: invalid settings", 2)
            .addRaw("Nothing in Azure was changed. Fix these and run again:\n\n")
            .addList(lines)
            .write();
    }
    catch (summaryError) {
        actionsLog.warning(`The job summary could not be written: ${(0,error_message/* messageOf */.b)(summaryError)}`);
    }
    core/* setFailed */.C1(`The inputs or the manifest have ${error.problems.length} problem(s); nothing in Azure was changed.`);
}
/** Outputs, report file, plan, job summary and Slack: every run tells the truth about where it ended. */
async function publish(modules, report, settings, runContext, env, cancellation) {
    const { writeReportFile, releasedRegions, describePlan, renderJobSummary } = modules;
    const { postSlackMessage, buildSlackMessage } = modules;
    const reportPath = await writeReportFile(report, env.RUNNER_TEMP, runContext.runId, actionsLog);
    core/* setOutput */.uH("outcome", report.outcome);
    core/* setOutput */.uH("released-regions", releasedRegions(report).join(","));
    core/* setOutput */.uH("report-path", reportPath);
    if (report.mode === "plan") {
        await actionsLog.group("Plan", async () => describePlan(report, settings.policy.refresh).forEach((line) => actionsLog.info(line)));
    }
    actionsLog.info(`Outcome: ${report.outcome}. Report: ${reportPath}`);
    try {
        await core/* summary */.z.addRaw(renderJobSummary(report, runContext, { reportPath })).write();
    }
    catch (error) {
        actionsLog.warning(`The job summary could not be written: ${(0,error_message/* messageOf */.b)(error)}`);
    }
    if (settings.slackWebhookUrl !== undefined && settings.slackWebhookUrl !== "") {
        try {
            await postSlackMessage(settings.slackWebhookUrl, buildSlackMessage(report, runContext), cancellation.signal.aborted
                ? {
                    timeoutMs: CANCELLED_SLACK_TIMEOUT_MS,
                    maxRetryDelayMs: 200,
                    signal: cancellation.notifySignal,
                }
                : { signal: cancellation.notifySignal });
            actionsLog.info("Slack message sent.");
        }
        catch (error) {
            actionsLog.warning(`The Slack message was not sent (the release's outcome stands): ${(0,error_message/* messageOf */.b)(error)}`);
        }
    }
}
function regionListener(modules, settings, runContext, env, signal) {
    if (!settings.github.deployments || settings.policy.mode === "plan")
        return undefined;
    if (settings.github.token === undefined) {
        actionsLog.warning("github-deployments is true but github-token is empty; no deployments will be recorded.");
        return undefined;
    }
    const { gitHubDeploymentsForRun, createDeploymentsOctokit } = modules;
    return gitHubDeploymentsForRun(createDeploymentsOctokit(settings.github.token, env), runContext, {
        environmentPrefix: settings.github.environmentPrefix,
        build: settings.policy.build,
        log: actionsLog,
        signal,
    });
}
function failureLine(report) {
    const first = report.failures[0];
    const reason = first === undefined ? "" : ` First failure: ${first}`;
    if (report.outcome === "released" || report.outcome === "already-released") {
        return `Released ${report.build}, but refreshing a staging slot failed.${reason}`;
    }
    return `Release of ${report.build} ended ${report.outcome}.${reason}`;
}
/**
 * SIGINT/SIGTERM (a cancelled workflow run) aborts the release: no new swap starts, the report is
 * still written. A timer makes sure the process is gone within the deadline even if something hangs.
 */
function listenForCancellation() {
    const controller = new AbortController();
    const notify = new AbortController();
    const onSignal = (name) => {
        if (controller.signal.aborted)
            return;
        actionsLog.warning(`${name} received: cancelling. No new swap will start; writing the report.`);
        controller.abort(new Error(`cancelled by ${name}`));
        setTimeout(() => notify.abort(new Error("cancelled: no more time for notifications")), CANCELLED_NOTIFY_GRACE_MS).unref();
        setTimeout(() => {
            core/* error */.z3("The report could not be finished before the cancellation deadline.");
            process.exit(1);
        }, CANCEL_EXIT_DEADLINE_MS).unref();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    return {
        signal: controller.signal,
        notifySignal: notify.signal,
        dispose: () => {
            process.off("SIGINT", onSignal);
            process.off("SIGTERM", onSignal);
        },
    };
}


/***/ }),

/***/ 9541:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K: () => (/* binding */ OperationConflictError),
/* harmony export */   P: () => (/* binding */ PRODUCTION_SLOT)
/* harmony export */ });
/** The slot name that means "the app itself". */
const PRODUCTION_SLOT = "production";
/**
 * Thrown by a write that App Service refused with 409 because another operation runs on the site
 * (a deployment, a restart, a swap): the core waits it out within `status-timeout`.
 */
class OperationConflictError extends Error {
    name = "OperationConflictError";
}


/***/ }),

/***/ 4643:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   e: () => (/* binding */ STATUS_URL_PLACEHOLDERS),
/* harmony export */   q: () => (/* binding */ expandStatusUrl)
/* harmony export */ });
/** The placeholders a status URL template may use. */
const STATUS_URL_PLACEHOLDERS = ["host", "app", "slot", "region", "service"];
/** Fills `{host}` `{app}` `{slot}` `{region}` `{service}` in a status URL template. */
function expandStatusUrl(template, values) {
    return template.replace(/\{(host|app|slot|region|service)\}/g, (_match, name) => values[name]);
}


/***/ }),

/***/ 4044:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MW: () => (/* binding */ readAzureSignIn),
/* harmony export */   cl: () => (/* binding */ sameUrl),
/* harmony export */   hb: () => (/* binding */ AZURE_CLOUDS),
/* harmony export */   tX: () => (/* binding */ isKnownAuthorityHost)
/* harmony export */ });
/* harmony import */ var _invisible_characters_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6081);
/* harmony import */ var _problems_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1477);
/* harmony import */ var _values_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(535);
/**
 * How the action signs in to Azure, derived from the inputs: which credential, which cloud,
 * and which endpoints, so the Azure adapter never reads an input itself.
 */



/**
 * Each cloud's Resource Manager and Microsoft Entra endpoints, as the Azure CLI names them, and the
 * audience Entra expects in a federated token. The audiences are Microsoft's documented values per
 * Entra instance: "Public cloud: api://AzureADTokenExchange, Fairfax: api://AzureADTokenExchangeUSGov,
 * Mooncake: api://AzureADTokenExchangeChina" (Microsoft Entra docs, "Configure an application to
 * trust a managed identity", learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity;
 * source MicrosoftDocs/entra-docs, docs/workload-id/workload-identity-federation-config-app-trust-managed-identity.md).
 * azure/login's `audience` input defaults to api://AzureADTokenExchange whatever its `environment`,
 * so a federated credential created for a sovereign cloud needs `oidc-audience` there; here the
 * cloud picks it.
 */
const AZURE_CLOUDS = {
    AzureCloud: {
        armEndpoint: "https://management.azure.com",
        authorityHost: "https://login.microsoftonline.com",
        oidcAudience: "api://AzureADTokenExchange",
    },
    AzureChinaCloud: {
        armEndpoint: "https://management.chinacloudapi.cn",
        authorityHost: "https://login.chinacloudapi.cn",
        oidcAudience: "api://AzureADTokenExchangeChina",
    },
    AzureUSGovernment: {
        armEndpoint: "https://management.usgovcloudapi.net",
        authorityHost: "https://login.microsoftonline.us",
        oidcAudience: "api://AzureADTokenExchangeUSGov",
    },
};
/** True when `url` is the Entra authority host of one of the national clouds (instance discovery knows it). */
function isKnownAuthorityHost(url) {
    return Object.values(AZURE_CLOUDS).some((cloud) => sameUrl(url, cloud.authorityHost));
}
/** An ARM api-version: a date, optionally with a suffix such as `-preview`. */
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-[a-z]+)?$/i;
const CLOUD_NAMES = Object.keys(AZURE_CLOUDS);
/** Validates the sign-in inputs and picks the credential; problems go to `problems`. */
function readAzureSignIn(inputs, problems) {
    let cloud = "AzureCloud";
    if (inputs["azure-cloud"] !== "") {
        const parsed = (0,_values_js__WEBPACK_IMPORTED_MODULE_2__/* .parseChoice */ .HU)(inputs["azure-cloud"], CLOUD_NAMES, "an Azure cloud");
        if (parsed.ok)
            cloud = parsed.value;
        else
            problems.add("input azure-cloud", parsed.message, parsed.hint);
    }
    const endpoints = AZURE_CLOUDS[cloud];
    const url = (name, fallback) => {
        if (inputs[name] === "")
            return fallback;
        const parsed = (0,_values_js__WEBPACK_IMPORTED_MODULE_2__/* .parseHttpsUrl */ .mX)(inputs[name]);
        if (parsed.ok)
            return parsed.value;
        problems.add(`input ${name}`, parsed.message, `${parsed.hint} Leave it empty to use ${cloud}'s.`);
        return fallback;
    };
    const armEndpoint = url("arm-endpoint", endpoints.armEndpoint);
    const authorityHost = url("authority-host", endpoints.authorityHost);
    // Compare as URLs so that case and a trailing slash do not make a standard host look custom.
    const customAuthority = inputs["authority-host"] !== "" && !sameUrl(authorityHost, endpoints.authorityHost);
    const readCloudMetadata = inputs["arm-endpoint"] !== "" &&
        inputs["authority-host"] === "" &&
        !sameUrl(armEndpoint, endpoints.armEndpoint);
    const armApiVersion = optional(inputs["arm-api-version"]);
    if (armApiVersion !== undefined && !API_VERSION.test(armApiVersion)) {
        problems.add("input arm-api-version", `${(0,_problems_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(armApiVersion)} is not an Azure Resource Manager api-version.`, "Write a date like 2022-03-01 (one of the versions ARM lists for Microsoft.Web/sites), or leave it empty for the SDK's own.");
    }
    const oidcAudience = inputs["oidc-audience"] || endpoints.oidcAudience;
    if (/\s/.test(oidcAudience) || (0,_invisible_characters_js__WEBPACK_IMPORTED_MODULE_0__/* .hasInvisible */ .w)(oidcAudience)) {
        problems.add("input oidc-audience", `${(0,_problems_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(oidcAudience)} holds spaces or invisible characters.`, `Write the audience of the federated credential exactly, like ${endpoints.oidcAudience}, or leave it empty for ${cloud}'s.`);
    }
    for (const name of ["tenant-id", "client-id"]) {
        if (inputs[name] !== "" && !(0,_values_js__WEBPACK_IMPORTED_MODULE_2__/* .isGuid */ .W_)(inputs[name])) {
            problems.add(`input ${name}`, `${(0,_problems_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(inputs[name])} is not a GUID.`, "Copy the id from the Microsoft Entra app registration, like 00000000-0000-0000-0000-000000000000.");
        }
    }
    const tenantId = optional(inputs["tenant-id"]);
    const clientId = optional(inputs["client-id"]);
    const clientSecret = optional(inputs["client-secret"]);
    if (clientSecret !== undefined && clientId === undefined) {
        problems.add("input client-secret", "is set but client-id is empty.", "Set client-id (and tenant-id) to the app registration the secret belongs to, or remove client-secret.");
    }
    if (clientId !== undefined && tenantId === undefined) {
        problems.add("input client-id", "is set but tenant-id is empty.", "Set tenant-id to the Microsoft Entra tenant of the app registration.");
    }
    else if (clientSecret !== undefined && tenantId === undefined) {
        problems.add("input client-secret", "is set but tenant-id is empty.", "Set tenant-id to the Microsoft Entra tenant of the app registration.");
    }
    const method = clientSecret !== undefined
        ? "client-secret"
        : clientId !== undefined
            ? "oidc"
            : "default-chain";
    return {
        method,
        cloud,
        armEndpoint,
        authorityHost,
        customAuthority,
        readCloudMetadata,
        ...(armApiVersion === undefined ? {} : { armApiVersion }),
        oidcAudience,
        ...(tenantId === undefined ? {} : { tenantId }),
        ...(clientId === undefined ? {} : { clientId }),
        ...(clientSecret === undefined ? {} : { clientSecret }),
    };
}
function optional(value) {
    return value === "" ? undefined : value;
}
/** True when both are the same URL but for letter case of the host and trailing slashes; false for a non-URL. */
function sameUrl(a, b) {
    if (typeof a !== "string")
        return false;
    try {
        const normal = (url) => new URL(url).href.replace(/\/+$/, "");
        return normal(a) === normal(b);
    }
    catch {
        return false;
    }
}


/***/ }),

/***/ 1477:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F1: () => (/* binding */ listSomeNames),
/* harmony export */   GN: () => (/* binding */ SettingsError),
/* harmony export */   Ku: () => (/* binding */ ProblemList),
/* harmony export */   Nf: () => (/* binding */ closestName),
/* harmony export */   SG: () => (/* binding */ listedProblems),
/* harmony export */   Vw: () => (/* binding */ formatProblem),
/* harmony export */   Zv: () => (/* binding */ listNames),
/* harmony export */   ak: () => (/* binding */ meaning),
/* harmony export */   au: () => (/* binding */ didYouMean),
/* harmony export */   hD: () => (/* binding */ quote),
/* harmony export */   pF: () => (/* binding */ MOST_LISTED_PROBLEMS),
/* harmony export */   pS: () => (/* binding */ shownPath)
/* harmony export */ });
/* harmony import */ var _invisible_characters_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6081);
/**
 * How settings report what is wrong: every problem is collected, each naming where it is
 * (an input or a manifest path), what is wrong and how to fix it, so one failed run shows the
 * user everything to fix instead of one problem per attempt.
 */

/** Writes one problem as the single log line users read. */
function formatProblem(problem) {
    const hint = problem.hint === "" ? "" : ` ${problem.hint}`;
    return `${problem.where}: ${problem.message}${hint}`;
}
/** Every problem found, each naming the input or manifest path and how to fix it. */
class SettingsError extends Error {
    problems;
    constructor(problems) {
        // One line per problem, so the message alone is a complete report in the log.
        super(problems.map(formatProblem).join("\n"));
        this.name = "SettingsError";
        this.problems = problems;
    }
}
/**
 * The most problems one error lists. A broken manifest of thousands of entries would otherwise
 * print a problem per entry; after the first hundred the rest help no one read the log.
 */
const MOST_LISTED_PROBLEMS = 100;
/** The problems to report: all of them, or the first ones and a last line counting the rest. */
function listedProblems(problems) {
    if (problems.length <= MOST_LISTED_PROBLEMS)
        return problems;
    const listed = problems.slice(0, MOST_LISTED_PROBLEMS - 1);
    const more = problems.length - listed.length;
    // Inputs are few and come first, so what is left out is always the manifest's.
    listed.push({
        where: "manifest",
        message: `has ${more.toLocaleString("en-US")} more problems, not listed: an error lists at most ${MOST_LISTED_PROBLEMS}.`,
        hint: "Fix the problems above and run again to see the rest.",
    });
    return listed;
}
/** Collects problems in the order they are found; one per validation run, never shared. */
class ProblemList {
    items = [];
    add(where, message, hint) {
        this.items.push({ where, message, hint });
    }
    get isEmpty() {
        return this.items.length === 0;
    }
}
/** The most characters of a user's value a message quotes; a longer one is cut, its length said. */
const QUOTED_CHARACTERS = 200;
/**
 * Quotes a user's value for a message as JSON would, so spaces, empty strings and control
 * characters stay visible and inert; a very long value is cut, so one message stays one line.
 */
function quote(value) {
    const shown = value.length > QUOTED_CHARACTERS ? value.slice(0, QUOTED_CHARACTERS) : value;
    const quoted = `"${(0,_invisible_characters_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeInvisible */ .t)(shown.replace(/["\\]/g, "\\$&"))}"`;
    if (shown === value)
        return quoted;
    return `${quoted.slice(0, -1)}…" (${value.length.toLocaleString("en-US")} characters)`;
}
/** A file path as a problem's `where` shows it: as written, or quoted when it holds invisible characters. */
function shownPath(path) {
    return (0,_invisible_characters_js__WEBPACK_IMPORTED_MODULE_0__/* .hasInvisible */ .w)(path) ? quote(path) : path;
}
/** Joins names as prose: `a`, `a and b`, `a, b and c`. */
function listNames(names) {
    if (names.length <= 1)
        return names.join("");
    return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
/** The name among `known` that `given` was most likely meant to be, or undefined when none is close. */
function closestName(given, known) {
    // Case, `-` and `_` are the usual slips (`resource_group`, `subscriptionId`): compare without them first.
    const normal = (name) => name.toLowerCase().replace(/[-_\s]/g, "");
    const wanted = normal(given);
    const exact = known.find((name) => normal(name) === wanted);
    if (exact !== undefined)
        return exact;
    let best;
    for (const name of known) {
        const candidate = normal(name);
        // The distance is at least the difference in length, and at most 3 is ever allowed.
        if (Math.abs(candidate.length - wanted.length) > 3)
            continue;
        const distance = editDistance(wanted, candidate);
        const allowed = Math.min(3, Math.max(1, Math.floor(Math.min(wanted.length, candidate.length) / 3)));
        if (distance <= allowed && (best === undefined || distance < best.distance)) {
            best = { name, distance };
        }
    }
    return best?.name;
}
/** `Did you mean x?` when a known name is close, else an empty string. */
function didYouMean(given, known) {
    return meaning(closestName(given, known));
}
/** `Did you mean x? ` for a name found by closestName, '' for none. */
function meaning(meant) {
    return meant === undefined ? "" : `Did you mean ${meant}? `;
}
/** The most names a message lists before it counts the rest, so that it stays one readable line. */
const MOST_NAMES_SHOWN = 10;
/** Joins names as prose like listNames, the first ten only and a count of the rest. */
function listSomeNames(names) {
    if (names.length <= MOST_NAMES_SHOWN)
        return listNames(names);
    const more = names.length - MOST_NAMES_SHOWN;
    return `${names.slice(0, MOST_NAMES_SHOWN).join(", ")} and ${more.toLocaleString("en-US")} more`;
}
/** Optimal string alignment distance: a swapped pair of letters (`hots`) counts as one slip. */
function editDistance(a, b) {
    const rows = [];
    for (let i = 0; i <= a.length; i++) {
        const row = [];
        for (let j = 0; j <= b.length; j++) {
            if (i === 0 || j === 0) {
                row.push(i + j);
                continue;
            }
            const above = rows[i - 1] ?? [];
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let distance = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                distance = Math.min(distance, (rows[i - 2]?.[j - 2] ?? 0) + 1);
            }
            row.push(distance);
        }
        rows.push(row);
    }
    return rows[a.length]?.[b.length] ?? 0;
}


/***/ }),

/***/ 535:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CS: () => (/* binding */ SLOT_NAME_RULE),
/* harmony export */   E9: () => (/* binding */ parseDuration),
/* harmony export */   HU: () => (/* binding */ parseChoice),
/* harmony export */   PA: () => (/* binding */ isDotPath),
/* harmony export */   WM: () => (/* binding */ isAppServiceName),
/* harmony export */   W_: () => (/* binding */ isGuid),
/* harmony export */   Wo: () => (/* binding */ isFleetName),
/* harmony export */   Zt: () => (/* binding */ isResourceGroupName),
/* harmony export */   dS: () => (/* binding */ APP_NAME_RULE),
/* harmony export */   lj: () => (/* binding */ parsePositiveDuration),
/* harmony export */   m7: () => (/* binding */ isSlotName),
/* harmony export */   mX: () => (/* binding */ parseHttpsUrl),
/* harmony export */   oA: () => (/* binding */ parseWholeNumber),
/* harmony export */   oX: () => (/* binding */ RESOURCE_GROUP_RULE),
/* harmony export */   uV: () => (/* binding */ FLEET_NAME_RULE),
/* harmony export */   yG: () => (/* binding */ parseBoolean)
/* harmony export */ });
/* unused harmony export LONGEST_DURATION_MS */
/* harmony import */ var _invisible_characters_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6081);
/* harmony import */ var _problems_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1477);
/**
 * Parsers and name rules shared by the inputs and the manifest. Each parser answers with the
 * value or with what is wrong and how to fix it, so callers only add the location.
 */


const ok = (value) => ({ ok: true, value });
const wrong = (message, hint) => ({ ok: false, message, hint });
/** The longest wait a Node.js timer supports (about 24.8 days); longer ones fire at once. */
const LONGEST_DURATION_MS = 2_147_483_647;
const DURATION_HINT = "Write it like 90s, 5m or 1h30m; a bare number is seconds.";
const NUMBER = String.raw `\d+(?:\.\d+)?`;
// Units in descending order, each at most once; `m(?!s)` keeps `500ms` from reading as minutes.
const DURATION = new RegExp(`^(?:(${NUMBER})h)?(?:(${NUMBER})m(?!s))?(?:(${NUMBER})s)?(?:(${NUMBER})ms)?$`);
const BARE_SECONDS = new RegExp(`^${NUMBER}$`);
/** Reads `90s`, `5m`, `1h30m`, `1h`, `250ms` or a bare number of seconds, as milliseconds. */
function parseDuration(text) {
    const value = text.trim().toLowerCase();
    if (value.startsWith("-")) {
        return wrong(`${(0,_problems_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(text)} is negative.`, "Write a duration of zero or more, like 0s or 5m.");
    }
    let ms;
    if (BARE_SECONDS.test(value)) {
        ms = Number(value) * 1000;
    }
    else {
        const match = DURATION.exec(value);
        if (value === "" || match === null) {
            return wrong(`${(0,_problems_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(text)} is not a duration.`, DURATION_HINT);
        }
        const [, hours, minutes, seconds, millis] = match.map((part) => Number(part ?? 0));
        ms = (hours ?? 0) * 3_600_000 + (minutes ?? 0) * 60_000 + (seconds ?? 0) * 1000 + (millis ?? 0);
    }
    ms = Math.round(ms);
    if (ms > LONGEST_DURATION_MS) {
        return wrong(`${(0,_problems_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(text)} is longer than 24 days, the longest wait supported.`, DURATION_HINT);
    }
    return ok(ms);
}
/** Reads a duration as parseDuration does, refusing zero: for waits that must take some time. */
function parsePositiveDuration(text) {
    const parsed = parseDuration(text);
    if (!parsed.ok || parsed.value > 0)
        return parsed;
    return wrong(`${(0,_problems_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(text)} must be longer than zero.`, "Write it like 5s or 1m.");
}
const TRUE_WORDS = ["true", "True", "TRUE"];
const FALSE_WORDS = ["false", "False", "FALSE"];
/** Reads a boolean exactly as `core.getBooleanInput` does: the YAML 1.2 core schema words only. */
function parseBoolean(text) {
    if (TRUE_WORDS.includes(text))
        return ok(true);
    if (FALSE_WORDS.includes(text))
        return ok(false);
    return wrong(`${(0,_problems_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(text)} is not a boolean.`, "Write true or false (True, TRUE, False and FALSE work too).");
}
/** Reads a whole number of zero or more. */
function parseWholeNumber(text) {
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
        return wrong(`${(0,_problems_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(text)} is not a whole number of zero or more.`, "Write a number like 0, 2 or 10.");
    }
    return ok(value);
}
/** Picks one of `choices`, ignoring case; suggests the closest when none matches. */
function parseChoice(text, choices, what) {
    const choice = choices.find((candidate) => candidate.toLowerCase() === text.toLowerCase());
    if (choice !== undefined)
        return ok(choice);
    const names = choices.join(", ");
    return wrong(`${(0,_problems_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(text)} is not ${what}.`, `${(0,_problems_js__WEBPACK_IMPORTED_MODULE_1__/* .didYouMean */ .au)(text, choices)}Use one of: ${names}.`);
}
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** True for a GUID such as a subscription, tenant or client id. */
function isGuid(text) {
    return GUID.test(text);
}
/** Reads an absolute `https://` URL and drops trailing slashes, so paths can be appended. */
function parseHttpsUrl(text, options = {}) {
    // A secret is never echoed: masking only hides exact matches, and a message may alter it.
    const shown = options.secret === true ? "the value (hidden, it is a secret)" : (0,_problems_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(text);
    let url;
    try {
        url = new URL(text);
    }
    catch {
        return wrong(`${shown} is not an absolute URL.`, "Write a URL that starts with https://.");
    }
    if (url.protocol !== "https:") {
        return wrong(`${shown} does not use https.`, "Write a URL that starts with https://.");
    }
    if (url.username !== "" || url.password !== "") {
        return wrong(`${shown} holds a user name or password.`, "Remove the credentials from the URL.");
    }
    return ok(text.replace(/\/+$/, ""));
}
const APP_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,58}[A-Za-z0-9])$/;
/** The App Service name rule, for messages. */
const APP_NAME_RULE = "Use 2-60 letters, digits and hyphens, not starting or ending with a hyphen.";
/** True for a valid App Service app name. */
function isAppServiceName(text) {
    return APP_NAME.test(text);
}
// Microsoft.Web/sites/slots names: 2-59 characters; the host name is `<app>-<slot>`.
const SLOT_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,57}[A-Za-z0-9])$/;
/** The deployment slot name rule, for messages. */
const SLOT_NAME_RULE = "Use 2-59 letters, digits and hyphens, not starting or ending with a hyphen.";
/** True for a valid App Service deployment slot name. */
function isSlotName(text) {
    return SLOT_NAME.test(text);
}
// Resource group names: 1-90 letters, digits, underscores, hyphens, periods and parentheses; no final period.
const RESOURCE_GROUP = /^[\p{L}\p{Nd}_().-]{1,90}$/u;
/** The resource group name rule, for messages. */
const RESOURCE_GROUP_RULE = "Use 1-90 letters, digits, underscores, hyphens, periods and parentheses, not ending with a period.";
/** True for a valid Azure resource group name. */
function isResourceGroupName(text) {
    return RESOURCE_GROUP.test(text) && !text.endsWith(".");
}
// Region and service names end up in GitHub environment names, status URLs and the comma-separated
// `regions` input, so they stay within characters that are safe in all three.
const FLEET_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$/;
/** The region and service name rule, for messages. */
const FLEET_NAME_RULE = "Use up to 100 letters, digits, hyphens, underscores and periods, starting and ending with a letter or digit.";
/** True for a valid region or service name. */
function isFleetName(text) {
    return FLEET_NAME.test(text);
}
const DOT_PATH = /^[^.\s]+(?:\.[^.\s]+)*$/;
/** True for a dot path into a JSON body, such as `build` or `app.version`. */
function isDotPath(text) {
    return DOT_PATH.test(text) && !(0,_invisible_characters_js__WEBPACK_IMPORTED_MODULE_0__/* .hasInvisible */ .w)(text);
}


/***/ })

};
