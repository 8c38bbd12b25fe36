import type { DemoFleet, Simulator } from "../simulator/index.js";

/** Turns what a run produced (runner log, job summary, Slack blocks, ground truth) into readable text for the demo. */

function decodeCommandValue(value: string): string {
  return value
    .replace(/%0D/gi, "")
    .replace(/%0A/gi, "\n")
    .replace(/%3A/gi, ":")
    .replace(/%2C/gi, ",")
    .replace(/%25/g, "%");
}

/** The action's stdout as a reader sees it on GitHub: groups as headings, annotations marked, plumbing hidden. */
export function renderLog(stdout: string): string {
  const out: string[] = [];
  let indent = "";
  for (const line of stdout.split("\n")) {
    const command = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!command) {
      if (line.trim() !== "") out.push(indent + line);
      continue;
    }
    const [, name, properties = "", value = ""] = command;
    const text = decodeCommandValue(value);
    const title = /title=([^,]*)/.exec(properties)?.[1];
    const label = title ? `${decodeCommandValue(title)}: ` : "";
    switch (name) {
      case "group":
        out.push(`▶ ${text}`);
        indent = "    ";
        break;
      case "endgroup":
        indent = "";
        break;
      case "error":
        out.push(`${indent}✖ ERROR ${label}${text}`);
        break;
      case "warning":
        out.push(`${indent}⚠ WARNING ${label}${text}`);
        break;
      case "notice":
        out.push(`${indent}ℹ NOTICE ${label}${text}`);
        break;
      default:
        break; // add-mask, debug, set-output, echo: runner plumbing
    }
  }
  return out.join("\n");
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
  "&nbsp;": " ",
};

/** The job summary (Markdown with the HTML `core.summary` writes) as plain text. */
export function renderSummary(summary: string): string {
  return summary
    .replace(
      /<h(\d)[^>]*>(.*?)<\/h\1>/gis,
      (_match, _level: string, text: string) => `\n${text.toUpperCase()}\n`,
    )
    .replace(/<\/t[hd]>\s*<t[hd][^>]*>/gi, " | ")
    .replace(/<tr[^>]*>/gi, "\n")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<li[^>]*>/gi, "\n  • ")
    .replace(/<\/?(p|div|ul|ol|details|summary|pre|code)[^>]*>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&[a-z#0-9]+;/gi, (entity) => ENTITIES[entity] ?? entity)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

type Block = Record<string, unknown>;

const textOf = (value: unknown): string =>
  typeof value === "string"
    ? value
    : typeof value === "object" && value !== null && "text" in value
      ? String((value as { text: unknown }).text)
      : "";

/** A Slack message (blocks, attachments or text) as plain text. */
export function renderSlack(body: Record<string, unknown>): string {
  const lines: string[] = [];
  const renderBlocks = (blocks: unknown): void => {
    if (!Array.isArray(blocks)) return;
    for (const block of blocks as Block[]) {
      switch (block.type) {
        case "header":
          lines.push(`# ${textOf(block.text)}`);
          break;
        case "section":
          if (block.text) lines.push(textOf(block.text));
          if (Array.isArray(block.fields))
            lines.push((block.fields as unknown[]).map(textOf).join("   "));
          break;
        case "context":
          lines.push(
            `(${(Array.isArray(block.elements) ? (block.elements as unknown[]) : []).map(textOf).join(" · ")})`,
          );
          break;
        case "divider":
          lines.push("────────");
          break;
        case "rich_text":
          lines.push(JSON.stringify(block.elements));
          break;
        default:
          lines.push(textOf(block.text));
      }
    }
  };
  if (typeof body.text === "string" && !Array.isArray(body.blocks)) lines.push(body.text);
  renderBlocks(body.blocks);
  if (Array.isArray(body.attachments)) {
    for (const attachment of body.attachments as Block[]) {
      if (attachment.color) lines.push(`[${String(attachment.color)}]`);
      if (attachment.text) lines.push(String(attachment.text));
      renderBlocks(attachment.blocks);
    }
  }
  return lines.filter((line) => line !== "").join("\n");
}

/** The ground truth as a region × service table: production build | staging build. */
export function renderGroundTruth(sim: Simulator, fleet: DemoFleet): string {
  const services = fleet.regions[0]?.services.map((service) => service.name) ?? [];
  const width = 22;
  const header = "region".padEnd(14) + services.map((name) => name.padEnd(width)).join("");
  const rows = fleet.regions.map((region) => {
    const cells = region.services.map((service) => {
      const production = sim.slot(service.app, "production").build ?? "?";
      let staging = "none";
      try {
        staging = sim.slot(service.app, "staging").build ?? "?";
      } catch {
        // no staging slot
      }
      return `${production} | ${staging}`.padEnd(width);
    });
    return region.name.padEnd(14) + cells.join("");
  });
  return [`(each cell: production | staging)`, header, ...rows].join("\n");
}
