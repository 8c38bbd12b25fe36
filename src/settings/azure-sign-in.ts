/**
 * How the action signs in to Azure, derived from the inputs: which credential, which cloud,
 * and which endpoints, so the Azure adapter never reads an input itself.
 */
import { hasInvisible } from "../invisible-characters.js";
import { quote, type ProblemList } from "./problems.js";
import { isGuid, parseChoice, parseHttpsUrl } from "./values.js";

/** Sign-in choice derived from the inputs. */
export interface AzureSignInSettings {
  method: "oidc" | "client-secret" | "default-chain";
  cloud: AzureCloudName;
  /** No trailing slash; from `azure-cloud` unless `arm-endpoint` is given. */
  armEndpoint: string;
  /** No trailing slash; from `azure-cloud` unless `authority-host` is given. */
  authorityHost: string;
  /** True when `authority-host` names a host other than the cloud's: identity must skip instance discovery. */
  customAuthority: boolean;
  /**
   * True with a custom `arm-endpoint` and no `authority-host`: the authority and ARM's token
   * audience are read from `{arm-endpoint}/metadata/endpoints` before signing in.
   */
  readCloudMetadata: boolean;
  /** Token audience of Resource Manager when it is not `armEndpoint` (Azure Stack Hub's), from the cloud's metadata. */
  armAudience?: string;
  /** api-version of every Microsoft.Web request (`arm-api-version`); the SDK's own when absent. */
  armApiVersion?: string;
  /** Audience of the GitHub OIDC token exchanged with Microsoft Entra (`oidc-audience`, else the cloud's). */
  oidcAudience: string;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
}

/** The national clouds the `azure-cloud` input accepts. */
export type AzureCloudName = "AzureCloud" | "AzureChinaCloud" | "AzureUSGovernment";

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
export const AZURE_CLOUDS: Readonly<
  Record<AzureCloudName, { armEndpoint: string; authorityHost: string; oidcAudience: string }>
> = {
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
export function isKnownAuthorityHost(url: string): boolean {
  return Object.values(AZURE_CLOUDS).some((cloud) => sameUrl(url, cloud.authorityHost));
}

/** An ARM api-version: a date, optionally with a suffix such as `-preview`. */
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-[a-z]+)?$/i;

const CLOUD_NAMES = Object.keys(AZURE_CLOUDS) as AzureCloudName[];

/** The sign-in inputs, trimmed; '' where unset. */
export interface AzureSignInInputs {
  "azure-cloud": string;
  "arm-endpoint": string;
  "authority-host": string;
  "tenant-id": string;
  "client-id": string;
  "client-secret": string;
  "arm-api-version": string;
  "oidc-audience": string;
}

/** Validates the sign-in inputs and picks the credential; problems go to `problems`. */
export function readAzureSignIn(
  inputs: AzureSignInInputs,
  problems: ProblemList,
): AzureSignInSettings {
  let cloud: AzureCloudName = "AzureCloud";
  if (inputs["azure-cloud"] !== "") {
    const parsed = parseChoice(inputs["azure-cloud"], CLOUD_NAMES, "an Azure cloud");
    if (parsed.ok) cloud = parsed.value;
    else problems.add("input azure-cloud", parsed.message, parsed.hint);
  }
  const endpoints = AZURE_CLOUDS[cloud];

  const url = (name: "arm-endpoint" | "authority-host", fallback: string): string => {
    if (inputs[name] === "") return fallback;
    const parsed = parseHttpsUrl(inputs[name]);
    if (parsed.ok) return parsed.value;
    problems.add(
      `input ${name}`,
      parsed.message,
      `${parsed.hint} Leave it empty to use ${cloud}'s.`,
    );
    return fallback;
  };
  const armEndpoint = url("arm-endpoint", endpoints.armEndpoint);
  const authorityHost = url("authority-host", endpoints.authorityHost);
  // Compare as URLs so that case and a trailing slash do not make a standard host look custom.
  const customAuthority =
    inputs["authority-host"] !== "" && !sameUrl(authorityHost, endpoints.authorityHost);
  const readCloudMetadata =
    inputs["arm-endpoint"] !== "" &&
    inputs["authority-host"] === "" &&
    !sameUrl(armEndpoint, endpoints.armEndpoint);

  const armApiVersion = optional(inputs["arm-api-version"]);
  if (armApiVersion !== undefined && !API_VERSION.test(armApiVersion)) {
    problems.add(
      "input arm-api-version",
      `${quote(armApiVersion)} is not an Azure Resource Manager api-version.`,
      "Write a date like 2022-03-01 (one of the versions ARM lists for Microsoft.Web/sites), or leave it empty for the SDK's own.",
    );
  }
  const oidcAudience = inputs["oidc-audience"] || endpoints.oidcAudience;
  if (/\s/.test(oidcAudience) || hasInvisible(oidcAudience)) {
    problems.add(
      "input oidc-audience",
      `${quote(oidcAudience)} holds spaces or invisible characters.`,
      `Write the audience of the federated credential exactly, like ${endpoints.oidcAudience}, or leave it empty for ${cloud}'s.`,
    );
  }

  for (const name of ["tenant-id", "client-id"] as const) {
    if (inputs[name] !== "" && !isGuid(inputs[name])) {
      problems.add(
        `input ${name}`,
        `${quote(inputs[name])} is not a GUID.`,
        "Copy the id from the Microsoft Entra app registration, like 00000000-0000-0000-0000-000000000000.",
      );
    }
  }

  const tenantId = optional(inputs["tenant-id"]);
  const clientId = optional(inputs["client-id"]);
  const clientSecret = optional(inputs["client-secret"]);
  if (clientSecret !== undefined && clientId === undefined) {
    problems.add(
      "input client-secret",
      "is set but client-id is empty.",
      "Set client-id (and tenant-id) to the app registration the secret belongs to, or remove client-secret.",
    );
  }
  if (clientId !== undefined && tenantId === undefined) {
    problems.add(
      "input client-id",
      "is set but tenant-id is empty.",
      "Set tenant-id to the Microsoft Entra tenant of the app registration.",
    );
  } else if (clientSecret !== undefined && tenantId === undefined) {
    problems.add(
      "input client-secret",
      "is set but tenant-id is empty.",
      "Set tenant-id to the Microsoft Entra tenant of the app registration.",
    );
  }

  const method: AzureSignInSettings["method"] =
    clientSecret !== undefined
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

function optional(value: string): string | undefined {
  return value === "" ? undefined : value;
}

/** True when both are the same URL but for letter case of the host and trailing slashes; false for a non-URL. */
export function sameUrl(a: unknown, b: string): boolean {
  if (typeof a !== "string") return false;
  try {
    const normal = (url: string) => new URL(url).href.replace(/\/+$/, "");
    return normal(a) === normal(b);
  } catch {
    return false;
  }
}
