import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ReleaseReport } from "../src/release/model.js";
import { reportFileName, writeReportFile } from "../src/notify/report-file.js";
import { rolledBackReport } from "./notify-fixtures.js";

let runnerTemp: string;
beforeEach(async () => {
  runnerTemp = await mkdtemp(join(tmpdir(), "notify-report-"));
});
afterEach(async () => {
  await rm(runnerTemp, { recursive: true, force: true });
});

describe("writeReportFile", () => {
  it("writes the whole report as pretty JSON under RUNNER_TEMP and reads back equal", async () => {
    const report = rolledBackReport();
    const path = await writeReportFile(report, runnerTemp, "4242");
    expect(path).toBe(join(runnerTemp, "regional-slot-swap-report-4242.json"));
    const text = await readFile(path, "utf8");
    expect(JSON.parse(text)).toEqual(report);
    expect(text).toContain('\n  "build": "1.4.2",\n  "mode": "release",');
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("writes keys in the contract's order and nulls where the core left a value out", async () => {
    const report = rolledBackReport();
    const scrambled = {
      regions: report.regions.map((region) => ({
        services: region.services.map((service) => ({ ...service, error: undefined })),
        outcome: region.outcome,
        name: region.name,
        durationSeconds: region.durationSeconds,
      })),
      failures: report.failures,
      outcome: report.outcome,
      build: report.build,
      mode: report.mode,
      finishedAt: report.finishedAt,
      startedAt: report.startedAt,
      refreshFailed: report.refreshFailed,
      extra: "kept",
    } as unknown as ReleaseReport;
    const written = JSON.parse(
      await readFile(await writeReportFile(scrambled, runnerTemp, "7"), "utf8"),
    );
    expect(Object.keys(written)).toEqual([
      "build",
      "mode",
      "outcome",
      "startedAt",
      "finishedAt",
      "refreshFailed",
      "failures",
      "regions",
      "extra",
    ]);
    expect(Object.keys(written.regions[0])).toEqual([
      "name",
      "outcome",
      "durationSeconds",
      "services",
    ]);
    expect(Object.keys(written.regions[0].services[0])).toEqual([
      "name",
      "app",
      "before",
      "after",
      "swapSeconds",
      "refresh",
      "error",
    ]);
    expect(written.regions[0].services[0].error).toBeNull();
  });

  it("falls back to the system's temporary directory and creates a missing RUNNER_TEMP", async () => {
    const fallback = await writeReportFile(
      rolledBackReport(),
      undefined,
      `notify-test-${process.pid}`,
    );
    try {
      expect(dirname(fallback)).toBe(tmpdir());
      expect(JSON.parse(await readFile(fallback, "utf8")).outcome).toBe("rolled-back");
    } finally {
      await rm(fallback, { force: true });
    }
    const nested = join(runnerTemp, "not", "yet");
    expect(dirname(await writeReportFile(rolledBackReport(), nested, "1"))).toBe(nested);
  });

  it("keeps the file inside the directory whatever the run id", () => {
    expect(reportFileName("../../etc/passwd")).toBe(
      "regional-slot-swap-report-_.._etc_passwd.json",
    );
    expect(reportFileName("")).toBe("regional-slot-swap-report-local.json");
  });
});
