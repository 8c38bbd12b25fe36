/**
 * The endpoints of a cloud the action has no table for (Azure Stack Hub, a private cloud), read
 * from its Resource Manager as the Azure CLI does for `az cloud register --endpoint-resource-manager`:
 * `GET {arm}/metadata/endpoints?api-version=2022-09-01` names the Entra login endpoint and the
 * token audiences of ARM (Azure/azure-cli, src/azure-cli/azure/cli/command_modules/cloud/custom.py,
 * `_populate_from_metadata_endpoint`, mapped by `_arm_to_cli_mapper` in azure-cli-core's cloud.py:
 * `authentication.loginEndpoint` is the authority, `authentication.audiences[0]` the ARM resource).
 * Azure Stack Hub's audience is not its ARM URL, so a token for `{arm-endpoint}/.default` is refused there.
 */
import {
  createDefaultHttpClient,
  createEmptyPipeline,
  defaultRetryPolicy,
} from "@azure/core-rest-pipeline";
import { messageOf } from "../error-message.js";
import {
  isKnownAuthorityHost,
  sameUrl,
  type AzureSignInSettings,
} from "../settings/azure-sign-in.js";
import { SettingsError } from "../settings/problems.js";
import { parseHttpsUrl } from "../settings/values.js";
import { jsonField as field } from "./arm-error.js";
import { getAnswer } from "./arm-pipeline.js";
import { attemptTimeoutPolicy } from "./attempt-timeout.js";

/** The api-version the Azure CLI reads a cloud's metadata with. */
export const CLOUD_METADATA_API_VERSION = "2022-09-01";

/** Time allowed for each attempt; ARM answers this document at once, and 10 s is a dead socket. */
export const CLOUD_METADATA_ATTEMPT_TIMEOUT_MS = 10_000;

/** Attempts after the first, backing off 1 s, 2 s, 4 s: a hung ARM costs well under a minute. */
const CLOUD_METADATA_RETRIES = 3;

/** The time limits of the metadata read; tests shorten them. */
export interface CloudMetadataLimits {
  attemptTimeoutMs?: number;
  retries?: number;
  retryDelayMs?: number;
}

/**
 * The sign-in settings completed from the cloud's metadata when `readCloudMetadata` is set: the
 * authority host, whether it is custom, and ARM's token audience. Otherwise the settings as given.
 * Throws a `SettingsError` naming `arm-endpoint` when the document cannot be read or makes no sense.
 */
export async function withCloudMetadata(
  settings: AzureSignInSettings,
  signal: AbortSignal,
  limits: CloudMetadataLimits = {},
): Promise<AzureSignInSettings> {
  if (!settings.readCloudMetadata) return settings;
  const url = `${settings.armEndpoint}/metadata/endpoints?api-version=${CLOUD_METADATA_API_VERSION}`;
  const fail = (message: string): SettingsError =>
    new SettingsError([
      {
        where: "input arm-endpoint",
        message: `the cloud's endpoints could not be read from ${url}: ${message}.`,
        hint: "Check that arm-endpoint is the Resource Manager URL of your Azure Stack Hub or private cloud, or set authority-host to sign in without reading them.",
      },
    ]);

  const response = await getAnswer(
    (request) => metadataPipeline(limits).sendRequest(createDefaultHttpClient(), request),
    url,
    signal,
    (error) => fail(`no answer (${messageOf(error)})`),
  );
  if (response.status !== 200) {
    throw fail(`Resource Manager answered ${response.status}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(response.bodyAsText ?? "");
  } catch {
    throw fail("the answer is not JSON");
  }
  const endpoints = cloudEndpointsOf(document, settings.armEndpoint);
  if (typeof endpoints === "string") throw fail(endpoints);
  return {
    ...settings,
    authorityHost: endpoints.loginEndpoint,
    customAuthority: !isKnownAuthorityHost(endpoints.loginEndpoint),
    armAudience: endpoints.audience,
  };
}

function metadataPipeline(limits: CloudMetadataLimits) {
  const pipeline = createEmptyPipeline();
  pipeline.addPolicy(
    defaultRetryPolicy({
      maxRetries: limits.retries ?? CLOUD_METADATA_RETRIES,
      retryDelayInMs: limits.retryDelayMs ?? 1_000,
      maxRetryDelayInMs: 8_000,
    }),
  );
  // After the retry policy, so that each attempt has its own limit and a timed-out one is retried.
  pipeline.addPolicy(
    attemptTimeoutPolicy(limits.attemptTimeoutMs ?? CLOUD_METADATA_ATTEMPT_TIMEOUT_MS),
  );
  return pipeline;
}

/**
 * The login endpoint and ARM audience in a metadata document, or what is wrong with it. A custom
 * cloud answers one cloud object; Azure's public ARM answers an array of every national cloud,
 * of which the one whose `resourceManager` is `armEndpoint` is meant.
 */
function cloudEndpointsOf(
  document: unknown,
  armEndpoint: string,
): { loginEndpoint: string; audience: string } | string {
  let cloud = document;
  if (Array.isArray(document)) {
    const same = document.filter((entry) => sameUrl(field(entry, "resourceManager"), armEndpoint));
    cloud = same.length === 1 ? same[0] : document.length === 1 ? document[0] : undefined;
    if (cloud === undefined)
      return `none of its ${document.length} clouds has resourceManager ${armEndpoint}`;
  }
  const authentication = field(cloud, "authentication");
  const loginEndpoint = field(authentication, "loginEndpoint");
  const audiences = field(authentication, "audiences");
  const audience: unknown = Array.isArray(audiences) ? audiences[0] : undefined;
  if (typeof loginEndpoint !== "string" || loginEndpoint === "") {
    return "it has no authentication.loginEndpoint";
  }
  const login = parseHttpsUrl(loginEndpoint);
  if (!login.ok) return `its authentication.loginEndpoint ${login.message.replace(/\.$/, "")}`;
  if (typeof audience !== "string" || audience.trim() === "") {
    return "it has no authentication.audiences";
  }
  return { loginEndpoint: login.value, audience: audience.trim() };
}
