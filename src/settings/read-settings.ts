/**
 * The only reader of the action's inputs and of the release manifest: it masks secrets, validates
 * everything, and hands the rest of the action typed settings, or one error listing every problem.
 */
import { messageOf } from "../error-message.js";
import { resolve } from "node:path";
import type { Fleet, ReleasePolicy } from "../release/model.js";
import { readAzureSignIn, type AzureSignInSettings } from "./azure-sign-in.js";
import { selectFleet } from "./fleet.js";
import { SECRET_INPUTS, rawInput, readInputs, readPolicy, type InputSource } from "./inputs.js";
import { parseManifest, type Manifest } from "./manifest.js";
import { ProblemList, SettingsError, listedProblems, quote } from "./problems.js";

/** Everything a run needs to know, validated; the rest of the action reads no input itself. */
export interface ActionSettings {
  policy: ReleasePolicy;
  /** The targeted regions only, in manifest order, and their waves. */
  fleet: Fleet;
  /** The manifest path as given (relative to the working directory). */
  manifestPath: string;
  azure: AzureSignInSettings;
  slackWebhookUrl?: string;
  github: { token?: string; deployments: boolean; environmentPrefix: string };
  /** `ignore-release-windows`: start swaps even outside the manifest's release windows. */
  ignoreReleaseWindows: boolean;
}

/** What settings need from the outside world: a way to mask secrets, and to read the manifest. */
export interface SettingsIo {
  /** Hides the value in every later log line (`core.setSecret` in the action). */
  mask(secret: string): void;
  /** Reads a UTF-8 file; rejects with a Node.js error (`code: "ENOENT"`) when it is missing. */
  readFile(path: string): Promise<string>;
}

/** Reads, validates and returns the settings; masks secrets first. Throws SettingsError listing every problem. */
export async function readSettings(source: InputSource, io: SettingsIo): Promise<ActionSettings> {
  // Before anything can log or throw: a validation message must never be the first to print a secret.
  for (const name of SECRET_INPUTS) {
    const secret = rawInput(source, name);
    if (secret !== "") io.mask(secret);
  }

  const problems = new ProblemList();
  const inputs = readInputs(source, problems);
  const { values } = inputs;
  const policy = readPolicy(inputs, source, problems);
  const azure = readAzureSignIn(
    {
      "azure-cloud": values["azure-cloud"],
      "arm-endpoint": values["arm-endpoint"],
      "authority-host": values["authority-host"],
      "tenant-id": values["tenant-id"],
      "client-id": values["client-id"],
      "client-secret": values["client-secret"],
      "arm-api-version": values["arm-api-version"],
      "oidc-audience": values["oidc-audience"],
    },
    problems,
  );

  // Manifest problems come after the input problems, so the log reads inputs first.
  const manifestProblems = new ProblemList();
  const manifestPath = values.manifest;
  const manifest = await readManifest(
    manifestPath,
    rawInput(source, "manifest") === "",
    io,
    manifestProblems,
  );
  // A refused subscription-id still stands for the regions without one: no second problem for them.
  const subscriptionId = inputs.refused.has("subscription-id")
    ? rawInput(source, "subscription-id")
    : values["subscription-id"];
  const fleet = selectFleet(manifest, values.regions, subscriptionId, {
    inputs: problems,
    manifest: manifestProblems,
  });

  const all = [...problems.items, ...manifestProblems.items];
  if (all.length > 0) throw new SettingsError(listedProblems(all));
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
