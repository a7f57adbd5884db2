import { pipeline } from "node:stream/promises";
import express, { type Router } from "express";
import type { Queue } from "bullmq";
import { ArtifactMissingError, ArtifactUnsupportedError, type ArtifactOpener } from "./artifact-opener.js";
import type { ArtifactScope } from "./artifact-scope.js";
import type { BoardLog } from "./board-log.js";
import { escapeHtml, page } from "./html.js";
import { isRunId, runIdOfJobId, TRAIN_JOB, trainJobId } from "./queue-names.js";
import { contentTypeOf } from "@canopy/storage";
import {
  ARTIFACTS,
  LISTED_ARTIFACTS,
  artifactRoleOf,
  artifactUrl,
  fileNameOf,
  runFolderOf,
  runLinksOf,
  type RunLinks,
} from "./run-result.js";
import { REPORT_CSP } from "./security-headers.js";

export interface RunsDeps {
  readonly queue: Queue;
  readonly prefix: string;
  readonly openArtifact: ArtifactOpener;
  /** What the board may open: a run's own artifacts under the configured output roots. */
  readonly scope: ArtifactScope;
  readonly showLogout: boolean;
  readonly log: BoardLog;
}

const LISTED_RUNS = 200;

/** Where the board serves a run's artifact (also used for Bull Board's per-job link). */
export function artifactPath(prefix: string, runId: string, name: string): string {
  return `${prefix}/runs/${runId}/${name}`;
}

function formatMetrics(metrics: Record<string, unknown> | undefined): string {
  if (!metrics) return "";
  return Object.entries(metrics)
    .filter(([key]) => key !== "task")
    .map(([key, value]) => `${key}=${typeof value === "number" ? Number(value.toPrecision(4)) : String(value)}`)
    .join(" ");
}

/** "2026-03-04 05:00" for run 2026030405. */
function hourOf(runId: string): string {
  return `${runId.slice(0, 4)}-${runId.slice(4, 6)}-${runId.slice(6, 8)} ${runId.slice(8, 10)}:00`;
}

/** "2026-12-03 10:09:25", to the second. */
function minuteOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace("T", " ");
}

async function runRow(
  prefix: string,
  queueName: string,
  jobId: string,
  finishedOn: number | undefined,
  links: RunLinks,
  scope: ArtifactScope,
): Promise<string> {
  // Only what the board would serve is linked: a forged result's URLs are not shown as files of the run.
  const servable = await Promise.all(
    LISTED_ARTIFACTS.map(async (role) => {
      const url = artifactUrl(links, role);
      return url !== undefined && "url" in (await scope.resolve(links.runId, role, url)) ? url : undefined;
    }),
  );
  const artifactLinks = servable
    .filter((url) => url !== undefined)
    .map((url) => fileNameOf(url))
    .map((name) => `<a href="${escapeHtml(artifactPath(prefix, links.runId, name))}">${escapeHtml(name)}</a>`)
    .join(" · ");
  const jobLink = `${prefix}/queue/${encodeURIComponent(queueName)}/${encodeURIComponent(jobId)}`;
  return `<tr><td><a href="${escapeHtml(jobLink)}">${escapeHtml(links.runId)}</a></td>
<td>${escapeHtml(hourOf(links.runId))}</td>
<td>${finishedOn ? escapeHtml(minuteOf(finishedOn)) : ""}</td>
<td><code>${escapeHtml(runFolderOf(links) ?? "")}</code></td>
<td>${escapeHtml(formatMetrics(links.metrics))}</td><td>${artifactLinks}</td></tr>`;
}

export function runsRoutes(deps: RunsDeps): Router {
  const { queue, prefix, openArtifact, scope, log } = deps;
  const router = express.Router();

  router.get("/runs", async (_req, res, next) => {
    try {
      const jobs = await queue.getJobs(["completed"], 0, LISTED_RUNS - 1);
      const rows = await Promise.all(
        jobs
          .filter((job) => job.name === TRAIN_JOB && runIdOfJobId(job.id ?? "") !== null)
          .map((job) => {
            const runId = runIdOfJobId(job.id ?? "") as string;
            return runRow(prefix, queue.name, job.id as string, job.finishedOn, { ...runLinksOf(job.returnvalue, runId), runId }, scope);
          }),
      );
      const table = rows.length
        ? `<table><thead><tr><th>Run</th><th>Hour trained (UTC)</th><th>Finished (UTC)</th><th>Model folder</th><th>Metrics</th><th>Files</th></tr></thead><tbody>${rows.join("")}</tbody></table>`
        : "<p>No completed runs in the queue yet.</p>";
      res.set("Cache-Control", "no-store");
      res.type("html").send(page("Runs", `<h1>Completed runs</h1>${table}`, { prefix, showLogout: deps.showLogout }));
    } catch (error) {
      next(error);
    }
  });

  router.get("/runs/:runId/:artifact", async (req, res, next) => {
    try {
      const { runId, artifact } = req.params;
      const role = artifactRoleOf(artifact);
      if (!isRunId(runId) || role === undefined) {
        res
          .status(404)
          .type("text/plain")
          .send(`No such run file: runs are YYYYMMDDHH, files are ${ARTIFACTS.join(", ")}.`);
        return;
      }
      const job = await queue.getJob(trainJobId(runId));
      if (!job || job.name !== TRAIN_JOB || !job.finishedOn || job.failedReason) {
        res.status(404).type("text/plain").send(`Run ${runId} has no completed train job in the queue (it may have been removed).`);
        return;
      }
      const storedUrl = artifactUrl(runLinksOf(job.returnvalue, runId), role);
      if (!storedUrl) {
        res.status(404).type("text/plain").send(`Run ${runId}'s result does not name a ${artifact}.`);
        return;
      }
      const scoped = await scope.resolve(runId, role, storedUrl);
      if ("refused" in scoped) {
        log(`refused to serve ${artifact} of job ${job.id}: ${storedUrl} is ${scoped.refused}`, {
          level: "warn",
          event: "artifact-refused",
          jobId: job.id,
          artifact,
          url: storedUrl,
          reason: scoped.refused,
        });
        // The same answer as for a run without the file: nothing says what lies outside the roots.
        res.status(404).type("text/plain").send(`Run ${runId} has no ${artifact} the board can serve.`);
        return;
      }
      const url = scoped.url;
      let body;
      try {
        body = await openArtifact(url);
      } catch (error) {
        if (error instanceof ArtifactMissingError) {
          res.status(404).type("text/plain").send(`Run ${runId}: ${error.message}.`);
          return;
        }
        if (error instanceof ArtifactUnsupportedError) {
          res.status(501).type("text/plain").send(`Run ${runId}: ${error.message}.`);
          return;
        }
        throw error;
      }
      res.set("Content-Type", contentTypeOf(fileNameOf(url)));
      res.set("Cache-Control", "private, no-cache");
      if (role === "report") res.set("Content-Security-Policy", REPORT_CSP);
      try {
        await pipeline(body, res);
      } catch (error) {
        // Headers are gone by now: log, and let the truncated response tell the browser.
        log(`streaming ${url} failed: ${(error as Error).message}`);
        res.destroy();
      }
    } catch (error) {
      next(error);
    }
  });

  return router;
}
