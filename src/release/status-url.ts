/** Turns a manifest status URL template into the URL of one slot's status page. */
export interface StatusUrlValues {
  host: string;
  app: string;
  slot: string;
  region: string;
  service: string;
}

/** The placeholders a status URL template may use. */
export const STATUS_URL_PLACEHOLDERS = ["host", "app", "slot", "region", "service"] as const;

/** Fills `{host}` `{app}` `{slot}` `{region}` `{service}` in a status URL template. */
export function expandStatusUrl(template: string, values: StatusUrlValues): string {
  return template.replace(
    /\{(host|app|slot|region|service)\}/g,
    (_match, name: keyof StatusUrlValues) => values[name],
  );
}
