/**
 * script/release against throwaway git repositories: a repository with a bare "origin", a
 * CHANGELOG.md and a dist/ made by a tiny build, so every check and the tag moves are real.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const script = path.resolve(import.meta.dirname, "..", "script", "release");

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

let base: string;
let work: string;
let remote: string;

/** An isolated environment: no user or system git configuration leaks into the test. */
function environment(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: base,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "Release Test",
    GIT_AUTHOR_EMAIL: "release@example.invalid",
    GIT_COMMITTER_NAME: "Release Test",
    GIT_COMMITTER_EMAIL: "release@example.invalid",
    // The "build" copies src/ into dist/, so a source change without a rebuild leaves dist/ stale.
    RELEASE_BUILD: "sh build.sh",
  };
}

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync("git", args, { cwd, env: environment(), encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout.trim();
}

function release(...args: string[]): Run {
  const result = spawnSync("bash", [script, ...args], {
    cwd: work,
    env: environment(),
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function commitAll(message: string): void {
  git(work, "add", "-A");
  git(work, "commit", "--quiet", "-m", message);
}

function changelog(...versions: string[]): void {
  const sections = versions.map((version) => `## [${version}] - 2026-01-01\n\n- Something.\n`);
  writeFileSync(
    path.join(work, "CHANGELOG.md"),
    `# Changelog\n\n## [Unreleased]\n\n${sections.join("\n")}`,
  );
}

/** The commit a tag points at, in the remote, or undefined when the remote has no such tag. */
function remoteTag(tag: string): string | undefined {
  const result = spawnSync(
    "git",
    ["rev-parse", "--verify", "--quiet", `refs/tags/${tag}^{commit}`],
    {
      cwd: remote,
      env: environment(),
      encoding: "utf8",
    },
  );
  return result.status === 0 ? result.stdout.trim() : undefined;
}

beforeEach(() => {
  base = mkdtempSync(path.join(tmpdir(), "release-script-"));
  work = path.join(base, "work");
  remote = path.join(base, "origin.git");
  git(base, "init", "--quiet", "--bare", "--initial-branch=main", remote);
  mkdirSync(path.join(work, "src"), { recursive: true });
  git(work, "init", "--quiet", "--initial-branch=main");
  writeFileSync(path.join(work, "build.sh"), "mkdir -p dist && cp src/index.js dist/index.js\n");
  writeFileSync(path.join(work, "src", "index.js"), "console.log('one');\n");
  mkdirSync(path.join(work, "dist"));
  writeFileSync(path.join(work, "dist", "index.js"), "console.log('one');\n");
  changelog("1.2.3");
  commitAll("first");
  git(work, "remote", "add", "origin", remote);
  git(work, "push", "--quiet", "origin", "main");
});

afterEach(() => {
  rmSync(base, { recursive: true, force: true });
});

describe("script/release", () => {
  it("checks everything and only prints the git commands with --dry-run", () => {
    const run = release("--dry-run", "v1.2.3");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("git tag -a v1.2.3 -m v1.2.3");
    expect(run.stdout).toContain("git push --force origin refs/tags/v1");
    expect(git(work, "tag", "--list")).toBe("");
    expect(remoteTag("v1.2.3")).toBeUndefined();
  });

  it("tags vX.Y.Z, points vX at it and pushes both", () => {
    const head = git(work, "rev-parse", "HEAD");
    const run = release("v1.2.3");
    expect(run.status, run.stderr).toBe(0);
    expect(remoteTag("v1.2.3")).toBe(head);
    expect(remoteTag("v1")).toBe(head);
  });

  it("moves vX to the next release and leaves the earlier tag where it was", () => {
    const first = git(work, "rev-parse", "HEAD");
    expect(release("v1.2.3").status).toBe(0);

    writeFileSync(path.join(work, "src", "index.js"), "console.log('two');\n");
    writeFileSync(path.join(work, "dist", "index.js"), "console.log('two');\n");
    changelog("1.3.0", "1.2.3");
    commitAll("second");
    git(work, "push", "--quiet", "origin", "main");
    const second = git(work, "rev-parse", "HEAD");

    const run = release("v1.3.0");
    expect(run.status, run.stderr).toBe(0);
    expect(remoteTag("v1")).toBe(second);
    expect(remoteTag("v1.2.3")).toBe(first);
    expect(remoteTag("v1.3.0")).toBe(second);
  });

  it("refuses a version without a CHANGELOG section", () => {
    const run = release("v1.4.0");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("CHANGELOG.md has no '## [1.4.0]' section");
    expect(remoteTag("v1.4.0")).toBeUndefined();
  });

  it("refuses when the build changes dist/", () => {
    writeFileSync(path.join(work, "src", "index.js"), "console.log('changed');\n");
    commitAll("source change without a rebuild");
    git(work, "push", "--quiet", "origin", "main");
    const run = release("v1.2.3");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("dist/ was stale");
    expect(remoteTag("v1.2.3")).toBeUndefined();
  });

  it("refuses a dirty tree, another branch, and a main the remote does not have", () => {
    writeFileSync(path.join(work, "notes.txt"), "uncommitted\n");
    expect(release("v1.2.3").stderr).toContain("the working tree has changes");
    rmSync(path.join(work, "notes.txt"));

    git(work, "switch", "--quiet", "-c", "feature");
    expect(release("v1.2.3").stderr).toContain("on 'feature', not 'main'");
    git(work, "switch", "--quiet", "main");

    writeFileSync(path.join(work, "README.md"), "local only\n");
    commitAll("not pushed");
    const run = release("v1.2.3");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("local main is not origin/main");
    expect(remoteTag("v1.2.3")).toBeUndefined();
  });

  it("refuses a malformed version, an existing tag and a version below the latest", () => {
    expect(release("1.2.3").stderr).toContain("'1.2.3' is not a version like v1.2.3");
    expect(release("v1.2").status).toBe(1);

    expect(release("v1.2.3").status).toBe(0);
    expect(release("v1.2.3").stderr).toContain("tag v1.2.3 exists already");

    changelog("1.2.3", "1.2.2");
    commitAll("older entry");
    git(work, "push", "--quiet", "origin", "main");
    const run = release("v1.2.2");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("v1.2.2 is not above the latest release v1.2.3");
  });

  it("finds an Unreleased section in this repository's CHANGELOG.md to move into the next version", () => {
    const text = readFileSync(path.resolve(import.meta.dirname, "..", "CHANGELOG.md"), "utf8");
    expect(text).toMatch(/^## \[Unreleased\]$/m);
  });
});
