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
export function redactSecrets(text: string): string {
  return text
    .replace(BEARER_TOKEN, "$1 [redacted]")
    .replace(JWT, "[redacted token]")
    .replace(SLACK_WEBHOOK, "https://hooks.slack.com/…")
    .replace(URL_WITH_QUERY, "$1?…")
    .replace(CREDENTIAL_PARAMETER, "$1[redacted]");
}
