import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Queue, Worker, type Job } from "bullmq";
import { waitForJobState } from "@canopy/testkit";

/** Three train jobs in a real queue, driven by a real bullmq Worker in this process. */
export interface SeededRuns {
  readonly queue: Queue;
  readonly queueName: string;
  readonly completedRunId: string;
  readonly failedRunId: string;
  readonly activeRunId: string;
  readonly failedReason: string;
  readonly activeProgress: number;
  /** The completed run's folder (file: URL) holding a report.html. */
  readonly runFolderUrl: string;
  readonly reportMarker: string;
  /** Lets the active job finish and stops the worker. */
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export async function seedRuns(redisUrl: string, outRoot: string, queueName = "canopy-training"): Promise<SeededRuns> {
  const completedRunId = "2026030405";
  const failedRunId = "2026030406";
  const activeRunId = "2026030407";
  const failedReason = `s3://bucket/data/petrol.csv row 7: column "Petrol_Tax" is not a number ("abc")`;
  const activeProgress = 42;
  const folder = join(outRoot, "2026", "03", "04", "05");
  mkdirSync(folder, { recursive: true });
  const reportMarker = `Canopy report for run ${completedRunId} ${Math.random().toString(36).slice(2)}`;
  writeFileSync(
    join(folder, "report.html"),
    `<!DOCTYPE html><html><body><h1>${reportMarker}</h1><svg width="10" height="10"></svg></body></html>`,
  );
  writeFileSync(join(folder, "manifest.json"), JSON.stringify({ format: "canopy.manifest/1", runId: completedRunId }));
  const runFolderUrl = `${pathToFileURL(folder).href}/`;

  let releaseActive: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (releaseActive = resolve));
  const queue = new Queue(queueName, { connection: { url: redisUrl } });
  const worker = new Worker(
    queueName,
    async (job: Job) => {
      if (job.name === "grow") return { shardUrl: `s3://bucket/models/_staging/${completedRunId}/${job.id}.json` };
      if (job.id === `run-${completedRunId}`) {
        return {
          runId: completedRunId,
          runFolder: runFolderUrl,
          modelUrl: `${runFolderUrl}model.json`,
          manifestUrl: `${runFolderUrl}manifest.json`,
          reportUrl: `${runFolderUrl}report.html`,
          metrics: { task: "regression", mae: 48.3, mse: 3494.2, rmse: 59.1, r2: 0.2 },
        };
      }
      if (job.id === `run-${failedRunId}`) throw new Error(failedReason);
      await job.updateProgress(activeProgress);
      await held;
      return { runId: activeRunId };
    },
    { connection: { url: redisUrl, maxRetriesPerRequest: null }, concurrency: 1 },
  );
  // One at a time, so each job reaches its state before the next starts.
  const request = (runId: string) => ({
    version: 1,
    runDate: `${runId.slice(0, 4)}-${runId.slice(4, 6)}-${runId.slice(6, 8)}T${runId.slice(8)}:00:00Z`,
    data: "s3://bucket/data/petrol.csv",
    target: "Petrol_Consumption",
    out: "s3://bucket/models",
  });
  // The completed run's shards, as a real run leaves them: completed grow jobs beside the train job.
  for (let shard = 0; shard < 3; shard++) {
    const jobId = `run-${completedRunId}-shard-0${shard}`;
    await queue.add("grow", { shard }, { jobId });
    await waitForJobState(queue, jobId, "completed");
  }
  await queue.add("train", request(completedRunId), { jobId: `run-${completedRunId}` });
  await waitForJobState(queue, `run-${completedRunId}`, "completed");
  await queue.add("train", request(failedRunId), { jobId: `run-${failedRunId}`, attempts: 1 });
  await waitForJobState(queue, `run-${failedRunId}`, "failed");
  await queue.add("train", request(activeRunId), { jobId: `run-${activeRunId}` });
  await waitForJobState(queue, `run-${activeRunId}`, "active");
  const deadline = Date.now() + 10_000;
  while ((await queue.getJob(`run-${activeRunId}`))?.progress !== activeProgress) {
    if (Date.now() > deadline) throw new Error("the active job never reported its progress");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  let workerStopped = false;
  const stopWorker = async () => {
    if (workerStopped) return;
    workerStopped = true;
    releaseActive();
    await worker.close();
  };
  return {
    queue,
    queueName,
    completedRunId,
    failedRunId,
    activeRunId,
    failedReason,
    activeProgress,
    runFolderUrl,
    reportMarker,
    stopWorker,
    async close() {
      await stopWorker();
      await queue.close();
    },
  };
}
