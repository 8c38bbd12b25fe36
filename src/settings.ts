/**
 * The only reader of the action's inputs and of the release manifest: it masks secrets, validates
 * everything, and hands the rest of the action typed settings, or one error listing every problem.
 */
import { messageOf } from "./error-message.js";
import { resolve } from "node:path";
import type { Fleet, ReleasePolicy } from "./release/model.js";
import { readAzureSignIn, type AzureSignInSettings } from "./settings/azure-sign-in.js";
import { selectFleet, splitRegionFilter } from "./settings/fleet.js";
import { InputReader, readPolicy, type InputSource } from "./settings/inputs.js";
import { parseManifest, type Manifest } from "./settings/manifest.js";
import { ProblemList, SettingsError, listedProblems, quote } from "./settings/problems.js";
import { isGuid, parseBoolean, parseHttpsUrl } from "./settings/values.js";

export type { InputSource } from "./settings/inputs.js";
export { INPUT_DEFAULTS } from "./settings/inputs.js";
export type { AzureSignInSettings, AzureCloudName } from "./settings/azure-sign-in.js";
export { AZURE_CLOUDS } from "./settings/azure-sign-in.js";
export type { SettingsProblem } from "./settings/problems.js";
export { SettingsError, formatProblem } from "./settings/problems.js";

/** Everything a run needs to know, validated; the rest of the action reads no input itself. */
export interface ActionSettings {
  policy: ReleasePolicy;
  /** The targeted regions only, in manifest order. */
  fleet: Fleet;
  /** The manifest path as given (relative to the working directory). */
  manifestPath: string;
  azure: AzureSignInSettings;
  slackWebhookUrl?: string;
  github: { token?: string; deployments: boolean; environmentPrefix: string };
}

/** What settings need from the outside world: a way to mask secrets, and to read the manifest. */
export interface SettingsIo {
  /** Hides the value in every later log line (`core.setSecret` in the action). */
  mask(secret: string): void;
  /** Reads a UTF-8 file; rejects with a Node.js error (`code: "ENOENT"`) when it is missing. */
  readFile(path: string): Promise<string>;
}

/** Inputs whose values must never reach a log. */
const SECRET_INPUTS = ["client-secret", "slack-webhook-url", "github-token"] as const;

/** Reads, validates and returns the settings; masks secrets first. Throws SettingsError listing every problem. */
export async function readSettings(inputs: InputSource, io: SettingsIo): Promise<ActionSettings> {
  const problems = new ProblemList();
  const reader = new InputReader(inputs, problems);
  // Before anything can log or throw: a validation message must never be the first to print a secret.
  for (const name of SECRET_INPUTS) {
    const secret = reader.raw(name);
    if (secret !== "") io.mask(secret);
  }

  const policy = readPolicy(reader);
  const manifestPath = reader.value("manifest");
  const regionFilter = splitRegionFilter(reader.raw("regions"));

  const slackWebhookUrl = reader.raw("slack-webhook-url");
  if (slackWebhookUrl !== "") {
    const parsed = parseHttpsUrl(slackWebhookUrl, { secret: true });
    if (!parsed.ok) problems.add("input slack-webhook-url", parsed.message, parsed.hint);
  }

  const github = {
    ...(reader.raw("github-token") === "" ? {} : { token: reader.raw("github-token") }),
    deployments: reader.parse("github-deployments", parseBoolean),
    environmentPrefix: reader.value("environment-prefix"),
  };

  const subscriptionId = reader.raw("subscription-id");
  if (subscriptionId !== "" && !isGuid(subscriptionId)) {
    problems.add(
      "input subscription-id",
      `${quote(subscriptionId)} is not a GUID.`,
      "Copy the subscription id from the Azure portal, like 00000000-0000-0000-0000-000000000000.",
    );
  }

  const azure = readAzureSignIn(
    {
      "azure-cloud": reader.raw("azure-cloud"),
      "arm-endpoint": reader.raw("arm-endpoint"),
      "authority-host": reader.raw("authority-host"),
      "tenant-id": reader.raw("tenant-id"),
      "client-id": reader.raw("client-id"),
      "client-secret": reader.raw("client-secret"),
      "arm-api-version": reader.raw("arm-api-version"),
      "oidc-audience": reader.raw("oidc-audience"),
    },
    problems,
  );

  // Manifest problems come after the input problems, so the log reads inputs first.
  const manifestProblems = new ProblemList();
  const manifest = await readManifest(
    manifestPath,
    reader.raw("manifest") === "",
    io,
    manifestProblems,
  );
  const fleet = selectFleet(manifest, regionFilter, subscriptionId || undefined, {
    inputs: problems,
    manifest: manifestProblems,
  });

  const all = [...problems.items, ...manifestProblems.items];
  if (all.length > 0) throw new SettingsError(listedProblems(all));
  return {
    policy,
    fleet,
    manifestPath,
    azure,
    ...(slackWebhookUrl === "" ? {} : { slackWebhookUrl }),
    github,
  };
}

async function readManifest(
  path: string,
  isDefaultPath: boolean,
  io: SettingsIo,
  problems: ProblemList,
): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    const tried = `${quote(path)}${isDefaultPath ? ", the default path" : ""} (${resolve(path)})`;
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      problems.add(
        "input manifest",
        `no release manifest at ${tried}.`,
        "Check out the repository before this step (actions/checkout), or set the manifest input to the manifest's path relative to the working directory.",
      );
    } else {
      const reason = messageOf(error);
      problems.add(
        "input manifest",
        `cannot read ${tried}: ${reason}.`,
        "Point the manifest input at a readable YAML or JSON file.",
      );
    }
    return undefined;
  }
  return parseManifest(text, path, problems);
}
