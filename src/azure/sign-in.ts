import { messageOf } from "../error-message.js";
import {
  ClientAssertionCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  type AccessToken,
  type GetTokenOptions,
  type TokenCredential,
} from "@azure/identity";
import { untilAborted } from "../release/deadline.js";
import { AZURE_CLOUDS, type AzureSignInSettings } from "../settings/azure-sign-in.js";
import { attemptTimeoutPolicy } from "./attempt-timeout.js";

/** The audience Microsoft Entra expects in a GitHub OIDC token in the public cloud (`oidc-audience` picks another). */
export const AZURE_OIDC_AUDIENCE = AZURE_CLOUDS.AzureCloud.oidcAudience;

/**
 * Time allowed for each attempt of a request to Microsoft Entra. Entra answers in well under a
 * second; a timed-out attempt is retried (three times, backing off), so an Entra that never
 * answers costs a run about a minute before sign-in fails, instead of as long as a socket stays open.
 */
export const ENTRA_ATTEMPT_TIMEOUT_MS = 15_000;

/** Time allowed for GitHub to issue an OIDC token; `getIDToken` of @actions/core has no limit of its own. */
export const GITHUB_OIDC_TIMEOUT_MS = 20_000;

/** The time limits of sign-in's requests; tests shorten them. */
export interface SignInLimits {
  entraAttemptTimeoutMs?: number;
  oidcTimeoutMs?: number;
}

/** The token scope of Azure Resource Manager at `armEndpoint`: both sign-in and the ARM client need it. */
export function armTokenScope(armEndpoint: string): string {
  return `${armEndpoint.replace(/\/+$/, "")}/.default`;
}

/**
 * Builds the credential the inputs ask for: GitHub OIDC federation, client secret, or the default
 * chain. Every request to Entra has a time limit per attempt, the GitHub OIDC token one in all, and
 * a token request stops being waited for when the caller's `abortSignal` aborts.
 */
export function createAzureCredential(
  settings: AzureSignInSettings,
  deps: { getIdToken(audience: string): Promise<string> },
  limits: SignInLimits = {},
): CancellableCredential {
  return new CancellableCredential(signInCredential(settings, deps, limits));
}

function signInCredential(
  settings: AzureSignInSettings,
  deps: { getIdToken(audience: string): Promise<string> },
  limits: SignInLimits,
): TokenCredential {
  // After the retry policy, so that each attempt has its own limit and a timed-out one is retried.
  const bounded = {
    additionalPolicies: [
      {
        policy: attemptTimeoutPolicy(limits.entraAttemptTimeoutMs ?? ENTRA_ATTEMPT_TIMEOUT_MS),
        position: "perRetry" as const,
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
      const getAssertion = (): Promise<string> => githubOidcToken(deps, audience, timeoutMs);
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
        ...bounded,
        ...(settings.customAuthority ? entraOptions : {}),
        ...(settings.tenantId ? { tenantId: settings.tenantId } : {}),
      });
  }
}

/** GitHub's OIDC token for Entra, within `timeoutMs`: a hung token service must not hold the run. */
async function githubOidcToken(
  deps: { getIdToken(audience: string): Promise<string> },
  audience: string,
  timeoutMs: number,
): Promise<string> {
  const limit = AbortSignal.timeout(timeoutMs);
  const problem = `could not get a GitHub OIDC token for audience ${audience}`;
  try {
    return await untilAborted(deps.getIdToken(audience), limit);
  } catch (error) {
    if (limit.aborted) {
      throw new Error(
        `${problem}: GitHub did not answer within ${timeoutMs / 1000} s. Run the job again; GitHub's token service may be having trouble.`,
        { cause: error },
      );
    }
    throw new Error(
      `${problem}: ${messageOf(error)}. ` +
        "Give the job `permissions: id-token: write`, or set the `client-secret` input to sign in with a secret.",
      { cause: error },
    );
  }
}

/**
 * A credential whose token requests stop being waited for as soon as the caller's `abortSignal`
 * aborts (a cancelled run, or the ARM attempt's own time limit): @azure/identity does not pass
 * that signal on to MSAL's client-credential requests, so without this a token request to a hung
 * Entra would hold a cancelled run until its attempts ran out.
 */
export class CancellableCredential implements TokenCredential {
  constructor(readonly inner: TokenCredential) {}

  /** The inner credential's token, or the abort's reason as soon as `options.abortSignal` aborts. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const token = this.inner.getToken(scopes, options);
    // The pipeline passes DOM AbortSignals; core-auth only types them as AbortSignalLike.
    const signal = options?.abortSignal as AbortSignal | undefined;
    return signal === undefined ? token : untilAborted(token, signal);
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
