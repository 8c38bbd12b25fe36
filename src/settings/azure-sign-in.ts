/**
 * How the action signs in to Azure, derived from the inputs: which credential, which cloud,
 * and which endpoints, so the Azure adapter never reads an input itself.
 */
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
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
}

/** The national clouds the `azure-cloud` input accepts. */
export type AzureCloudName = "AzureCloud" | "AzureChinaCloud" | "AzureUSGovernment";

/** Each cloud's Resource Manager and Microsoft Entra endpoints, as the Azure CLI names them. */
export const AZURE_CLOUDS: Readonly<
  Record<AzureCloudName, { armEndpoint: string; authorityHost: string }>
> = {
  AzureCloud: {
    armEndpoint: "https://management.azure.com",
    authorityHost: "https://login.microsoftonline.com",
  },
  AzureChinaCloud: {
    armEndpoint: "https://management.chinacloudapi.cn",
    authorityHost: "https://login.chinacloudapi.cn",
  },
  AzureUSGovernment: {
    armEndpoint: "https://management.usgovcloudapi.net",
    authorityHost: "https://login.microsoftonline.us",
  },
};

const CLOUD_NAMES = Object.keys(AZURE_CLOUDS) as AzureCloudName[];

/** The sign-in inputs, trimmed; '' where unset. */
export interface AzureSignInInputs {
  "azure-cloud": string;
  "arm-endpoint": string;
  "authority-host": string;
  "tenant-id": string;
  "client-id": string;
  "client-secret": string;
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
    ...(tenantId === undefined ? {} : { tenantId }),
    ...(clientId === undefined ? {} : { clientId }),
    ...(clientSecret === undefined ? {} : { clientSecret }),
  };
}

function optional(value: string): string | undefined {
  return value === "" ? undefined : value;
}

/** Both arguments are valid absolute URLs here: they passed `parseHttpsUrl` or come from the table. */
function sameUrl(a: string, b: string): boolean {
  const normal = (url: string) => new URL(url).href.replace(/\/+$/, "");
  return normal(a) === normal(b);
}
