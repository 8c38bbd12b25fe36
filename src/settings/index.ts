/**
 * Settings: the only reader of the action's inputs and of the release manifest. The rest of the
 * action imports from here.
 */
export { readSettings, type ActionSettings, type SettingsIo } from "./read-settings.js";
export { INPUTS, INPUT_DEFAULTS, type InputSource, type InputSpec } from "./inputs.js";
export { AZURE_CLOUDS, type AzureCloudName, type AzureSignInSettings } from "./azure-sign-in.js";
export { SettingsError, formatProblem, type SettingsProblem } from "./problems.js";
