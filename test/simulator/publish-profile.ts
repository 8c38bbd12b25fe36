import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import { sendText } from "./http-util.js";

/**
 * `POST …/publishxml` (listPublishingProfileXmlWithSecrets): the slot's publishing profiles as
 * XML, which `az webapp show` reads for `ftpPublishingUrl` (Azure CLI 2.45 `show_webapp` calls it
 * on every show). Shaped like App Service's answer: Web Deploy, FTP and Zip Deploy profiles with
 * the slot's deployment user; the password is derived from the slot, never a real secret.
 */
export function sendPublishXml(res: ServerResponse, siteName: string, host: string): void {
  const user = `$${siteName.replace("/", "__")}`;
  const password = createHash("sha256").update(`publish:${host}`).digest("base64url").slice(0, 40);
  const scm = host.replace("/sites/", "/scm/");
  const attrs = (values: Record<string, string>): string =>
    Object.entries(values)
      .map(([key, value]) => `${key}="${value.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}"`)
      .join(" ");
  const common = { userName: user, userPWD: password, destinationAppUrl: `https://${host}` };
  const profiles = [
    {
      profileName: `${siteName} - Web Deploy`,
      publishMethod: "MSDeploy",
      publishUrl: `${scm}:443`,
      msdeploySite: siteName,
      ...common,
    },
    {
      profileName: `${siteName} - FTP`,
      publishMethod: "FTP",
      publishUrl: `ftps://${scm}/site/wwwroot`,
      ftpPassiveMode: "True",
      ...common,
    },
    {
      profileName: `${siteName} - Zip Deploy`,
      publishMethod: "ZipDeploy",
      publishUrl: `${scm}:443`,
      ...common,
    },
  ];
  const xml = `<publishData>${profiles.map((profile) => `<publishProfile ${attrs(profile)}><databases /></publishProfile>`).join("")}</publishData>`;
  sendText(res, 200, xml, "application/xml");
}
