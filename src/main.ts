/**
 * The action: read settings, build the adapters, run the release, report it, and fail the step
 * once when it must. Importing this module runs nothing.
 */
import { messageOf } from "./error-message.js";
import { readFile } from "node:fs/promises";
import * as core from "@actions/core";
import { actionsLog } from "./actions-log.js";
import type { ReleaseReport } from "./release/model.js";
import type { RunEventListener } from "./release/events.js";
import type { ReleasePorts } from "./release/ports.js";
import type { WorkflowRun } from "./notify/workflow-run.js";
import {
  formatProblem,
  readSettings,
  SettingsError,
  type ActionSettings,
} from "./settings/index.js";

/**
 * The modules a release needs beyond its settings (the Azure SDK, Octokit, the release engine,
 * the notifications), loaded once the settings are valid: a bad input or manifest is told
 * without paying for them, and the first log line comes sooner (cold start). The bundler splits
 * each into a chunk of dist/.
 */
async function loadReleaseModules() {
  const [
    monitorMetrics,
    armSlotGateway,
    cloudMetadata,
    signIn,
    githubDeployments,
    jobSummary,
    planText,
    reportFile,
    workflowRun,
    slack,
    slackMessage,
    release,
    report,
    statusReader,
    clock,
    armPacing,
  ] = await Promise.all([
    import(/* webpackChunkName: "release" */ "./azure/monitor-metrics.js"),
    import(/* webpackChunkName: "release" */ "./azure/arm-slot-gateway.js"),
    import(/* webpackChunkName: "release" */ "./azure/cloud-metadata.js"),
    import(/* webpackChunkName: "release" */ "./azure/sign-in.js"),
    import(/* webpackChunkName: "release" */ "./notify/github-deployments.js"),
    import(/* webpackChunkName: "release" */ "./notify/job-summary.js"),
    import(/* webpackChunkName: "release" */ "./notify/plan-text.js"),
    import(/* webpackChunkName: "release" */ "./notify/report-file.js"),
    import(/* webpackChunkName: "release" */ "./notify/workflow-run.js"),
    import(/* webpackChunkName: "release" */ "./notify/slack.js"),
    import(/* webpackChunkName: "release" */ "./notify/slack-message.js"),
    import(/* webpackChunkName: "release" */ "./release/release.js"),
    import(/* webpackChunkName: "release" */ "./release/report.js"),
    import(/* webpackChunkName: "release" */ "./status/https-status-reader.js"),
    import(/* webpackChunkName: "release" */ "./system-clock.js"),
    import(/* webpackChunkName: "release" */ "./azure/arm-pacing.js"),
  ]);
  return {
    AzureMonitorMetrics: monitorMetrics.AzureMonitorMetrics,
    ArmSlotGateway: armSlotGateway.ArmSlotGateway,
    withCloudMetadata: cloudMetadata.withCloudMetadata,
    createAzureCredential: signIn.createAzureCredential,
    createDeploymentsOctokit: githubDeployments.createDeploymentsOctokit,
    gitHubDeploymentsForRun: githubDeployments.gitHubDeploymentsForRun,
    renderJobSummary: jobSummary.renderJobSummary,
    describePlan: planText.describePlan,
    writeReportFile: reportFile.writeReportFile,
    readWorkflowRun: workflowRun.readWorkflowRun,
    postSlackMessage: slack.postSlackMessage,
    buildSlackMessage: slackMessage.buildSlackMessage,
    runRelease: release.runRelease,
    releasedRegions: report.releasedRegions,
    stepFails: report.stepFails,
    HttpsStatusReader: statusReader.HttpsStatusReader,
    systemClock: clock.systemClock,
    ArmRequestBudget: armPacing.ArmRequestBudget,
  };
}

/** The run's first log line: what it is about to do, from the validated settings alone. */
function startLine(settings: ActionSettings): string {
  const regions = settings.fleet.regions;
  const services = regions.reduce((count, region) => count + region.services.length, 0);
  const what = settings.policy.mode === "plan" ? "Planning" : "Releasing";
  return `${what} build ${settings.policy.build} to ${services} service(s) in ${regions.length} region(s) of ${settings.manifestPath}.`;
}

/** What {@link loadReleaseModules} loads. */
type ReleaseModules = Awaited<ReturnType<typeof loadReleaseModules>>;

/** A cancelled run must have exited within this long after SIGINT/SIGTERM (interface.md: 5 s). */
const CANCEL_EXIT_DEADLINE_MS = 4_500;
/** How long the Slack message may take when the run was cancelled and time is short. */
const CANCELLED_SLACK_TIMEOUT_MS = 1_000;
/**
 * How long GitHub deployments and Slack may still be waited for once the run is cancelled: long
 * enough to record the cancelled outcome, short enough to exit well inside the deadline.
 */
const CANCELLED_NOTIFY_GRACE_MS = 2_500;

/** Runs the action once. Never throws: every failure ends in `core.setFailed`. Says whether the run was cancelled. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<{ cancelled: boolean }> {
  const cancellation = listenForCancellation();
  try {
    const settings = await readSettings(
      { getInput: (name) => core.getInput(name, { trimWhitespace: false }) },
      { mask: (secret) => core.setSecret(secret), readFile: (path) => readFile(path, "utf8") },
    );
    // Said before the release's modules load, so the log starts as soon as the settings are known.
    actionsLog.info(startLine(settings));
    const modules = await loadReleaseModules();
    const { withCloudMetadata, readWorkflowRun, runRelease, stepFails } = modules;
    // A custom cloud's authority and ARM audience come from its metadata, before signing in.
    const azure = await withCloudMetadata(settings.azure, cancellation.signal);
    const runContext = readWorkflowRun(env);
    const report = await runRelease(
      { fleet: settings.fleet, policy: settings.policy },
      releasePorts(modules, { ...settings, azure }, runContext, env, cancellation.notifySignal),
      cancellation.signal,
    );
    await publish(modules, report, settings, runContext, env, cancellation);
    if (stepFails(report)) core.setFailed(failureLine(report));
  } catch (error) {
    if (error instanceof SettingsError) {
      await reportInvalidSettings(error);
    } else {
      core.setFailed(`regional-slot-swap stopped on an unexpected error: ${messageOf(error)}`);
    }
  } finally {
    cancellation.dispose();
  }
  return { cancelled: cancellation.signal.aborted };
}

/** The adapters the release core talks to the world through, for this run's settings. */
function releasePorts(
  modules: ReleaseModules,
  settings: ActionSettings,
  runContext: WorkflowRun,
  env: NodeJS.ProcessEnv,
  notifySignal: AbortSignal,
): ReleasePorts {
  const { createAzureCredential, ArmSlotGateway, AzureMonitorMetrics, HttpsStatusReader } = modules;
  const credential = createAzureCredential(settings.azure, {
    getIdToken: (audience) => core.getIDToken(audience),
  });
  // One budget for every ARM request of the run: slots, swaps and Azure Monitor share ARM's buckets.
  const arm = {
    budget: new modules.ArmRequestBudget(modules.systemClock),
    armEndpoint: settings.azure.armEndpoint,
    ...(settings.azure.armAudience === undefined
      ? {}
      : { armAudience: settings.azure.armAudience }),
  };
  return {
    slots: new ArmSlotGateway(credential, {
      ...arm,
      ...(settings.azure.armApiVersion === undefined
        ? {}
        : { apiVersion: settings.azure.armApiVersion }),
    }),
    ...(settings.fleet.analysis === undefined
      ? {}
      : { metrics: new AzureMonitorMetrics(credential, arm) }),
    statusPages: new HttpsStatusReader(),
    clock: modules.systemClock,
    log: actionsLog,
    listener: regionListener(modules, settings, runContext, env, notifySignal),
  };
}

/** Bad inputs or manifest: an annotation per problem, the list in the job summary, and nothing done in Azure. */
async function reportInvalidSettings(error: SettingsError): Promise<void> {
  const lines = error.problems.map(formatProblem);
  for (const line of lines) core.error(line, { title: "Invalid settings" });
  core.setOutput("outcome", "failed");
  core.setOutput("released-regions", "");
  try {
    await core.summary
      .addHeading("❌ regional-slot-swap: invalid settings", 2)
      .addRaw("Nothing in Azure was changed. Fix these and run again:\n\n")
      .addList(lines)
      .write();
  } catch (summaryError) {
    actionsLog.warning(`The job summary could not be written: ${messageOf(summaryError)}`);
  }
  core.setFailed(
    `The inputs or the manifest have ${error.problems.length} problem(s); nothing in Azure was changed.`,
  );
}

/** Outputs, report file, plan, job summary and Slack: every run tells the truth about where it ended. */
async function publish(
  modules: ReleaseModules,
  report: ReleaseReport,
  settings: ActionSettings,
  runContext: WorkflowRun,
  env: NodeJS.ProcessEnv,
  cancellation: Cancellation,
): Promise<void> {
  const { writeReportFile, releasedRegions, describePlan, renderJobSummary } = modules;
  const { postSlackMessage, buildSlackMessage } = modules;
  const reportPath = await writeReportFile(report, env.RUNNER_TEMP, runContext.runId, actionsLog);
  core.setOutput("outcome", report.outcome);
  core.setOutput("released-regions", releasedRegions(report).join(","));
  core.setOutput("report-path", reportPath);
  if (report.mode === "plan") {
    await actionsLog.group("Plan", async () =>
      describePlan(report, settings.policy.refresh).forEach((line) => actionsLog.info(line)),
    );
  }
  actionsLog.info(`Outcome: ${report.outcome}. Report: ${reportPath}`);
  try {
    await core.summary.addRaw(renderJobSummary(report, runContext, { reportPath })).write();
  } catch (error) {
    actionsLog.warning(`The job summary could not be written: ${messageOf(error)}`);
  }
  if (settings.slackWebhookUrl !== undefined && settings.slackWebhookUrl !== "") {
    try {
      await postSlackMessage(
        settings.slackWebhookUrl,
        buildSlackMessage(report, runContext),
        cancellation.signal.aborted
          ? {
              timeoutMs: CANCELLED_SLACK_TIMEOUT_MS,
              maxRetryDelayMs: 200,
              signal: cancellation.notifySignal,
            }
          : { signal: cancellation.notifySignal },
      );
      actionsLog.info("Slack message sent.");
    } catch (error) {
      actionsLog.warning(
        `The Slack message was not sent (the release's outcome stands): ${messageOf(error)}`,
      );
    }
  }
}

function regionListener(
  modules: ReleaseModules,
  settings: ActionSettings,
  runContext: WorkflowRun,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): RunEventListener | undefined {
  if (!settings.github.deployments || settings.policy.mode === "plan") return undefined;
  if (settings.github.token === undefined) {
    actionsLog.warning(
      "github-deployments is true but github-token is empty; no deployments will be recorded.",
    );
    return undefined;
  }
  const { gitHubDeploymentsForRun, createDeploymentsOctokit } = modules;
  return gitHubDeploymentsForRun(createDeploymentsOctokit(settings.github.token, env), runContext, {
    environmentPrefix: settings.github.environmentPrefix,
    build: settings.policy.build,
    log: actionsLog,
    signal,
  });
}

function failureLine(report: ReleaseReport): string {
  const first = report.failures[0];
  const reason = first === undefined ? "" : ` First failure: ${first}`;
  if (report.outcome === "released" || report.outcome === "already-released") {
    return `Released ${report.build}, but refreshing a staging slot failed.${reason}`;
  }
  return `Release of ${report.build} ended ${report.outcome}.${reason}`;
}

/** The run's cancellation, and the later one of its notifications. */
interface Cancellation {
  /** Aborts on SIGINT/SIGTERM: no new swap starts, every wait stops. */
  signal: AbortSignal;
  /** Aborts {@link CANCELLED_NOTIFY_GRACE_MS} later: the cancelled outcome may still be told. */
  notifySignal: AbortSignal;
  dispose(): void;
}

/**
 * SIGINT/SIGTERM (a cancelled workflow run) aborts the release: no new swap starts, the report is
 * still written. A timer makes sure the process is gone within the deadline even if something hangs.
 */
function listenForCancellation(): Cancellation {
  const controller = new AbortController();
  const notify = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    actionsLog.warning(`${name} received: cancelling. No new swap will start; writing the report.`);
    controller.abort(new Error(`cancelled by ${name}`));
    setTimeout(
      () => notify.abort(new Error("cancelled: no more time for notifications")),
      CANCELLED_NOTIFY_GRACE_MS,
    ).unref();
    setTimeout(() => {
      core.error("The report could not be finished before the cancellation deadline.");
      process.exit(1);
    }, CANCEL_EXIT_DEADLINE_MS).unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    notifySignal: notify.signal,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
