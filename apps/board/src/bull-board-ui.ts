import { createBullBoard } from "@bull-board/api";
import type { ExternalJobUrl, QueueJobJson } from "@bull-board/api/typings/app";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import type { Express } from "express";
import { runIdOfJobId, TRAIN_JOB } from "./queue-names.js";
import { artifactPath } from "./runs-routes.js";
import { fileNameOf, runLinksOf } from "./run-result.js";
import { viewsWithNavigation } from "./board-navigation.js";
import { RunsOnlyAdapter } from "./runs-adapter.js";

/**
 * Dates with times everywhere, also for today (Bull Board shows only the time for today by default); the month
 * by name, so "Dec 3, 2026" reads the same to everyone (12/03 does not).
 */
const DATE_TIME: Intl.DateTimeFormatOptions = {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
};

export interface BullBoardDeps {
  readonly queue: Queue;
  /** Mount path exactly as used with app.use ("/" or "/board"). */
  readonly basePath: string;
  readonly prefix: string;
  readonly readOnly: boolean;
  readonly showLogout: boolean;
  /** Replaces Bull Board's error body (which carries the raw error message) with a generic one. */
  readonly onError: (error: Error) => string;
}

/** A completed train job's report, shown by Bull Board on the job card. */
function reportLink(job: QueueJobJson, prefix: string): ExternalJobUrl | undefined {
  const runId = runIdOfJobId(String(job.id ?? ""));
  if (job.name !== TRAIN_JOB || runId === null || !job.finishedOn || job.failedReason) return undefined;
  const links = runLinksOf(job.returnvalue, runId);
  if (!links.reportUrl) return undefined;
  return { displayText: `Report of run ${runId}`, href: artifactPath(prefix, runId, fileNameOf(links.reportUrl)) };
}

/** Bull Board for Canopy's queue; completed runs link to their report. */
export function bullBoardUi(deps: BullBoardDeps): Express {
  const { queue, basePath, prefix, readOnly } = deps;
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  const adapter = new RunsOnlyAdapter(queue, {
    readOnlyMode: readOnly,
    allowRetries: !readOnly,
    description: "One row per hourly run; its grow shards are in the run's flow view",
    // Bull Board omits the link when this returns undefined (handlers/queues.js), though its type says otherwise.
    externalJobUrl: ((job: QueueJobJson) => reportLink(job, prefix)) as (job: QueueJobJson) => ExternalJobUrl,
  });
  const miscLinks = [{ text: "Runs and reports", url: `${prefix}/runs` }];
  if (deps.showLogout) miscLinks.push({ text: "Log out", url: `${prefix}/logout` });
  createBullBoard({
    queues: [adapter],
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: "Canopy runs",
        miscLinks,
        hideDocsLink: true,
        dateFormats: { short: DATE_TIME, common: DATE_TIME, full: DATE_TIME },
      },
    },
  });
  serverAdapter.setViewsPath(viewsWithNavigation());
  // createBullBoard installs its own handler first; ours wins because the router reads it per error.
  serverAdapter.setErrorHandler((error) => ({
    status: 500,
    body: { error: { key: "ERRORS.INTERNAL_SERVER_ERROR" }, message: deps.onError(error) },
  }));
  return serverAdapter.getRouter() as Express;
}
