import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { actionsLog } from "../src/actions-log.js";
import { escapeInvisible } from "../src/invisible-characters.js";
import { safeLogText } from "../src/log-safety.js";

/** The commands a GitHub runner registers; the legacy `##[name]` form is honoured only for these. */
const RUNNER_COMMANDS = new Set([
  "add-mask",
  "add-matcher",
  "add-path",
  "debug",
  "echo",
  "endgroup",
  "error",
  "group",
  "notice",
  "remove-matcher",
  "save-state",
  "set-env",
  "set-output",
  "stop-commands",
  "warning",
]);

/**
 * The workflow commands a runner would take from `output`, read the way the runner reads a line
 * (ended by CR, LF or both): `::name` after leading white space, else `##[name` anywhere in it.
 */
function commandsIn(output: string): string[] {
  const commands: string[] = [];
  for (const line of output.split(/\r\n|\r|\n/)) {
    const modern = /^::([^\s:]+)[^:]*::/.exec(line.trimStart());
    const legacy = /##\[([^\s\]]+)[^\]]*\]/.exec(line);
    const name = modern?.[1] ?? legacy?.[1];
    if (name !== undefined && (modern !== null || RUNNER_COMMANDS.has(name))) commands.push(name);
  }
  return commands;
}

/** Messages a status page or Azure could make us log, each trying to issue a command. */
const HOSTILE = [
  "1.0\n::error::pwned",
  "1.0\r::error::pwned",
  "1.0\r\n::add-mask::x",
  "::error::pwned",
  "   ::set-output name=outcome::released",
  "\u00a0\u3000::warning::wide spaces",
  "build ##[error]pwned",
  "build ##[stop-commands]token",
  "1.0\n  ##[add-mask]x",
];

describe("safeLogText", () => {
  it("escapes control characters so no CR or LF can start a new line", () => {
    expect(safeLogText("1.0\n::error::pwned")).toBe("1.0\\n::error::pwned");
    expect(safeLogText("a\rb\tc\u001b[31md\u0000e\u007f")).toBe(
      "a\\rb\\tc\\u001b[31md\\u0000e\\u007f",
    );
    expect(safeLogText("x\u2028y\u2029z\u0085")).toBe("x\\u2028y\\u2029z\\u0085");
    // Bidirectional overrides would make the line read otherwise than it is written.
    expect(safeLogText("abc\u202edcb")).toBe("abc\\u202edcb");
  });

  it("prefixes a leading `::`, after white space too, and breaks up `##[` anywhere", () => {
    expect(safeLogText("::error::pwned")).toBe("\\::error::pwned");
    expect(safeLogText("  ::warning::x")).toBe("\\  ::warning::x");
    expect(safeLogText("build ##[error]pwned")).toBe("build ##\\[error]pwned");
  });

  it("leaves ordinary messages, emoji and inner colons alone", () => {
    for (const text of [
      "uk-south: swap 2 services (api 1.4.1 → 1.5.0)",
      "✅ Release 1.4.2: released · ☑️ ↩️ ⏸️",
      "https://shop.example/status answered 503",
      "a :: b",
      "",
    ]) {
      expect(safeLogText(text)).toBe(text);
    }
  });

  it("is idempotent", () => {
    for (const text of HOSTILE) expect(safeLogText(safeLogText(text))).toBe(safeLogText(text));
  });

  it("never leaves a line a runner would take for a command", () => {
    for (const text of HOSTILE) {
      expect(commandsIn(text), text).not.toEqual([]);
      expect(commandsIn(safeLogText(text)), text).toEqual([]);
    }
  });
});

describe("escapeInvisible", () => {
  it("keeps plain spaces and every printable character", () => {
    expect(escapeInvisible("1.4.2 build ::x## [ä]")).toBe("1.4.2 build ::x## [ä]");
  });
});

describe("actionsLog", () => {
  let written: string;
  beforeEach(() => {
    written = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      written += String(chunk);
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("emits no command of its own making from an info line", () => {
    for (const text of HOSTILE) actionsLog.info(text);
    expect(commandsIn(written)).toEqual([]);
    expect(written).toContain("1.0\\n::error::pwned");
  });

  it("emits exactly the one annotation a warning or error asks for", () => {
    for (const text of HOSTILE) {
      written = "";
      actionsLog.warning(text);
      actionsLog.error(text, "west-europe/api");
      expect(commandsIn(written), text).toEqual(["warning", "error"]);
    }
  });

  it("opens and closes a group whatever its name holds", async () => {
    for (const text of HOSTILE) {
      written = "";
      await actionsLog.group(text, async () => actionsLog.info(text));
      expect(commandsIn(written), text).toEqual(["group", "endgroup"]);
    }
  });
});
