import { messageOf } from "../error-message.js";
import {
  ClientAssertionCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  type TokenCredential,
} from "@azure/identity";
import type { AzureSignInSettings } from "../settings/azure-sign-in.js";

/** The audience Microsoft Entra expects in a GitHub OIDC token used for workload identity federation. */
export const AZURE_OIDC_AUDIENCE = "api://AzureADTokenExchange";

/** The token scope of Azure Resource Manager at `armEndpoint`: both sign-in and the ARM client need it. */
export function armTokenScope(armEndpoint: string): string {
  return `${armEndpoint.replace(/\/+$/, "")}/.default`;
}

/** Builds the credential the inputs ask for: GitHub OIDC federation, client secret, or the default chain. */
export function createAzureCredential(
  settings: AzureSignInSettings,
  deps: { getIdToken(audience: string): Promise<string> },
): TokenCredential {
  // Outside the public clouds MSAL would first ask login.microsoftonline.com to validate the
  // authority ("instance discovery"), which fails for Azure Stack, private clouds and the simulator.
  const entraOptions = {
    authorityHost: settings.authorityHost,
    disableInstanceDiscovery: settings.customAuthority,
  };
  switch (settings.method) {
    case "oidc": {
      const { tenantId, clientId } = requireApp(settings, "GitHub OIDC");
      // MSAL calls this for every token request (msal-node resolves a callback assertion in
      // acquireTokenByClientCredential), so each refresh of the ARM token presents a fresh GitHub
      // token: a release may outlive the few minutes a GitHub OIDC token is valid.
      const getAssertion = async (): Promise<string> => {
        try {
          return await deps.getIdToken(AZURE_OIDC_AUDIENCE);
        } catch (error) {
          throw new Error(
            `could not get a GitHub OIDC token for audience ${AZURE_OIDC_AUDIENCE}: ${messageOf(error)}. ` +
              "Give the job `permissions: id-token: write`, or set the `client-secret` input to sign in with a secret.",
            { cause: error },
          );
        }
      };
      return new ClientAssertionCredential(tenantId, clientId, getAssertion, entraOptions);
    }
    case "client-secret": {
      const { tenantId, clientId } = requireApp(settings, "a client secret");
      if (!settings.clientSecret) {
        throw new Error(
          "sign-in with a client secret needs the `client-secret` input; it is empty.",
        );
      }
      return new ClientSecretCredential(tenantId, clientId, settings.clientSecret, entraOptions);
    }
    case "default-chain":
      return new DefaultAzureCredential({
        ...(settings.customAuthority ? entraOptions : {}),
        ...(settings.tenantId ? { tenantId: settings.tenantId } : {}),
      });
  }
}

function requireApp(
  settings: AzureSignInSettings,
  how: string,
): { tenantId: string; clientId: string } {
  const missing = [
    settings.tenantId ? undefined : "`tenant-id`",
    settings.clientId ? undefined : "`client-id`",
  ].filter((name) => name !== undefined);
  if (missing.length > 0 || !settings.tenantId || !settings.clientId) {
    throw new Error(
      `sign-in with ${how} needs the ${missing.join(" and ")} input${missing.length > 1 ? "s" : ""} ` +
        "of the Microsoft Entra application; set them, or leave `client-id` empty to use the default credential chain.",
    );
  }
  return { tenantId: settings.tenantId, clientId: settings.clientId };
}
