import { describe, expect, it } from "vitest";
import { linkableRunUrl, readWorkflowRun, runUrl } from "../src/notify/workflow-run.js";

describe("readWorkflowRun", () => {
  it("reads the runner's variables", () => {
    const ctx = readWorkflowRun({
      GITHUB_REPOSITORY: "contoso/shop",
      GITHUB_RUN_ID: "4242",
      GITHUB_SERVER_URL: "https://ghe.contoso.com/",
      GITHUB_SHA: "abc123",
      GITHUB_REF: "refs/heads/main",
      GITHUB_ACTOR: "octocat",
    });
    expect(ctx).toEqual({
      repository: "contoso/shop",
      runId: "4242",
      serverUrl: "https://ghe.contoso.com",
      sha: "abc123",
      ref: "refs/heads/main",
      actor: "octocat",
    });
    expect(runUrl(ctx)).toBe("https://ghe.contoso.com/contoso/shop/actions/runs/4242");
  });

  it("leaves out what the runner did not set, and links nowhere without a run", () => {
    const ctx = readWorkflowRun({ GITHUB_SHA: "  " });
    expect(ctx).toEqual({ repository: "", runId: "", serverUrl: "https://github.com" });
    expect(linkableRunUrl(ctx)).toBeUndefined();
    expect(linkableRunUrl({ ...ctx, repository: "a/b", runId: "1" })).toBe(
      "https://github.com/a/b/actions/runs/1",
    );
  });
});
