export const id = 666;
export const ids = [666];
export const modules = {

/***/ 9758:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fw: () => (/* binding */ armFailure),
/* harmony export */   Mw: () => (/* binding */ answerMessage),
/* harmony export */   Ni: () => (/* binding */ jsonField),
/* harmony export */   d6: () => (/* binding */ armCodeOf),
/* harmony export */   s_: () => (/* binding */ httpStatusOf)
/* harmony export */ });
/* unused harmony exports errorBodyMessage, unofferedApiVersionHint */
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _redact_secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6166);
/* harmony import */ var _release_ports_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9541);



/** Wraps an SDK failure of `operation` (e.g. `swap of shop-api-uks/staging into production`) in a readable `Error`. */
function armFailure(operation, error, where) {
    const detail = describeCause(error, where);
    const message = (0,_redact_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redactSecrets */ .f)(`${operation} failed: ${detail}`);
    // 409 from App Service: another operation (a deployment, a restart, a swap) runs on the site.
    return httpStatusOf(error) === 409
        ? new _release_ports_js__WEBPACK_IMPORTED_MODULE_2__/* .OperationConflictError */ .K(message, { cause: error })
        : new Error(message, { cause: error });
}
/**
 * The code and message of an error body in either of the shapes Azure answers with: Resource
 * Manager's `{"error":{"code","message"}}`, or App Service's own `{"Code","Message","Details":
 * [{"ErrorEntity":{"Code","Message"}}]}`. `undefined` when the body is neither.
 */
function errorBodyMessage(bodyText) {
    if (bodyText === null || bodyText === undefined || bodyText.trim() === "")
        return undefined;
    let body;
    try {
        body = JSON.parse(bodyText);
    }
    catch {
        return shorten(bodyText);
    }
    const found = codeAndMessage(jsonField(body, "error")) ?? codeAndMessage(body);
    if (found === undefined)
        return undefined;
    return shorten(found.code === undefined ? found.message : `${found.code}: ${found.message}`);
}
function codeAndMessage(value) {
    const message = jsonField(value, "message") ?? jsonField(value, "Message");
    const code = jsonField(value, "code") ?? jsonField(value, "Code");
    const entity = firstErrorEntity(jsonField(value, "Details") ?? jsonField(value, "details"));
    const text = typeof message === "string" && message !== "" ? message : entity?.message;
    if (text === undefined)
        return undefined;
    return typeof code === "string" && code !== "" ? { code, message: text } : { message: text };
}
/** App Service puts its most precise message in `Details[].ErrorEntity.Message`. */
function firstErrorEntity(details) {
    if (!Array.isArray(details))
        return undefined;
    for (const detail of details) {
        const message = jsonField(jsonField(detail, "ErrorEntity"), "Message") ?? jsonField(detail, "Message");
        if (typeof message === "string" && message !== "")
            return { message };
    }
    return undefined;
}
/** A property of a parsed JSON object; `undefined` for anything that is not an object. */
function jsonField(value, name) {
    return value !== null && typeof value === "object" && !Array.isArray(value)
        ? value[name]
        : undefined;
}
/**
 * The message of an ARM answer read by hand (the swap and its polls): its status, the message of
 * its error body in either shape, and what to do when ARM does not offer the api-version.
 */
function answerMessage(status, bodyText) {
    const message = errorBodyMessage(bodyText) ?? "no error message";
    const hint = status === 400 ? unofferedApiVersionHint(bodyText) : undefined;
    return hint === undefined
        ? `${status}: ${message}`
        : `${status}: ${withoutFinalPeriod(message)}. ${hint}.`;
}
/**
 * What to do when Resource Manager does not offer the request's api-version: its 400
 * `NoRegisteredProviderFound` ("No registered resource provider found for location '…' and API
 * version '…' for type 'sites'. The supported api-versions are '…'.") names the versions it does
 * offer; the `arm-api-version` input picks one. `undefined` for any other answer.
 */
function unofferedApiVersionHint(text, reading) {
    if (text === null ||
        text === undefined ||
        !/NoRegisteredProviderFound|No registered resource provider found/i.test(text)) {
        return undefined;
    }
    const refused = /API version '([^']*)'/i.exec(text)?.[1];
    const offered = (/supported api-versions are '([^']*)'/i.exec(text)?.[1] ?? "")
        .split(",")
        .map((version) => version.trim())
        .filter((version) => version !== "");
    // Dates sort as text; a version with a suffix (`-preview`) is left out of the suggestion.
    const newestStable = offered
        .filter((version) => /^\d{4}-\d{2}-\d{2}$/.test(version))
        .sort()
        .at(-1);
    const version = refused === undefined ? "the requested api-version" : `api-version ${refused}`;
    if (reading === "metrics") {
        return (`Azure Resource Manager of this cloud does not offer ${version} for Microsoft.Insights metrics` +
            (offered.length > 0 ? `; it offers ${offered.join(", ")}` : "") +
            ". The manifest's `analysis` needs Azure Monitor metrics; leave `analysis` out for apps in this cloud");
    }
    return (`Azure Resource Manager of this cloud does not offer ${version} for Microsoft.Web sites` +
        (offered.length > 0 ? `; it offers ${offered.join(", ")}` : "") +
        `. Set the \`arm-api-version\` input to one of them${newestStable === undefined ? "" : `, e.g. ${newestStable}`}` +
        ". ARM refuses every request with a version it does not offer, so pre-flight's first reads meet this refusal, before anything in Azure is changed");
}
/** The HTTP status of an ARM answer the SDK rejected, when the failure was one. */
function httpStatusOf(error) {
    return isRestErrorLike(error) ? error.statusCode : undefined;
}
/** ARM's `error.code` of a rejected answer, when there was one. */
function armCodeOf(error) {
    return isRestErrorLike(error) ? error.code : undefined;
}
function describeCause(error, where) {
    if (!(error instanceof Error))
        return String(error);
    if (isCredentialError(error)) {
        return (`sign-in to Microsoft Entra failed: ${withoutFinalPeriod(shorten(entraDescription(error.message)))}. ` +
            "Check `tenant-id`, `client-id`, the federated credential's subject or the `client-secret`, and `authority-host`.");
    }
    if (isRestErrorLike(error) && error.statusCode !== undefined) {
        const status = error.statusCode;
        const reason = node_http__WEBPACK_IMPORTED_MODULE_0__.STATUS_CODES[status] ?? "";
        // The SDK reads only Resource Manager's error shape; App Service's own ends up as raw JSON.
        const fromBody = errorBodyMessage(error.response?.bodyAsText);
        const code = error.code && fromBody === undefined ? `${error.code}: ` : "";
        const text = fromBody ?? error.message;
        const hint = (status === 400
            ? unofferedApiVersionHint(error.response?.bodyAsText ?? error.message, where.reading)
            : undefined) ?? hintFor(status, where);
        return `${status} ${reason}: ${code}${withoutFinalPeriod(shorten(text))}${hint ? `. ${hint}.` : ""}`;
    }
    if (isRestErrorLike(error) && error.code) {
        // No status: the request never got an answer (connection refused, DNS, TLS).
        return `could not reach Azure Resource Manager (${error.code}): ${shorten(error.message)}. Check \`arm-endpoint\` / \`azure-cloud\` and the runner's network.`;
    }
    return shorten(error.message);
}
function hintFor(status, where) {
    if (where.reading === "metrics") {
        const hint = metricsHintFor(status, where);
        if (hint !== undefined)
            return hint;
    }
    if (status === 401) {
        return "Azure Resource Manager refused the token; check `tenant-id`, `client-id`, and that `arm-endpoint` matches `azure-cloud`";
    }
    if (status === 403) {
        return `Give the signed-in principal a role that may manage web apps (e.g. Website Contributor) on resource group ${where.resourceGroup}`;
    }
    if (status === 404) {
        return `Check the subscription id, resource group (${where.resourceGroup}), app and slot names in the manifest`;
    }
    if (status === 409) {
        return "Another operation kept running on the app (a swap, deployment or restart) for the whole status-timeout; let it finish, then re-run";
    }
    if (status === 429) {
        return "Azure Resource Manager kept throttling after the SDK's retries; lower `max-parallel` or re-run later";
    }
    if (status >= 500)
        return "Azure reported a server error; re-run later";
    return undefined;
}
/** What to do about a refused metrics read: its role is not App Service's. */
function metricsHintFor(status, where) {
    if (status === 403) {
        return `Give the signed-in principal a role that may read metrics, Microsoft.Insights/metrics/read (e.g. Monitoring Reader), on resource group ${where.resourceGroup}: the manifest's \`analysis\` reads them`;
    }
    if (status === 400) {
        return "Azure Monitor refused the query; check the metric names and that the timespan is within the last 93 days";
    }
    return undefined;
}
function isRestErrorLike(error) {
    return error instanceof Error && error.name === "RestError";
}
function isCredentialError(error) {
    return (error.name === "AuthenticationError" ||
        error.name === "AuthenticationRequiredError" ||
        error.name === "CredentialUnavailableError" ||
        error.name === "AggregateAuthenticationError");
}
/** Entra's answers wrap the useful `AADSTS…: description` in timestamps and trace ids: keep the description. */
function entraDescription(message) {
    const found = /AADSTS\d+:.*?(?=\s*(?:Trace ID:|Correlation ID:|Timestamp:|$))/s.exec(message);
    return found ? found[0] : message;
}
function withoutFinalPeriod(text) {
    return text.endsWith(".") ? text.slice(0, -1) : text;
}
/** ARM messages are short; a raw HTML or JSON error page is not: keep the log readable. */
function shorten(text) {
    const oneLine = text.replace(/\s+/g, " ").trim();
    return oneLine.length > 600 ? `${oneLine.slice(0, 600)}…` : oneLine;
}


/***/ }),

/***/ 346:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ARM_BUCKETS: () => (/* binding */ ARM_BUCKETS),
/* harmony export */   ArmRequestBudget: () => (/* binding */ ArmRequestBudget),
/* harmony export */   armPacingPolicy: () => (/* binding */ armPacingPolicy),
/* harmony export */   operationTypeOf: () => (/* binding */ operationTypeOf),
/* harmony export */   subscriptionOf: () => (/* binding */ subscriptionOf)
/* harmony export */ });
/** ARM's regional limits per subscription and principal (request-limits-and-throttling.md). */
const ARM_BUCKETS = {
    reads: { capacity: 250, refillPerSecond: 25 },
    writes: { capacity: 200, refillPerSecond: 10 },
    deletes: { capacity: 200, refillPerSecond: 10 },
};
/**
 * Tokens left untouched in each bucket: our copy lags ARM's by the requests in flight, and other
 * tools of the same principal may spend tokens too.
 */
const RESERVE_TOKENS = 5;
/** Longest a throttled answer's `Retry-After` holds the bucket, so a strange header cannot stall the run. */
const MAX_HOLD_MS = 60_000;
/** One run's ARM request budget: shared by every client of the run (slots, swaps, metrics). */
class ArmRequestBudget {
    clock;
    shapes;
    buckets = new Map();
    counts = { held: 0, heldMs: 0, throttled: 0 };
    constructor(clock, shapes = ARM_BUCKETS) {
        this.clock = clock;
        this.shapes = shapes;
    }
    /**
     * Waits until the bucket of `subscriptionId` and `type` has a token, and takes it. Every take is
     * followed by one {@link settle}: with the answer, or without one when the request failed.
     */
    take(subscriptionId, type, signal) {
        const bucket = this.bucket(subscriptionId, type);
        const turn = bucket.queue.then(() => this.takeFrom(bucket, signal));
        // A cancelled wait must not stall the requests queued behind it.
        bucket.queue = turn.catch(() => undefined);
        return turn.then(() => {
            bucket.inFlight += 1;
        });
    }
    /**
     * Ends a request that took a token. With an answer, lowers our copy of the bucket to what ARM
     * says is left, less the requests still in flight that ARM had not counted yet; a 429 empties
     * the bucket until its Retry-After.
     */
    settle(subscriptionId, type, response) {
        const bucket = this.bucket(subscriptionId, type);
        bucket.inFlight = Math.max(0, bucket.inFlight - 1);
        if (response !== undefined)
            this.observe(bucket, response);
    }
    /** What ARM said of a bucket on an answer (see {@link settle}). */
    observeAnswer(subscriptionId, type, response) {
        this.observe(this.bucket(subscriptionId, type), response);
    }
    observe(bucket, response) {
        const { type } = bucket;
        this.refill(bucket);
        const reported = [
            response.headers.get(`x-ms-ratelimit-remaining-subscription-${type}`),
            response.headers.get(`x-ms-ratelimit-remaining-subscription-global-${type}`),
        ]
            .map((value) => (value === undefined ? NaN : Number(value)))
            .filter((value) => Number.isFinite(value) && value >= 0);
        if (reported.length > 0)
            bucket.tokens = Math.min(bucket.tokens, Math.min(...reported) - bucket.inFlight);
        if (response.status === 429) {
            this.counts.throttled += 1;
            bucket.tokens = 0;
            const retryAfterSeconds = Number(response.headers.get("retry-after"));
            const holdMs = Number.isFinite(retryAfterSeconds) ? retryAfterSeconds * 1000 : 1000;
            bucket.heldUntil = Math.max(bucket.heldUntil, this.clock.now() + Math.min(Math.max(holdMs, 0), MAX_HOLD_MS));
        }
    }
    async takeFrom(bucket, signal) {
        let waited = 0;
        for (;;) {
            signal?.throwIfAborted();
            this.refill(bucket);
            const now = this.clock.now();
            if (now >= bucket.heldUntil && bucket.tokens >= 1 + RESERVE_TOKENS) {
                bucket.tokens -= 1;
                if (waited > 0) {
                    this.counts.held += 1;
                    this.counts.heldMs += waited;
                }
                return;
            }
            const needed = 1 + RESERVE_TOKENS - bucket.tokens;
            const waitMs = Math.max(bucket.heldUntil - now, Math.ceil((Math.max(needed, 0) / bucket.shape.refillPerSecond) * 1000), 1);
            await this.clock.sleep(waitMs, signal);
            waited += waitMs;
        }
    }
    refill(bucket) {
        const now = this.clock.now();
        const elapsedSeconds = Math.max(0, now - bucket.refilledAt) / 1000;
        bucket.tokens = Math.min(bucket.shape.capacity, bucket.tokens + elapsedSeconds * bucket.shape.refillPerSecond);
        bucket.refilledAt = now;
    }
    bucket(subscriptionId, type) {
        const key = `${subscriptionId.toLowerCase()}/${type}`;
        let bucket = this.buckets.get(key);
        if (bucket === undefined) {
            const shape = this.shapes[type];
            bucket = {
                type,
                shape,
                inFlight: 0,
                tokens: shape.capacity,
                refilledAt: this.clock.now(),
                heldUntil: 0,
                queue: Promise.resolve(),
            };
            this.buckets.set(key, bucket);
        }
        return bucket;
    }
}
/** The operation type ARM charges a request to. */
function operationTypeOf(method) {
    const upper = method.toUpperCase();
    if (upper === "GET" || upper === "HEAD")
        return "reads";
    if (upper === "DELETE")
        return "deletes";
    return "writes";
}
/** The subscription a request's path names, or `undefined` (not paced). */
function subscriptionOf(url) {
    const found = /\/subscriptions\/([^/?#]+)/i.exec(new URL(url).pathname);
    return found?.[1] === undefined ? undefined : decodeURIComponent(found[1]);
}
/**
 * The policy that paces each attempt through `budget` (placed after the retry policy, so a retry
 * takes a token too, and before the per-attempt time limit, so waiting is not counted as hanging).
 */
function armPacingPolicy(budget) {
    return {
        name: "regionalSlotSwapArmPacing",
        async sendRequest(request, next) {
            const subscriptionId = subscriptionOf(request.url);
            if (subscriptionId === undefined)
                return next(request);
            const type = operationTypeOf(request.method);
            await budget.take(subscriptionId, type, request.abortSignal);
            let response;
            try {
                response = await next(request);
                return response;
            }
            finally {
                budget.settle(subscriptionId, type, response);
            }
        },
    };
}


/***/ }),

/***/ 3832:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   PF: () => (/* binding */ getAnswer),
/* harmony export */   kr: () => (/* binding */ ARM_RETRIES),
/* harmony export */   zG: () => (/* binding */ armPipeline)
/* harmony export */ });
/* harmony import */ var _azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4792);
/* harmony import */ var _attempt_timeout_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(140);
/* harmony import */ var _arm_pacing_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(346);



/**
 * More patience than the SDK's default 3 retries: ARM's read bucket refills at 25 requests a
 * second, and a fleet of hundreds of apps empties it (test/bench/RESULTS.md). A 429 waits its
 * Retry-After; a 5xx backs off exponentially, at most 30 s a time (about a minute in all).
 */
const ARM_RETRIES = { maxRetries: 6, maxRetryDelayInMs: 30_000 };
/**
 * A pipeline for ARM requests sent by hand, built as `@azure/core-client` builds the SDK's:
 * core-rest-pipeline's default policies (the retry policy waits a 429's or 503's `Retry-After`,
 * backs off on other 5xx, 408 and network errors), a bearer token for `tokenScope`, and the
 * per-attempt time limit after the retry policy, so that a hung attempt is retried too.
 */
function armPipeline(credential, options) {
    const pipeline = (0,_azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__/* .createPipelineFromOptions */ .Fp)({
        retryOptions: ARM_RETRIES,
        userAgentOptions: { userAgentPrefix: "regional-slot-swap" },
    });
    pipeline.addPolicy((0,_azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__/* .bearerTokenAuthenticationPolicy */ .N$)({ credential, scopes: [options.tokenScope] }));
    if (options.budget !== undefined) {
        pipeline.addPolicy((0,_arm_pacing_js__WEBPACK_IMPORTED_MODULE_2__.armPacingPolicy)(options.budget), { afterPhase: "Retry" });
    }
    pipeline.addPolicy((0,_attempt_timeout_js__WEBPACK_IMPORTED_MODULE_1__/* .attemptTimeoutPolicy */ .f)(options.attemptTimeoutMs), { afterPhase: "Retry" });
    const httpClient = (0,_azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__/* .createDefaultHttpClient */ .fl)();
    return { sendRequest: (request) => pipeline.sendRequest(httpClient, request) };
}
/**
 * One GET through `send`, answered with any status: rejects with `signal`'s reason when it
 * aborted, else with `noAnswer(error)` when no answer came (network, time limit, sign-in).
 */
async function getAnswer(send, url, signal, noAnswer) {
    try {
        return await send((0,_azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__/* .createPipelineRequest */ .G6)({ url, method: "GET", abortSignal: signal }));
    }
    catch (error) {
        signal.throwIfAborted();
        throw noAnswer(error);
    }
}


/***/ }),

/***/ 2694:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ArmSlotGateway: () => (/* binding */ ArmSlotGateway)
});

// EXTERNAL MODULE: ./node_modules/@azure/arm-appservice/dist/esm/index.js + 41 modules
var esm = __webpack_require__(6887);
// EXTERNAL MODULE: ./src/release/ports.ts
var ports = __webpack_require__(9541);
// EXTERNAL MODULE: ./src/azure/arm-error.ts
var arm_error = __webpack_require__(9758);
// EXTERNAL MODULE: ./src/azure/arm-pipeline.ts
var arm_pipeline = __webpack_require__(3832);
// EXTERNAL MODULE: ./src/azure/attempt-timeout.ts
var attempt_timeout = __webpack_require__(140);
// EXTERNAL MODULE: ./src/azure/arm-pacing.ts
var arm_pacing = __webpack_require__(346);
// EXTERNAL MODULE: ./src/system-clock.ts
var system_clock = __webpack_require__(8349);
// EXTERNAL MODULE: ./src/azure/sign-in.ts
var sign_in = __webpack_require__(5428);
// EXTERNAL MODULE: ./src/invisible-characters.ts
var invisible_characters = __webpack_require__(6081);
;// CONCATENATED MODULE: ./src/azure/slot-differences.ts




/**
 * Azure's own diff of a swap: `POST …/sites/{app}/slots/{source}/slotsdiffs` with the
 * CsmSlotEntity `{targetSlot: "production", preserveVnet}` (operation
 * `WebApps_ListSlotDifferencesSlot`), through `@azure/arm-appservice`'s
 * `webApps.listSlotDifferencesSlot`, a paged list whose first page is the POST and whose further
 * pages are GETs of `nextLink`. Each request goes through the client's pipeline: retried, with a
 * time limit per attempt, and ended by the caller's signal. The operation only reads (its RBAC
 * action is `Microsoft.Web/sites/slots/slotsdiffs/action`), so a retried POST changes nothing.
 *
 * Only what is safe leaves this module: the setting's name, its `settingType` and `level`.
 * `valueInCurrentSlot` and `valueInTargetSlot` are values, which can be secrets (a connection
 * string, a key), and `description` is free text that may quote them; all three are dropped
 * here, as is `diffRule` (it says how the swap handles the setting, which the plan does not show).
 * The kept texts are Azure's data: trimmed, cut to a bounded length and with invisible
 * characters escaped (`escapeInvisible`) before anyone sees them; renderers still escape them
 * for their medium (Markdown, Slack mrkdwn).
 */
/** Pages followed at most: ARM pages lists of a few hundred entries, a slot diff has a few dozen. */
const MAX_DIFFERENCE_PAGES = 20;
/** Differences kept at most; a slot diff past this many is not a plan anyone reads. */
const MAX_DIFFERENCES = 1_000;
/** Longest setting name kept (App Service's own limit on a name is far lower). */
const MAX_SETTING_NAME_CHARS = 200;
/** Longest `settingType` or `level` kept: Azure's are single words. */
const MAX_KIND_CHARS = 40;
/** A refusal of this module's own (a foreign nextLink, too many pages): already readable. */
class SlotDifferencesError extends Error {
    name = "SlotDifferencesError";
}
/** The configuration differences a swap of `source` into production would bring; see the module comment. */
async function readSlotDifferences(client, armEndpoint, source, options, signal) {
    const where = `${source.app}/${source.slot}`;
    if (source.slot === ports/* PRODUCTION_SLOT */.P) {
        throw new Error(`the slot differences of ${where} into production cannot be read: the source slot is production itself`);
    }
    const operation = `reading the slot differences of a swap of ${where} into production`;
    const differences = [];
    let pages = 0;
    try {
        const pager = client.webApps
            .listSlotDifferencesSlot(source.resourceGroup, source.app, source.slot, { targetSlot: ports/* PRODUCTION_SLOT */.P, preserveVnet: options.preserveVnet }, { abortSignal: signal })
            .byPage();
        // The pager sends the next request only when asked for the next page, so every check below
        // runs before a `nextLink` is followed.
        for await (const page of pager) {
            signal.throwIfAborted();
            pages += 1;
            for (const item of page)
                differences.push(differenceOf(item));
            const nextLink = (0,esm/* getContinuationToken */.LT)(page);
            if (nextLink === undefined || nextLink === "")
                break;
            if (!isArmUrl(nextLink, armEndpoint)) {
                throw new SlotDifferencesError(`${operation} failed: Azure's nextLink leads outside Azure Resource Manager (${armOrigin(armEndpoint)}); it was not followed, so no token was sent elsewhere`);
            }
            if (pages >= MAX_DIFFERENCE_PAGES || differences.length >= MAX_DIFFERENCES) {
                throw new SlotDifferencesError(`${operation} failed: Azure answered more than ${pages} pages (${differences.length} differences) and more to come; ` +
                    `stopped at ${MAX_DIFFERENCE_PAGES} pages or ${MAX_DIFFERENCES} differences, as a plan that long cannot be read`);
            }
        }
    }
    catch (error) {
        signal.throwIfAborted();
        if (error instanceof SlotDifferencesError)
            throw error;
        throw withRoleHint((0,arm_error/* armFailure */.Fw)(operation, error, source), error);
    }
    return differences;
}
/** The safe part of one of Azure's differences; every value, and the free text, is dropped. */
function differenceOf(item) {
    return {
        setting: azureText(item.settingName, MAX_SETTING_NAME_CHARS) || "(unnamed)",
        type: azureText(item.settingType, MAX_KIND_CHARS) || "Unknown",
        level: azureText(item.level, MAX_KIND_CHARS) || "Unknown",
    };
}
/** Text from Azure, as data: trimmed, at most `maxChars` characters (then `…`), invisible characters escaped. */
function azureText(text, maxChars) {
    if (typeof text !== "string")
        return "";
    const characters = Array.from(text.trim());
    const cut = characters.length > maxChars
        ? `${characters.slice(0, maxChars).join("")}…`
        : characters.join("");
    return (0,invisible_characters/* escapeInvisible */.t)(cut);
}
/** A 403 here is the one action a plan needs beyond reading sites: say which. */
function withRoleHint(failure, cause) {
    if ((0,arm_error/* httpStatusOf */.s_)(cause) !== 403)
        return failure;
    return new Error(`${failure.message} The plan's differences need the action Microsoft.Web/sites/slots/slotsdiffs/action (in Website Contributor).`, { cause });
}
function armOrigin(armEndpoint) {
    try {
        return new URL(armEndpoint).origin;
    }
    catch {
        return armEndpoint;
    }
}
/** Whether `url` is on the ARM endpoint the client signs its requests for. */
function isArmUrl(url, armEndpoint) {
    try {
        return new URL(url).origin === armOrigin(armEndpoint);
    }
    catch {
        return false;
    }
}

// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
// EXTERNAL MODULE: ./node_modules/@azure/core-rest-pipeline/dist/esm/index.js + 81 modules
var dist_esm = __webpack_require__(4792);
;// CONCATENATED MODULE: ./src/azure/slot-swap.ts
/**
 * The swap's long-running operation, sent and followed by hand instead of through the SDK's
 * poller, for three reasons the release depends on:
 * - the swap POST is sent exactly once: the SDK pipeline would retry it on a 5xx or a dropped
 *   connection, and a second swap of a slot pair that Azure already swapped puts the old build back;
 * - every ending is classified (completed, refused, conflict, uncertain), so the release core can
 *   find out the truth of an uncertain one instead of assuming;
 * - polls follow the operation's `Retry-After` from the first one (the SDK's poller sends two
 *   right after the 202).
 */



/** A 429 on the POST means ARM did not take the request: waiting its Retry-After and sending again is safe. */
const MAX_THROTTLED_ATTEMPTS = 6;
/** Longest pause honoured from a `Retry-After`, so a strange header cannot stall the run. */
const MAX_RETRY_AFTER_MS = 60_000;
/** Polls in a row that get no answer or a 5xx before the swap's outcome is called uncertain. */
const MAX_FAILED_POLLS_IN_A_ROW = 5;
/** Sends the swap once and follows it to its end. Throws only when `signal` aborts. */
async function sendSwap(request, signal) {
    let answer;
    for (let attempt = 1;; attempt++) {
        try {
            answer = await request.once.sendRequest((0,dist_esm/* createPipelineRequest */.G6)({
                url: request.url,
                method: "POST",
                body: JSON.stringify(request.body),
                headers: (0,dist_esm/* createHttpHeaders */.Nc)({ "content-type": "application/json" }),
                abortSignal: signal,
            }));
        }
        catch (error) {
            signal.throwIfAborted();
            return { kind: "uncertain", message: `the swap request got no answer: ${describe(error)}` };
        }
        if (answer.status !== 429 || attempt >= MAX_THROTTLED_ATTEMPTS)
            break;
        await (0,promises_.setTimeout)(retryAfterMs(answer) ?? 2 ** attempt * 1000, undefined, { signal });
    }
    const status = answer.status;
    if (status === 200 || status === 201 || status === 204)
        return { kind: "completed" };
    if (status === 202)
        return followOperation(request, answer, signal);
    const message = (0,arm_error/* answerMessage */.Mw)(status, answer.bodyAsText);
    if (status === 409)
        return { kind: "conflict", message };
    // A 5xx or a timeout answer says nothing of what Azure did; any other 4xx is a refusal.
    if (status >= 500 || status === 408)
        return { kind: "uncertain", message };
    return { kind: "refused", message };
}
/** Polls the operation's `Location` until it ends: 202 is running, another 2xx done, anything else failed. */
async function followOperation(request, accepted, signal) {
    const location = accepted.headers.get("location");
    if (location === undefined) {
        return { kind: "uncertain", message: "Azure accepted the swap but gave no Location to follow" };
    }
    let waitMs = retryAfterMs(accepted) ?? request.defaultPollIntervalMs;
    let failedInARow = 0;
    for (;;) {
        await (0,promises_.setTimeout)(waitMs, undefined, { signal });
        let poll;
        try {
            poll = await request.polls.sendRequest((0,dist_esm/* createPipelineRequest */.G6)({ url: location, method: "GET", abortSignal: signal }));
        }
        catch (error) {
            signal.throwIfAborted();
            if (++failedInARow < MAX_FAILED_POLLS_IN_A_ROW)
                continue;
            return { kind: "uncertain", message: `following the swap failed: ${describe(error)}` };
        }
        const detail = () => (0,arm_error/* answerMessage */.Mw)(poll.status, poll.bodyAsText);
        if (poll.status === 202 || poll.status === 429) {
            failedInARow = 0;
            waitMs = retryAfterMs(poll) ?? request.defaultPollIntervalMs;
            continue;
        }
        if (poll.status >= 200 && poll.status < 300)
            return { kind: "completed" };
        if (poll.status >= 500 && ++failedInARow < MAX_FAILED_POLLS_IN_A_ROW)
            continue;
        return { kind: "uncertain", message: `Azure reported the swap failed (${detail()})` };
    }
}
/** `Retry-After` in seconds or as an HTTP date, or `retry-after-ms`, bounded; `undefined` when absent. */
function retryAfterMs(response) {
    const ms = Number(response.headers.get("retry-after-ms") ?? response.headers.get("x-ms-retry-after-ms"));
    if (Number.isFinite(ms) && ms > 0)
        return Math.min(ms, MAX_RETRY_AFTER_MS);
    const header = response.headers.get("retry-after");
    if (header === undefined)
        return undefined;
    const seconds = Number(header);
    const wait = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
    return Number.isFinite(wait) ? Math.min(Math.max(wait, 0), MAX_RETRY_AFTER_MS) : undefined;
}
function describe(error) {
    if (!(error instanceof Error))
        return String(error);
    const code = error.code;
    return typeof code === "string" && !error.message.includes(code)
        ? `${code}: ${error.message}`
        : error.message;
}

// EXTERNAL MODULE: ./src/redact-secrets.ts
var redact_secrets = __webpack_require__(6166);
;// CONCATENATED MODULE: ./src/azure/arm-slot-gateway.ts











/** Default pause between polls of a swap when Azure sends no `Retry-After`. */
const DEFAULT_POLL_INTERVAL_MS = 2_000;
/** The app setting that makes App Service run a zip package, here from a URL. */
const RUN_FROM_PACKAGE = "WEBSITE_RUN_FROM_PACKAGE";
/** 404 codes that mean the manifest points at the wrong place rather than at a missing slot. */
const CONTAINER_NOT_FOUND_CODES = new Set(["ResourceGroupNotFound", "SubscriptionNotFound"]);
/**
 * The release's slot operations on Azure Resource Manager, through `@azure/arm-appservice` 18
 * (the classic core-client SDK). Every failure is rethrown as an `Error` whose message names the
 * operation, the app and slot, the HTTP status and ARM's error code and message.
 */
class ArmSlotGateway {
    /** Clients per subscription, created on first use: a fleet may span subscriptions. */
    clients = new Map();
    /** The same without retries, for the one request that must never be repeated: the swap POST. */
    onceClients = new Map();
    credential;
    armEndpoint;
    pollIntervalMs;
    attemptTimeoutMs;
    budget;
    tokenScope;
    apiVersion;
    constructor(credential, options) {
        this.credential = credential;
        this.armEndpoint = options.armEndpoint.replace(/\/+$/, "");
        this.tokenScope = (0,sign_in.armTokenScope)(options.armAudience ?? this.armEndpoint);
        this.apiVersion = options.apiVersion;
        this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
        this.attemptTimeoutMs = options.attemptTimeoutMs;
        this.budget = options.budget ?? new arm_pacing.ArmRequestBudget(system_clock.systemClock);
    }
    async describeSlot(slot, signal) {
        const { webApps } = this.client(slot);
        try {
            const site = isProduction(slot)
                ? await webApps.get(slot.resourceGroup, slot.app, { abortSignal: signal })
                : await webApps.getSlot(slot.resourceGroup, slot.app, slot.slot, { abortSignal: signal });
            const description = {
                exists: true,
                state: site.state ?? "Unknown",
                defaultHostName: site.defaultHostName ?? "",
            };
            return isProduction(slot)
                ? { ...description, swapActivity: swapActivityOf(site) }
                : description;
        }
        catch (error) {
            // A missing app or slot is an answer pre-flight reports; a missing resource group or
            // subscription is a manifest mistake and fails loudly with ARM's code.
            if ((0,arm_error/* httpStatusOf */.s_)(error) === 404 && !CONTAINER_NOT_FOUND_CODES.has((0,arm_error/* armCodeOf */.d6)(error) ?? "")) {
                return { exists: false };
            }
            throw (0,arm_error/* armFailure */.Fw)(`reading ${arm_slot_gateway_name(slot)}`, error, slot);
        }
    }
    async listSlots(group, signal) {
        const where = { ...group, app: "", slot: ports/* PRODUCTION_SLOT */.P };
        const { webApps } = this.client(where);
        const slots = new Map();
        try {
            // GET …/resourceGroups/{rg}/providers/Microsoft.Web/sites?includeSlots=true, page by page.
            for await (const site of webApps.listByResourceGroup(group.resourceGroup, {
                includeSlots: true,
                abortSignal: signal,
            })) {
                const [app, slot] = (site.name ?? "").split("/");
                if (app === undefined || app === "")
                    continue;
                const production = slot === undefined;
                const linuxFxVersion = site.siteConfig?.linuxFxVersion;
                const windowsFxVersion = site.siteConfig?.windowsFxVersion;
                slots.set(`${app}/${slot ?? ports/* PRODUCTION_SLOT */.P}`.toLowerCase(), {
                    exists: true,
                    state: site.state ?? "Unknown",
                    defaultHostName: site.defaultHostName ?? "",
                    ...(production ? { swapActivity: swapActivityOf(site) } : {}),
                    ...(linuxFxVersion !== undefined && /^DOCKER\|/i.test(linuxFxVersion)
                        ? { deployment: { kind: "container", linuxFxVersion } }
                        : {}),
                    // A list that left the site config out says nothing: readDeployment then reads it.
                    ...(typeof linuxFxVersion === "string"
                        ? {
                            siteConfig: {
                                linuxFxVersion,
                                ...(windowsFxVersion === undefined ? {} : { windowsFxVersion }),
                            },
                        }
                        : {}),
                });
            }
        }
        catch (error) {
            throw (0,arm_error/* armFailure */.Fw)(`listing the apps of resource group ${group.resourceGroup}`, error, where);
        }
        return slots;
    }
    async readSwapActivity(production, signal) {
        const { webApps } = this.client(production);
        try {
            return swapActivityOf(await webApps.get(production.resourceGroup, production.app, { abortSignal: signal }));
        }
        catch (error) {
            throw (0,arm_error/* armFailure */.Fw)(`reading ${arm_slot_gateway_name(production)}`, error, production);
        }
    }
    async swapIntoProduction(app, options, signal) {
        if (isProduction(app)) {
            return {
                kind: "refused",
                message: `swap of ${arm_slot_gateway_name(app)} into production is impossible: the source slot is production itself.`,
            };
        }
        const client = this.client(app);
        // POST .../slots/{source}/slotsswap with targetSlot=production: the source slot is in the URL
        // and the target in the body, so the request says exactly what moves where; it is what
        // `az webapp deployment slot swap --slot <source>` sends.
        const result = await sendSwap({
            url: `${this.siteUrl(app)}/slots/${encodeURIComponent(app.slot)}/slotsswap?api-version=${client.apiVersion}`,
            body: { targetSlot: ports/* PRODUCTION_SLOT */.P, preserveVnet: options.preserveVnet },
            once: this.onceClient(app),
            polls: this.onceClient(app),
            defaultPollIntervalMs: this.pollIntervalMs,
        }, signal);
        return result.kind === "completed"
            ? result
            : { ...result, message: (0,redact_secrets/* redactSecrets */.f)(`swap of ${arm_slot_gateway_name(app)}: ${result.message}`) };
    }
    async applyProductionConfig(app, options, signal) {
        const { webApps } = this.client(app);
        try {
            // POST .../sites/{app}/slots/{source}/applySlotConfig {targetSlot: production}: phase 1 of a
            // swap with preview, exactly as the Azure CLI sends it for `az webapp deployment slot swap
            // --slot <source> --action preview` (observed from az 2.45 in test/azure-cli.test.ts; the
            // production-site form is what the CLI sends without --slot). The source slot restarts with
            // production's settings; routing does not change until the swap completes.
            await webApps.applySlotConfigurationSlot(app.resourceGroup, app.app, app.slot, { targetSlot: ports/* PRODUCTION_SLOT */.P, preserveVnet: options.preserveVnet }, { abortSignal: signal });
        }
        catch (error) {
            throw (0,arm_error/* armFailure */.Fw)(`applying production's settings to ${arm_slot_gateway_name(app)} (swap with preview)`, error, app);
        }
    }
    async resetProductionConfig(app, signal) {
        const { webApps } = this.client(app);
        try {
            // POST .../sites/{app}/resetSlotConfig: cancels the pending swap with preview, as
            // `az webapp deployment slot swap --action reset` does when the target is production.
            await webApps.resetProductionSlotConfig(app.resourceGroup, app.app, { abortSignal: signal });
        }
        catch (error) {
            throw (0,arm_error/* armFailure */.Fw)(`resetting the swap with preview of ${arm_slot_gateway_name(app)}`, error, app);
        }
    }
    async readDeployment(slot, signal, known) {
        const config = known ?? (await this.readSiteConfig(slot, signal));
        const linuxFxVersion = config.linuxFxVersion ?? "";
        if (/^DOCKER\|/i.test(linuxFxVersion))
            return { kind: "container", linuxFxVersion };
        const settings = await this.readAppSettings(slot, signal);
        const runFromPackage = findSetting(settings, RUN_FROM_PACKAGE)?.value.trim() ?? "";
        if (/^https?:\/\//i.test(runFromPackage))
            return { kind: "package", packageUrl: runFromPackage };
        return {
            kind: "unsupported",
            reason: unsupportedReason(linuxFxVersion, config.windowsFxVersion, runFromPackage),
        };
    }
    async readTrafficRouting(production, signal) {
        const config = await this.readSiteConfig(production, signal);
        return trafficRoutesOf(config);
    }
    async setTrafficRouting(production, routes, signal) {
        if (!isProduction(production)) {
            throw new Error(`traffic routing of ${arm_slot_gateway_name(production)}: rules are production's, not a slot's; address the production slot`);
        }
        const rampUpRules = routes.map((route) => rampUpRuleOf(production, route));
        const { webApps } = this.client(production);
        try {
            // PATCH .../sites/{app}/config/web {properties: {experiments: {rampUpRules}}}: the request
            // `az webapp traffic-routing set` and `clear` send (custom.py `set_traffic_routing`, whose
            // `update_configuration` is this PATCH; `clear` sets `[]`). The CLI reads the whole config
            // first and sends all of it back; a PATCH merges, so only `experiments` is sent here and no
            // other setting is written back as it was read a moment before.
            await webApps.updateConfiguration(production.resourceGroup, production.app, { experiments: { rampUpRules } }, { abortSignal: signal });
        }
        catch (error) {
            throw (0,arm_error/* armFailure */.Fw)(rampUpRules.length === 0
                ? `removing the traffic-routing rules of ${arm_slot_gateway_name(production)}`
                : `setting the traffic-routing rules of ${arm_slot_gateway_name(production)} (${routes.map(describeRoute).join(", ")})`, error, production);
        }
    }
    async readSiteConfig(slot, signal) {
        const { webApps } = this.client(slot);
        const options = { abortSignal: signal };
        try {
            return isProduction(slot)
                ? await webApps.getConfiguration(slot.resourceGroup, slot.app, options)
                : await webApps.getConfigurationSlot(slot.resourceGroup, slot.app, slot.slot, options);
        }
        catch (error) {
            throw (0,arm_error/* armFailure */.Fw)(`reading the site config of ${arm_slot_gateway_name(slot)}`, error, slot);
        }
    }
    async applyDeployment(slot, deployment, signal) {
        const { webApps } = this.client(slot);
        const options = { abortSignal: signal };
        switch (deployment.kind) {
            case "container": {
                // PATCH with only linuxFxVersion: every other site setting of the slot stays as it is.
                const patch = { linuxFxVersion: deployment.linuxFxVersion };
                try {
                    if (isProduction(slot))
                        await webApps.updateConfiguration(slot.resourceGroup, slot.app, patch, options);
                    else
                        await webApps.updateConfigurationSlot(slot.resourceGroup, slot.app, slot.slot, patch, options);
                }
                catch (error) {
                    throw (0,arm_error/* armFailure */.Fw)(`setting the container image of ${arm_slot_gateway_name(slot)}`, error, slot);
                }
                return;
            }
            case "package": {
                // PUT .../config/appsettings replaces the whole set: start from the slot's current
                // settings so that nothing but the package URL changes.
                const settings = await this.readAppSettings(slot, signal);
                const key = findSetting(settings, RUN_FROM_PACKAGE)?.key ?? RUN_FROM_PACKAGE;
                const properties = { ...settings, [key]: deployment.packageUrl };
                try {
                    if (isProduction(slot)) {
                        await webApps.updateApplicationSettings(slot.resourceGroup, slot.app, { properties }, options);
                    }
                    else {
                        await webApps.updateApplicationSettingsSlot(slot.resourceGroup, slot.app, slot.slot, { properties }, options);
                    }
                }
                catch (error) {
                    throw (0,arm_error/* armFailure */.Fw)(`setting ${RUN_FROM_PACKAGE} of ${arm_slot_gateway_name(slot)}`, error, slot);
                }
                return;
            }
            case "unsupported":
                throw new Error(`cannot make ${arm_slot_gateway_name(slot)} run the same deployment: ${deployment.reason}`);
        }
    }
    async readAppSettings(slot, signal) {
        const { webApps } = this.client(slot);
        const options = { abortSignal: signal };
        try {
            const answer = isProduction(slot)
                ? await webApps.listApplicationSettings(slot.resourceGroup, slot.app, options)
                : await webApps.listApplicationSettingsSlot(slot.resourceGroup, slot.app, slot.slot, options);
            return answer.properties ?? {};
        }
        catch (error) {
            throw (0,arm_error/* armFailure */.Fw)(`reading the app settings of ${arm_slot_gateway_name(slot)}`, error, slot);
        }
    }
    client(slot) {
        return this.clientFrom(this.clients, slot, arm_pipeline/* ARM_RETRIES */.kr);
    }
    onceClient(slot) {
        return this.clientFrom(this.onceClients, slot, { maxRetries: 0 });
    }
    clientFrom(clients, slot, retryOptions) {
        let client = clients.get(slot.subscriptionId);
        if (client === undefined) {
            client = new esm/* WebSiteManagementClient */.yX(this.credential, slot.subscriptionId, {
                endpoint: this.armEndpoint,
                credentialScopes: [this.tokenScope],
                retryOptions,
                // The SDK then rewrites the api-version of every request its pipeline sends, the swap's too.
                ...(this.apiVersion === undefined ? {} : { apiVersion: this.apiVersion }),
            });
            // After the retry policy, so that each attempt takes a token and has its own limit, and a
            // timeout is retried; waiting for a token is not counted against the attempt's limit.
            client.pipeline.addPolicy((0,arm_pacing.armPacingPolicy)(this.budget), { afterPhase: "Retry" });
            client.pipeline.addPolicy((0,attempt_timeout/* attemptTimeoutPolicy */.f)(this.attemptTimeoutMs), {
                afterPhase: "Retry",
            });
            clients.set(slot.subscriptionId, client);
        }
        return client;
    }
    siteUrl(app) {
        return `${this.armEndpoint}/subscriptions/${encodeURIComponent(app.subscriptionId)}/resourceGroups/${encodeURIComponent(app.resourceGroup)}/providers/Microsoft.Web/sites/${encodeURIComponent(app.app)}`;
    }
    /** Azure's slot diff of a swap of `source` into production (see `slot-differences.ts`). */
    async readSlotDifferences(source, options, signal) {
        return readSlotDifferences(this.client(source), this.armEndpoint, source, options, signal);
    }
}
/** What the production site says of swaps: an operation in progress, and when the last swap completed. */
function swapActivityOf(site) {
    const completed = site.slotSwapStatus?.timestampUtc;
    return {
        operationInProgress: (site.inProgressOperationId ?? "") !== "",
        lastSwapCompleted: completed instanceof Date && !Number.isNaN(completed.getTime())
            ? completed.toISOString()
            : null,
    };
}
/** Production's rules as the core reads them; a rule Azure answers without a field says so. */
function trafficRoutesOf(config) {
    return (config.experiments?.rampUpRules ?? []).map((rule) => ({
        name: rule.name ?? "(unnamed)",
        toHost: rule.actionHostName ?? "(unknown host)",
        percent: rule.reroutePercentage ?? 0,
    }));
}
/** A route as Azure stores it, the way `az webapp traffic-routing set` writes it. */
function rampUpRuleOf(production, route) {
    const percent = route.percent;
    if (!Number.isFinite(percent) || percent < 0 || percent > 100 || route.toHost.trim() === "") {
        throw new Error(`traffic routing of ${arm_slot_gateway_name(production)}: a rule sends 0 to 100 percent to a host name, not ${describeRoute(route)}`);
    }
    return { name: route.name, actionHostName: route.toHost, reroutePercentage: percent };
}
function describeRoute(route) {
    return `${route.percent} % to ${route.toHost || "(no host)"}`;
}
function isProduction(slot) {
    return slot.slot === ports/* PRODUCTION_SLOT */.P;
}
function arm_slot_gateway_name(slot) {
    return `${slot.app}/${slot.slot}`;
}
/** App Service treats setting names case-insensitively (they become environment variables). */
function findSetting(settings, wanted) {
    const key = Object.keys(settings).find((candidate) => candidate.toUpperCase() === wanted);
    return key === undefined ? undefined : { key, value: settings[key] ?? "" };
}
const SUPPORTED = "supported: a Linux container (linuxFxVersion `DOCKER|<image>`) or a package URL (`WEBSITE_RUN_FROM_PACKAGE=https://…`)";
function unsupportedReason(linuxFxVersion, windowsFxVersion, runFromPackage) {
    if (runFromPackage === "1") {
        return ("WEBSITE_RUN_FROM_PACKAGE=1 runs a package stored in the slot's own file system (data/SitePackages), " +
            `which cannot be mirrored to another slot; ${SUPPORTED}. Deploy the build to staging yourself, or set \`refresh: none\`.`);
    }
    if (runFromPackage !== "") {
        // The value may be a path or a URL with a secret in it: describe it, never print it.
        return `WEBSITE_RUN_FROM_PACKAGE is set, but not to an http(s) URL; ${SUPPORTED}.`;
    }
    if (windowsFxVersion && /^DOCKER\|/i.test(windowsFxVersion)) {
        return `the slot runs a Windows container (windowsFxVersion), which the refresh does not mirror; ${SUPPORTED}.`;
    }
    if (/^SITECONTAINERS$/i.test(linuxFxVersion)) {
        // A Linux sidecar app: its main container (image and tag) and its sidecars are site container
        // resources (`…/sitecontainers/{name}`, `isMain` marks the main one), not linuxFxVersion.
        // @azure/arm-appservice 18 has the API (webApps.listSiteContainers[Slot],
        // createOrUpdateSiteContainer[Slot]), so a mirror is possible in principle, but not cleanly
        // here: a Deployment (release/ports.ts) is a linuxFxVersion or a package URL, and a faithful
        // copy would be every container of the slot (sidecars, environment, volume mounts), not one image.
        return ("the slot runs a sidecar app (linuxFxVersion `SITECONTAINERS`): its main container's image is set through the site containers API " +
            "(Microsoft.Web/sites/sitecontainers), not linuxFxVersion, and the refresh does not mirror site containers " +
            `(deploy the build to the staging slot's main container yourself, or set \`refresh: none\`); ${SUPPORTED}`);
    }
    if (/^COMPOSE\|/i.test(linuxFxVersion)) {
        return `the slot runs a Docker Compose multi-container app (linuxFxVersion \`COMPOSE|…\`), which the refresh does not mirror; ${SUPPORTED}.`;
    }
    if (linuxFxVersion !== "") {
        return `the slot runs code deployed into its file system on the ${linuxFxVersion.split("|")[0]} stack (linuxFxVersion \`${linuxFxVersion}\`), which cannot be mirrored; ${SUPPORTED}.`;
    }
    return `the slot has neither a container image nor a package URL (code deployed into its file system cannot be mirrored); ${SUPPORTED}.`;
}


/***/ }),

/***/ 140:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   f: () => (/* binding */ attemptTimeoutPolicy)
/* harmony export */ });
/* unused harmony export DEFAULT_ATTEMPT_TIMEOUT_MS */
/* harmony import */ var _azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4792);
/**
 * A time limit on every attempt of every Azure SDK request. The SDK's own `timeout` option ends a
 * request with an `AbortError`, which its retry policy does not retry, and it stops counting once
 * the headers have arrived; a hung body would still stall the run. This policy runs after the
 * retry policy, so each attempt gets its own limit, headers and body included, and a timed-out
 * attempt fails like a dropped connection (`ETIMEDOUT`), which the retry policy retries with back-off.
 */

/** The policy's name in the pipeline. */
const ATTEMPT_TIMEOUT_POLICY = "regionalSlotSwapAttemptTimeout";
/** Default limit of one attempt: ARM answers in well under a second; 30 s is a dead socket. */
const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;
/**
 * Limits each attempt to `timeoutMs`. The caller's own `abortSignal` (cancellation) still wins: it
 * ends the attempt with the caller's abort, not with a retryable timeout.
 */
function attemptTimeoutPolicy(timeoutMs = DEFAULT_ATTEMPT_TIMEOUT_MS) {
    return {
        name: ATTEMPT_TIMEOUT_POLICY,
        async sendRequest(request, next) {
            const callerSignal = request.abortSignal;
            const timeout = AbortSignal.timeout(timeoutMs);
            const combined = new AbortController();
            const abort = () => combined.abort();
            timeout.addEventListener("abort", abort, { once: true });
            if (callerSignal?.aborted)
                combined.abort();
            callerSignal?.addEventListener("abort", abort, { once: true });
            request.abortSignal = combined.signal;
            try {
                return await next(request);
            }
            catch (error) {
                if (timeout.aborted && callerSignal?.aborted !== true) {
                    throw new _azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__/* .RestError */ .pj(`no answer from ${request.url.split("?")[0]} within ${timeoutMs / 1000}s`, {
                        code: "ETIMEDOUT",
                        request,
                    });
                }
                throw error;
            }
            finally {
                timeout.removeEventListener("abort", abort);
                callerSignal?.removeEventListener("abort", abort);
                request.abortSignal = callerSignal;
            }
        },
    };
}


/***/ }),

/***/ 9422:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CLOUD_METADATA_API_VERSION: () => (/* binding */ CLOUD_METADATA_API_VERSION),
/* harmony export */   CLOUD_METADATA_ATTEMPT_TIMEOUT_MS: () => (/* binding */ CLOUD_METADATA_ATTEMPT_TIMEOUT_MS),
/* harmony export */   withCloudMetadata: () => (/* binding */ withCloudMetadata)
/* harmony export */ });
/* harmony import */ var _azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4792);
/* harmony import */ var _error_message_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(6587);
/* harmony import */ var _settings_azure_sign_in_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4044);
/* harmony import */ var _settings_problems_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1477);
/* harmony import */ var _settings_values_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(535);
/* harmony import */ var _arm_error_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9758);
/* harmony import */ var _arm_pipeline_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3832);
/* harmony import */ var _attempt_timeout_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(140);
/**
 * The endpoints of a cloud the action has no table for (Azure Stack Hub, a private cloud), read
 * from its Resource Manager as the Azure CLI does for `az cloud register --endpoint-resource-manager`:
 * `GET {arm}/metadata/endpoints?api-version=2022-09-01` names the Entra login endpoint and the
 * token audiences of ARM (Azure/azure-cli, src/azure-cli/azure/cli/command_modules/cloud/custom.py,
 * `_populate_from_metadata_endpoint`, mapped by `_arm_to_cli_mapper` in azure-cli-core's cloud.py:
 * `authentication.loginEndpoint` is the authority, `authentication.audiences[0]` the ARM resource).
 * Azure Stack Hub's audience is not its ARM URL, so a token for `{arm-endpoint}/.default` is refused there.
 */








/** The api-version the Azure CLI reads a cloud's metadata with. */
const CLOUD_METADATA_API_VERSION = "2022-09-01";
/** Time allowed for each attempt; ARM answers this document at once, and 10 s is a dead socket. */
const CLOUD_METADATA_ATTEMPT_TIMEOUT_MS = 10_000;
/** Attempts after the first, backing off 1 s, 2 s, 4 s: a hung ARM costs well under a minute. */
const CLOUD_METADATA_RETRIES = 3;
/**
 * The sign-in settings completed from the cloud's metadata when `readCloudMetadata` is set: the
 * authority host, whether it is custom, and ARM's token audience. Otherwise the settings as given.
 * Throws a `SettingsError` naming `arm-endpoint` when the document cannot be read or makes no sense.
 */
async function withCloudMetadata(settings, signal, limits = {}) {
    if (!settings.readCloudMetadata)
        return settings;
    const url = `${settings.armEndpoint}/metadata/endpoints?api-version=${CLOUD_METADATA_API_VERSION}`;
    const fail = (message) => new _settings_problems_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN([
        {
            where: "input arm-endpoint",
            message: `the cloud's endpoints could not be read from ${url}: ${message}.`,
            hint: "Check that arm-endpoint is the Resource Manager URL of your Azure Stack Hub or private cloud, or set authority-host to sign in without reading them.",
        },
    ]);
    const response = await (0,_arm_pipeline_js__WEBPACK_IMPORTED_MODULE_5__/* .getAnswer */ .PF)((request) => metadataPipeline(limits).sendRequest((0,_azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__/* .createDefaultHttpClient */ .fl)(), request), url, signal, (error) => fail(`no answer (${(0,_error_message_js__WEBPACK_IMPORTED_MODULE_7__/* .messageOf */ .b)(error)})`));
    if (response.status !== 200) {
        throw fail(`Resource Manager answered ${response.status}`);
    }
    let document;
    try {
        document = JSON.parse(response.bodyAsText ?? "");
    }
    catch {
        throw fail("the answer is not JSON");
    }
    const endpoints = cloudEndpointsOf(document, settings.armEndpoint);
    if (typeof endpoints === "string")
        throw fail(endpoints);
    return {
        ...settings,
        authorityHost: endpoints.loginEndpoint,
        customAuthority: !(0,_settings_azure_sign_in_js__WEBPACK_IMPORTED_MODULE_1__/* .isKnownAuthorityHost */ .tX)(endpoints.loginEndpoint),
        armAudience: endpoints.audience,
    };
}
function metadataPipeline(limits) {
    const pipeline = (0,_azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__/* .createEmptyPipeline */ .O8)();
    pipeline.addPolicy((0,_azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__/* .defaultRetryPolicy */ .ur)({
        maxRetries: limits.retries ?? CLOUD_METADATA_RETRIES,
        retryDelayInMs: limits.retryDelayMs ?? 1_000,
        maxRetryDelayInMs: 8_000,
    }));
    // After the retry policy, so that each attempt has its own limit and a timed-out one is retried.
    pipeline.addPolicy((0,_attempt_timeout_js__WEBPACK_IMPORTED_MODULE_6__/* .attemptTimeoutPolicy */ .f)(limits.attemptTimeoutMs ?? CLOUD_METADATA_ATTEMPT_TIMEOUT_MS));
    return pipeline;
}
/**
 * The login endpoint and ARM audience in a metadata document, or what is wrong with it. A custom
 * cloud answers one cloud object; Azure's public ARM answers an array of every national cloud,
 * of which the one whose `resourceManager` is `armEndpoint` is meant.
 */
function cloudEndpointsOf(document, armEndpoint) {
    let cloud = document;
    if (Array.isArray(document)) {
        const same = document.filter((entry) => (0,_settings_azure_sign_in_js__WEBPACK_IMPORTED_MODULE_1__/* .sameUrl */ .cl)((0,_arm_error_js__WEBPACK_IMPORTED_MODULE_4__/* .jsonField */ .Ni)(entry, "resourceManager"), armEndpoint));
        cloud = same.length === 1 ? same[0] : document.length === 1 ? document[0] : undefined;
        if (cloud === undefined)
            return `none of its ${document.length} clouds has resourceManager ${armEndpoint}`;
    }
    const authentication = (0,_arm_error_js__WEBPACK_IMPORTED_MODULE_4__/* .jsonField */ .Ni)(cloud, "authentication");
    const loginEndpoint = (0,_arm_error_js__WEBPACK_IMPORTED_MODULE_4__/* .jsonField */ .Ni)(authentication, "loginEndpoint");
    const audiences = (0,_arm_error_js__WEBPACK_IMPORTED_MODULE_4__/* .jsonField */ .Ni)(authentication, "audiences");
    const audience = Array.isArray(audiences) ? audiences[0] : undefined;
    if (typeof loginEndpoint !== "string" || loginEndpoint === "") {
        return "it has no authentication.loginEndpoint";
    }
    const login = (0,_settings_values_js__WEBPACK_IMPORTED_MODULE_3__/* .parseHttpsUrl */ .mX)(loginEndpoint);
    if (!login.ok)
        return `its authentication.loginEndpoint ${login.message.replace(/\.$/, "")}`;
    if (typeof audience !== "string" || audience.trim() === "") {
        return "it has no authentication.audiences";
    }
    return { loginEndpoint: login.value, audience: audience.trim() };
}


/***/ }),

/***/ 8249:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AzureMonitorMetrics: () => (/* binding */ AzureMonitorMetrics),
/* harmony export */   METRICS_API_VERSION: () => (/* binding */ METRICS_API_VERSION),
/* harmony export */   durationMs: () => (/* binding */ durationMs),
/* harmony export */   parseMetricsAnswer: () => (/* binding */ parseMetricsAnswer)
/* harmony export */ });
/* harmony import */ var _azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4792);
/* harmony import */ var _release_ports_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9541);
/* harmony import */ var _arm_error_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9758);
/* harmony import */ var _arm_pipeline_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3832);
/* harmony import */ var _sign_in_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5428);
/**
 * Azure Monitor platform metrics of a slot (`Microsoft.Insights/metrics`), read through Azure
 * Resource Manager with one GET per evaluation.
 *
 * Why not `@azure/arm-monitor`: the analysis needs one request of one operation, and that SDK
 * would bring a second generated client (its models, mappers and serializers for every
 * Microsoft.Insights resource) into the bundle that every run loads, cold start included. This
 * module sends the same request through `@azure/core-rest-pipeline`, which the action already
 * ships, with the same sign-in, retries and per-attempt time limit as the App Service client
 * (see {@link armPipeline}), and reads the answer defensively: it is data from the network, so
 * nothing in it is trusted to have the documented shape.
 */





/** The api-version of the metrics request: the newest stable one of Microsoft.Insights metrics. */
const METRICS_API_VERSION = "2023-10-01";
/** The grain asked for; Azure answers the grain it used in `interval`. */
const REQUESTED_INTERVAL = "PT1M";
const ONE_MINUTE_MS = 60_000;
/**
 * Reads `Http5xx`, `Requests`, `HttpResponseTime`, … of one slot as Azure Monitor answers them:
 * Azure's names and units (the core converts), one point per grain, and a grain Azure has not
 * published yet (a `timeStamp` with neither `total` nor `average`) stays without values, never 0.
 */
class AzureMonitorMetrics {
    sender;
    armEndpoint;
    apiVersion;
    constructor(credential, options) {
        this.armEndpoint = options.armEndpoint.replace(/\/+$/, "");
        this.apiVersion = options.metricsApiVersion ?? METRICS_API_VERSION;
        this.sender = (0,_arm_pipeline_js__WEBPACK_IMPORTED_MODULE_2__/* .armPipeline */ .zG)(credential, {
            tokenScope: (0,_sign_in_js__WEBPACK_IMPORTED_MODULE_3__.armTokenScope)(options.armAudience ?? this.armEndpoint),
            attemptTimeoutMs: options.attemptTimeoutMs,
            budget: options.budget,
        });
    }
    async read(slot, query, signal) {
        signal.throwIfAborted();
        const operation = `reading the Azure Monitor metrics of ${slot.app}/${slot.slot}`;
        const url = this.metricsUrl(slot, query, operation);
        const where = { ...slot, reading: "metrics" };
        const response = await (0,_arm_pipeline_js__WEBPACK_IMPORTED_MODULE_2__/* .getAnswer */ .PF)((request) => this.sender.sendRequest(request), url, signal, (error) => (0,_arm_error_js__WEBPACK_IMPORTED_MODULE_1__/* .armFailure */ .Fw)(operation, error, where));
        if (response.status !== 200) {
            throw (0,_arm_error_js__WEBPACK_IMPORTED_MODULE_1__/* .armFailure */ .Fw)(operation, answerError(response), where);
        }
        return parseMetricsAnswer(response.bodyAsText, operation);
    }
    metricsUrl(slot, query, operation) {
        const names = query.metricNames.map((name) => name.trim()).filter((name) => name !== "");
        if (names.length === 0)
            throw new Error(`${operation}: no metric names were asked for`);
        if (!Number.isFinite(query.fromMs) ||
            !Number.isFinite(query.toMs) ||
            query.fromMs >= query.toMs) {
            throw new Error(`${operation}: the timespan must start before it ends (from ${query.fromMs} to ${query.toMs})`);
        }
        const segment = encodeURIComponent;
        const site = `/subscriptions/${segment(slot.subscriptionId)}/resourceGroups/${segment(slot.resourceGroup)}/providers/Microsoft.Web/sites/${segment(slot.app)}`;
        const resource = slot.slot === _release_ports_js__WEBPACK_IMPORTED_MODULE_4__/* .PRODUCTION_SLOT */ .P ? site : `${site}/slots/${segment(slot.slot)}`;
        const timespan = `${new Date(query.fromMs).toISOString()}/${new Date(query.toMs).toISOString()}`;
        // Each value percent-encoded; the commas between metric names stay, as Azure documents them.
        const parameters = [
            `api-version=${segment(this.apiVersion)}`,
            `metricnames=${names.map(segment).join(",")}`,
            `timespan=${segment(timespan)}`,
            `interval=${REQUESTED_INTERVAL}`,
            "aggregation=Total,Average",
        ].join("&");
        return `${this.armEndpoint}${resource}/providers/Microsoft.Insights/metrics?${parameters}`;
    }
}
/** A refusal as the SDK would have thrown it, so that arm-error reads its status and body alike. */
function answerError(response) {
    return new _azure_core_rest_pipeline__WEBPACK_IMPORTED_MODULE_0__/* .RestError */ .pj(`Azure Monitor answered ${response.status}`, {
        statusCode: response.status,
        request: response.request,
        response,
    });
}
/**
 * Azure Monitor's answer, `{interval, value: [{name: {value}, unit, timeseries: [{data: [{timeStamp,
 * total, average}]}]}]}`, as a {@link MetricsAnswer}. Items, series and points that are not what
 * the documentation says are left out; only a body that is not a metrics answer at all is an error.
 */
function parseMetricsAnswer(bodyText, operation) {
    let body;
    try {
        body = JSON.parse(bodyText ?? "");
    }
    catch {
        throw new Error(`${operation} failed: Azure Monitor's answer is not JSON`);
    }
    const items = (0,_arm_error_js__WEBPACK_IMPORTED_MODULE_1__/* .jsonField */ .Ni)(body, "value");
    if (!Array.isArray(items)) {
        throw new Error(`${operation} failed: Azure Monitor's answer has no list of metrics (\`value\`)`);
    }
    const series = [];
    for (const item of items) {
        const name = (0,_arm_error_js__WEBPACK_IMPORTED_MODULE_1__/* .jsonField */ .Ni)((0,_arm_error_js__WEBPACK_IMPORTED_MODULE_1__/* .jsonField */ .Ni)(item, "name"), "value");
        if (typeof name !== "string" || name === "")
            continue;
        const failed = metricError(item);
        if (failed !== undefined)
            throw new Error(`${operation} failed: metric ${name}: ${failed}`);
        const unit = (0,_arm_error_js__WEBPACK_IMPORTED_MODULE_1__/* .jsonField */ .Ni)(item, "unit");
        series.push({
            name,
            unit: typeof unit === "string" && unit !== "" ? unit : "Unspecified",
            points: mergedPoints((0,_arm_error_js__WEBPACK_IMPORTED_MODULE_1__/* .jsonField */ .Ni)(item, "timeseries")),
        });
    }
    const points = series.flatMap((one) => one.points);
    return {
        grainMs: durationMs((0,_arm_error_js__WEBPACK_IMPORTED_MODULE_1__/* .jsonField */ .Ni)(body, "interval")) ?? smallestStep(points) ?? ONE_MINUTE_MS,
        series,
    };
}
/** A metric Azure could not read carries `errorCode` other than `Success` and an `errorMessage`. */
function metricError(item) {
    const code = (0,_arm_error_js__WEBPACK_IMPORTED_MODULE_1__/* .jsonField */ .Ni)(item, "errorCode");
    if (typeof code !== "string" || code === "" || /^success$/i.test(code))
        return undefined;
    const message = (0,_arm_error_js__WEBPACK_IMPORTED_MODULE_1__/* .jsonField */ .Ni)(item, "errorMessage");
    return typeof message === "string" && message !== "" ? `${code}: ${message}` : code;
}
/**
 * The points of every timeseries of one metric, one per grain, oldest first. Without a dimension
 * filter Azure answers one timeseries; should there be several (one per dimension value), totals
 * of a grain add up and averages are averaged (unweighted: Azure's counts per series are not asked
 * for). A value is only ever copied from a series that has it: an unpublished grain stays empty.
 */
function mergedPoints(timeseries) {
    const grains = new Map();
    for (const one of Array.isArray(timeseries) ? timeseries : []) {
        const data = (0,_arm_error_js__WEBPACK_IMPORTED_MODULE_1__/* .jsonField */ .Ni)(one, "data");
        for (const datum of Array.isArray(data) ? data : []) {
            const stamp = (0,_arm_error_js__WEBPACK_IMPORTED_MODULE_1__/* .jsonField */ .Ni)(datum, "timeStamp");
            const at = typeof stamp === "string" ? Date.parse(stamp) : Number.NaN;
            if (!Number.isFinite(at))
                continue;
            let grain = grains.get(at);
            if (grain === undefined) {
                grain = { totals: [], averages: [] };
                grains.set(at, grain);
            }
            const total = (0,_arm_error_js__WEBPACK_IMPORTED_MODULE_1__/* .jsonField */ .Ni)(datum, "total");
            const average = (0,_arm_error_js__WEBPACK_IMPORTED_MODULE_1__/* .jsonField */ .Ni)(datum, "average");
            if (typeof total === "number" && Number.isFinite(total))
                grain.totals.push(total);
            if (typeof average === "number" && Number.isFinite(average))
                grain.averages.push(average);
        }
    }
    return [...grains.entries()]
        .sort(([a], [b]) => a - b)
        .map(([at, { totals, averages }]) => {
        const point = { at };
        if (totals.length > 0)
            point.total = sum(totals);
        if (averages.length > 0)
            point.average = sum(averages) / averages.length;
        return point;
    });
}
function sum(values) {
    return values.reduce((a, b) => a + b, 0);
}
/** Without an `interval` in the answer, the grain is the smallest step between two points. */
function smallestStep(points) {
    const stamps = [...new Set(points.map((point) => point.at))].sort((a, b) => a - b);
    let smallest;
    for (let index = 1; index < stamps.length; index++) {
        const step = stamps[index] - stamps[index - 1];
        if (smallest === undefined || step < smallest)
            smallest = step;
    }
    return smallest;
}
const DURATION = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
/**
 * An ISO 8601 duration of days, hours, minutes and seconds (`PT1M`, `PT1S`, `PT5M`, `PT1H`,
 * `P1D`) in milliseconds; `undefined` for anything else (`FULL`, weeks, months, zero).
 */
function durationMs(value) {
    if (typeof value !== "string")
        return undefined;
    const found = DURATION.exec(value.trim());
    if (found === null || found.slice(1).every((part) => part === undefined))
        return undefined;
    const [days, hours, minutes, seconds] = found.slice(1).map((part) => Number(part ?? 0));
    const ms = Math.round(((days * 24 + hours) * 60 + minutes) * 60_000 + seconds * 1000);
    return ms > 0 ? ms : undefined;
}


/***/ }),

/***/ 5428:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AZURE_OIDC_AUDIENCE: () => (/* binding */ AZURE_OIDC_AUDIENCE),
/* harmony export */   CancellableCredential: () => (/* binding */ CancellableCredential),
/* harmony export */   ENTRA_ATTEMPT_TIMEOUT_MS: () => (/* binding */ ENTRA_ATTEMPT_TIMEOUT_MS),
/* harmony export */   GITHUB_OIDC_TIMEOUT_MS: () => (/* binding */ GITHUB_OIDC_TIMEOUT_MS),
/* harmony export */   armTokenScope: () => (/* binding */ armTokenScope),
/* harmony export */   createAzureCredential: () => (/* binding */ createAzureCredential)
/* harmony export */ });
/* harmony import */ var _error_message_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6587);
/* harmony import */ var _azure_identity__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3016);
/* harmony import */ var _release_deadline_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1753);
/* harmony import */ var _settings_azure_sign_in_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4044);
/* harmony import */ var _attempt_timeout_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(140);





/** The audience Microsoft Entra expects in a GitHub OIDC token in the public cloud (`oidc-audience` picks another). */
const AZURE_OIDC_AUDIENCE = _settings_azure_sign_in_js__WEBPACK_IMPORTED_MODULE_1__/* .AZURE_CLOUDS */ .hb.AzureCloud.oidcAudience;
/**
 * Time allowed for each attempt of a request to Microsoft Entra. Entra answers in well under a
 * second; a timed-out attempt is retried (three times, backing off), so an Entra that never
 * answers costs a run about a minute before sign-in fails, instead of as long as a socket stays open.
 */
const ENTRA_ATTEMPT_TIMEOUT_MS = 15_000;
/** Time allowed for GitHub to issue an OIDC token; `getIDToken` of @actions/core has no limit of its own. */
const GITHUB_OIDC_TIMEOUT_MS = 20_000;
/** The token scope of Azure Resource Manager at `armEndpoint`: both sign-in and the ARM client need it. */
function armTokenScope(armEndpoint) {
    return `${armEndpoint.replace(/\/+$/, "")}/.default`;
}
/**
 * Builds the credential the inputs ask for: GitHub OIDC federation, client secret, or the default
 * chain. Every request to Entra has a time limit per attempt, the GitHub OIDC token one in all, and
 * a token request stops being waited for when the caller's `abortSignal` aborts.
 */
function createAzureCredential(settings, deps, limits = {}) {
    return new CancellableCredential(signInCredential(settings, deps, limits));
}
function signInCredential(settings, deps, limits) {
    // After the retry policy, so that each attempt has its own limit and a timed-out one is retried.
    const bounded = {
        additionalPolicies: [
            {
                policy: (0,_attempt_timeout_js__WEBPACK_IMPORTED_MODULE_2__/* .attemptTimeoutPolicy */ .f)(limits.entraAttemptTimeoutMs ?? ENTRA_ATTEMPT_TIMEOUT_MS),
                position: "perRetry",
            },
        ],
    };
    // Outside the public clouds MSAL would first ask login.microsoftonline.com to validate the
    // authority ("instance discovery"), which fails for Azure Stack, private clouds and the simulator.
    const entraOptions = {
        ...bounded,
        authorityHost: settings.authorityHost,
        disableInstanceDiscovery: settings.customAuthority,
    };
    switch (settings.method) {
        case "oidc": {
            const { tenantId, clientId } = requireApp(settings, "GitHub OIDC");
            const timeoutMs = limits.oidcTimeoutMs ?? GITHUB_OIDC_TIMEOUT_MS;
            // MSAL calls this for every token request (msal-node resolves a callback assertion in
            // acquireTokenByClientCredential), so each refresh of the ARM token presents a fresh GitHub
            // token: a release may outlive the few minutes a GitHub OIDC token is valid.
            const audience = settings.oidcAudience || AZURE_OIDC_AUDIENCE;
            const getAssertion = () => githubOidcToken(deps, audience, timeoutMs);
            return new _azure_identity__WEBPACK_IMPORTED_MODULE_0__/* .ClientAssertionCredential */ .XI(tenantId, clientId, getAssertion, entraOptions);
        }
        case "client-secret": {
            const { tenantId, clientId } = requireApp(settings, "a client secret");
            if (!settings.clientSecret) {
                throw new Error("sign-in with a client secret needs the `client-secret` input; it is empty.");
            }
            return new _azure_identity__WEBPACK_IMPORTED_MODULE_0__/* .ClientSecretCredential */ .HC(tenantId, clientId, settings.clientSecret, entraOptions);
        }
        case "default-chain":
            return new _azure_identity__WEBPACK_IMPORTED_MODULE_0__/* .DefaultAzureCredential */ .gv({
                ...bounded,
                ...(settings.customAuthority ? entraOptions : {}),
                ...(settings.tenantId ? { tenantId: settings.tenantId } : {}),
            });
    }
}
/** GitHub's OIDC token for Entra, within `timeoutMs`: a hung token service must not hold the run. */
async function githubOidcToken(deps, audience, timeoutMs) {
    const limit = AbortSignal.timeout(timeoutMs);
    const problem = `could not get a GitHub OIDC token for audience ${audience}`;
    try {
        return await (0,_release_deadline_js__WEBPACK_IMPORTED_MODULE_3__/* .untilAborted */ .Eu)(deps.getIdToken(audience), limit);
    }
    catch (error) {
        if (limit.aborted) {
            throw new Error(`${problem}: GitHub did not answer within ${timeoutMs / 1000} s. Run the job again; GitHub's token service may be having trouble.`, { cause: error });
        }
        throw new Error(`${problem}: ${(0,_error_message_js__WEBPACK_IMPORTED_MODULE_4__/* .messageOf */ .b)(error)}. ` +
            "Give the job `permissions: id-token: write`, or set the `client-secret` input to sign in with a secret.", { cause: error });
    }
}
/**
 * A credential whose token requests stop being waited for as soon as the caller's `abortSignal`
 * aborts (a cancelled run, or the ARM attempt's own time limit): @azure/identity does not pass
 * that signal on to MSAL's client-credential requests, so without this a token request to a hung
 * Entra would hold a cancelled run until its attempts ran out.
 */
class CancellableCredential {
    inner;
    constructor(inner) {
        this.inner = inner;
    }
    /** The inner credential's token, or the abort's reason as soon as `options.abortSignal` aborts. */
    getToken(scopes, options) {
        const token = this.inner.getToken(scopes, options);
        // The pipeline passes DOM AbortSignals; core-auth only types them as AbortSignalLike.
        const signal = options?.abortSignal;
        return signal === undefined ? token : (0,_release_deadline_js__WEBPACK_IMPORTED_MODULE_3__/* .untilAborted */ .Eu)(token, signal);
    }
}
function requireApp(settings, how) {
    const missing = [
        settings.tenantId ? undefined : "`tenant-id`",
        settings.clientId ? undefined : "`client-id`",
    ].filter((name) => name !== undefined);
    if (missing.length > 0 || !settings.tenantId || !settings.clientId) {
        throw new Error(`sign-in with ${how} needs the ${missing.join(" and ")} input${missing.length > 1 ? "s" : ""} ` +
            "of the Microsoft Entra application; set them, or leave `client-id` empty to use the default credential chain.");
    }
    return { tenantId: settings.tenantId, clientId: settings.clientId };
}


/***/ }),

/***/ 6090:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BM: () => (/* binding */ regionTally),
/* harmony export */   Dc: () => (/* binding */ runDurationSeconds),
/* harmony export */   LS: () => (/* binding */ plural),
/* harmony export */   RF: () => (/* binding */ outcomeEmoji),
/* harmony export */   TN: () => (/* binding */ oneLine),
/* harmony export */   e0: () => (/* binding */ buildText),
/* harmony export */   xv: () => (/* binding */ truncate)
/* harmony export */ });
/* harmony import */ var _release_untrusted_text_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8087);
/* harmony import */ var _invisible_characters_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6081);
/* harmony import */ var _redact_secrets_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6166);



/**
 * Small wording rules shared by every renderer, so that Slack, the job summary and the log
 * say the same thing the same way.
 */
/** One symbol per outcome, so a reader sees at a glance which regions need attention. */
function outcomeEmoji(outcome) {
    switch (outcome) {
        case "released":
            return "✅";
        case "already-released":
            return "☑️";
        case "planned":
            return "📝";
        case "rolled-back":
            return "↩️";
        case "failed":
            return "❌";
        case "cancelled":
            return "🛑";
        case "not-started":
            return "⏸️";
    }
}
/**
 * A build as a status page reported it, on one line and at most {@link MAX_BUILD_CHARS} long
 * (a page is data, and may hold anything); `?` where the page could not be read.
 */
function buildText(build) {
    return build == null ? "?" : truncate((0,_invisible_characters_js__WEBPACK_IMPORTED_MODULE_1__/* .escapeInvisible */ .t)(build), _release_untrusted_text_js__WEBPACK_IMPORTED_MODULE_0__/* .MAX_BUILD_CHARS */ .W);
}
/**
 * Free text the run did not write itself (an error from Azure or a status page) on one line:
 * line breaks as spaces, credentials removed, other control characters written out.
 */
function oneLine(text) {
    return (0,_invisible_characters_js__WEBPACK_IMPORTED_MODULE_1__/* .escapeInvisible */ .t)((0,_redact_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .redactSecrets */ .f)(text.replace(/\s*\r?\n\s*/g, " ").trim()));
}
/** How long the whole run took, from the report's timestamps; `undefined` when they do not parse. */
function runDurationSeconds(report) {
    const started = Date.parse(report.startedAt);
    const finished = Date.parse(report.finishedAt);
    if (Number.isNaN(started) || Number.isNaN(finished) || finished < started)
        return undefined;
    return (finished - started) / 1000;
}
/** `1 service` / `3 services`. */
function plural(count, noun) {
    return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
/** Counts regions per outcome in report order, e.g. `2 released, 1 rolled-back, 3 not-started`. */
function regionTally(report) {
    const counts = new Map();
    for (const region of report.regions) {
        counts.set(region.outcome, (counts.get(region.outcome) ?? 0) + 1);
    }
    return [...counts].map(([outcome, count]) => `${count} ${outcome}`).join(", ");
}
/** Cuts `text` to at most `max` characters, marking the cut. */
function truncate(text, max) {
    if (text.length <= max)
        return text;
    return `${text.slice(0, Math.max(0, max - 1))}…`;
}


/***/ }),

/***/ 7859:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GitHubDeployments: () => (/* binding */ GitHubDeployments),
/* harmony export */   createDeploymentsOctokit: () => (/* binding */ createDeploymentsOctokit),
/* harmony export */   deploymentStateFor: () => (/* binding */ deploymentStateFor),
/* harmony export */   gitHubDeploymentsForRun: () => (/* binding */ gitHubDeploymentsForRun)
/* harmony export */ });
/* harmony import */ var _error_message_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6587);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
/* harmony import */ var _format_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6090);
/* harmony import */ var _workflow_run_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8444);




/** GitHub caps a status description at 140 characters. */
const DESCRIPTION_LIMIT = 140;
/** GitHub answers these calls in well under a second; ten is a connection that will not answer. */
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const CANCELLED = "the run was cancelled and stopped waiting for GitHub";
/**
 * The status a region's deployment ends with, and why:
 * - `released` / `already-released` → `success`: production runs the build.
 * - `rolled-back` / `failed` → `failure`: the build did not make it into production (or did and
 *   is unhealthy with `rollback: none`); the deployment must read as failed, not as withdrawn.
 * - `cancelled` → `error`: the run was interrupted mid-region, so production may run a mix of
 *   builds. `inactive` would file it away quietly as "no longer live"; `error` asks for a look.
 * - `not-started` / `planned` → `inactive`: nothing was swapped, so the record is withdrawn
 *   rather than shown as a failure of something that never happened.
 */
function deploymentStateFor(outcome) {
    switch (outcome) {
        case "released":
        case "already-released":
            return "success";
        case "rolled-back":
        case "failed":
            return "failure";
        case "cancelled":
            return "error";
        case "not-started":
        case "planned":
            return "inactive";
    }
}
/**
 * Records one GitHub deployment per region in environment `<prefix><region>`, so the
 * repository's Environments page shows which build each region runs. A failed API call is a
 * warning and never a throw: a missing record must not change the release.
 */
class GitHubDeployments {
    octokit;
    options;
    // A promise per region, so a finish that races its start still finds the deployment; kept
    // after the finish so a later rollback (`rollback: all`) updates the same record.
    deployments = new Map();
    constructor(octokit, options) {
        this.octokit = octokit;
        this.options = options;
    }
    /** Hears the run: a region's start and end are recorded; other events are not GitHub's business. */
    async handle(event) {
        if (event.kind === "RegionStarted")
            await this.regionStarted(event.region);
        if (event.kind === "RegionFinished")
            await this.regionFinished(event.region, event.outcome);
    }
    /** Creates the region's deployment and marks it `in_progress`. */
    async regionStarted(region) {
        const created = this.createDeployment(region);
        this.deployments.set(region, created);
        const id = await created;
        if (id === undefined)
            return;
        await this.setStatus(region, id, "in_progress", `Releasing ${this.options.build} to ${region}`);
    }
    /** Gives the region's deployment its final status (see {@link deploymentStateFor}). */
    async regionFinished(region, outcome) {
        // A region that never started has no record to close; starting one now would claim a
        // deployment that did not happen.
        const id = await this.deployments.get(region);
        if (id === undefined)
            return;
        await this.setStatus(region, id, deploymentStateFor(outcome), this.finalDescription(region, outcome));
    }
    async createDeployment(region) {
        const { owner, repo, ref, environmentPrefix, build } = this.options;
        if (this.stopped(region, "create the deployment"))
            return undefined;
        try {
            const response = await this.octokit.rest.repos.createDeployment({
                owner,
                repo,
                ref,
                environment: `${environmentPrefix}${region}`,
                description: (0,_format_js__WEBPACK_IMPORTED_MODULE_1__/* .truncate */ .xv)(`Release ${build} to ${region}`, DESCRIPTION_LIMIT),
                payload: { build, region },
                // The release swaps slots that already run the build: merging or gating on commit
                // statuses here could only refuse to record what is happening anyway.
                auto_merge: false,
                required_contexts: [],
                transient_environment: false,
                production_environment: true,
                request: { signal: this.requestSignal() },
            });
            const id = deploymentId(response.data);
            if (id === undefined) {
                // 202 is GitHub's answer when it merged instead of deploying; it carries only a message.
                const message = apiMessageOf(response.data);
                this.warn(region, "create the deployment", `GitHub answered ${response.status}${message ? ` ${message}` : ""} without a deployment`);
            }
            return id;
        }
        catch (error) {
            this.warn(region, "create the deployment", this.describeFailure(error));
            return undefined;
        }
    }
    async setStatus(region, id, state, description) {
        const { owner, repo, runUrl } = this.options;
        if (this.stopped(region, `set its status to ${state}`))
            return;
        try {
            await this.octokit.rest.repos.createDeploymentStatus({
                owner,
                repo,
                deployment_id: id,
                state,
                description: (0,_format_js__WEBPACK_IMPORTED_MODULE_1__/* .truncate */ .xv)(description, DESCRIPTION_LIMIT),
                ...(runUrl === undefined ? {} : { log_url: runUrl }),
                request: { signal: this.requestSignal() },
            });
        }
        catch (error) {
            this.warn(region, `set its status to ${state}`, this.describeFailure(error));
        }
    }
    finalDescription(region, outcome) {
        const { build } = this.options;
        switch (outcome) {
            case "released":
                return `${build} released in ${region}`;
            case "already-released":
                return `${build} was already released in ${region}`;
            case "rolled-back":
                return `${build} rolled back in ${region}: production is back on its previous build`;
            case "failed":
                return `${build} failed in ${region}; see the run`;
            case "cancelled":
                return `Release of ${build} cancelled in ${region}; production may run a mix of builds`;
            case "not-started":
            case "planned":
                return `${build} was not released in ${region}`;
        }
    }
    /** Ends one API call when its time is up or the run stops waiting for GitHub. */
    requestSignal() {
        const timeout = AbortSignal.timeout(this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
        const { signal } = this.options;
        return signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    }
    /** True, after a warning, when the run no longer waits for GitHub: the call is not made. */
    stopped(region, action) {
        if (this.options.signal?.aborted !== true)
            return false;
        this.warn(region, action, CANCELLED);
        return true;
    }
    describeFailure(error) {
        return this.options.signal?.aborted === true ? CANCELLED : describeApiError(error);
    }
    warn(region, action, reason) {
        try {
            this.options.log.warning(`GitHub deployment of region ${region} not recorded: could not ${action}: ${reason}`);
        }
        catch {
            // The listener must not throw, even if the log does.
        }
    }
}
/** Builds the Octokit the deployments use; `GITHUB_API_URL` points it at GitHub Enterprise Server. */
function createDeploymentsOctokit(token, env) {
    const baseUrl = env.GITHUB_API_URL?.trim() || "https://api.github.com";
    return (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(token, { baseUrl });
}
/**
 * Wires {@link GitHubDeployments} to this run: owner and repository from `GITHUB_REPOSITORY`,
 * the commit from `GITHUB_SHA` (else `GITHUB_REF`). Returns `undefined` after a warning when the
 * run context cannot say where to record, so the release goes on without records.
 */
function gitHubDeploymentsForRun(octokit, ctx, settings) {
    const [owner, repo, ...rest] = ctx.repository.split("/");
    const ref = ctx.sha ?? ctx.ref;
    if (owner === undefined ||
        owner === "" ||
        repo === undefined ||
        repo === "" ||
        rest.length > 0 ||
        ref === undefined) {
        settings.log.warning("github-deployments: GITHUB_REPOSITORY (owner/name) and GITHUB_SHA or GITHUB_REF must be set to record deployments; none will be recorded");
        return undefined;
    }
    return new GitHubDeployments(octokit, {
        ...settings,
        owner,
        repo,
        ref,
        runUrl: (0,_workflow_run_js__WEBPACK_IMPORTED_MODULE_2__.linkableRunUrl)(ctx),
    });
}
function deploymentId(data) {
    if (typeof data !== "object" || data === null)
        return undefined;
    const id = data.id;
    return typeof id === "number" ? id : undefined;
}
function apiMessageOf(data) {
    if (typeof data !== "object" || data === null)
        return "";
    const message = data.message;
    return typeof message === "string" ? message : "";
}
/**
 * An Octokit RequestError's status and message, with what to do about the usual ones.
 * Octokit reports network failures and timeouts as status 500 without a response; those get
 * no status, since GitHub never answered.
 */
function describeApiError(error) {
    const details = (error ?? {});
    const names = [error, details.cause].map((e) => (e instanceof Error ? e.name : ""));
    if (names.includes("TimeoutError") || names.includes("AbortError")) {
        return "GitHub did not answer in time";
    }
    const message = (0,_error_message_js__WEBPACK_IMPORTED_MODULE_3__/* .messageOf */ .b)(error);
    const status = details.response !== undefined && typeof details.status === "number"
        ? details.status
        : undefined;
    if (status === 403 || status === 404) {
        return `${status} ${message}. Give the job \`permissions: deployments: write\` (and a \`github-token\` that may write deployments), or set \`github-deployments: false\``;
    }
    return status === undefined ? `GitHub could not be reached: ${message}` : `${status} ${message}`;
}


/***/ }),

/***/ 3727:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   canaryText: () => (/* binding */ canaryText),
/* harmony export */   renderJobSummary: () => (/* binding */ renderJobSummary)
/* harmony export */ });
/* harmony import */ var _format_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6090);
/* harmony import */ var _release_format_duration_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8395);
/* harmony import */ var _invisible_characters_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6081);
/* harmony import */ var _redact_secrets_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6166);
/* harmony import */ var _plan_text_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7848);
/* harmony import */ var _timeline_chart_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5895);
/* harmony import */ var _workflow_run_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8444);







/**
 * Renders the job summary of a run (GitHub-flavoured Markdown): a headline, one table row per
 * service of every region, the run's timeline as a chart, the failures, and where the JSON
 * report is. For `mode: plan` the table says what a release would do instead of what happened.
 */
function renderJobSummary(report, ctx, options = {}) {
    const out = [headline(report), "", facts(report, ctx), ""];
    if (report.refreshFailed) {
        out.push("> [!WARNING]", "> The release reached its outcome, but refreshing a staging slot failed: the step fails. See the failures below.", "");
    }
    out.push(...table(report, tableShape(report)), "");
    out.push(...planSection(report));
    out.push(...analysisSection(report));
    out.push(...timelineSection(report));
    if (report.failures.length > 0) {
        out.push("### Failures", "", ...report.failures.map((failure) => `- ${inline(failure)}`), "");
    }
    if (options.reportPath !== undefined) {
        out.push(`📄 Report: \`${options.reportPath.replace(/`/g, "")}\``, "");
    }
    return out.join("\n");
}
function headline(report) {
    const what = report.mode === "plan" ? "Release plan" : "Release";
    return `## ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .outcomeEmoji */ .RF)(report.outcome)} ${what} ${inline(report.build)}: ${report.outcome}`;
}
function facts(report, ctx) {
    const parts = [
        `**Outcome** ${report.outcome}`,
        `**Build** ${inline(report.build)}`,
        `**Mode** ${report.mode}`,
    ];
    const duration = (0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .runDurationSeconds */ .Dc)(report);
    if (duration !== undefined)
        parts.push(`**Duration** ${(0,_release_format_duration_js__WEBPACK_IMPORTED_MODULE_4__/* .formatSeconds */ .X)(duration)}`);
    parts.push(`**Regions** ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .regionTally */ .BM)(report) || "none"}`);
    if (report.releaseWindow !== undefined)
        parts.push(inline((0,_plan_text_js__WEBPACK_IMPORTED_MODULE_2__.releaseWindowLine)(report.releaseWindow)));
    const url = (0,_workflow_run_js__WEBPACK_IMPORTED_MODULE_5__.linkableRunUrl)(ctx);
    if (url !== undefined)
        parts.push(`[run ${inline(ctx.runId)}](${url})`);
    return parts.join(" · ");
}
const RELEASE_TABLE = {
    headers: ["Before (prod / staging)", "After (prod / staging)", "Swap time", "Result"],
    cells: (region, service) => [
        slots(service.before),
        service.after === null ? "? / ?" : slots(service.after),
        service.swapSeconds === null ? "—" : (0,_release_format_duration_js__WEBPACK_IMPORTED_MODULE_4__/* .formatSeconds */ .X)(service.swapSeconds),
        serviceResult(region, service),
    ],
};
const PLAN_TABLE = {
    headers: ["Production", "Staging", "A release would"],
    cells: (region, service) => [
        (0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .buildText */ .e0)(service.before.production),
        (0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .buildText */ .e0)(service.before.staging),
        (0,_plan_text_js__WEBPACK_IMPORTED_MODULE_2__.servicePlan)(region, service),
    ],
};
/** A plan that read Azure's slot diffs also says what each swap would change. */
const PLAN_TABLE_WITH_DIFFERENCES = {
    headers: [...PLAN_TABLE.headers, "Configuration the swap changes"],
    cells: (region, service) => [
        ...PLAN_TABLE.cells(region, service),
        service.differences === undefined ? "—" : (0,_plan_text_js__WEBPACK_IMPORTED_MODULE_2__.differencesText)(service.differences),
    ],
};
function tableShape(report) {
    if (report.mode !== "plan")
        return RELEASE_TABLE;
    const diffed = report.regions.some((region) => region.services.some((service) => service.differences !== undefined));
    return diffed ? PLAN_TABLE_WITH_DIFFERENCES : PLAN_TABLE;
}
/** One row per service; a region without services still gets a row with its outcome. */
function table(report, shape) {
    const headers = ["Region", "Service", "App", ...shape.headers];
    const rows = [row(headers), `|${"---|".repeat(headers.length)}`];
    for (const region of report.regions) {
        if (region.services.length === 0) {
            const blanks = Array.from({ length: headers.length - 2 }, () => "");
            rows.push(row([region.name, ...blanks, regionResult(region)]));
            continue;
        }
        const name = region.wave === undefined ? region.name : `${region.name} (wave ${region.wave})`;
        for (const service of region.services) {
            rows.push(row([name, service.name, service.app, ...shape.cells(region, service)]));
        }
    }
    return rows;
}
function slots(builds) {
    return `${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .buildText */ .e0)(builds.production)} / ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .buildText */ .e0)(builds.staging)}`;
}
function regionResult(region) {
    return `${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .outcomeEmoji */ .RF)(region.outcome)} ${region.outcome}`;
}
function serviceResult(region, service) {
    const parts = [regionResult(region)];
    // `not-needed` is the quiet normal case; every other refresh outcome tells the reader something.
    if (service.refresh !== "not-needed")
        parts.push(`refresh ${service.refresh}`);
    if (service.canary !== undefined)
        parts.push(canaryText(service.canary));
    if (service.error !== null)
        parts.push(service.error);
    return parts.join(" · ");
}
/** In a plan: the order of waves and stages, each service's steps, and the least duration. */
function planSection(report) {
    const { plan } = report;
    if (plan === undefined)
        return [];
    const lines = ["### Plan", ""];
    for (const wave of plan.waves) {
        const regions = wave.regions.map((region) => region.stages.length > 1
            ? `${inline(region.name)} (${region.stages.map((stage) => stage.map(inline).join(" + ")).join(" → ")})`
            : inline(region.name));
        lines.push(`${wave.wave}. ${regions.join(", ")}; then bake ${(0,_release_format_duration_js__WEBPACK_IMPORTED_MODULE_4__/* .formatSeconds */ .X)(wave.bakeSeconds)}`);
    }
    lines.push("", `Each service: ${plan.steps.map(inline).join(" → ")}. At least ${(0,_release_format_duration_js__WEBPACK_IMPORTED_MODULE_4__/* .formatSeconds */ .X)(plan.minimumSeconds)} (canary steps and bake times; swaps and verification add Azure's time).`, "");
    return lines;
}
/** How far a service's canary went, in a few words. */
function canaryText(canary) {
    if (canary.passed)
        return `canary passed (${canary.highestPercent}%)`;
    return canary.highestPercent === 0
        ? "canary not started"
        : `canary stopped at ${canary.highestPercent}%`;
}
/** Every metric evaluation, counted by verdict per region, with each breach spelled out. */
function analysisSection(report) {
    const judged = report.regions.filter((region) => (region.evaluations ?? []).length > 0);
    if (judged.length === 0)
        return [];
    const lines = ["### Analysis (Azure Monitor)", ""];
    for (const region of judged) {
        const evaluations = region.evaluations ?? [];
        const count = (verdict) => evaluations.filter((evaluation) => evaluation.verdict === verdict).length;
        lines.push(`- **${inline(region.name)}**: ${evaluations.length} evaluations: ${count("pass")} pass, ${count("breach")} breach, ${count("inconclusive")} inconclusive`);
        for (const breach of evaluations.filter((evaluation) => evaluation.verdict === "breach")) {
            const unit = breach.signal === "http-5xx-rate" ? "%" : " ms";
            lines.push(`  - ${inline(breach.service)} on ${inline(breach.slot)}: ${breach.signal} ${breach.value ?? "?"}${unit} > ${breach.limit}${unit} at ${breach.at}`);
        }
    }
    lines.push("");
    return lines;
}
/**
 * The run's spans as a Mermaid gantt chart, which GitHub draws on the run page; nothing when the
 * run has no span. The chart's text is safe inside the fence (see `timeline-chart.ts`).
 */
function timelineSection(report) {
    const chart = (0,_timeline_chart_js__WEBPACK_IMPORTED_MODULE_3__/* .timelineChart */ .I)(report);
    if (chart === null)
        return [];
    const lines = ["### Timeline", ""];
    if (chart.note !== null)
        lines.push(`_${chart.note}._`, "");
    lines.push("```mermaid", chart.text.trimEnd(), "```", "");
    return lines;
}
function row(cells) {
    return `| ${cells.map(cell).join(" | ")} |`;
}
/** A table cell: one line, with `|` escaped so it cannot open a new column. */
function cell(text) {
    return inline(text).replace(/\|/g, "\\|");
}
/**
 * Free text made safe for one line of Markdown: credentials removed, HTML and emphasis escaped,
 * line breaks as `<br>` and every other control character written out.
 */
function inline(text) {
    const escaped = (0,_redact_secrets_js__WEBPACK_IMPORTED_MODULE_6__/* .redactSecrets */ .f)(text.trim())
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/([\\`*_[\]])/g, "\\$1");
    return escaped
        .split(/\s*\r?\n\s*/)
        .map(_invisible_characters_js__WEBPACK_IMPORTED_MODULE_1__/* .escapeInvisible */ .t)
        .join("<br>");
}


/***/ }),

/***/ 7848:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   describePlan: () => (/* binding */ describePlan),
/* harmony export */   differencesText: () => (/* binding */ differencesText),
/* harmony export */   regionPlanLine: () => (/* binding */ regionPlanLine),
/* harmony export */   releaseWindowLine: () => (/* binding */ releaseWindowLine),
/* harmony export */   servicePlan: () => (/* binding */ servicePlan)
/* harmony export */ });
/* harmony import */ var _release_format_duration_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8395);
/* harmony import */ var _format_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6090);
/* harmony import */ var _log_safety_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8224);



/**
 * What a release would do to one service, from a plan's pre-flight readings: production takes
 * what staging runs now. Shared by the log lines and the job summary so both say the same.
 */
function servicePlan(region, service) {
    switch (region.outcome) {
        case "planned":
            return `swap ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .buildText */ .e0)(service.before.production)} → ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .buildText */ .e0)(service.before.staging)}`;
        case "already-released":
            return "already released";
        default:
            return service.error === null
                ? region.outcome
                : `${region.outcome}: ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(service.error)}`;
    }
}
/** One log line per region saying what a release would do there. */
function regionPlanLine(region) {
    switch (region.outcome) {
        case "planned": {
            const changes = region.services.map((service) => `${service.name} ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .buildText */ .e0)(service.before.production)} → ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .buildText */ .e0)(service.before.staging)}`);
            return `${region.name}: swap ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(region.services.length, "service")} (${changes.join(", ")})`;
        }
        case "already-released":
            return `${region.name}: already released, not swapped`;
        default: {
            const problems = region.services
                .filter((service) => service.error !== null)
                .map((service) => `${service.name}: ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(service.error ?? "")}`);
            const detail = problems.length === 0 ? "" : ` (${problems.join("; ")})`;
            return `${region.name}: ${region.outcome}, not swapped${detail}`;
        }
    }
}
/**
 * The plan as log lines: the verdict, one line per region (`swap N services (api 1.4.1 →
 * 1.5.0, …)` or `already released, not swapped`), then whether a staging refresh would run.
 * `refresh` is the run's policy; the report does not carry it, and without it the last line
 * only says which staging slots would be left behind.
 */
function describePlan(report, refresh) {
    const toSwap = report.regions.filter((region) => region.outcome === "planned");
    const released = report.regions.filter((region) => region.outcome === "already-released");
    const blocked = report.regions.length - toSwap.length - released.length;
    const counts = [
        `${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(toSwap.length, "region")} to release`,
        `${released.length} already released`,
        ...(blocked > 0 ? [`${blocked} blocked`] : []),
    ].join(", ");
    const verdict = report.outcome === "planned" || report.outcome === "already-released"
        ? `Plan for build ${report.build}: ${counts}.`
        : `Plan for build ${report.build}: a release would not start (${report.outcome}); ${counts}.`;
    const lines = [
        verdict,
        ...(report.plan === undefined
            ? report.regions.map(regionPlanLine)
            : planLines(report, report.plan)),
    ];
    for (const failure of report.failures)
        lines.push(`  ✗ ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(failure)}`);
    lines.push(refreshLine(report, refresh));
    // Lines for the log, holding builds and errors from status pages and Azure: never a command.
    return lines.map(_log_safety_js__WEBPACK_IMPORTED_MODULE_1__/* .safeLogText */ .H);
}
/**
 * The plan itself: each wave with its bake time, each region's line, its `depends-on` order when
 * it has one, the steps of every service, and the least time the release takes.
 */
function planLines(report, plan) {
    const lines = [];
    const several = plan.waves.some((wave) => wave.regions.length > 1);
    for (const wave of plan.waves) {
        if (several) {
            lines.push(`Wave ${wave.wave}: ${wave.regions.map((region) => region.name).join(", ")}${wave.regions.length > 1 ? " together" : ""}, then bake ${(0,_release_format_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .formatSeconds */ .X)(wave.bakeSeconds)}.`);
        }
        for (const planned of wave.regions) {
            const region = report.regions.find((candidate) => candidate.name === planned.name);
            if (region !== undefined)
                lines.push(`${several ? "  " : ""}${regionPlanLine(region)}`);
            for (const service of region?.services ?? []) {
                if (service.differences === undefined)
                    continue;
                lines.push(`${several ? "    " : "  "}${service.name}: ${differencesText(service.differences)}`);
            }
            if (planned.stages.length > 1) {
                lines.push(`${several ? "    " : "  "}order (depends-on): ${planned.stages.map((stage) => stage.join(" + ")).join(" → ")}`);
            }
        }
    }
    lines.push(`Each service: ${plan.steps.join(" → ")}.`);
    const bakes = plan.waves.map((wave) => wave.bakeSeconds);
    if (!several && bakes.some((seconds) => seconds > 0)) {
        lines.push(`Each region bakes ${[...new Set(bakes)].map(_release_format_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .formatSeconds */ .X).join(" / ")} before the next starts.`);
    }
    if (report.releaseWindow !== undefined)
        lines.push(releaseWindowLine(report.releaseWindow));
    if (plan.minimumSeconds > 0) {
        lines.push(`At least ${(0,_release_format_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .formatSeconds */ .X)(plan.minimumSeconds)} (canary steps and bake times; swaps and verification add Azure's time).`);
    }
    return lines;
}
/** Most settings named per service; the rest are counted. */
const MOST_DIFFERENCES_NAMED = 10;
/**
 * What a swap would change in a service's configuration, from Azure's slot diff: setting names
 * with their kind and level, never a value. Shared by the plan's log lines and the job summary.
 */
function differencesText(differences) {
    if (differences === undefined)
        return "";
    if (differences === null)
        return "configuration differences unknown (Azure's slot diff could not be read)";
    if (differences.length === 0)
        return "no configuration differences";
    const named = differences
        .slice(0, MOST_DIFFERENCES_NAMED)
        .map((difference) => `${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(difference.setting)} (${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(difference.type)}, ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(difference.level)})`);
    const more = differences.length - named.length;
    return `${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(differences.length, "configuration difference")}: ${named.join(", ")}${more > 0 ? `, and ${more} more` : ""}`;
}
/** Where the run stands with the manifest's release windows, in one line. */
function releaseWindowLine(window) {
    if (window.open)
        return "Release window: open now.";
    const next = window.next === null ? "" : `; the next opens ${window.next}`;
    return window.ignored
        ? `Release window: closed${next}; overridden by ignore-release-windows.`
        : `Release window: closed${next}; a release now would be refused.`;
}
/**
 * After a swap, staging runs what production ran before; in a released region it runs what it
 * runs now. Either way a slot not on the build is stale and is what a refresh would update.
 */
function staleStagingSlots(report) {
    const stale = [];
    for (const region of report.regions) {
        for (const service of region.services) {
            const stagingAfter = region.outcome === "planned"
                ? service.before.production
                : region.outcome === "already-released"
                    ? service.before.staging
                    : undefined;
            if (stagingAfter === undefined)
                continue;
            if (stagingAfter?.trim() !== report.build.trim())
                stale.push(`${region.name}/${service.name}`);
        }
    }
    return stale;
}
function refreshLine(report, refresh) {
    const stale = staleStagingSlots(report);
    const slots = `${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(stale.length, "staging slot")}${stale.length > 0 ? ` (${stale.join(", ")})` : ""}`;
    if (stale.length === 0) {
        return `Staging refresh: not needed, every staging slot would run ${report.build}.`;
    }
    switch (refresh) {
        case "mirror":
            return `Staging refresh (refresh: mirror) would run for ${slots}.`;
        case "none":
            return `Staging refresh: off (refresh: none); ${slots} would keep an older build.`;
        case undefined:
            return `Staging refresh: ${slots} would run an older build after the release; refresh: mirror updates them.`;
    }
}


/***/ }),

/***/ 5658:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   TIMELINE_FILE_NAME: () => (/* binding */ TIMELINE_FILE_NAME),
/* harmony export */   reportFileName: () => (/* binding */ reportFileName),
/* harmony export */   writeReportFile: () => (/* binding */ writeReportFile),
/* harmony export */   writeTimelineFile: () => (/* binding */ writeTimelineFile)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _error_message_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6587);
/* harmony import */ var _timeline_chart_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5895);





/** The run's timeline as a Mermaid gantt chart, beside the report. */
const TIMELINE_FILE_NAME = "timeline.mmd";
/** The report file's name for a run: one per run, so re-runs never overwrite each other's. */
function reportFileName(runId) {
    // The run id is digits on a runner; anything else must not escape the directory.
    const safe = runId.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "");
    return `regional-slot-swap-report-${safe === "" ? "local" : safe}.json`;
}
/**
 * Writes the run's JSON report (the `report-path` output) under `RUNNER_TEMP`, or the system's
 * temporary directory when the runner did not set one, and returns its path. Every field of the
 * report is kept; keys come in the order the contract documents, so the file reads top-down.
 * Beside it goes the timeline ({@link writeTimelineFile}), whose path `log` is told.
 */
async function writeReportFile(report, runnerTemp, runId, log) {
    const directory = runnerTemp === undefined || runnerTemp.trim() === "" ? (0,node_os__WEBPACK_IMPORTED_MODULE_1__.tmpdir)() : runnerTemp;
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdir)(directory, { recursive: true });
    const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(directory, reportFileName(runId));
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.writeFile)(path, `${JSON.stringify(orderedReport(report), null, 2)}\n`, "utf8");
    await writeTimelineFile(report, path, log);
    return path;
}
/**
 * Writes the run's timeline chart as `timeline.mmd` beside the report at `reportPath` and returns
 * its path; `null` when the run has no span (a plan, a refusal in pre-flight), and then a chart
 * an earlier run left there is removed, so the file beside a report is always that report's.
 * The chart is an extra: a failure to write it is a warning in `log`, never an error.
 */
async function writeTimelineFile(report, reportPath, log) {
    const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(reportPath), TIMELINE_FILE_NAME);
    const chart = (0,_timeline_chart_js__WEBPACK_IMPORTED_MODULE_3__/* .timelineChart */ .I)(report);
    try {
        if (chart === null) {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(path, { force: true });
            return null;
        }
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.writeFile)(path, chart.text, "utf8");
    }
    catch (error) {
        log?.warning(`The timeline could not be written to ${path}: ${(0,_error_message_js__WEBPACK_IMPORTED_MODULE_4__/* .messageOf */ .b)(error)}`);
        return null;
    }
    log?.info(`Timeline (Mermaid gantt chart, ${chart.tasks} tasks): ${path}`);
    return path;
}
/**
 * The report with the contract's key order. A nullable field the core left `undefined` is
 * written as `null`, since JSON would otherwise drop the key; any field added to the model
 * later is kept, after the known ones.
 */
function orderedReport(report) {
    return withExtras(report, {
        build: report.build,
        mode: report.mode,
        outcome: report.outcome,
        startedAt: report.startedAt,
        finishedAt: report.finishedAt,
        refreshFailed: report.refreshFailed,
        failures: report.failures,
        regions: report.regions.map(orderedRegion),
    });
}
function orderedRegion(region) {
    return withExtras(region, {
        name: region.name,
        outcome: region.outcome,
        durationSeconds: region.durationSeconds ?? null,
        services: region.services.map(orderedService),
    });
}
function orderedService(service) {
    return withExtras(service, {
        name: service.name,
        app: service.app,
        before: service.before,
        after: service.after ?? null,
        swapSeconds: service.swapSeconds ?? null,
        refresh: service.refresh,
        error: service.error ?? null,
    });
}
function withExtras(original, ordered) {
    const result = { ...ordered };
    for (const [key, value] of Object.entries(original)) {
        if (!(key in result))
            result[key] = value;
    }
    return result;
}


/***/ }),

/***/ 4959:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SLACK_LIMITS: () => (/* binding */ SLACK_LIMITS),
/* harmony export */   buildSlackMessage: () => (/* binding */ buildSlackMessage)
/* harmony export */ });
/* harmony import */ var _format_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6090);
/* harmony import */ var _release_format_duration_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8395);
/* harmony import */ var _workflow_run_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8444);



/** Block Kit's documented limits; exceeding any of them makes Slack reject the whole message. */
const SLACK_LIMITS = {
    blocks: 50,
    sectionText: 3000,
    headerText: 150,
    contextElements: 10,
};
// Blocks other than region sections: header, summary, divider, failures, actions, context,
// and the one section that sums up the regions left out.
const FIXED_BLOCKS = 7;
/**
 * Builds the Slack message of a release: what happened, region by region, and where to read
 * more. Bounded by Block Kit's limits whatever the fleet's size, so a large release still
 * gets its message.
 */
function buildSlackMessage(report, ctx) {
    const url = (0,_workflow_run_js__WEBPACK_IMPORTED_MODULE_1__.linkableRunUrl)(ctx);
    const blocks = [
        {
            type: "header",
            text: {
                type: "plain_text",
                text: (0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .truncate */ .xv)(headline(report), SLACK_LIMITS.headerText),
                emoji: true,
            },
        },
        section(summaryText(report, ctx)),
    ];
    // The run's page is where a release manager goes next: the button stands right under the headline.
    if (url !== undefined) {
        blocks.push({
            type: "actions",
            elements: [
                {
                    type: "button",
                    text: { type: "plain_text", text: "Open the run" },
                    url,
                    action_id: "open-run",
                },
            ],
        });
    }
    blocks.push({ type: "divider" }, ...regionBlocks(report.regions, SLACK_LIMITS.blocks - FIXED_BLOCKS));
    if (report.failures.length > 0) {
        blocks.push(section(listText("*Failures*", report.failures.map((failure) => freeText(failure)))));
    }
    const context = contextElements(ctx, url);
    if (context.length > 0)
        blocks.push({ type: "context", elements: context });
    const first = report.failures[0];
    const failure = first === undefined ? "" : ` — ${firstFailure(first)}`;
    const fallback = `${escapeMrkdwn(`${headline(report)}: ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .regionTally */ .BM)(report) || "no regions"}`)}${failure}`;
    return { text: (0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .truncate */ .xv)(fallback, SLACK_LIMITS.sectionText), blocks };
}
function headline(report) {
    const mode = report.mode === "plan" ? "Release plan" : "Release";
    const notes = [
        report.refreshFailed ? "staging refresh failed" : "",
        stoppedCanaries(report).length > 0 ? "canary stopped" : "",
    ].filter((note) => note !== "");
    const shown = notes.length === 0 ? "" : ` (${notes.join("; ")})`;
    return `${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .outcomeEmoji */ .RF)(report.outcome)} ${mode} ${report.build}: ${report.outcome}${shown}`;
}
/**
 * The lines under the headline: the run at a glance, then what a release manager must know
 * before reading on: the first failure, release windows overridden, canaries stopped.
 */
function summaryText(report, ctx) {
    const parts = [`*Build* \`${codeSafe(report.build)}\``, `*Mode* ${report.mode}`];
    const duration = (0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .runDurationSeconds */ .Dc)(report);
    if (duration !== undefined)
        parts.push(`*Duration* ${(0,_release_format_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .formatSeconds */ .X)(duration)}`);
    parts.push(`*Regions* ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .regionTally */ .BM)(report) || "none"}`);
    if (ctx.repository !== "")
        parts.push(`*Repository* ${escapeMrkdwn(ctx.repository)}`);
    const lines = [parts.join("  ·  ")];
    const [first, ...others] = report.failures;
    if (first !== undefined) {
        const more = others.length === 0 ? "" : ` _(and ${others.length} more below)_`;
        lines.push(`*First failure* ${firstFailure(first)}${more}`);
    }
    if (report.releaseWindow?.ignored === true) {
        lines.push("⚠️ release windows overridden (ignore-release-windows)");
    }
    const stopped = stoppedCanaries(report);
    if (stopped.length > 0) {
        const shown = stopped
            .slice(0, MOST_CANARIES_NAMED)
            .map(({ region, service, percent }) => `${escapeMrkdwn(`${region}/${service}`)} at ${percent}%`);
        const rest = stopped.length - shown.length;
        lines.push(`🐤 canary stopped: ${shown.join(", ")}${rest > 0 ? ` and ${rest} more` : ""}`);
    }
    return lines.join("\n");
}
/** The most characters of the first failure under the headline; the full text is in the list below. */
const FIRST_FAILURE_CHARS = 300;
/** The most stopped canaries named under the headline; each region's section names its own. */
const MOST_CANARIES_NAMED = 5;
/** The first failure on one line: credentials removed, cut, then escaped (a cut never splits an escape). */
function firstFailure(failure) {
    return escapeMrkdwn((0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .truncate */ .xv)((0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(failure), FIRST_FAILURE_CHARS));
}
/** Services whose canary stopped after reaching a step: users were served the new build and it failed. */
function stoppedCanaries(report) {
    return report.regions.flatMap((region) => region.services.filter(canaryStopped).map((service) => ({
        region: region.name,
        service: service.name,
        percent: service.canary?.highestPercent ?? 0,
    })));
}
function canaryStopped(service) {
    return (service.canary !== undefined && !service.canary.passed && service.canary.highestPercent > 0);
}
/**
 * One section per region while they fit. Beyond that the regions that need attention keep
 * their section first, the others fill what is left in manifest order, and the rest are
 * summed up by outcome in one last section.
 */
function regionBlocks(regions, budget) {
    if (regions.length <= budget)
        return regions.map((region) => section(regionText(region)));
    const room = budget - 1;
    const needsAttention = (region) => ["failed", "rolled-back", "cancelled"].includes(region.outcome) ||
        region.services.some((service) => service.error !== null || service.refresh === "failed");
    const shown = new Set(regions.filter(needsAttention).slice(0, room));
    for (const region of regions) {
        if (shown.size >= room)
            break;
        shown.add(region);
    }
    const rest = regions.filter((region) => !shown.has(region));
    const byOutcome = new Map();
    for (const region of rest) {
        byOutcome.set(region.outcome, [...(byOutcome.get(region.outcome) ?? []), region.name]);
    }
    const summary = [...byOutcome].map(([outcome, names]) => `${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .outcomeEmoji */ .RF)(outcome)} *${outcome}* (${names.length}): ${names.map(escapeMrkdwn).join(", ")}`);
    return [
        ...regions.filter((region) => shown.has(region)).map((region) => section(regionText(region))),
        section(listText(`*${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(rest.length, "more region")}*`, summary, "", SLACK_LIMITS.sectionText)),
    ];
}
/**
 * A region's outcome and its services' production builds before → after. Services that moved
 * alike share a line, so twenty services on one build read as one line, not twenty.
 */
function regionText(region) {
    const duration = region.durationSeconds === null ? "" : `  ·  ${(0,_release_format_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .formatSeconds */ .X)(region.durationSeconds)}`;
    const title = `*${escapeMrkdwn(region.name)}*  ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .outcomeEmoji */ .RF)(region.outcome)} ${region.outcome}${duration}`;
    const groups = new Map();
    const lines = [];
    for (const service of region.services) {
        const change = buildChange(region, service);
        const stopped = canaryStopped(service);
        if (service.error === null && service.refresh !== "failed" && !stopped) {
            groups.set(change, [...(groups.get(change) ?? []), escapeMrkdwn(service.name)]);
            continue;
        }
        const notes = [
            service.refresh === "failed" ? "staging refresh failed" : "",
            stopped ? `canary stopped at ${service.canary?.highestPercent}%` : "",
            service.error === null ? "" : `_${freeText(service.error)}_`,
        ].filter((note) => note !== "");
        lines.push(`${escapeMrkdwn(service.name)}: ${change} — ${notes.join("; ")}`);
    }
    const grouped = [...groups].map(([change, names]) => `${names.join(", ")}: ${change}`);
    return listText(title, [...grouped, ...lines]);
}
/**
 * Production's builds: before → after in a release; in a plan, before → what a swap would
 * bring (staging's build), or just the build for a region that would not be swapped.
 */
function buildChange(region, service) {
    const code = (build) => `\`${codeSafe((0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .buildText */ .e0)(build))}\``;
    if (region.outcome === "planned") {
        return `${code(service.before.production)} → ${code(service.before.staging)}`;
    }
    if (region.outcome === "already-released" && service.after === null) {
        return code(service.before.production);
    }
    const before = service.before.production;
    if (before !== null && before === service.after?.production) {
        return service.swapSeconds === null ? `stays on ${code(before)}` : `back on ${code(before)}`;
    }
    return `${code(before)} → ${code(service.after?.production)}`;
}
/**
 * A title and bullet lines, cut to a section's limit with a count of what was left out.
 * Each item is cut first, so one very long error cannot push every other line out.
 */
function listText(title, items, bullet = "• ", maxItem = 500) {
    const limit = SLACK_LIMITS.sectionText;
    let text = title;
    for (const [index, item] of items.entries()) {
        const line = `\n${bullet}${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .truncate */ .xv)(item, maxItem)}`;
        const after = items.length - index - 1;
        const reserve = after > 0 ? `\n…and ${after} more`.length : 0;
        if (text.length + line.length + reserve > limit) {
            const tail = `\n…and ${items.length - index} more`;
            return (0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .truncate */ .xv)(text, limit - tail.length) + tail;
        }
        text += line;
    }
    return text;
}
function contextElements(ctx, url) {
    const parts = [];
    if (ctx.ref !== undefined)
        parts.push(escapeMrkdwn(ctx.ref.replace(/^refs\/(heads|tags)\//, "")));
    if (ctx.sha !== undefined)
        parts.push(`\`${codeSafe(ctx.sha.slice(0, 7))}\``);
    if (ctx.actor !== undefined)
        parts.push(`by ${escapeMrkdwn(ctx.actor)}`);
    if (url !== undefined)
        parts.push(`<${url}|run ${escapeMrkdwn(ctx.runId)}>`);
    return parts.length === 0 ? [] : [{ type: "mrkdwn", text: (0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .truncate */ .xv)(parts.join("  ·  "), 3000) }];
}
function section(text) {
    return {
        type: "section",
        text: { type: "mrkdwn", text: (0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .truncate */ .xv)(text, SLACK_LIMITS.sectionText) },
    };
}
/** Slack mrkdwn treats `&`, `<` and `>` as control characters; everything else is literal. */
function escapeMrkdwn(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
/** Text inside backticks: escaped, and without backticks that would end the code span. */
function codeSafe(text) {
    return escapeMrkdwn(text.replace(/`/g, "'"));
}
/** Text the run did not write itself (errors): one line, credentials removed, escaped. */
function freeText(text) {
    return escapeMrkdwn((0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(text));
}


/***/ }),

/***/ 7569:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MAX_RETRY_DELAY_MS: () => (/* binding */ MAX_RETRY_DELAY_MS),
/* harmony export */   postSlackMessage: () => (/* binding */ postSlackMessage)
/* harmony export */ });
/* harmony import */ var _format_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6090);
/* harmony import */ var _redact_secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6166);


const DEFAULT_TIMEOUT_MS = 10_000;
/** Pause before the retry when Slack names none. */
const DEFAULT_RETRY_DELAY_MS = 1_000;
/** The longest `Retry-After` honoured: a release message is not worth holding the job longer. */
const MAX_RETRY_DELAY_MS = 5_000;
/**
 * Posts a message to a Slack incoming webhook, with one retry on a network error, a 5xx or a
 * 429. Resolves when Slack accepted it; otherwise throws an Error whose message says what went
 * wrong but never contains the webhook URL, which is a secret.
 */
async function postSlackMessage(webhookUrl, payload, options = {}) {
    const sleep = options.sleep ?? sleepWithTimer;
    if (!isHttpUrl(webhookUrl)) {
        throw new Error("Slack message not sent: `slack-webhook-url` is not an http(s) URL; copy the incoming webhook's URL from Slack's app settings");
    }
    const body = JSON.stringify(payload);
    const first = await attempt(webhookUrl, body, options);
    if (first.ok)
        return;
    if (!first.retryable || options.signal?.aborted === true)
        throw slackError(first.message, webhookUrl);
    try {
        await sleep(Math.min(first.retryAfterMs ?? DEFAULT_RETRY_DELAY_MS, options.maxRetryDelayMs ?? MAX_RETRY_DELAY_MS), options.signal);
    }
    catch {
        throw slackError(`the post was cancelled before its retry; first try: ${first.message}`, webhookUrl);
    }
    const second = await attempt(webhookUrl, body, options);
    if (second.ok)
        return;
    throw slackError(`${second.message} (after one retry; first try: ${first.message})`, webhookUrl);
}
async function attempt(webhookUrl, body, options) {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
    let response;
    try {
        response = await fetch(webhookUrl, {
            method: "POST",
            headers: { "content-type": "application/json; charset=utf-8" },
            body,
            signal,
            redirect: "error",
        });
    }
    catch (error) {
        if (options.signal?.aborted === true) {
            return { ok: false, message: "the post was cancelled", retryable: false };
        }
        if (timeout.aborted) {
            return {
                ok: false,
                message: `Slack did not answer within ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`,
                retryable: true,
            };
        }
        return {
            ok: false,
            message: `could not reach Slack: ${networkReason(error)}`,
            retryable: true,
        };
    }
    // Slack answers `ok` on success and a short error code (`invalid_payload`, `no_service`) otherwise.
    const text = (await response.text().catch(() => "")).trim();
    if (response.ok)
        return { ok: true };
    const retryable = response.status === 429 || response.status >= 500;
    const detail = text === "" ? "" : ` ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .truncate */ .xv)(text.replace(/\s+/g, " "), 200)}`;
    const result = {
        ok: false,
        message: `Slack answered ${response.status}${detail}${hint(response.status)}`,
        retryable,
    };
    const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
    if (retryAfter !== undefined)
        result.retryAfterMs = retryAfter;
    return result;
}
/** `Retry-After` in seconds (Slack's form) or as an HTTP date. */
function parseRetryAfter(value) {
    if (value === null || value.trim() === "")
        return undefined;
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0)
        return seconds * 1000;
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
function hint(status) {
    if (status === 404 || status === 403 || status === 410) {
        return ": the webhook is unknown or revoked; create a new incoming webhook and update the `slack-webhook-url` secret";
    }
    if (status === 400)
        return ": Slack rejected the message";
    return "";
}
/** The network failure's code or message; undici hides the useful part in `cause`. */
function networkReason(error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    if (cause instanceof Error) {
        const code = cause.code;
        return typeof code === "string" ? `${code} ${cause.message}` : cause.message;
    }
    return String(cause);
}
/** Every message passes through here: the webhook URL must never reach a log. */
function slackError(message, webhookUrl) {
    const scrubbed = (0,_redact_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redactSecrets */ .f)(webhookUrl === "" ? message : message.split(webhookUrl).join("<slack-webhook-url>"));
    return new Error(`Slack message not sent: ${scrubbed}`);
}
function isHttpUrl(text) {
    try {
        const url = new URL(text);
        return url.protocol === "https:" || url.protocol === "http:";
    }
    catch {
        return false;
    }
}
function sleepWithTimer(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted === true) {
            reject(signal.reason);
            return;
        }
        const timer = setTimeout(() => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal?.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
    });
}


/***/ }),

/***/ 5895:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ timelineChart)
/* harmony export */ });
/* unused harmony export MAX_TIMELINE_TASKS */
/* harmony import */ var _redact_secrets_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6166);
/**
 * The run's timeline as a Mermaid `gantt` chart, for the job summary (GitHub draws it on the run
 * page) and the `timeline.mmd` file beside the report: one section per region in wave order, one
 * task per span (canary step, swap, verification, bake, rollback, refresh), failed spans `crit`.
 *
 * Names come from the manifest, builds from status pages: they are data. Every piece of text the
 * chart shows is cut down to letters, digits and a few harmless marks, so no name can end a task,
 * start a comment or a directive (`%%{init}%%`), read as a keyword (`section`, `click`…), or close
 * the Markdown fence around the chart.
 */

/** Beyond this many tasks the chart merges spans (1,000 services make thousands of spans). */
const MAX_TIMELINE_TASKS = 150;
/** Mermaid reads times in this format, in the viewer's local zone: the chart writes UTC's clock. */
const DATE_FORMAT = "YYYY-MM-DD HH:mm:ss.SSS";
/**
 * The run's timeline as a Mermaid gantt chart, or `null` when the report has no span (a plan, a
 * run refused in pre-flight). Pure.
 */
function timelineChart(report, options = {}) {
    const maxTasks = Math.max(1, options.maxTasks ?? MAX_TIMELINE_TASKS);
    const spans = (report.timeline ?? []).filter((span) => !Number.isNaN(Date.parse(span.startedAt)) && !Number.isNaN(Date.parse(span.finishedAt)));
    if (spans.length === 0)
        return null;
    const regions = regionsInWaveOrder(report, spans);
    const bySpan = sectionsOf(regions, spans, spanTasks);
    let detail = "span";
    let sections = bySpan;
    if (taskCount(sections) > maxTasks) {
        detail = "region-kind";
        sections = sectionsOf(regions, spans, regionKindTasks);
    }
    if (taskCount(sections) > maxTasks) {
        detail = "region";
        sections = sectionsOf(regions, spans, (group) => [merged(group, "run")]);
    }
    const drawn = sections.slice(0, maxTasks);
    const left = sections.length - drawn.length;
    const note = noteOf(spans.length, maxTasks, detail, left);
    const start = Math.min(...spans.map((span) => Date.parse(span.startedAt)));
    const end = Math.max(...spans.map((span) => Date.parse(span.finishedAt)));
    const tick = tickFor(end - start);
    const what = report.mode === "plan" ? "Plan" : "Release";
    const lines = [
        "gantt",
        `  title ${what} ${chartText(report.build, 40) || "?"}: ${chartText(report.outcome, 20)} (UTC)`,
        `  dateFormat ${DATE_FORMAT}`,
        `  axisFormat ${tick.axisFormat}`,
        `  tickInterval ${tick.interval}`,
        "  todayMarker off",
    ];
    if (note !== null)
        lines.push(`  %% ${note}`);
    const notStarted = report.regions.filter((region) => !spans.some((span) => span.region === region.name)).length;
    if (notStarted > 0) {
        lines.push(`  %% ${notStarted} of ${report.regions.length} regions have no span: not drawn`);
    }
    let id = 0;
    for (const section of drawn) {
        lines.push(`  section ${section.title}`);
        for (const task of section.tasks) {
            id += 1;
            const tags = [...(task.failed ? ["crit"] : []), `t${id}`, time(task.start), time(task.end)];
            lines.push(`    ${task.text} :${tags.join(", ")}`);
        }
    }
    return { text: `${lines.join("\n")}\n`, tasks: id, detail, note };
}
/** The regions with spans, in wave order (the plan's, else the regions' wave numbers), then manifest order. */
function regionsInWaveOrder(report, spans) {
    const known = new Map(report.regions.map((region) => [region.name, region]));
    const planned = (report.plan?.waves ?? []).flatMap((wave) => 
    // The plan numbers every wave; a section names its wave only when the manifest declared waves.
    wave.regions.map((region) => ({ name: region.name, wave: known.get(region.name)?.wave })));
    const ordered = planned.length > 0
        ? planned
        : report.regions
            .map((region, index) => ({ name: region.name, wave: region.wave, index }))
            .sort((a, b) => (a.wave ?? 0) - (b.wave ?? 0) || a.index - b.index)
            .map(({ name, wave }) => ({ name, wave }));
    const names = new Set(ordered.map((region) => region.name));
    // A span of a region the report does not list still shows, after the others.
    for (const span of spans) {
        if (!names.has(span.region)) {
            names.add(span.region);
            ordered.push({ name: span.region, wave: known.get(span.region)?.wave });
        }
    }
    return ordered.filter((region) => spans.some((span) => span.region === region.name));
}
function sectionsOf(regions, spans, tasksOf) {
    return regions.map((region) => {
        const name = chartText(region.name, 60) || "?";
        return {
            title: region.wave === undefined ? name : `${name} · wave ${region.wave}`,
            tasks: tasksOf(spans.filter((span) => span.region === region.name)).sort((a, b) => a.start - b.start),
        };
    });
}
function spanTasks(spans) {
    return spans.map((span) => ({
        text: taskText(span.service === null ? span.label : `${chartText(span.service, 50)} ${span.label}`),
        start: Date.parse(span.startedAt),
        end: Math.max(Date.parse(span.startedAt), Date.parse(span.finishedAt)),
        failed: span.failed,
    }));
}
const KIND_WORDS = {
    canary: "canary steps",
    swap: "swaps",
    verification: "verifications",
    bake: "bake",
    rollback: "rollback",
    refresh: "refreshes",
};
/** One task per kind of span in a region: from its first start to its last end, failed if any failed. */
function regionKindTasks(spans) {
    const kinds = [...new Set(spans.map((span) => span.kind))];
    return kinds.map((kind) => {
        const group = spans.filter((span) => span.kind === kind);
        const services = new Set(group.map((span) => span.service).filter((name) => name !== null));
        const count = services.size > 1 ? ` (${services.size} services)` : "";
        return merged(group, `${KIND_WORDS[kind]}${count}`);
    });
}
function merged(spans, text) {
    return {
        text: taskText(text),
        start: Math.min(...spans.map((span) => Date.parse(span.startedAt))),
        end: Math.max(...spans.map((span) => Date.parse(span.finishedAt))),
        failed: spans.some((span) => span.failed),
    };
}
function taskCount(sections) {
    return sections.reduce((sum, section) => sum + section.tasks.length, 0);
}
function noteOf(spans, maxTasks, detail, regionsLeft) {
    const parts = [];
    if (detail === "region-kind") {
        parts.push(`${spans} spans: more than ${maxTasks} tasks, so one task per region and kind of span`);
    }
    else if (detail === "region") {
        parts.push(`${spans} spans: more than ${maxTasks} tasks, so one task per region`);
    }
    if (regionsLeft > 0)
        parts.push(`${regionsLeft} more regions not drawn`);
    return parts.length === 0 ? null : parts.join("; ");
}
/**
 * Words Mermaid's gantt lexer takes for a statement when a line starts with them (it ignores
 * case), and a date at the start, which it reads as one.
 */
const LEADING_KEYWORD = /^(?:gantt|dateformat|inclusiveenddates|topaxis|axisformat|tickinterval|includes|excludes|todaymarker|weekday|weekend|title|accdescription|acctitle|accdescr|section|click|call|href)(?![\p{L}\p{N}_])|^\d{4}-\d\d-\d\d/iu;
/** A task's text: never empty, and never read as anything but a task's text. */
function taskText(text) {
    let safe = chartText(text, 80, true).replace(/^%+/, "").trim();
    if (safe === "")
        safe = "?";
    // `x%…` at a line's start is a comment to the lexer, and so is a leading keyword a statement.
    if (/^.%/u.test(safe) || LEADING_KEYWORD.test(safe))
        safe = `_${safe}`;
    return safe;
}
/**
 * Text from the report cut down to what cannot change the chart: letters, digits, spaces and
 * `. _ - / + @ ( ) = ,` (and `%` where the caller allows it); anything else, `:` `#` `;` `%`
 * backticks, braces, quotes, `<`, line breaks and invisible characters among them, becomes `_`.
 * Credentials are removed first, and the result is at most `max` characters.
 */
function chartText(text, max, allowPercent = false) {
    const allowed = allowPercent ? /[\p{L}\p{N} ._\-/+@()=,%]/u : /[\p{L}\p{N} ._\-/+@()=,]/u;
    const cleaned = [...(0,_redact_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redactSecrets */ .f)(text).replace(/\s+/gu, " ").trim()]
        .map((char) => (allowed.test(char) ? char : "_"))
        .join("")
        .replace(/_{2,}/g, "_")
        .replace(/%{2,}/g, "%");
    const chars = [...cleaned];
    return chars.length <= max
        ? cleaned
        : `${chars
            .slice(0, max - 1)
            .join("")
            .trimEnd()}…`;
}
/** `2026-03-01 09:30:05.250`: the instant on UTC's clock, in {@link DATE_FORMAT}. */
function time(ms) {
    return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TICKS = [
    [SECOND, "1second"],
    [2 * SECOND, "2second"],
    [5 * SECOND, "5second"],
    [10 * SECOND, "10second"],
    [15 * SECOND, "15second"],
    [30 * SECOND, "30second"],
    [MINUTE, "1minute"],
    [2 * MINUTE, "2minute"],
    [5 * MINUTE, "5minute"],
    [10 * MINUTE, "10minute"],
    [15 * MINUTE, "15minute"],
    [30 * MINUTE, "30minute"],
    [HOUR, "1hour"],
    [2 * HOUR, "2hour"],
    [3 * HOUR, "3hour"],
    [6 * HOUR, "6hour"],
    [12 * HOUR, "12hour"],
    [DAY, "1day"],
    [7 * DAY, "1week"],
];
/** The axis for a run of `rangeMs`: at most about eight ticks, labelled to the precision they need. */
function tickFor(rangeMs) {
    const [step, interval] = TICKS.find(([ms]) => rangeMs / ms <= 8) ?? TICKS[TICKS.length - 1];
    const axisFormat = step < MINUTE ? "%H:%M:%S" : step < DAY ? "%H:%M" : "%b %d";
    return { interval, axisFormat };
}


/***/ }),

/***/ 8444:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   linkableRunUrl: () => (/* binding */ linkableRunUrl),
/* harmony export */   readWorkflowRun: () => (/* binding */ readWorkflowRun),
/* harmony export */   runUrl: () => (/* binding */ runUrl)
/* harmony export */ });
/**
 * Where this run lives on GitHub, so that every message can link back to it.
 * Read once from the runner's environment and passed in; nothing here reads `process.env` itself.
 */
/** The run's page on GitHub: what every message links to. */
function runUrl(ctx) {
    return `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}`;
}
/**
 * The run's page, or `undefined` when the context does not name a repository and a run
 * (a local demo, or a test driving the action without the runner's variables): renderers
 * then leave the link out instead of printing a link that leads nowhere.
 */
function linkableRunUrl(ctx) {
    return ctx.repository !== "" && ctx.runId !== "" ? runUrl(ctx) : undefined;
}
/**
 * Reads the run context from the variables every GitHub runner sets. Never throws: a missing
 * repository or run id becomes `""` (see {@link linkableRunUrl}) because a report must still be
 * written when the action runs outside a runner.
 */
function readWorkflowRun(env) {
    const value = (name) => {
        const raw = env[name]?.trim();
        return raw === undefined || raw === "" ? undefined : raw;
    };
    const ctx = {
        repository: value("GITHUB_REPOSITORY") ?? "",
        runId: value("GITHUB_RUN_ID") ?? "",
        serverUrl: (value("GITHUB_SERVER_URL") ?? "https://github.com").replace(/\/+$/, ""),
    };
    const sha = value("GITHUB_SHA");
    const ref = value("GITHUB_REF");
    const actor = value("GITHUB_ACTOR");
    if (sha !== undefined)
        ctx.sha = sha;
    if (ref !== undefined)
        ctx.ref = ref;
    if (actor !== undefined)
        ctx.actor = actor;
    return ctx;
}


/***/ }),

/***/ 6166:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   f: () => (/* binding */ redactSecrets)
/* harmony export */ });
/**
 * One place that knows what a credential looks like in free text, so that error messages can go
 * to logs, annotations, the job summary and Slack. The runner masks the secrets it was told
 * about; this covers the ones nobody registered (tokens in SDK errors, SAS query strings on a
 * `WEBSITE_RUN_FROM_PACKAGE` URL, a Slack webhook URL inside a message).
 */
const BEARER_TOKEN = /\b(Bearer)\s+[\w.~+/=-]{20,}/gi;
const JWT = /\beyJ[\w-]*\.[\w-]+\.[\w-]*/g;
const SLACK_WEBHOOK = /\bhttps?:\/\/hooks\.slack(?:-gov)?\.com\/[^\s"'<>|]*/gi;
const URL_WITH_QUERY = /\b(https?:\/\/[^\s?#"'<>|]+)\?[^\s"'<>|]*/gi;
const CREDENTIAL_PARAMETER = /([?&](?:sig|se|sv|skoid|sktid|token|code)=)[^&\s"']+/gi;
/** Removes bearer tokens, JWTs, Slack webhook URLs and URL query strings from `text`. */
function redactSecrets(text) {
    return text
        .replace(BEARER_TOKEN, "$1 [redacted]")
        .replace(JWT, "[redacted token]")
        .replace(SLACK_WEBHOOK, "https://hooks.slack.com/…")
        .replace(URL_WITH_QUERY, "$1?…")
        .replace(CREDENTIAL_PARAMETER, "$1[redacted]");
}


/***/ }),

/***/ 1753:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Eu: () => (/* binding */ untilAborted),
/* harmony export */   R: () => (/* binding */ deadlineSignal),
/* harmony export */   yq: () => (/* binding */ closingDeadline)
/* harmony export */ });
/* unused harmony export DeadlineExceededError */
/** Why a deadline signal aborted: its time ran out (the parent's own reason is kept as it is). */
class DeadlineExceededError extends Error {
    name = "DeadlineExceededError";
}
/** A signal that aborts after `ms` on `clock`, or as soon as `parent` aborts. `dispose` stops its timer. */
function deadlineSignal(clock, ms, parent) {
    const controller = new AbortController();
    const timer = new AbortController();
    const onParentAbort = () => controller.abort(parent?.reason);
    if (parent?.aborted)
        controller.abort(parent.reason);
    else
        parent?.addEventListener("abort", onParentAbort, { once: true });
    clock.sleep(ms, timer.signal).then(() => controller.abort(new DeadlineExceededError(`no answer within ${ms / 1000}s`)), () => undefined);
    return {
        signal: controller.signal,
        dispose: () => {
            timer.abort();
            parent?.removeEventListener("abort", onParentAbort);
        },
    };
}
/** Stops waiting for `work` when `signal` aborts; the work itself may go on (in Azure, say). */
function untilAborted(work, signal) {
    if (signal.aborted) {
        work.catch(() => undefined);
        return Promise.reject(signal.reason);
    }
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
}
/**
 * The deadline of work that must finish even when the run is cancelled (closing reads, the
 * listener): `normalMs` from now, cut to `cancelledMs` from the moment `run` aborts (or from now
 * when it already has), so a cancellation never waits for the long limit.
 */
function closingDeadline(clock, limits, run) {
    const controller = new AbortController();
    const timers = [];
    const startTimer = (ms) => {
        const timer = deadlineSignal(clock, ms);
        timer.signal.addEventListener("abort", () => controller.abort(timer.signal.reason), {
            once: true,
        });
        timers.push(timer);
    };
    const onRunAbort = () => startTimer(limits.cancelledMs);
    if (run.aborted)
        startTimer(limits.cancelledMs);
    else {
        startTimer(limits.normalMs);
        run.addEventListener("abort", onRunAbort, { once: true });
    }
    return {
        signal: controller.signal,
        dispose: () => {
            run.removeEventListener("abort", onRunAbort);
            for (const timer of timers)
                timer.dispose();
        },
    };
}


/***/ }),

/***/ 8395:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   X: () => (/* binding */ formatSeconds)
/* harmony export */ });
/** Durations as people read them in logs, summaries and messages. */
/** Seconds as the action's inputs write durations (`41.2s`, `4m12s`, `1h30m`). */
function formatSeconds(seconds) {
    if (!Number.isFinite(seconds) || seconds < 0)
        return "?";
    if (seconds < 60) {
        // Swaps take tens of seconds; a tenth is worth showing, more is noise.
        const rounded = Math.round(seconds * 10) / 10;
        return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)}s`;
    }
    const total = Math.round(seconds);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    return `${h > 0 ? `${h}h` : ""}${m > 0 ? `${m}m` : ""}${s > 0 ? `${s}s` : ""}` || "0s";
}


/***/ }),

/***/ 9390:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F3: () => (/* binding */ planRelease),
/* harmony export */   pZ: () => (/* binding */ minimumDurationMs)
/* harmony export */ });
/* unused harmony export dependencyStages */
/** Plans the release of `fleet`. Pure: the same fleet and policy always give the same plan. */
function planRelease(fleet, policy) {
    const regionsByName = new Map(fleet.regions.map((region) => [region.name, region]));
    const steps = serviceSteps(fleet, policy);
    const waves = fleet.waves
        .map((wave) => ({
        regions: wave.regions.flatMap((name) => {
            const region = regionsByName.get(name);
            return region === undefined ? [] : [region];
        }),
        bakeTimeMs: wave.bakeTimeMs ?? policy.bakeTimeMs,
    }))
        .filter((wave) => wave.regions.length > 0);
    return {
        waves: waves.map((wave, index) => ({
            number: index + 1,
            bakeTimeMs: wave.bakeTimeMs,
            regions: wave.regions.map((region) => ({
                region: region.name,
                stages: dependencyStages(region.services).map((stage) => ({
                    services: stage.map((service) => ({
                        service: service.name,
                        app: service.app,
                        steps: steps.map((step) => ({ ...step })),
                    })),
                })),
            })),
        })),
    };
}
/** Every service's steps: canary steps, preview, swap, verify. */
function serviceSteps(fleet, policy) {
    const canary = (fleet.canary?.steps ?? []).map((percent) => ({
        kind: "canary",
        percent,
        durationMs: fleet.canary?.stepTimeMs ?? 0,
    }));
    return [
        ...canary,
        ...(policy.swapWithPreview ? [{ kind: "preview" }] : []),
        { kind: "swap" },
        { kind: "verify" },
    ];
}
/**
 * Groups services into stages so that each depends only on services of earlier stages, keeping
 * manifest order inside a stage. Settings reject unknown names and cycles; should one slip
 * through, the services left over form a last stage rather than vanish.
 */
function dependencyStages(services) {
    const stages = [];
    const placed = new Set();
    let left = [...services];
    while (left.length > 0) {
        const ready = left.filter((service) => service.dependsOn.every((name) => placed.has(name)));
        const stage = ready.length > 0 ? ready : left;
        stages.push(stage);
        for (const service of stage)
            placed.add(service.name);
        left = left.filter((service) => !stage.includes(service));
    }
    return stages;
}
/**
 * The least time the plan can take: every canary step of every stage, then each wave's bake.
 * Swaps and verifications are Azure's time and not counted; `swapMs` adds an estimate per stage.
 */
function minimumDurationMs(plan, swapMs = 0) {
    let total = 0;
    for (const wave of plan.waves) {
        const longestRegion = Math.max(0, ...wave.regions.map((region) => region.stages.reduce((sum, stage) => sum +
            swapMs +
            Math.max(0, ...stage.services.map((service) => service.steps.reduce((steps, step) => steps + (step.kind === "canary" ? step.durationMs : 0), 0))), 0)));
        total += longestRegion + wave.bakeTimeMs;
    }
    return total;
}


/***/ }),

/***/ 9175:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runRelease: () => (/* binding */ runRelease)
});

// EXTERNAL MODULE: ./src/error-message.ts
var error_message = __webpack_require__(6587);
;// CONCATENATED MODULE: ./src/release/concurrency.ts
/**
 * Runs `work` over `items` with at most `limit` running at once (0 means no limit) and waits for
 * all of them, in input order. A failure of one never abandons the others: swaps already started
 * in Azure finish whatever we do, so their results must be collected.
 */
async function forEachLimited(items, limit, work) {
    const results = new Array(items.length);
    const width = limit <= 0 ? items.length : Math.min(limit, items.length);
    let next = 0;
    const lane = async () => {
        while (next < items.length) {
            const index = next++;
            try {
                results[index] = { status: "fulfilled", value: await work(items[index], index) };
            }
            catch (reason) {
                results[index] = { status: "rejected", reason };
            }
        }
    };
    await Promise.all(Array.from({ length: width }, lane));
    return results;
}

// EXTERNAL MODULE: ./src/release/deadline.ts
var release_deadline = __webpack_require__(1753);
// EXTERNAL MODULE: ./src/release/ports.ts
var ports = __webpack_require__(9541);
// EXTERNAL MODULE: ./src/release/run-state.ts + 2 modules
var run_state = __webpack_require__(2884);
;// CONCATENATED MODULE: ./src/release/release-windows.ts
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const WEEKDAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
/** True when `nowMs` is inside a window: at or after its start and before its end. */
function isInsideReleaseWindow(windows, nowMs) {
    return windows.some((window) => spansAround(window, nowMs, 0).some((span) => span.start <= nowMs && nowMs < span.end));
}
/**
 * The first instant from `nowMs` on at which a window is open: `nowMs` itself when one is open
 * now, else the earliest start of any window after it; `null` only without windows.
 */
function nextReleaseWindowOpening(windows, nowMs) {
    let best;
    for (const window of windows) {
        for (const span of spansAround(window, nowMs, 15)) {
            if (span.end <= nowMs || span.start >= span.end)
                continue;
            const at = Math.max(span.start, nowMs);
            if (best === undefined || at < best.at)
                best = { at, timeZone: span.timeZone };
        }
    }
    if (best === undefined)
        return null;
    return {
        at: new Date(best.at),
        text: openingText(best.at, best.timeZone),
        iso: isoWithOffset(best.at, best.timeZone),
    };
}
/**
 * The release-window check of pre-flight. Without windows swaps may start at any time. Outside
 * every window the run is refused, naming the next opening, unless `ignore` (the input
 * `ignore-release-windows`) lets an urgent hotfix through; `ignored` records that it did.
 */
function releaseWindowVerdict(windows, nowMs, ignore) {
    if (windows.length === 0)
        return { open: true, ignored: false, next: null, nextText: null };
    const open = isInsideReleaseWindow(windows, nowMs);
    const next = nextReleaseWindowOpening(windows, nowMs);
    const verdict = {
        open,
        ignored: !open && ignore,
        next: next?.iso ?? null,
        nextText: next?.text ?? null,
    };
    if (!open && !ignore) {
        const when = next === null ? "none opens again" : `the next opens ${next.text}`;
        verdict.refusal = `outside every release window; ${when}. Set ignore-release-windows: true for an urgent hotfix.`;
    }
    return verdict;
}
/**
 * The occurrences of a window starting from the day before `nowMs`'s local date (a window ends
 * by the local midnight after the day it starts, so no earlier one can hold `nowMs`) to
 * `daysAfter` days after it. Two weeks find the next opening: a listed day comes every week,
 * and one night's occurrence may be empty, lost in a DST gap.
 */
function spansAround(window, nowMs, daysAfter) {
    const { timeZone } = window;
    const today = wallClock(nowMs, timeZone);
    const midnight = Date.UTC(today.year, today.month - 1, today.day);
    const days = new Set(window.days);
    const endMinutes = window.toMinutes > window.fromMinutes ? window.toMinutes : window.toMinutes + 24 * 60;
    const spans = [];
    for (let offset = -1; offset <= daysAfter; offset++) {
        const date = midnight + offset * DAY_MS;
        if (!days.has(WEEKDAYS[new Date(date).getUTCDay()] ?? ""))
            continue;
        const start = date + window.fromMinutes * MINUTE_MS;
        const end = date + endMinutes * MINUTE_MS;
        // Mostly no clock change is near: one offset either side of the span then serves both ends.
        const before = offsetAt(start - DAY_MS, timeZone);
        if (before === offsetAt(end + DAY_MS, timeZone)) {
            spans.push({ start: start - before, end: end - before, timeZone });
        }
        else {
            spans.push({ start: instantOf(start, timeZone), end: instantOf(end, timeZone), timeZone });
        }
    }
    return spans;
}
/**
 * The instant at which clocks in `timeZone` show `wall` (local time written as if it were UTC).
 * Of two such instants, the first; in a gap, the instant the gap ends.
 */
function instantOf(wall, timeZone) {
    const before = offsetAt(wall - DAY_MS, timeZone);
    const after = offsetAt(wall + DAY_MS, timeZone);
    if (before === after)
        return wall - before;
    const fits = [wall - before, wall - after]
        .filter((instant) => offsetAt(instant, timeZone) === wall - instant)
        .sort((a, b) => a - b);
    if (fits[0] !== undefined)
        return fits[0];
    // In a gap: the transition lies after `wall - after` (still the old offset) and at or before
    // `wall - before` (already the new one). Offsets change on whole seconds.
    let old = Math.floor((wall - after) / 1000);
    let current = Math.ceil((wall - before) / 1000);
    while (current - old > 1) {
        const middle = Math.floor((old + current) / 2);
        if (offsetAt(middle * 1000, timeZone) === before)
            old = middle;
        else
            current = middle;
    }
    return current * 1000;
}
/** How far `timeZone`'s clocks are ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant, timeZone) {
    const wall = wallClock(instant, timeZone);
    const shown = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
    return shown - Math.floor(instant / 1000) * 1000;
}
// `en-US` with `hourCycle: "h23"` writes `12/7/2026, 09:00:00`; `format` is twice as fast as `formatToParts`.
const WALL_CLOCK = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;
function wallClock(instant, timeZone) {
    const text = formatter(timeZone).format(instant);
    const [month, day, year, hour, minute, second] = (WALL_CLOCK.exec(text) ?? [])
        .slice(1)
        .map(Number);
    if (second === undefined)
        throw new Error(`Intl wrote ${text} for a time in ${timeZone}: a bug.`);
    return {
        year: year ?? 0,
        month: month ?? 1,
        day: day ?? 1,
        hour: hour ?? 0,
        minute: minute ?? 0,
        second,
    };
}
// Building a formatter costs far more than using one, and one is asked for thousands of times
// per check: each zone's is made once. The cache only ever holds immutable formatters.
const formatters = new Map();
function formatter(timeZone) {
    let made = formatters.get(timeZone);
    if (made === undefined) {
        made = new Intl.DateTimeFormat("en-US", {
            timeZone,
            year: "numeric",
            month: "numeric",
            day: "numeric",
            hour: "numeric",
            minute: "numeric",
            second: "numeric",
            hourCycle: "h23",
        });
        formatters.set(timeZone, made);
    }
    return made;
}
/** `Mon 2026-12-07 09:00 Europe/London`. */
function openingText(instant, timeZone) {
    const wall = new Date(instant + offsetAt(instant, timeZone));
    const weekday = WEEKDAY_NAMES[wall.getUTCDay()] ?? "";
    return `${weekday} ${wall.toISOString().slice(0, 10)} ${wall.toISOString().slice(11, 16)} ${timeZone}`;
}
/** `2026-12-07T09:00:00+00:00`: the local time and the zone's offset. */
function isoWithOffset(instant, timeZone) {
    const offset = offsetAt(instant, timeZone);
    const wall = new Date(Math.floor(instant / 1000) * 1000 + offset);
    const minutes = Math.round(Math.abs(offset) / MINUTE_MS);
    const sign = offset < 0 ? "-" : "+";
    const hours = String(Math.floor(minutes / 60)).padStart(2, "0");
    return `${wall.toISOString().slice(0, 19)}${sign}${hours}:${String(minutes % 60).padStart(2, "0")}`;
}

// EXTERNAL MODULE: ./src/release/status-url.ts
var status_url = __webpack_require__(4643);
;// CONCATENATED MODULE: ./src/release/preflight.ts
/**
 * Pre-flight: before anything changes, learn where every service stands and refuse to start a
 * release that cannot finish. Reads only.
 */






/** How many services pre-flight reads at once across the fleet, to stay well inside ARM's read budget. */
const PREFLIGHT_CONCURRENCY = 16;
/** Which regions still need a release, or `null` when pre-flight found a reason not to start. */
async function preflight(context) {
    const { log } = context.ports;
    const services = context.regions.flatMap((region) => region.services);
    if (!checkReleaseWindows(context))
        return null;
    log.info(`Pre-flight: checking ${services.length} services in ${context.regions.length} regions.`);
    const listings = await listResourceGroups(context, services);
    const slotProblems = new Map();
    await forEachLimited(services, PREFLIGHT_CONCURRENCY, async (service) => {
        slotProblems.set(service, await failingClosed(context, () => inspectSlots(context, service, listings)));
    });
    context.signal.throwIfAborted();
    const toRelease = context.regions.filter((region) => !isAlreadyReleased(context, region));
    for (const region of context.regions) {
        if (!toRelease.includes(region)) {
            region.outcome = "already-released";
            log.info(`${region.target.name}: production already runs ${context.policy.build} everywhere; it will not be swapped.`);
        }
    }
    const problems = new Map();
    await forEachLimited(services, PREFLIGHT_CONCURRENCY, async (service) => {
        const found = await failingClosed(context, () => checkService(context, service, toRelease, slotProblems.get(service) ?? []));
        if (found.length > 0)
            problems.set(service, found);
    });
    context.signal.throwIfAborted();
    if (problems.size === 0) {
        if (context.policy.mode === "plan")
            await readDifferences(context, toRelease);
        for (const region of toRelease) {
            const toSwap = region.services.filter((service) => !(0,run_state/* runsTheBuild */.e9)(context, service));
            const from = [...new Set(toSwap.map((service) => service.before.production ?? "unknown"))];
            const done = region.services.length - toSwap.length;
            log.info(`${region.target.name}: to release: ${toSwap.length} service${toSwap.length === 1 ? "" : "s"}, production on ${from.join(", ")}, ${context.sourceSlot} healthy on ${context.policy.build}` +
                (done > 0
                    ? `; ${done} already run ${context.policy.build} and will not be swapped.`
                    : "."));
        }
        log.info(`Pre-flight passed: ${toRelease.length} region(s) to release, ${context.regions.length - toRelease.length} already released.`);
        return toRelease;
    }
    for (const [service, found] of problems) {
        for (const problem of found)
            (0,run_state/* recordFailure */.C5)(context, service, problem);
        const region = context.regions.find((candidate) => candidate.services.includes(service));
        if (region !== undefined)
            region.outcome = "failed";
    }
    log.error(`Pre-flight failed for ${problems.size} service(s): ${[...problems.keys()].map(run_state/* describeService */.Jv).join(", ")}. Nothing was swapped.`, "Pre-flight failed");
    return null;
}
/**
 * The manifest's release windows, checked once before anything is read: outside every window a
 * release refuses with zero swaps (every region `not-started`) and names the next opening, unless
 * `ignore-release-windows` overrides it. A plan is never refused: it says what a release would meet.
 */
function checkReleaseWindows(context) {
    const windows = context.fleet.releaseWindows;
    if (windows === undefined || windows.length === 0)
        return true;
    const verdict = releaseWindowVerdict(windows, context.ports.clock.now(), context.policy.ignoreReleaseWindows === true);
    context.releaseWindow = { open: verdict.open, ignored: verdict.ignored, next: verdict.next };
    const { log } = context.ports;
    if (verdict.open) {
        log.info("Inside a release window.");
        return true;
    }
    if (verdict.ignored) {
        log.warning(`Outside every release window (the next opens ${verdict.nextText ?? "never"}); ignore-release-windows is true, so the release goes on.`);
        return true;
    }
    if (context.policy.mode === "plan") {
        log.warning(`A release now would be refused: ${verdict.refusal ?? "outside every release window"}`);
        return true;
    }
    (0,run_state/* recordFailure */.C5)(context, null, `Not started: ${verdict.refusal ?? "outside every release window"}`);
    return false;
}
/** Services whose Azure slot diff a plan shows at once: Azure answers each in about a second. */
const DIFFERENCES_CONCURRENCY = 8;
/**
 * A plan shows, for every service to swap, what the swap would change in its configuration
 * (Azure's slot diff into production). A diff that cannot be read is said, never a failure.
 */
async function readDifferences(context, toRelease) {
    const services = toRelease
        .flatMap((region) => region.services)
        .filter((service) => !(0,run_state/* runsTheBuild */.e9)(context, service));
    await forEachLimited(services, DIFFERENCES_CONCURRENCY, async (service) => {
        try {
            service.differences = await context.ports.slots.readSlotDifferences(service.source, { preserveVnet: context.policy.preserveVnet }, context.signal);
        }
        catch (error) {
            context.signal.throwIfAborted();
            service.differences = null;
            context.ports.log.warning(`${(0,run_state/* describeService */.Jv)(service)}: Azure's slot diff could not be read: ${(0,error_message/* messageOf */.b)(error)}`);
        }
    });
    context.signal.throwIfAborted();
}
/** Everything pre-flight asks of one service once its slots are known. */
async function checkService(context, service, toRelease, slotProblemsFound) {
    if ((0,run_state/* reportsTheBuild */.RO)(context, service) && !service.productionHealthy) {
        return [
            `production already reports ${context.policy.build} but fails its checks (${service.productionProblem ?? "not healthy"}): ` +
                "production runs a build that fails its checks. Restore a healthy build in production (or fix this one), then re-run; nothing was swapped.",
        ];
    }
    // A service that already runs the build (a swap finished after a cancelled run, say) is
    // treated like one of a released region, even when the rest of its region is still to go.
    const releasing = toRelease.some((region) => region.services.includes(service)) &&
        !(0,run_state/* runsTheBuild */.e9)(context, service);
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
async function failingClosed(context, check) {
    try {
        return await check();
    }
    catch (error) {
        context.signal.throwIfAborted();
        return [`pre-flight could not check this service: ${(0,error_message/* messageOf */.b)(error)}`];
    }
}
function isAlreadyReleased(context, region) {
    return region.services.every((service) => (0,run_state/* runsTheBuild */.e9)(context, service));
}
function groupKey(slot) {
    return `${slot.subscriptionId}/${slot.resourceGroup}`.toLowerCase();
}
/**
 * Lists every resource group of the targeted services once (a page per hundred slots), instead
 * of reading each slot: pre-flight then costs ARM about one read per app. A list that fails is
 * left out, and its slots are read one by one.
 */
async function listResourceGroups(context, services) {
    const groups = new Map(services.map((service) => [groupKey(service.production), service.production]));
    const listings = new Map();
    await forEachLimited([...groups], PREFLIGHT_CONCURRENCY, async ([key, group]) => {
        try {
            listings.set(key, await context.ports.slots.listSlots(group, context.signal));
        }
        catch (error) {
            context.signal.throwIfAborted();
            context.ports.log.warning(`Listing the apps of ${group.resourceGroup} failed (${(0,error_message/* messageOf */.b)(error)}); reading each slot instead.`);
        }
    });
    context.signal.throwIfAborted();
    return listings;
}
/** Both slots exist and run; learns their status page URLs and production's build. */
async function inspectSlots(context, service, listings) {
    const [production, source] = await Promise.all([
        describe(context, service.production, listings),
        describe(context, service.source, listings),
    ]);
    if (production.kind === "found")
        service.listed.production = production;
    if (source.kind === "found")
        service.listed.source = source;
    const problems = [
        ...slotProblems(production, `production slot`),
        ...slotProblems(source, `${context.sourceSlot} slot`),
    ];
    if (production.kind === "found")
        service.productionPage = statusPage(context, service, service.production.slot, production.host);
    if (source.kind === "found")
        service.sourcePage = statusPage(context, service, context.sourceSlot, source.host);
    if (production.kind === "found")
        service.swapMarker = production.lastSwapCompleted;
    if (service.productionPage !== undefined) {
        const read = await context.status.readable(service.productionPage);
        service.before.production = read.last.build;
        service.productionHealthy = read.last.healthy;
        service.productionProblem = read.last.problem;
        if (read.last.build === null) {
            context.ports.log.warning(`${(0,run_state/* describeService */.Jv)(service)}: could not read production's build (${read.last.problem}).`);
        }
    }
    return problems;
}
/**
 * A slot as its resource group's list described it; a slot the list did not name (or whose list
 * failed) is read by itself, so a missing slot is always confirmed by ARM's own answer.
 */
async function describe(context, slot, listings) {
    try {
        const listed = listings.get(groupKey(slot))?.get(`${slot.app}/${slot.slot}`.toLowerCase());
        const description = listed ?? (await context.ports.slots.describeSlot(slot, context.signal));
        if (!description.exists)
            return { kind: "missing" };
        const found = {
            kind: "found",
            state: description.state,
            host: description.defaultHostName,
            ...(description.deployment === undefined ? {} : { deployment: description.deployment }),
            ...(description.siteConfig === undefined ? {} : { siteConfig: description.siteConfig }),
        };
        return description.swapActivity === undefined
            ? found
            : { ...found, lastSwapCompleted: description.swapActivity.lastSwapCompleted };
    }
    catch (error) {
        context.signal.throwIfAborted();
        return { kind: "error", message: (0,error_message/* messageOf */.b)(error) };
    }
}
function slotProblems(result, name) {
    if (result.kind === "missing")
        return [`${name} does not exist`];
    if (result.kind === "error")
        return [`${name} could not be read: ${result.message}`];
    if (result.state !== "Running")
        return [`${name} is ${result.state}, not Running`];
    return [];
}
function statusPage(context, service, slot, host) {
    const url = (0,status_url/* expandStatusUrl */.q)(service.target.status.urlTemplate, {
        host,
        app: service.target.app,
        slot,
        region: service.region.name,
        service: service.target.name,
    });
    return { url, rule: service.target.status, host, routeToSelf: slot === ports/* PRODUCTION_SLOT */.P };
}
/** The source slot of a service to release must be healthy on the expected build. */
async function checkSource(context, service) {
    if (service.sourcePage === undefined)
        return [];
    const result = await context.status.healthy(service.sourcePage, context.policy.build, {
        settleOnFinalAnswer: true,
    });
    service.before.staging = result.last.build;
    return result.satisfied
        ? []
        : [`${context.sourceSlot} slot is not ready: ${result.last.problem}`];
}
/** In an already-released region the source slot only has its build recorded; slot problems are warnings. */
async function recordStaleSource(context, service, problems) {
    for (const problem of problems)
        context.ports.log.warning(`${(0,run_state/* describeService */.Jv)(service)}: ${problem}`);
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
async function checkTrafficRouting(context, service) {
    if (service.productionPage === undefined)
        return [];
    let routes;
    try {
        routes = await context.ports.slots.readTrafficRouting(service.production, context.signal);
    }
    catch (error) {
        context.signal.throwIfAborted();
        return [`could not read production's traffic routing: ${(0,error_message/* messageOf */.b)(error)}`];
    }
    return routes
        .filter((route) => route.percent > 0)
        .map((route) => `production routes ${route.percent}% of its traffic to ${route.toHost} (rule "${route.name}"). ` +
        "Set the slot's traffic back to 0% (Deployment slots → Traffic %) before releasing: after a swap those users would reach the previous build.");
}
/** With `refresh: mirror`, the deployment that production will run must be one a refresh can copy. */
async function checkMirrorable(context, service, releasing) {
    if (!releasing && service.before.staging === context.policy.build.trim())
        return [];
    const futureProduction = releasing ? service.source : service.production;
    let deployment;
    try {
        const listed = service.listed[releasing ? "source" : "production"];
        deployment =
            listed?.deployment ??
                (await context.ports.slots.readDeployment(futureProduction, context.signal, listed?.siteConfig));
    }
    catch (error) {
        context.signal.throwIfAborted();
        return [`could not read the ${futureProduction.slot} slot's deployment: ${(0,error_message/* messageOf */.b)(error)}`];
    }
    if (releasing)
        service.incomingDeployment = deployment;
    if (deployment.kind !== "unsupported")
        return [];
    return [
        `refresh: mirror cannot copy this app's deployment into its ${context.sourceSlot} slot: ${deployment.reason}. ` +
            `Deploy it as a container image or a WEBSITE_RUN_FROM_PACKAGE URL, or set refresh: none.`,
    ];
}

// EXTERNAL MODULE: ./src/release/format-duration.ts
var format_duration = __webpack_require__(8395);
;// CONCATENATED MODULE: ./src/release/swap.ts
/**
 * Swaps as Azure really answers them. A swap is never assumed: when its answer is lost, late or a
 * failure, the truth is found out from the site's swap activity and production's status page before
 * anything is decided. A write refused because another operation runs on the site is waited out.
 */




/** Back-off while another operation runs on the site: 2 s, doubling, at most 30 s a wait, within `status-timeout`. */
const CONFLICT_BACKOFF = { firstMs: 2_000, maxMs: 30_000 };
/** Reads that must agree, with no operation running on the site, before a swap counts as not done. */
const AGREEING_READS_FOR_NOT_SWAPPED = 2;
/**
 * Sends one swap of the service's source slot with production and says what it did. Waits out
 * 409s within `status-timeout`. Records every failure; throws only when `signal` aborts.
 */
async function swapWithProduction(context, service, direction, signal) {
    let sent = false;
    try {
        return await sendAndFindOut(context, service, direction, signal, () => (sent = true));
    }
    catch (error) {
        if (signal.aborted && sent)
            noteCancelledMidSwap(service, swapName(direction));
        throw error;
    }
}
/** How a swap in `direction` is named in messages. */
function swapName(direction) {
    return direction === "in" ? "swap" : "swap back";
}
/**
 * The waits between attempts while another operation runs on the site: 2 s, doubling, at most
 * 30 s each, all within `status-timeout` from the first attempt. `nextWaitMs` is 0 once time is up.
 */
function conflictBackoff(context) {
    const { clock } = context.ports;
    const deadline = clock.now() + context.policy.statusTimeoutMs;
    let backoffMs = CONFLICT_BACKOFF.firstMs;
    return {
        nextWaitMs: () => {
            const waitMs = Math.max(0, Math.min(backoffMs, deadline - clock.now()));
            backoffMs = Math.min(backoffMs * 2, CONFLICT_BACKOFF.maxMs);
            return waitMs;
        },
    };
}
async function sendAndFindOut(context, service, direction, signal, onSent) {
    const { slots, clock, log } = context.ports;
    const { preserveVnet, statusTimeoutMs } = context.policy;
    const what = swapName(direction);
    const backoff = conflictBackoff(context);
    const baseline = await observeBaseline(context, service, signal);
    for (;;) {
        signal.throwIfAborted();
        onSent();
        const result = await slots.swapIntoProduction(service.source, { preserveVnet }, signal);
        switch (result.kind) {
            case "completed":
                service.swapMarker = undefined;
                return "swapped";
            case "refused":
                (0,run_state/* recordFailure */.C5)(context, service, `${what} refused by Azure: ${result.message}`);
                return "not-swapped";
            case "uncertain": {
                log.warning(`${(0,run_state/* describeService */.Jv)(service)}: cannot tell yet whether Azure performed the ${what} (${result.message}); finding out before deciding anything.`);
                const truth = await findOutWhetherSwapped(context, service, direction, baseline, signal);
                if (truth === "not-swapped")
                    (0,run_state/* recordFailure */.C5)(context, service, `${what} failed: ${result.message}`);
                service.unresolvedSwap = truth === "unknown" ? { direction, baseline } : undefined;
                return truth;
            }
            case "conflict": {
                const waitMs = backoff.nextWaitMs();
                if (waitMs <= 0) {
                    (0,run_state/* recordFailure */.C5)(context, service, `${what} not started: another operation kept running on the app for the whole status-timeout (${(0,format_duration/* formatSeconds */.X)(statusTimeoutMs / 1000)}): ${result.message}`);
                    return "not-swapped";
                }
                log.info(`${(0,run_state/* describeService */.Jv)(service)}: another operation is in progress on the app; trying the ${what} again in ${(0,format_duration/* formatSeconds */.X)(waitMs / 1000)}.`);
                await clock.sleep(waitMs, signal);
                // The operation may have been a swap of this very app (a cancelled run's, or a person's):
                // look before sending ours, so that a swap done meanwhile is never undone by a second one.
                const seen = await observe(context, service, direction, baseline, signal);
                if (seen.verdict === "swapped") {
                    service.swapMarker = undefined;
                    log.warning(`${(0,run_state/* describeService */.Jv)(service)}: production changed while another operation ran (${seen.why}); counting it as the ${what} and sending none.`);
                    return "swapped";
                }
            }
        }
    }
}
/**
 * Looks once more, within another `status-timeout`, at a swap nobody could tell about: before a
 * rollback decides, an operation that was still running may have ended. Resolves what it finds.
 */
async function resolveUnresolvedSwap(context, service, signal) {
    const pending = service.unresolvedSwap;
    if (pending === undefined)
        return "not-swapped";
    const truth = await findOutWhetherSwapped(context, service, pending.direction, pending.baseline, signal);
    if (truth !== "unknown")
        service.unresolvedSwap = undefined;
    return truth;
}
/**
 * Runs a write other than the swap, waiting out 409 "another operation is in progress" with
 * back-off within `status-timeout`; any other failure, or a conflict past that, is thrown.
 */
async function waitingOutConflicts(context, signal, write) {
    const backoff = conflictBackoff(context);
    for (;;) {
        try {
            return await write();
        }
        catch (error) {
            if (!(error instanceof ports/* OperationConflictError */.K) || signal.aborted)
                throw error;
            const waitMs = backoff.nextWaitMs();
            if (waitMs <= 0)
                throw error;
            await context.ports.clock.sleep(waitMs, signal);
        }
    }
}
async function observeBaseline(context, service, signal) {
    const [activity, page] = await Promise.all([
        service.swapMarker === undefined ? readActivity(context, service, signal) : null,
        readProductionPage(context, service, signal),
    ]);
    if (activity !== null)
        service.swapMarker = activity.lastSwapCompleted;
    return { marker: service.swapMarker, pageBuild: page.transient ? null : page.build };
}
/** Reads the site's swap activity and production's page once, and says whether production changed since `baseline`. */
async function observe(context, service, direction, baseline, signal) {
    const [activity, page] = await Promise.all([
        readActivity(context, service, signal),
        readProductionPage(context, service, signal),
    ]);
    const target = targetBuild(context, service, direction);
    const pageBuild = page.transient ? null : page.build;
    if (activity !== null && baseline.marker !== undefined) {
        if (activity.lastSwapCompleted !== baseline.marker)
            return { verdict: "swapped", why: "Azure recorded a completed swap" };
    }
    if (pageBuild !== null &&
        pageBuild === target &&
        baseline.pageBuild !== null &&
        baseline.pageBuild !== target) {
        return { verdict: "swapped", why: `production now reports ${pageBuild}` };
    }
    if (activity === null)
        return { verdict: "unclear", why: "Azure Resource Manager could not be read" };
    if (activity.operationInProgress)
        return { verdict: "unclear", why: "an operation still runs on the site" };
    const unchanged = baseline.marker !== undefined || (pageBuild !== null && pageBuild === baseline.pageBuild);
    return unchanged
        ? { verdict: "unchanged", pageBuild }
        : { verdict: "unclear", why: page.problem ?? `production reports ${pageBuild}` };
}
/**
 * After a swap whose outcome is unknown: within `status-timeout`, waits until no operation runs
 * on the site and production settles. Swapped when Azure recorded a swap since the baseline, or
 * production's page moved from the baseline's build to the one the swap brings; not swapped only
 * when nothing runs on the site and nothing changed, twice in a row.
 */
async function findOutWhetherSwapped(context, service, direction, baseline, signal) {
    const { clock, log } = context.ports;
    const { statusTimeoutMs, statusIntervalMs } = context.policy;
    const deadline = clock.now() + statusTimeoutMs;
    let unchangedInARow = 0;
    let lastSeen;
    for (;;) {
        const seen = await observe(context, service, direction, baseline, signal);
        if (seen.verdict === "swapped") {
            service.swapMarker = undefined;
            log.warning(`${(0,run_state/* describeService */.Jv)(service)}: ${seen.why}; counting the swap as done.`);
            return "swapped";
        }
        unchangedInARow = seen.verdict === "unchanged" ? unchangedInARow + 1 : 0;
        if (seen.verdict === "unchanged" && unchangedInARow >= AGREEING_READS_FOR_NOT_SWAPPED) {
            log.info(`${(0,run_state/* describeService */.Jv)(service)}: nothing runs on the site and production has not changed${seen.pageBuild === null ? "" : ` (it reports ${seen.pageBuild})`}; the swap did not happen.`);
            return "not-swapped";
        }
        lastSeen = seen.verdict === "unclear" ? seen.why : "no change yet";
        if (clock.now() + statusIntervalMs > deadline)
            break;
        await clock.sleep(statusIntervalMs, signal);
    }
    (0,run_state/* recordFailure */.C5)(context, service, `could not tell within status-timeout (${(0,format_duration/* formatSeconds */.X)(statusTimeoutMs / 1000)}) whether Azure performed the ${swapName(direction)} (last: ${lastSeen}). Check the app in the portal (Deployment slots, Activity log) before acting.`);
    return "unknown";
}
/** The build production reports after the swap: the release's build in, the previous one back. */
function targetBuild(context, service, direction) {
    return direction === "in" ? context.policy.build.trim() : service.before.production;
}
/** The run stopped while a swap request was out: Azure may still complete it. Said on the service, never left silent. */
function noteCancelledMidSwap(service, what) {
    service.cancelledMidSwap = true;
    (0,run_state/* addNote */.gp)(service, `cancelled while its ${what} was running; Azure may still complete it (see "after")` +
        (service.previewApplied
            ? `. If it does not, the swap with preview stays applied to ${service.source.slot}: reset it (az webapp deployment slot swap --action reset)`
            : ""));
}
/**
 * Production's page once, for judging a swap: a reader that breaks its contract (throws) counts as
 * an unreadable page here, so finding out never stops on it; cancellation still ends it.
 */
async function readProductionPage(context, service, signal) {
    try {
        return await context.status.readOnce(productionPageOf(service), null, signal);
    }
    catch (error) {
        signal.throwIfAborted();
        return {
            build: null,
            healthy: false,
            transient: true,
            inconclusive: true,
            problem: (0,error_message/* messageOf */.b)(error),
        };
    }
}
/** The site's swap activity, or `null` when ARM could not be read (which never counts as "nothing runs"). */
async function readActivity(context, service, signal) {
    try {
        return await context.ports.slots.readSwapActivity(service.production, signal);
    }
    catch {
        signal.throwIfAborted();
        return null;
    }
}
/** Production's status page, known once pre-flight has read the slot's host name. */
function productionPageOf(service) {
    if (service.productionPage === undefined)
        throw new Error(`${(0,run_state/* describeService */.Jv)(service)}: production status page unknown`);
    return service.productionPage;
}

;// CONCATENATED MODULE: ./src/release/refresh.ts
/**
 * Refresh: once every region is released, make each stale source slot run what its production
 * slot runs, so the next release starts from a clean staging slot.
 */




/**
 * Services refreshed at once across the fleet. Refreshing touches no production slot, so there is
 * no hurry; running every service at once would empty ARM's read bucket right after the release
 * has drained it (200 apps: 400 reads in a burst; test/bench/RESULTS.md).
 */
const REFRESH_CONCURRENCY = 8;
/** Mirrors production into the source slot of every service of `regions`. Resolves false when any refresh failed. */
async function refreshSourceSlots(context, regions) {
    const services = regions.flatMap((region) => region.services);
    context.ports.log.info(`Refreshing ${context.sourceSlot} slots of ${services.length} services: mirroring production's deployment.`);
    const results = await forEachLimited(services, REFRESH_CONCURRENCY, (service) => refreshService(context, service));
    return (0,run_state/* everyServiceSucceeded */.cV)(context, services, results);
}
/**
 * Starts refreshing a released wave's staging slots while the next wave swaps: safe with
 * `rollback: region` or `none`, where a released wave is never swapped back (with `all` its
 * staging slot must keep the previous build for the swap back). Never rejects.
 */
function refreshWhileReleasing(ledger, regions) {
    if (ledger.policy.refresh !== "mirror" || ledger.policy.rollback === "all")
        return;
    ledger.ports.log.info(`Refreshing the ${ledger.sourceSlot} slots of ${regions.map((region) => region.target.name).join(", ")} while the release goes on.`);
    for (const region of regions) {
        ledger.refreshes.set(region, refreshSourceSlots(ledger, [region]).catch(() => false));
    }
}
/**
 * Refreshes every released region's staging slots not refreshed yet, and waits for those that
 * started early. Resolves false when any refresh failed.
 */
async function finishRefreshes(ledger, released) {
    const left = released.filter((region) => !ledger.refreshes.has(region));
    const now = ledger.policy.refresh === "none" || left.length === 0
        ? true
        : await ledger.ports.log.group("Refresh", () => refreshSourceSlots(ledger, left));
    const early = await Promise.all(ledger.refreshes.values());
    return now && early.every(Boolean);
}
async function refreshService(context, service) {
    context.signal.throwIfAborted();
    (0,run_state/* record */.g1)(context, { kind: "RefreshStarted", ...(0,run_state/* serviceRef */.$b)(service) });
    const refreshed = await mirrorProduction(context, service);
    (0,run_state/* record */.g1)(context, { kind: "RefreshFinished", ...(0,run_state/* serviceRef */.$b)(service), refreshed });
    return refreshed;
}
async function mirrorProduction(context, service) {
    const { slots, log } = context.ports;
    const { build } = context.policy;
    try {
        if (service.sourcePage === undefined)
            throw new Error(`the ${context.sourceSlot} slot does not exist`);
        // Swapped in this run: production runs what the source slot ran in pre-flight, and the source
        // slot what production ran, so neither needs reading again (ARM's read bucket is the limit
        // of large fleets). Otherwise both are read.
        const swappedIn = service.swapped ? service.incomingDeployment : undefined;
        const [production, source] = swappedIn === undefined
            ? await Promise.all([
                slots.readDeployment(service.production, context.signal),
                slots.readDeployment(service.source, context.signal),
            ])
            : [swappedIn, undefined];
        if (production.kind === "unsupported")
            throw new Error(`production's deployment cannot be mirrored: ${production.reason}`);
        if (source !== undefined && sameDeployment(production, source)) {
            service.refresh = "not-needed";
            log.info(`${(0,run_state/* describeService */.Jv)(service)}: ${context.sourceSlot} already runs production's deployment.`);
            return true;
        }
        log.info(`${(0,run_state/* describeService */.Jv)(service)}: ${context.sourceSlot} ← ${describeDeployment(production)}.`);
        await waitingOutConflicts(context, context.signal, () => slots.applyDeployment(service.source, production, context.signal));
        const result = await context.status.healthy(service.sourcePage, build);
        if (!result.satisfied)
            throw new Error(`${context.sourceSlot} did not report ${build} healthy: ${result.last.problem}`);
        service.refresh = "done";
        return true;
    }
    catch (error) {
        context.signal.throwIfAborted();
        service.refresh = "failed";
        (0,run_state/* recordFailure */.C5)(context, service, `refresh failed: ${(0,error_message/* messageOf */.b)(error)}`);
        return false;
    }
}
function sameDeployment(a, b) {
    if (a.kind === "container" && b.kind === "container")
        return a.linuxFxVersion === b.linuxFxVersion;
    if (a.kind === "package" && b.kind === "package")
        return a.packageUrl === b.packageUrl;
    return false;
}
/** How a deployment is named in the log. */
function describeDeployment(deployment) {
    switch (deployment.kind) {
        case "container":
            return `container ${deployment.linuxFxVersion}`;
        case "package":
            return `package ${new URL(deployment.packageUrl).pathname.split("/").pop() ?? "(package)"}`;
        case "unsupported":
            return `unsupported (${deployment.reason})`;
    }
}

// EXTERNAL MODULE: ./src/release/report.ts + 2 modules
var report = __webpack_require__(6276);
;// CONCATENATED MODULE: ./src/release/rollback.ts
/**
 * The way back: undoes the swaps of failed regions in reverse, stage by stage (a service is swapped
 * back before what it depends on), and verifies the previous build is healthy in production again.
 */



/**
 * Swaps back every swapped service of the given groups of regions (a failed wave, then earlier
 * waves newest first); the regions of a group are rolled back together. Resolves true when every
 * rollback held.
 */
async function rollBack(ledger, groups) {
    let allRestored = true;
    for (const group of groups) {
        const names = group.map((region) => region.target.name).join(", ");
        const results = await ledger.ports.log.group(`Rollback ${names}`, () => forEachLimited(group, 0, (region) => rollBackRegion(ledger, region)));
        for (const region of group)
            region.finishedAt = ledger.ports.clock.now();
        ledger.signal.throwIfAborted();
        const rejected = results.find((result) => result.status === "rejected");
        if (rejected !== undefined)
            throw rejected.reason;
        allRestored &&= results.every((result) => result.status === "fulfilled" && result.value);
    }
    return allRestored;
}
async function rollBackRegion(ledger, region) {
    const { log } = ledger.ports;
    // A swap nobody could tell about gets one more look: swapped by now, it is swapped back too.
    const unresolved = region.services.filter((service) => service.unresolvedSwap !== undefined);
    await forEachLimited(unresolved, 0, async (service) => {
        if ((await resolveUnresolvedSwap(ledger, service, ledger.signal)) === "swapped") {
            service.swapped = !service.swapped;
            log.warning(`${(0,run_state/* describeService */.Jv)(service)}: Azure did perform the swap; it is swapped back too.`);
        }
    });
    ledger.signal.throwIfAborted();
    const stillUnknown = region.services.filter((service) => service.unresolvedSwap !== undefined);
    const swapped = region.services.filter((service) => service.swapped);
    if (swapped.length === 0) {
        log.info(stillUnknown.length === 0
            ? `${region.target.name}: no service was swapped; production is unchanged.`
            : `${region.target.name}: no service is known to be swapped; ${stillUnknown.length} swap(s) could not be told.`);
        region.outcome = "failed";
        return stillUnknown.length === 0;
    }
    log.info(`${region.target.name}: swapping back ${swapped.length} service(s).`);
    // Until every swap back has held, production of this region is not where it was: the report
    // must not say `released` (or anything better than the truth) if the run stops now.
    region.outcome = "failed";
    try {
        const restored = (await swapBackInReverseStages(ledger, region)) && stillUnknown.length === 0;
        region.outcome = restored ? "rolled-back" : "failed";
        return restored;
    }
    catch (error) {
        if (ledger.signal.aborted) {
            const left = swapped.filter((service) => service.swapped);
            region.outcome = left.length > 0 ? "cancelled" : "rolled-back";
            for (const service of left.filter((candidate) => !candidate.cancelledMidSwap)) {
                (0,run_state/* addNote */.gp)(service, `the run was cancelled before this service was swapped back: production still runs ${ledger.policy.build}, ` +
                    `from a region that failed its checks (see "after"). Swap it back by hand, or re-run the release.`);
            }
        }
        throw error;
    }
}
/**
 * Undoes the region's swaps stage by stage, last stage first: what depends on a service is back
 * on its previous build before that service is swapped back. When a stage's swap back fails, the
 * stages before it are left as they are (their dependents still run the new build) and say so.
 */
async function swapBackInReverseStages(ledger, region) {
    const stages = [...region.stages].reverse();
    for (const [index, stage] of stages.entries()) {
        const swapped = stage.filter((service) => service.swapped);
        if (swapped.length === 0)
            continue;
        const results = await forEachLimited(swapped, ledger.policy.maxParallel, (service) => swapBack(ledger, service));
        if ((0,run_state/* everyServiceSucceeded */.cV)(ledger, swapped, results))
            continue;
        for (const service of stages
            .slice(index + 1)
            .flat()
            .filter((left) => left.swapped)) {
            (0,run_state/* recordFailure */.C5)(ledger, service, `not swapped back: a service that depends on it could not be swapped back, and it still runs ${ledger.policy.build}. Swap back the services above first, then this one.`);
        }
        return false;
    }
    return true;
}
/** Swaps one service back and verifies production is healthy on its previous build again. */
async function swapBack(ledger, service) {
    const { log } = ledger.ports;
    (0,run_state/* record */.g1)(ledger, { kind: "SwapStarted", ...(0,run_state/* serviceRef */.$b)(service), direction: "back" });
    const started = ledger.ports.clock.now();
    const truth = await swapWithProduction(ledger, service, "back", ledger.signal);
    if (truth !== "swapped") {
        (0,run_state/* record */.g1)(ledger, { kind: "SwapFailed", ...(0,run_state/* serviceRef */.$b)(service), direction: "back" });
        (0,run_state/* recordFailure */.C5)(ledger, service, `ROLLBACK FAILED: the swap back ${truth === "unknown" ? "may not have happened" : "did not happen"}; production may still run ${ledger.policy.build}. Act now.`);
        return false;
    }
    service.swapped = false;
    (0,run_state/* record */.g1)(ledger, {
        kind: "SwapCompleted",
        ...(0,run_state/* serviceRef */.$b)(service),
        direction: "back",
        seconds: (0,run_state/* secondsBetween */.O1)(started, ledger.ports.clock.now()),
    });
    const previous = service.before.production;
    (0,run_state/* record */.g1)(ledger, { kind: "VerificationStarted", ...(0,run_state/* serviceRef */.$b)(service) });
    const result = await ledger.status.healthy(productionPageOf(service), previous);
    if (!result.satisfied) {
        (0,run_state/* recordFailure */.C5)(ledger, service, `ROLLBACK NOT VERIFIED: production is not healthy on ${previous ?? "its previous build"}: ${result.last.problem}. Act now.`);
        return false;
    }
    (0,run_state/* record */.g1)(ledger, { kind: "ServiceVerified", ...(0,run_state/* serviceRef */.$b)(service), build: result.last.build });
    log.info(`${(0,run_state/* describeService */.Jv)(service)}: rolled back; production healthy on ${result.last.build}.`);
    return true;
}

;// CONCATENATED MODULE: ./src/release/analysis.ts
/** The Azure Monitor metrics every evaluation reads. */
const ANALYSIS_METRIC_NAMES = ["Requests", "Http5xx", "HttpResponseTime"];
/**
 * Judges the most recent `window` of published grains that started at or after `sinceMs` (grains
 * from before the judged phase began, e.g. before a swap, say nothing about what is judged now).
 */
function judgeMetrics(answer, policy, sinceMs) {
    const requests = publishedTotals(answer, "Requests", sinceMs);
    const latest = Math.max(-Infinity, ...requests.keys());
    const windowStart = latest + answer.grainMs - policy.windowMs;
    const inWindow = [...requests.keys()].filter((at) => at >= windowStart);
    const errors = publishedTotals(answer, "Http5xx", sinceMs);
    const responseTimes = publishedValues(answer, "HttpResponseTime", "average", sinceMs);
    const counted = sum(inWindow.map((at) => requests.get(at) ?? 0));
    return policy.metrics.map(({ signal, max }) => {
        const value = counted === 0
            ? null
            : signal === "http-5xx-rate"
                ? (sum(inWindow.map((at) => errors.get(at) ?? 0)) / counted) * 100
                : weightedResponseTimeMs(inWindow, requests, responseTimes);
        const verdict = counted < policy.minRequests || value === null
            ? "inconclusive"
            : value > max
                ? "breach"
                : "pass";
        return {
            signal,
            value: value === null ? null : round(value),
            limit: max,
            verdict,
            requests: counted,
        };
    });
}
/** Average response time over the window, each grain weighted by its requests; Azure reports seconds. */
function weightedResponseTimeMs(grains, requests, averageSeconds) {
    let weighted = 0;
    let weight = 0;
    for (const at of grains) {
        const average = averageSeconds.get(at);
        const count = requests.get(at) ?? 0;
        if (average === undefined || count === 0)
            continue;
        weighted += average * count;
        weight += count;
    }
    return weight === 0 ? null : (weighted / weight) * 1000;
}
function publishedTotals(answer, name, sinceMs) {
    return publishedValues(answer, name, "total", sinceMs);
}
/** The grains of one metric that Azure has published, by start time. */
function publishedValues(answer, name, field, sinceMs) {
    const values = new Map();
    const series = answer.series.filter((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    for (const point of series.flatMap((candidate) => candidate.points)) {
        const value = point[field];
        if (typeof value !== "number" || !Number.isFinite(value) || point.at < sinceMs)
            continue;
        // Totals of one grain split over several time series add up; an average is taken as given.
        values.set(point.at, field === "total" ? (values.get(point.at) ?? 0) + value : value);
    }
    return values;
}
function sum(values) {
    return values.reduce((total, value) => total + value, 0);
}
function round(value) {
    return Math.round(value * 100) / 100;
}

;// CONCATENATED MODULE: ./src/release/watch.ts
/**
 * Watching slots that already passed their checks, for a bake or a canary step: one health port,
 * with a provider per signal (status pages, Azure Monitor metrics), each giving healthy,
 * unhealthy or inconclusive. Every judgement counts: unhealthy is a regression at once, 4
 * inconclusive in a row are a regression, and a watch ends only on a healthy judgement of every
 * signal of every slot.
 */





/** Inconclusive judgements in a row that count as a regression (interface.md). */
const MAX_INCONCLUSIVE_IN_A_ROW = 4;
/** The providers of a run: status pages always, metrics with `analysis`. */
function healthProviders(ledger) {
    const providers = [statusPageProvider(ledger)];
    const { analysis } = ledger.fleet;
    if (analysis !== undefined)
        providers.push(metricsProvider(ledger, analysis));
    return providers;
}
/**
 * Watches `targets` for `durationMs` with every provider; resolves false on a regression (recorded
 * as a failure and a `Regression` event), true once every signal of every slot ended healthy.
 * Throws when the run is cancelled.
 */
async function watch(ledger, targets, durationMs, phase) {
    const stop = new AbortController();
    const signal = AbortSignal.any([ledger.signal, stop.signal]);
    const started = ledger.ports.clock.now();
    const results = await Promise.allSettled(healthProviders(ledger).map(async (provider) => {
        const held = await watchWith(ledger, provider, targets, durationMs, phase, started, signal);
        if (!held)
            stop.abort();
        return held;
    }));
    ledger.signal.throwIfAborted();
    const failure = results.find((result) => result.status === "rejected" && !stop.signal.aborted);
    if (failure !== undefined)
        throw failure.reason;
    return results.every((result) => result.status === "fulfilled" && result.value);
}
/** One provider's part of a watch: judge every interval until the end, then until settled. */
async function watchWith(ledger, provider, targets, durationMs, phase, started, signal) {
    const { clock } = ledger.ports;
    const inconclusiveInARow = new Map();
    const judgeAll = async (toJudge) => {
        let regressed = false;
        await forEachLimited(toJudge, 0, async (target) => {
            const judgement = await provider.judge(target, started, signal);
            if (judgement.health === "healthy") {
                inconclusiveInARow.set(target, 0);
                return;
            }
            const inARow = (inconclusiveInARow.get(target) ?? 0) + 1;
            const inconclusive = judgement.health === "inconclusive";
            inconclusiveInARow.set(target, inconclusive ? inARow : 0);
            if (inconclusive && inARow < MAX_INCONCLUSIVE_IN_A_ROW)
                return;
            regressed = true;
            const message = inconclusive
                ? `regressed during ${phase.label}: ${inARow} ${provider.signal === "status-page" ? "reads in a row could not reach the page" : "evaluations in a row were inconclusive"}: ${judgement.problem}`
                : `regressed during ${phase.label}: ${judgement.problem}`;
            (0,run_state/* record */.g1)(ledger, {
                kind: "Regression",
                ...(0,run_state/* serviceRef */.$b)(target.service),
                phase: phase.phase,
                signal: judgement.signal ?? (provider.signal === "metrics" ? "http-5xx-rate" : provider.signal),
                message,
            });
            (0,run_state/* recordFailure */.C5)(ledger, target.service, message);
        });
        signal.throwIfAborted();
        return !regressed;
    };
    // Judged for the first time at once when the watch is shorter than the provider's interval.
    while (clock.now() - started < durationMs) {
        await clock.sleep(Math.min(provider.intervalMs, durationMs - (clock.now() - started)), signal);
        if (!(await judgeAll(targets)))
            return false;
    }
    if (durationMs <= 0 && !(await judgeAll(targets)))
        return false;
    // The watch ends on a healthy judgement of every slot: one still inconclusive is judged again,
    // within the same allowance of inconclusive judgements.
    for (;;) {
        const unsettled = targets.filter((target) => (inconclusiveInARow.get(target) ?? 0) > 0);
        if (unsettled.length === 0)
            return true;
        await clock.sleep(provider.intervalMs, signal);
        if (!(await judgeAll(unsettled)))
            return false;
    }
}
/** Status pages: every answer counts (5xx is unhealthy, unreachable and 429 are inconclusive). */
function statusPageProvider(ledger) {
    return {
        signal: "status-page",
        intervalMs: ledger.policy.statusIntervalMs,
        async judge(target, _sinceMs, signal) {
            const answer = await ledger.status.readOnce(target.page, target.build, signal);
            return {
                health: answer.healthy ? "healthy" : answer.inconclusive ? "inconclusive" : "unhealthy",
                problem: answer.problem,
            };
        },
    };
}
/**
 * Azure Monitor metrics of the watched slot, judged once per `window` over the grains published
 * since the watch started; every evaluation is recorded for the report.
 */
function metricsProvider(ledger, analysis) {
    return {
        signal: "metrics",
        intervalMs: analysis.windowMs,
        async judge(target, sinceMs, signal) {
            const reader = ledger.ports.metrics;
            const now = ledger.ports.clock.now();
            const slotName = target.slot.slot;
            let judgements;
            let unreadable = null;
            try {
                if (reader === undefined)
                    throw new Error("no Azure Monitor reader is configured");
                const answer = await reader.read(target.slot, {
                    metricNames: [...ANALYSIS_METRIC_NAMES],
                    fromMs: Math.min(sinceMs, now - analysis.windowMs) - METRICS_LOOK_BACK_SLACK_MS,
                    toMs: now,
                }, signal);
                judgements = judgeMetrics(answer, analysis, sinceMs);
            }
            catch (error) {
                signal.throwIfAborted();
                unreadable = `Azure Monitor metrics of ${slotName} could not be read: ${(0,error_message/* messageOf */.b)(error)}`;
                judgements = analysis.metrics.map(({ signal: metric, max }) => ({
                    signal: metric,
                    value: null,
                    limit: max,
                    verdict: "inconclusive",
                    requests: null,
                }));
            }
            for (const judgement of judgements) {
                recordEvaluation(ledger, target, {
                    at: new Date(now).toISOString(),
                    service: target.service.target.name,
                    slot: slotName,
                    ...judgement,
                });
            }
            if (unreadable !== null)
                return { health: "inconclusive", problem: unreadable };
            const breach = judgements.find((judgement) => judgement.verdict === "breach");
            if (breach !== undefined) {
                const unit = breach.signal === "http-5xx-rate" ? "%" : " ms";
                return {
                    health: "unhealthy",
                    signal: breach.signal,
                    problem: `${breach.signal} of ${slotName} is ${breach.value}${unit} over the last ${(0,format_duration/* formatSeconds */.X)(analysis.windowMs / 1000)} (${breach.requests} requests), above ${breach.limit}${unit}`,
                };
            }
            const inconclusive = judgements.find((judgement) => judgement.verdict === "inconclusive");
            if (inconclusive !== undefined) {
                return {
                    health: "inconclusive",
                    signal: inconclusive.signal,
                    problem: `too few requests on ${slotName} to judge: ${inconclusive.requests} in the published window, at least ${analysis.minRequests} needed`,
                };
            }
            return { health: "healthy", problem: null };
        },
    };
}
/**
 * How much earlier than the window the metrics are asked for: Azure publishes grains a minute or
 * more late, so the newest published window lies that much before now.
 */
const METRICS_LOOK_BACK_SLACK_MS = 5 * 60_000;
function recordEvaluation(ledger, target, evaluation) {
    (0,run_state/* record */.g1)(ledger, { kind: "MetricEvaluated", ...(0,run_state/* serviceRef */.$b)(target.service), evaluation });
    ledger.ports.log.info(`${target.service.region.name}/${target.service.target.name}: ${evaluation.signal} on ${evaluation.slot} ${evaluation.value ?? "n/a"} (limit ${evaluation.limit}, ${evaluation.requests ?? "?"} requests): ${evaluation.verdict}.`);
}

;// CONCATENATED MODULE: ./src/release/steps.ts
/**
 * The steps of one service, as the planner lists them (plan.ts): canary step, preview, swap,
 * verify. Each runner resolves true when its step held, records why when it did not, and throws
 * only when the run is cancelled. Adding a step kind: a case in `ServiceStep`, the planner's
 * `serviceSteps`, and a case in `runStep` here.
 */






/** Runs one step; a step kind without a case here does not compile. */
function runStep(ledger, service, step) {
    switch (step.kind) {
        case "canary":
            return runCanaryStep(ledger, service, step);
        case "preview":
            return preview(ledger, service);
        case "swap":
            return swapIn(ledger, service);
        case "verify":
            return verify(ledger, service);
    }
}
/**
 * Runs a service's steps in order, stopping at the first that does not hold. A service whose
 * production already runs the build healthy is never swapped (a swap would bring the previous
 * build back): of its steps only the verification runs.
 */
async function runServiceSteps(ledger, service, steps, stopped = () => false) {
    let toRun = steps;
    if ((0,run_state/* runsTheBuild */.e9)(ledger, service)) {
        toRun = steps.filter((step) => step.kind === "verify");
        if (toRun.length < steps.length) {
            ledger.ports.log.info(`${(0,run_state/* describeService */.Jv)(service)}: production already runs ${ledger.policy.build}; not swapped.`);
        }
    }
    for (const step of toRun) {
        ledger.signal.throwIfAborted();
        // Another service of the wave failed: no new step starts, and what this one set is undone.
        if (stopped()) {
            ledger.ports.log.info(`${(0,run_state/* describeService */.Jv)(service)}: stopped, since another service failed.`);
            await removeTrafficRoute(ledger, service, ledger.signal);
            await resetPreview(ledger, service, ledger.signal);
            return false;
        }
        if (!(await runStep(ledger, service, step)))
            return false;
    }
    return true;
}
/**
 * One canary step: production's rule sends `percent` of its users to the source slot, and the
 * source slot is watched for the step's time. On failure the rule is removed at once.
 */
async function runCanaryStep(ledger, service, step) {
    const { slots, log } = ledger.ports;
    const page = sourcePage(service);
    log.info(`${(0,run_state/* describeService */.Jv)(service)}: canary ${step.percent}%: sending ${step.percent}% of production's users to ${ledger.sourceSlot} for ${(0,format_duration/* formatSeconds */.X)(step.durationMs / 1000)}.`);
    (0,run_state/* record */.g1)(ledger, { kind: "CanaryStepStarted", ...(0,run_state/* serviceRef */.$b)(service), percent: step.percent });
    try {
        // Known before the answer: a lost answer may still have set the rule.
        service.routedPercent = step.percent;
        await waitingOutConflicts(ledger, ledger.signal, () => slots.setTrafficRouting(service.production, [{ name: ledger.sourceSlot, toHost: page.host, percent: step.percent }], ledger.signal));
    }
    catch (error) {
        if (ledger.signal.aborted)
            throw error;
        (0,run_state/* recordFailure */.C5)(ledger, service, `canary ${step.percent}% could not route traffic: ${(0,error_message/* messageOf */.b)(error)}`);
        await removeTrafficRoute(ledger, service, ledger.signal);
        return false;
    }
    if (service.canary !== undefined)
        service.canary.highestPercent = step.percent;
    const held = await watch(ledger, [{ service, slot: service.source, page, build: ledger.policy.build }], step.durationMs, { phase: "canary", label: `canary ${step.percent}%` });
    if (!held) {
        await removeTrafficRoute(ledger, service, ledger.signal);
        return false;
    }
    (0,run_state/* record */.g1)(ledger, { kind: "CanaryStepPassed", ...(0,run_state/* serviceRef */.$b)(service), percent: step.percent });
    const steps = ledger.fleet.canary?.steps ?? [];
    if (service.canary !== undefined && step.percent === steps[steps.length - 1]) {
        service.canary.passed = true;
    }
    return true;
}
/**
 * Removes our traffic-routing rule, so every user reaches production: before the swap, on
 * failure and on cancellation. Resolves false, loudly, when it could not be removed.
 */
async function removeTrafficRoute(ledger, service, signal) {
    if (service.routedPercent === 0)
        return true;
    try {
        await waitingOutConflicts(ledger, signal, () => ledger.ports.slots.setTrafficRouting(service.production, [], signal));
        service.routedPercent = 0;
        (0,run_state/* record */.g1)(ledger, { kind: "TrafficRouteRemoved", ...(0,run_state/* serviceRef */.$b)(service) });
        ledger.ports.log.info(`${(0,run_state/* describeService */.Jv)(service)}: traffic routing removed; every user reaches production.`);
        return true;
    }
    catch (error) {
        (0,run_state/* recordFailure */.C5)(ledger, service, `TRAFFIC ROUTING STILL SET: removing the rule that sends ${service.routedPercent}% of production's users to ${ledger.sourceSlot} failed (${(0,error_message/* messageOf */.b)(error)}); ` +
            `set the slot's traffic back to 0% (Deployment slots → Traffic %, or az webapp traffic-routing clear).`);
        return false;
    }
}
/** Swaps one service in, once no canary rule routes any user. Never throws for an Azure failure. */
async function swapIn(ledger, service) {
    const { clock, log } = ledger.ports;
    // A swap with a rule set would leave that share of users on the slot swapped out.
    if (!(await removeTrafficRoute(ledger, service, ledger.signal)))
        return false;
    ledger.signal.throwIfAborted();
    const started = clock.now();
    log.info(`${(0,run_state/* describeService */.Jv)(service)}: swapping ${ledger.sourceSlot} (${service.before.staging ?? "unknown build"}) into production (${service.before.production ?? "unknown build"}).`);
    (0,run_state/* record */.g1)(ledger, { kind: "SwapStarted", ...(0,run_state/* serviceRef */.$b)(service), direction: "in" });
    const watching = new AbortController();
    const seenHealthy = healthyWhileSwapping(ledger, service, watching.signal);
    let truth;
    try {
        truth = await swapWithProduction(ledger, service, "in", ledger.signal);
    }
    finally {
        watching.abort();
    }
    const healthySeenAt = await seenHealthy;
    if (truth === "swapped") {
        // Seen healthy on the build while Azure finished the swap, and now confirmed by its result.
        service.verifiedAt = healthySeenAt;
        service.swapped = true;
        service.previewApplied = false;
        service.swapSeconds = (0,run_state/* secondsBetween */.O1)(started, clock.now());
        (0,run_state/* record */.g1)(ledger, {
            kind: "SwapCompleted",
            ...(0,run_state/* serviceRef */.$b)(service),
            direction: "in",
            seconds: service.swapSeconds,
        });
        log.info(`${(0,run_state/* describeService */.Jv)(service)}: swapped in ${service.swapSeconds}s.`);
        return true;
    }
    (0,run_state/* record */.g1)(ledger, { kind: "SwapFailed", ...(0,run_state/* serviceRef */.$b)(service), direction: "in" });
    if (truth === "not-swapped")
        await resetPreview(ledger, service, ledger.signal);
    return false;
}
/**
 * Reads production's page every `status-interval` while the swap runs, so verification starts the
 * moment production changes rather than after the operation's last poll. Resolves, once `stop`
 * aborts, with when the latest read was healthy on the build (`null`: it was not, or none was
 * made). Never rejects.
 */
async function healthyWhileSwapping(ledger, service, stop) {
    const signal = AbortSignal.any([ledger.signal, stop]);
    const page = productionPageOf(service);
    let healthySince = null;
    try {
        for (;;) {
            await ledger.ports.clock.sleep(ledger.policy.statusIntervalMs, signal);
            const answer = await ledger.status.readOnce(page, ledger.policy.build, signal);
            if (signal.aborted)
                break;
            healthySince = answer.healthy ? (healthySince ?? ledger.ports.clock.now()) : null;
        }
    }
    catch {
        // Stopped: the swap ended, or the run was cancelled.
    }
    return healthySince;
}
/** Production's status page must report healthy on the build within `status-timeout`. */
async function verify(ledger, service) {
    const { policy } = ledger;
    (0,run_state/* record */.g1)(ledger, { kind: "VerificationStarted", ...(0,run_state/* serviceRef */.$b)(service) });
    if (service.verifiedAt !== null) {
        (0,run_state/* record */.g1)(ledger, { kind: "ServiceVerified", ...(0,run_state/* serviceRef */.$b)(service), build: policy.build.trim() });
        ledger.ports.log.info(`${(0,run_state/* describeService */.Jv)(service)}: production healthy on ${policy.build}, seen while the swap completed.`);
        return true;
    }
    const result = await ledger.status.healthy(productionPageOf(service), policy.build);
    if (result.satisfied) {
        (0,run_state/* record */.g1)(ledger, { kind: "ServiceVerified", ...(0,run_state/* serviceRef */.$b)(service), build: result.last.build });
        ledger.ports.log.info(`${(0,run_state/* describeService */.Jv)(service)}: production healthy on ${policy.build} after ${(0,format_duration/* formatSeconds */.X)(result.elapsedMs / 1000)}.`);
        return true;
    }
    (0,run_state/* record */.g1)(ledger, {
        kind: "Regression",
        ...(0,run_state/* serviceRef */.$b)(service),
        phase: "verification",
        signal: "status-page",
        message: result.last.problem ?? "not healthy",
    });
    (0,run_state/* recordFailure */.C5)(ledger, service, `production not healthy on ${policy.build} within ${(0,format_duration/* formatSeconds */.X)(policy.statusTimeoutMs / 1000)}: ${result.last.problem}`);
    return false;
}
/**
 * Swap with preview: apply production's settings to the source slot, check the source slot is
 * still healthy under them, and only then let the swap complete. On failure the settings are reset.
 */
async function preview(ledger, service) {
    const { slots, log } = ledger.ports;
    const { preserveVnet, build } = ledger.policy;
    try {
        log.info(`${(0,run_state/* describeService */.Jv)(service)}: applying production settings to ${ledger.sourceSlot} (swap with preview).`);
        service.previewApplied = true;
        await waitingOutConflicts(ledger, ledger.signal, () => slots.applyProductionConfig(service.source, { preserveVnet }, ledger.signal));
        const result = await ledger.status.healthy(sourcePage(service), build);
        if (result.satisfied)
            return true;
        (0,run_state/* recordFailure */.C5)(ledger, service, `${ledger.sourceSlot} not healthy on ${build} with production settings: ${result.last.problem}`);
    }
    catch (error) {
        if (ledger.signal.aborted)
            throw error;
        (0,run_state/* recordFailure */.C5)(ledger, service, `swap with preview failed: ${(0,error_message/* messageOf */.b)(error)}`);
    }
    await resetPreview(ledger, service, ledger.signal);
    return false;
}
/**
 * Cancels an applied swap with preview, so the source slot runs its own settings again. Also used
 * on cancellation, with a short deadline; when it cannot be done the failure says so loudly.
 */
async function resetPreview(ledger, service, signal) {
    if (!service.previewApplied)
        return;
    try {
        await waitingOutConflicts(ledger, signal, () => ledger.ports.slots.resetProductionConfig(service.source, signal));
        service.previewApplied = false;
        ledger.ports.log.info(`${(0,run_state/* describeService */.Jv)(service)}: preview cancelled; ${ledger.sourceSlot} settings reset.`);
    }
    catch (error) {
        (0,run_state/* recordFailure */.C5)(ledger, service, `SWAP WITH PREVIEW STILL APPLIED: resetting the ${ledger.sourceSlot} slot's settings failed (${(0,error_message/* messageOf */.b)(error)}); ` +
            `${ledger.sourceSlot} runs with production's settings and App Service refuses config changes until it is reset ` +
            `(az webapp deployment slot swap --action reset).`);
    }
}
/** The bake's view of a service: production, on the build. */
function productionTarget(ledger, service) {
    return {
        service,
        slot: { ...service.production, slot: ports/* PRODUCTION_SLOT */.P },
        page: productionPageOf(service),
        build: ledger.policy.build,
    };
}
function sourcePage(service) {
    if (service.sourcePage === undefined)
        throw new Error(`${(0,run_state/* describeService */.Jv)(service)}: source status page unknown`);
    return service.sourcePage;
}

;// CONCATENATED MODULE: ./src/release/engine.ts
/**
 * The engine: runs the plan (plan.ts) wave by wave. The regions of a wave are released together;
 * inside a region, stage by stage in `depends-on` order, each service runs its steps (steps.ts);
 * a stage is verified before the next starts; a wave is baked as one. On failure, what was done
 * is undone in reverse (rollback.ts), following the `rollback` policy.
 */








/**
 * Releases the waves in order, stopping (and rolling back) at the first that fails. `toRelease`
 * are the regions pre-flight left to release; the others are skipped.
 */
async function releaseWaves(ledger, toRelease, tell) {
    const releasedThisRun = [];
    const waves = ledger.plan.waves;
    for (const [index, wave] of waves.entries()) {
        const regions = wave.regions.flatMap((planned) => {
            const region = toRelease.find((candidate) => candidate.target.name === planned.region);
            return region === undefined ? [] : [{ region, planned }];
        });
        if (regions.length === 0)
            continue;
        ledger.signal.throwIfAborted();
        const runs = regions.map(({ region }) => region);
        const released = await releaseWave(ledger, wave, regions, tell);
        if (released) {
            releasedThisRun.push(runs);
            for (const region of runs) {
                region.outcome = "released";
                ledger.ports.log.info(`${region.target.name}: released ${ledger.policy.build}.`);
                await tell(ledger, {
                    kind: "RegionFinished",
                    region: region.target.name,
                    outcome: "released",
                });
            }
            if (index < waves.length - 1)
                refreshWhileReleasing(ledger, runs);
            continue;
        }
        for (const region of runs)
            region.outcome = "failed";
        return rollBackAfterFailure(ledger, runs, releasedThisRun, tell);
    }
    return releasedThisRun.length === 0 ? "already-released" : "released";
}
/** Swaps, verifies and bakes one wave. Resolves true when every region of it held. */
async function releaseWave(ledger, wave, regions, tell) {
    const { clock, log } = ledger.ports;
    const names = regions.map(({ region }) => region.target.name);
    (0,run_state/* record */.g1)(ledger, { kind: "WaveStarted", wave: wave.number, regions: names });
    for (const { region } of regions) {
        region.startedAt = clock.now();
        await tell(ledger, { kind: "RegionStarted", region: region.target.name });
    }
    const waveRun = { failed: false, unit: regions.length > 1 ? "wave" : "region" };
    const title = regions.length === 1 ? `Region ${names[0]}` : `Wave ${wave.number}: ${names.join(", ")}`;
    const released = await log.group(title, async () => {
        const results = await forEachLimited(regions, 0, ({ region, planned }) => releaseRegion(ledger, region, planned, waveRun));
        ledger.signal.throwIfAborted();
        results.forEach((result, index) => {
            if (result.status === "rejected") {
                (0,run_state/* recordFailure */.C5)(ledger, null, `${names[index]}: the release stopped on an unexpected error: ${(0,error_message/* messageOf */.b)(result.reason)}`);
            }
        });
        if (!results.every((result) => result.status === "fulfilled" && result.value))
            return false;
        return bakeWave(ledger, wave.number, regions.map(({ region }) => region), wave.bakeTimeMs);
    });
    for (const { region } of regions)
        region.finishedAt = clock.now();
    (0,run_state/* record */.g1)(ledger, { kind: "WaveFinished", wave: wave.number, released });
    return released;
}
/** Runs one region's stages in order; a stage's services run their steps, then are verified together. */
async function releaseRegion(ledger, region, planned, waveRun) {
    const { log } = ledger.ports;
    const { maxParallel } = ledger.policy;
    const parallel = maxParallel === 0 ? "all at once" : `${maxParallel} at a time`;
    for (const [index, services] of region.stages.entries()) {
        const stage = planned.stages[index];
        if (stage === undefined)
            break;
        const stepsOf = (service) => stage.services.find((entry) => entry.service === service.target.name)?.steps ?? [];
        log.info(region.stages.length === 1
            ? `${region.target.name}: swapping ${services.length} services into production (${parallel}).`
            : `${region.target.name}: stage ${index + 1} of ${region.stages.length} (depends-on order): ${services.map((service) => service.target.name).join(", ")} (${parallel}).`);
        const beforeVerify = (service) => stepsOf(service).filter((step) => step.kind !== "verify");
        const results = await forEachLimited(services, maxParallel, async (service) => {
            if (waveRun.failed) {
                log.info(`${(0,run_state/* describeService */.Jv)(service)}: not swapped, since another service of the ${waveRun.unit} failed.`);
                return false;
            }
            const held = await runServiceSteps(ledger, service, beforeVerify(service), () => waveRun.failed);
            waveRun.failed ||= !held;
            return held;
        });
        if (!(0,run_state/* everyServiceSucceeded */.cV)(ledger, services, results)) {
            waveRun.failed = true;
            return false;
        }
        log.info(`Verifying production status pages (healthy, build ${ledger.policy.build}) within ${(0,format_duration/* formatSeconds */.X)(ledger.policy.statusTimeoutMs / 1000)}.`);
        const verified = await forEachLimited(services, 0, (service) => runServiceSteps(ledger, service, stepsOf(service).filter((step) => step.kind === "verify")));
        if (!(0,run_state/* everyServiceSucceeded */.cV)(ledger, services, verified)) {
            waveRun.failed = true;
            return false;
        }
    }
    return true;
}
/** Watches every production of the wave for its bake time. */
async function bakeWave(ledger, wave, regions, bakeTimeMs) {
    const { clock, log } = ledger.ports;
    if (bakeTimeMs <= 0)
        return true;
    log.info(`Baking for ${(0,format_duration/* formatSeconds */.X)(bakeTimeMs / 1000)}, reading every ${(0,format_duration/* formatSeconds */.X)(ledger.policy.statusIntervalMs / 1000)}.`);
    const started = clock.now();
    const targets = regions.flatMap((region) => region.services.map((service) => productionTarget(ledger, service)));
    (0,run_state/* record */.g1)(ledger, {
        kind: "BakeStarted",
        wave,
        regions: regions.map((region) => region.target.name),
    });
    const held = await watch(ledger, targets, bakeTimeMs, { phase: "bake", label: "bake-time" });
    (0,run_state/* record */.g1)(ledger, { kind: "BakeFinished", wave, held });
    if (!held)
        return false;
    log.info(`Baked for ${(0,format_duration/* formatSeconds */.X)((clock.now() - started) / 1000)}; still healthy on ${ledger.policy.build}.`);
    return true;
}
/** Applies the `rollback` policy after the wave `failed` failed, and says what the run's outcome is. */
async function rollBackAfterFailure(ledger, failed, releasedThisRun, tell) {
    const { log } = ledger.ports;
    const { rollback } = ledger.policy;
    const names = failed.map((region) => region.target.name).join(", ");
    if (rollback === "none") {
        const left = failed
            .flatMap((region) => region.services)
            .filter((service) => service.swapped)
            .map((service) => (failed.length > 1 ? `${service.region.name}/` : "") + service.target.name);
        (0,run_state/* recordFailure */.C5)(ledger, null, `${names} failed and rollback is none: ${left.length > 0 ? `production of ${left.join(", ")} is left on ${ledger.policy.build}, which failed its checks` : "no service was swapped"}. Later regions were not started.`);
        for (const region of failed) {
            await tell(ledger, { kind: "RegionFinished", region: region.target.name, outcome: "failed" });
        }
        return "failed";
    }
    const groups = rollback === "all" ? [failed, ...[...releasedThisRun].reverse()] : [failed];
    log.info(`Rolling back (${rollback}): ${groups
        .flat()
        .map((region) => region.target.name)
        .join(", ")}.`);
    let restored;
    try {
        restored = await rollBack(ledger, groups);
    }
    finally {
        // Also when the run is cancelled mid-rollback: each region's deployment follows its outcome.
        for (const region of groups.flat()) {
            await tell(ledger, {
                kind: "RegionFinished",
                region: region.target.name,
                outcome: region.outcome,
            });
        }
    }
    const anyRolledBack = groups.flat().some((region) => region.outcome === "rolled-back");
    return restored && anyRolledBack ? "rolled-back" : "failed";
}

// EXTERNAL MODULE: ./src/release/plan.ts
var release_plan = __webpack_require__(9390);
;// CONCATENATED MODULE: ./src/release/release.ts
/**
 * The release, as a release engineer tells it: pre-flight, then region by region swap, verify and
 * bake; roll back on failure; refresh the staging slots; report where everything stands.
 * Pure orchestration: it talks to the world only through the ports.
 */










/**
 * How long the closing reads of every status page may take, all of them together; short when
 * cancelled, since a cancelled run has 5 s in all (interface.md) and the report must still go out.
 */
const FINAL_READS_TIMEOUT_MS = { normalMs: 60_000, cancelledMs: 1_500 };
/** How long one call of the region listener (GitHub deployments) is waited for. */
const LISTENER_TIMEOUT_MS = { normalMs: 15_000, cancelledMs: 1_000 };
/** Services whose pages are read at once at the end: status pages, not ARM, so no request budget to spare. */
const FINAL_READ_CONCURRENCY = 16;
/**
 * Runs one release (or plan) and returns its report. Never throws for anything Azure or a status
 * page does: every failure ends up in the report. Aborting `signal` cancels: no new swap starts.
 */
async function runRelease(request, ports, signal = new AbortController().signal) {
    const plan = (0,release_plan/* planRelease */.F3)(request.fleet, request.policy);
    const context = (0,run_state/* createLedger */.M5)(request.fleet, request.policy, ports, signal, plan);
    const startedAt = ports.clock.now();
    let outcome;
    let refreshFailed = false;
    try {
        const toRelease = await ports.log.group("Pre-flight", () => preflight(context));
        if (toRelease === null) {
            outcome = "failed";
        }
        else if (request.policy.mode === "plan") {
            signal.throwIfAborted();
            for (const region of toRelease)
                region.outcome = "planned";
            outcome = "planned";
        }
        else {
            outcome = await releaseWaves(context, toRelease, tellListener);
            const released = context.regions.filter((region) => region.outcome === "released" || region.outcome === "already-released");
            // Once every region is released, every stale staging slot; otherwise only the waves
            // refreshed while the release went on, which are never swapped back.
            refreshFailed = !(await finishRefreshes(context, outcome === "released" || outcome === "already-released" ? released : []));
        }
    }
    catch (error) {
        if (!signal.aborted) {
            (0,run_state/* recordFailure */.C5)(context, null, `the release stopped on an unexpected error: ${(0,error_message/* messageOf */.b)(error)}`);
            outcome = "failed";
        }
        else {
            outcome = "cancelled";
            ports.log.warning("Cancelled: no new swap was started. Reading where every service stands.");
        }
        await settleInterruptedRegions(context, outcome);
        await Promise.all(context.refreshes.values());
    }
    await Promise.all([readFinalBuilds(context), undoLeftoverChanges(context)]);
    return (0,report.buildReport)(context, { outcome, refreshFailed, startedAt, finishedAt: ports.clock.now() });
}
/** The regions under way when the run stopped early end `cancelled` or `failed`, and say so. */
async function settleInterruptedRegions(context, outcome) {
    const interrupted = context.regions.filter((candidate) => candidate.startedAt !== null && candidate.finishedAt === null);
    for (const region of interrupted) {
        region.outcome = outcome;
        region.finishedAt = context.ports.clock.now();
        // A service swapped before the run stopped is in production unverified: say so, never leave it silent.
        for (const service of region.services) {
            if (service.swapped && !service.cancelledMidSwap) {
                (0,run_state/* addNote */.gp)(service, `the run stopped after this service was swapped and before its region was verified and baked: ` +
                    `production runs ${context.policy.build} unverified (see "after"). Re-run to verify it, or swap it back by hand.`);
            }
        }
        await tellListener(context, { kind: "RegionFinished", region: region.target.name, outcome });
    }
}
/**
 * Records a region's start or end and tells the listener, with a time limit; the listener never
 * changes the release, nor holds up a cancelled one.
 */
async function tellListener(context, event) {
    (0,run_state/* record */.g1)(context, event);
    const { listener, clock } = context.ports;
    if (listener === undefined)
        return;
    const deadline = (0,release_deadline/* closingDeadline */.yq)(clock, LISTENER_TIMEOUT_MS, context.signal);
    try {
        await (0,release_deadline/* untilAborted */.Eu)(listener.handle(event), deadline.signal);
    }
    catch (error) {
        context.ports.log.warning(`Recording the region's deployment did not finish: ${(0,error_message/* messageOf */.b)(error)}`);
    }
    finally {
        deadline.dispose();
    }
}
/**
 * When the run stopped, a canary rule still set is removed and a swap with preview applied and
 * not completed is reset, or each is said loudly to be still there.
 */
async function undoLeftoverChanges(context) {
    const services = context.regions.flatMap((region) => region.services);
    const routed = services.filter((service) => service.routedPercent > 0);
    const previews = services.filter((service) => service.previewApplied && !service.cancelledMidSwap && service.unresolvedSwap === undefined);
    if (routed.length === 0 && previews.length === 0)
        return;
    const deadline = (0,release_deadline/* deadlineSignal */.R)(context.ports.clock, FINAL_READS_TIMEOUT_MS.cancelledMs);
    try {
        await Promise.all([
            forEachLimited(routed, FINAL_READ_CONCURRENCY, (service) => removeTrafficRoute(context, service, deadline.signal)),
            forEachLimited(previews, FINAL_READ_CONCURRENCY, (service) => resetPreview(context, service, deadline.signal)),
        ]);
    }
    finally {
        deadline.dispose();
    }
}
/** Reads every status page once more so the report tells where each service stands now, never guessing. */
async function readFinalBuilds(context) {
    const deadline = (0,release_deadline/* closingDeadline */.yq)(context.ports.clock, FINAL_READS_TIMEOUT_MS, context.signal);
    const read = async (page) => {
        if (page === undefined || deadline.signal.aborted)
            return null;
        try {
            const answer = await (0,release_deadline/* untilAborted */.Eu)(context.status.readOnce(page, null, deadline.signal), deadline.signal);
            return answer.build;
        }
        catch {
            return null;
        }
    };
    const services = context.regions.flatMap((region) => region.services);
    for (const service of services)
        service.after = { production: null, staging: null };
    try {
        await forEachLimited(services, FINAL_READ_CONCURRENCY, async (service) => {
            const [production, staging] = await Promise.all([
                read(service.productionPage),
                read(service.sourcePage),
            ]);
            service.after = { production, staging };
        });
    }
    finally {
        deadline.dispose();
    }
}


/***/ }),

/***/ 6276:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  buildReport: () => (/* binding */ buildReport),
  planReport: () => (/* binding */ planReport),
  releasedRegions: () => (/* binding */ releasedRegions),
  stepFails: () => (/* binding */ stepFails)
});

// EXTERNAL MODULE: ./src/release/format-duration.ts
var format_duration = __webpack_require__(8395);
// EXTERNAL MODULE: ./src/release/plan.ts
var release_plan = __webpack_require__(9390);
;// CONCATENATED MODULE: ./src/release/timeline.ts
/** The spans of a run, in the order they started; spans still open at `endAt` end there, failed. */
function timelineOf(events, endAt) {
    const spans = [];
    const open = new Map();
    const lastDirection = new Map();
    const keyOf = (region, service) => `${region}/${service ?? ""}`;
    const begin = (span) => open.set(keyOf(span.region, span.service), span);
    const end = (region, service, at, failed) => {
        const key = keyOf(region, service);
        const span = open.get(key);
        if (span === undefined)
            return;
        open.delete(key);
        spans.push({
            region: span.region,
            service: span.service,
            kind: span.kind,
            label: span.label,
            start: span.start,
            startedAt: new Date(span.start).toISOString(),
            finishedAt: new Date(at).toISOString(),
            failed,
        });
    };
    const bakes = new Map();
    for (const event of events) {
        switch (event.kind) {
            case "CanaryStepStarted":
                begin({ ...event, kind: "canary", label: `canary ${event.percent}%`, start: event.at });
                break;
            case "CanaryStepPassed":
                end(event.region, event.service, event.at, false);
                break;
            case "TrafficRouteRemoved":
                end(event.region, event.service, event.at, true);
                break;
            case "SwapStarted":
                end(event.region, event.service, event.at, true);
                lastDirection.set(keyOf(event.region, event.service), event.direction);
                begin({
                    region: event.region,
                    service: event.service,
                    kind: event.direction === "in" ? "swap" : "rollback",
                    label: event.direction === "in" ? "swap" : "swap back",
                    start: event.at,
                });
                break;
            case "SwapCompleted":
                end(event.region, event.service, event.at, false);
                break;
            case "SwapFailed":
                end(event.region, event.service, event.at, true);
                break;
            case "VerificationStarted": {
                const back = lastDirection.get(keyOf(event.region, event.service)) === "back";
                begin({
                    region: event.region,
                    service: event.service,
                    kind: back ? "rollback" : "verification",
                    label: back ? "rollback verification" : "verification",
                    start: event.at,
                });
                break;
            }
            case "ServiceVerified":
                end(event.region, event.service, event.at, false);
                break;
            case "Regression":
                end(event.region, event.service, event.at, true);
                break;
            case "Failure":
                if (event.region !== null)
                    end(event.region, event.service, event.at, true);
                break;
            case "BakeStarted":
                bakes.set(event.wave, event.regions);
                for (const region of event.regions)
                    begin({ region, service: null, kind: "bake", label: "bake", start: event.at });
                break;
            case "BakeFinished":
                for (const region of bakes.get(event.wave) ?? [])
                    end(region, null, event.at, !event.held);
                break;
            case "RefreshStarted":
                begin({ ...event, kind: "refresh", label: "refresh", start: event.at });
                break;
            case "RefreshFinished":
                end(event.region, event.service, event.at, !event.refreshed);
                break;
        }
    }
    for (const span of [...open.values()])
        end(span.region, span.service, endAt, true);
    return spans.sort((a, b) => a.start - b.start).map(({ start: _start, ...span }) => span);
}

;// CONCATENATED MODULE: ./src/release/events.ts
/** The events of one kind, typed. */
function eventsOfKind(events, kind) {
    return events.filter((event) => event.kind === kind);
}

// EXTERNAL MODULE: ./src/release/run-state.ts + 2 modules
var run_state = __webpack_require__(2884);
;// CONCATENATED MODULE: ./src/release/report.ts
/** Turns a run's ledger into the report of interface.md, and answers questions about a report. */





/** Builds the report from the ledger as it stands. */
function buildReport(context, run) {
    const waves = context.fleet.wavesDeclared === true;
    return {
        build: context.policy.build,
        mode: context.policy.mode,
        outcome: run.outcome,
        startedAt: new Date(run.startedAt).toISOString(),
        finishedAt: new Date(run.finishedAt).toISOString(),
        refreshFailed: run.refreshFailed,
        failures: eventsOfKind(context.events, "Failure").map((event) => event.line),
        ...(context.policy.mode === "plan" ? { plan: planReport(context.plan) } : {}),
        ...(context.releaseWindow === undefined ? {} : { releaseWindow: { ...context.releaseWindow } }),
        timeline: timelineOf(context.events, run.finishedAt),
        regions: context.regions.map((region) => ({
            name: region.target.name,
            outcome: region.outcome,
            durationSeconds: region.startedAt === null
                ? null
                : (0,run_state/* secondsBetween */.O1)(region.startedAt, region.finishedAt ?? run.finishedAt),
            ...(waves ? { wave: region.wave ?? 0 } : {}),
            ...(context.fleet.analysis === undefined
                ? {}
                : {
                    evaluations: eventsOfKind(context.events, "MetricEvaluated")
                        .filter((event) => event.region === region.target.name)
                        .map((event) => ({ ...event.evaluation })),
                }),
            services: region.services.map((service) => ({
                name: service.target.name,
                app: service.target.app,
                before: { ...service.before },
                after: { ...service.after },
                swapSeconds: service.swapSeconds,
                refresh: service.refresh,
                error: service.error,
                ...(service.canary === undefined ? {} : { canary: { ...service.canary } }),
                ...(service.differences === undefined
                    ? {}
                    : {
                        differences: service.differences === null
                            ? null
                            : service.differences.map((difference) => ({ ...difference })),
                    }),
            })),
        })),
    };
}
/** The plan, as the report and the plan text show it. */
function planReport(plan) {
    const firstService = plan.waves[0]?.regions[0]?.stages[0]?.services[0];
    return {
        waves: plan.waves.map((wave) => ({
            wave: wave.number,
            bakeSeconds: wave.bakeTimeMs / 1000,
            regions: wave.regions.map((region) => ({
                name: region.region,
                stages: region.stages.map((stage) => stage.services.map((service) => service.service)),
            })),
        })),
        steps: (firstService?.steps ?? []).map((step) => step.kind === "canary"
            ? `canary ${step.percent}% for ${(0,format_duration/* formatSeconds */.X)(step.durationMs / 1000)}`
            : step.kind),
        minimumSeconds: (0,release_plan/* minimumDurationMs */.pZ)(plan) / 1000,
    };
}
/** Regions whose production runs the build at the end of the run, by the status pages' word. */
function releasedRegions(report) {
    return report.regions
        .filter((region) => region.services.every((service) => service.after?.production === report.build.trim()))
        .map((region) => region.name);
}
/** Whether the step must fail: a failed, rolled-back or cancelled outcome, or a failed refresh. */
function stepFails(report) {
    return ["failed", "rolled-back", "cancelled"].includes(report.outcome) || report.refreshFailed;
}


/***/ }),

/***/ 2884:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  gp: () => (/* binding */ addNote),
  M5: () => (/* binding */ createLedger),
  Jv: () => (/* binding */ describeService),
  cV: () => (/* binding */ everyServiceSucceeded),
  g1: () => (/* binding */ record),
  C5: () => (/* binding */ recordFailure),
  RO: () => (/* binding */ reportsTheBuild),
  e9: () => (/* binding */ runsTheBuild),
  O1: () => (/* binding */ secondsBetween),
  $b: () => (/* binding */ serviceRef)
});

// EXTERNAL MODULE: ./src/release/ports.ts
var release_ports = __webpack_require__(9541);
// EXTERNAL MODULE: ./src/error-message.ts
var error_message = __webpack_require__(6587);
// EXTERNAL MODULE: ./src/release/untrusted-text.ts
var untrusted_text = __webpack_require__(8087);
;// CONCATENATED MODULE: ./src/release/health.ts

/** A page with thousands of failing dependencies still makes a readable message. */
const MAX_PROBLEM_CHARS = 600;
const HEALTHY_WORDS = new Set(["ok", "healthy", "up", "pass", "connected", "true"]);
const WELL_KNOWN_DEPENDENCY_FIELDS = ["dependencies", "entries", "components", "checks"];
/**
 * Applies the health rules to one answer. `expectedBuild` `null` accepts any build (used when
 * verifying a rollback to a build nobody could read before).
 */
function assessStatus(response, rule, expectedBuild) {
    if (response.kind === "unreachable") {
        return {
            build: null,
            healthy: false,
            transient: true,
            inconclusive: true,
            problem: `unreachable: ${(0,untrusted_text/* untrustedText */.U)(response.reason, 400)}`,
        };
    }
    const transient = response.httpStatus === 429 || response.httpStatus >= 500;
    const build = response.bodyIsJson ? readBuild(response.body, rule.buildField) : null;
    const problems = [];
    if (response.httpStatus < 200 || response.httpStatus > 299) {
        problems.push(`HTTP ${response.httpStatus}`);
    }
    if (!response.bodyIsJson) {
        problems.push("the body is not JSON");
    }
    else {
        if (build === null) {
            problems.push(`no build in field "${rule.buildField}"`);
        }
        else if (expectedBuild !== null && build !== expectedBuild.trim()) {
            problems.push(`reports build ${build}, expected ${expectedBuild.trim()}`);
        }
        problems.push(...overallStatusProblems(response.body), ...dependencyProblems(response.body, rule));
    }
    return {
        build,
        healthy: problems.length === 0,
        transient,
        inconclusive: response.httpStatus === 429,
        problem: problems.length === 0 ? null : (0,untrusted_text/* untrustedText */.U)(problems.join("; "), MAX_PROBLEM_CHARS),
    };
}
/** Reads a dot path (`app.build`) from a JSON value. */
function readPath(value, path) {
    let current = value;
    for (const key of path.split(".")) {
        if (current === null || typeof current !== "object" || Array.isArray(current))
            return undefined;
        // Own fields only: a path such as `constructor` must not read what every object inherits.
        if (!Object.hasOwn(current, key))
            return undefined;
        current = current[key];
    }
    return current;
}
/** The reported build, trimmed, with control characters escaped and at most {@link MAX_BUILD_CHARS} long. */
function readBuild(body, buildField) {
    const value = readPath(body, buildField);
    if (typeof value === "string" && value.trim() !== "")
        return (0,untrusted_text/* untrustedText */.U)(value.trim(), untrusted_text/* MAX_BUILD_CHARS */.W);
    if (typeof value === "number")
        return String(value);
    return null;
}
function isHealthyWord(value) {
    if (typeof value === "boolean")
        return value;
    return typeof value === "string" && HEALTHY_WORDS.has(value.trim().toLowerCase());
}
function overallStatusProblems(body) {
    const status = readPath(body, "status");
    if (status === undefined || isHealthyWord(status))
        return [];
    return [`status is ${(0,untrusted_text/* untrustedText */.U)(JSON.stringify(status) ?? String(status))}`];
}
function dependencyProblems(body, rule) {
    let dependencies;
    if (rule.dependenciesField !== undefined) {
        dependencies = readPath(body, rule.dependenciesField);
        if (dependencies === undefined)
            return [`no dependencies in field "${rule.dependenciesField}"`];
    }
    else {
        const field = WELL_KNOWN_DEPENDENCY_FIELDS.find((name) => readPath(body, name) !== undefined);
        if (field === undefined)
            return [];
        dependencies = readPath(body, field);
    }
    return unhealthyDependencies(dependencies).map((name) => `dependency ${(0,untrusted_text/* untrustedText */.U)(name)} is not healthy`);
}
/** Names of the unhealthy dependencies, whatever the shape they are written in. */
function unhealthyDependencies(dependencies) {
    if (Array.isArray(dependencies)) {
        return dependencies.flatMap((entry, index) => {
            const name = readPath(entry, "name") ?? readPath(entry, "componentId") ?? `#${index}`;
            return dependencyIsHealthy(entry) ? [] : [String(name)];
        });
    }
    if (dependencies !== null && typeof dependencies === "object") {
        return Object.entries(dependencies).flatMap(([name, value]) => dependencyIsHealthy(value) ? [] : [name]);
    }
    return ["(dependencies field is neither an object nor an array)"];
}
function dependencyIsHealthy(value) {
    if (typeof value === "string" || typeof value === "boolean")
        return isHealthyWord(value);
    if (Array.isArray(value))
        return value.length > 0 && value.every(dependencyIsHealthy);
    if (value !== null && typeof value === "object")
        return isHealthyWord(readPath(value, "status"));
    return false;
}

;// CONCATENATED MODULE: ./src/release/status-polling.ts
/** Reading status pages again and again until they say what we wait for, or time runs out. */

/**
 * The health rules applied over time, bound to one run's reader, clock and timing, so the phases
 * of a release ask plain questions: is this page healthy on that build yet?
 */
class StatusWatcher {
    reader;
    clock;
    timing;
    constructor(reader, clock, timing) {
        this.reader = reader;
        this.clock = clock;
        this.timing = timing;
    }
    /** Reads `page` once and applies the health rules. Throws only when `signal` aborts. */
    async readOnce(page, expectedBuild, signal = this.timing.signal) {
        return assessStatus(await this.reader.read(page.url, signal, { routeToSelf: page.routeToSelf }), page.rule, expectedBuild);
    }
    /**
     * Reads `page` every interval until `done(answer)` holds or the timeout has passed, pausing
     * through the clock (never a busy loop). Always reads at least once.
     */
    async until(page, expectedBuild, done) {
        const { timeoutMs, intervalMs, signal } = this.timing;
        const started = this.clock.now();
        for (;;) {
            const answer = await this.readOnce(page, expectedBuild);
            const elapsedMs = this.clock.now() - started;
            if (done(answer))
                return { satisfied: true, last: answer, elapsedMs };
            if (elapsedMs + intervalMs > timeoutMs)
                return { satisfied: false, last: answer, elapsedMs };
            await this.clock.sleep(intervalMs, signal);
        }
    }
    /**
     * Waits for healthy on `expectedBuild`. With `settleOnFinalAnswer` (pre-flight), a readable,
     * non-transient answer that is not healthy ends the wait at once: waiting cannot change it.
     */
    async healthy(page, expectedBuild, options = {}) {
        const result = await this.until(page, expectedBuild, (answer) => answer.healthy || (options.settleOnFinalAnswer === true && !answer.transient));
        return { ...result, satisfied: result.last.healthy };
    }
    /** Reads until the page gives any non-transient answer, to learn which build a slot runs. */
    readable(page) {
        return this.until(page, null, (answer) => !answer.transient);
    }
}

;// CONCATENATED MODULE: ./src/release/run-state.ts



/** Builds the ledger for a fleet: every service not started, nothing known yet. */
function createLedger(fleet, policy, ports, signal, plan) {
    const regions = fleet.regions.map((region) => {
        const services = region.services.map((service) => {
            const app = {
                subscriptionId: region.subscriptionId,
                resourceGroup: region.resourceGroup,
                app: service.app,
            };
            return {
                region,
                target: service,
                production: { ...app, slot: release_ports/* PRODUCTION_SLOT */.P },
                source: { ...app, slot: fleet.sourceSlot },
                before: { production: null, staging: null },
                after: { production: null, staging: null },
                listed: {},
                productionHealthy: false,
                productionProblem: null,
                swapped: false,
                cancelledMidSwap: false,
                verifiedAt: null,
                previewApplied: false,
                routedPercent: 0,
                ...(fleet.canary === undefined ? {} : { canary: { highestPercent: 0, passed: false } }),
                swapSeconds: null,
                refresh: "skipped",
                error: null,
            };
        });
        const planned = plan.waves
            .flatMap((wave) => wave.regions.map((planned) => ({ wave: wave.number, planned })))
            .find(({ planned }) => planned.region === region.name);
        const stages = planned === undefined
            ? [services]
            : planned.planned.stages.map((stage) => services.filter((service) => stage.services.some((entry) => entry.service === service.target.name)));
        return {
            target: region,
            services,
            stages,
            wave: planned?.wave ?? null,
            outcome: "not-started",
            startedAt: null,
            finishedAt: null,
        };
    });
    const status = new StatusWatcher(ports.statusPages, ports.clock, {
        timeoutMs: policy.statusTimeoutMs,
        intervalMs: policy.statusIntervalMs,
        signal,
    });
    return {
        policy,
        fleet,
        plan,
        ports,
        signal,
        regions,
        sourceSlot: fleet.sourceSlot,
        events: [],
        refreshes: new Map(),
        status,
    };
}
/** `region/service (app)`: how a service is named in every message. */
function describeService(service) {
    return `${service.region.name}/${service.target.name} (${service.target.app})`;
}
/** Adds to the service's error what the report must say of it, without making it a failure of its own. */
function addNote(service, note) {
    service.error = service.error === null ? note : `${service.error}; ${note}`;
}
/** Records a failure on the service and in the run, and logs it as an error annotation. */
function recordFailure(context, service, message) {
    const line = service === null ? message : `${describeService(service)}: ${message}`;
    if (service !== null)
        addNote(service, message);
    record(context, {
        kind: "Failure",
        region: service?.region.name ?? null,
        service: service?.target.name ?? null,
        line,
    });
    context.ports.log.error(line, "regional-slot-swap");
}
/** Adds an event to the ledger, stamped with the run's clock. */
function record(context, event) {
    context.events.push({ ...event, at: context.ports.clock.now() });
}
/** `{region, service}` of a service, as events name it. */
function serviceRef(service) {
    return { region: service.region.name, service: service.target.name };
}
/**
 * True when production already reported the build, healthy, in pre-flight: such a service is never
 * swapped (a swap would put the previous build back), whether its whole region is released or not.
 */
function runsTheBuild(context, service) {
    return reportsTheBuild(context, service) && service.productionHealthy;
}
/** True when production reported the build in pre-flight, healthy or not. */
function reportsTheBuild(context, service) {
    return service.before.production === context.policy.build.trim();
}
/** Seconds between two clock readings, to one decimal, as the report shows them. */
function secondsBetween(startMs, endMs) {
    return Math.round((endMs - startMs) / 100) / 10;
}
/**
 * True when every per-service step resolved true. A step that threw instead (a defect, not an
 * Azure answer: those are recorded where they happen) is recorded here, so no failure goes unsaid.
 */
function everyServiceSucceeded(context, services, results) {
    context.signal.throwIfAborted();
    results.forEach((result, index) => {
        const service = services[index];
        if (result.status === "rejected" && service !== undefined) {
            recordFailure(context, service, `unexpected error: ${(0,error_message/* messageOf */.b)(result.reason)}`);
        }
    });
    return results.every((result) => result.status === "fulfilled" && result.value);
}


/***/ }),

/***/ 8087:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   U: () => (/* binding */ untrustedText),
/* harmony export */   W: () => (/* binding */ MAX_BUILD_CHARS)
/* harmony export */ });
/* harmony import */ var _invisible_characters_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6081);
/**
 * Text that comes from a status page or from Azure is data. Before it is kept anywhere a person or
 * a runner reads it (log, summary, Slack, report), its control characters are escaped, so it can
 * never start a new line (and with it a workflow command), and its length is bounded.
 */

/** At most this many characters of a reported build reach the log, summary, Slack and report (interface.md). */
const MAX_BUILD_CHARS = 200;
/** Longest piece of other untrusted text (a dependency name, a status word) kept in a message. */
const MAX_FRAGMENT_CHARS = 200;
/** Escapes control and invisible characters (see `invisible-characters.ts`), and cuts to `maxChars` with an ellipsis. */
function untrustedText(text, maxChars = MAX_FRAGMENT_CHARS) {
    const escaped = (0,_invisible_characters_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeInvisible */ .t)(text);
    return escaped.length > maxChars ? `${escaped.slice(0, maxChars - 1)}…` : escaped;
}


/***/ }),

/***/ 6516:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   HttpsStatusReader: () => (/* binding */ HttpsStatusReader),
/* harmony export */   ROUTE_TO_SELF_COOKIE: () => (/* binding */ ROUTE_TO_SELF_COOKIE)
/* harmony export */ });
/**
 * App Service's routing cookie that reaches production itself while a traffic-routing rule sends
 * a share of production's users to another slot (Microsoft's "route production traffic manually").
 */
const ROUTE_TO_SELF_COOKIE = "x-ms-routing-name=self";
/** A non-JSON body is kept for the report only; status pages that answer with a page of HTML stay readable. */
const MAX_TEXT_BODY_CHARS = 500;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/**
 * Reads a status page with one HTTP GET per `read` and reports what came back, unjudged:
 * the release core applies the health rules and decides about retries. It keeps no cookies:
 * a `Set-Cookie` of an answer (App Service pins a routed user with `x-ms-routing-name`) is never
 * sent back, so one read cannot decide where the next one lands.
 */
class HttpsStatusReader {
    timeoutMs;
    maxRedirects;
    fetch;
    constructor(options = {}) {
        this.timeoutMs = options.timeoutMs ?? 10_000;
        this.maxRedirects = options.maxRedirects ?? 3;
        this.fetch = options.fetch ?? globalThis.fetch;
    }
    async read(url, signal, options = {}) {
        signal?.throwIfAborted();
        const timeout = AbortSignal.timeout(this.timeoutMs);
        const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
        try {
            return await this.follow(url, combined, options.routeToSelf === true);
        }
        catch (error) {
            // Cancellation belongs to the caller: let it propagate. Everything else is an answer.
            if (signal?.aborted)
                throw signal.reason;
            if (timeout.aborted) {
                return {
                    kind: "unreachable",
                    reason: `no answer from ${url} within ${formatMs(this.timeoutMs)}`,
                };
            }
            return { kind: "unreachable", reason: `${url}: ${describeNetworkError(error)}` };
        }
    }
    /**
     * Follows a bounded number of redirects by hand: `fetch` alone would follow twenty. The routing
     * cookie goes only to the page's own origin, as a browser would send it, not to wherever a
     * redirect points.
     */
    async follow(startUrl, signal, routeToSelf) {
        let url = new URL(startUrl);
        const origin = url.origin;
        for (let redirects = 0;; redirects++) {
            if (url.protocol !== "https:" && url.protocol !== "http:") {
                return { kind: "unreachable", reason: `${url.href} is not an http(s) URL` };
            }
            const response = await this.fetch(url, {
                method: "GET",
                redirect: "manual",
                signal,
                headers: {
                    accept: "application/json",
                    "cache-control": "no-cache",
                    pragma: "no-cache",
                    "user-agent": "regional-slot-swap",
                    ...(routeToSelf && url.origin === origin ? { cookie: ROUTE_TO_SELF_COOKIE } : {}),
                },
            });
            const location = response.headers.get("location");
            if (REDIRECT_STATUSES.has(response.status) && location !== null) {
                await response.body?.cancel();
                if (redirects >= this.maxRedirects) {
                    return {
                        kind: "unreachable",
                        reason: `${startUrl} redirected more than ${this.maxRedirects} times (last to ${new URL(location, url).href})`,
                    };
                }
                url = new URL(location, url);
                continue;
            }
            return toStatusResponse(response.status, await response.text());
        }
    }
}
function toStatusResponse(httpStatus, text) {
    try {
        return { kind: "response", httpStatus, body: JSON.parse(text), bodyIsJson: true };
    }
    catch {
        return {
            kind: "response",
            httpStatus,
            body: text.slice(0, MAX_TEXT_BODY_CHARS),
            bodyIsJson: false,
        };
    }
}
/** `fetch` reports every network failure as "fetch failed"; the useful part is in `cause`. */
function describeNetworkError(error) {
    if (!(error instanceof Error))
        return String(error);
    const cause = error.cause;
    if (cause instanceof Error) {
        const code = cause.code;
        return typeof code === "string" && !cause.message.includes(code)
            ? `${code}: ${cause.message}`
            : cause.message;
    }
    return error.message;
}
function formatMs(ms) {
    return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}


/***/ }),

/***/ 8349:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   systemClock: () => (/* binding */ systemClock)
/* harmony export */ });
/** Real time for the action: `Date.now` and a timer that a cancellation cuts short. */
const systemClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(signal.reason);
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal?.reason);
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        signal?.addEventListener("abort", onAbort, { once: true });
    }),
};


/***/ })

};
