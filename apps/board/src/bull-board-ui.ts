import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import type { ExternalJobUrl, QueueJobJson } from "@bull-board/api/typings/app";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import type { Express } from "express";
import { runIdOfJobId, TRAIN_JOB } from "./queue-names.js";
import { artifactPath } from "./runs-routes.js";
import { fileNameOf, runLinksOf } from "./run-result.js";

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
  const adapter = new BullMQAdapter(queue, {
    readOnlyMode: readOnly,
    allowRetries: !readOnly,
    description: "Canopy training runs: one train job per hour, split into grow shards",
    // Bull Board omits the link when this returns undefined (handlers/queues.js), though its type says otherwise.
    externalJobUrl: ((job: QueueJobJson) => reportLink(job, prefix)) as (job: QueueJobJson) => ExternalJobUrl,
  });
  const miscLinks = [{ text: "Runs and reports", url: `${prefix}/runs` }];
  if (deps.showLogout) miscLinks.push({ text: "Log out", url: `${prefix}/logout` });
  createBullBoard({
    queues: [adapter],
    serverAdapter,
    options: { uiConfig: { boardTitle: "Canopy runs", miscLinks, hideDocsLink: true } },
  });
  // createBullBoard installs its own handler first; ours wins because the router reads it per error.
  serverAdapter.setErrorHandler((error) => ({
    status: 500,
    body: { error: { key: "ERRORS.INTERNAL_SERVER_ERROR" }, message: deps.onError(error) },
  }));
  return serverAdapter.getRouter() as Express;
}
