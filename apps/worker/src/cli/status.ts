import { RunQueue, publishedResult, queueConfigFromEnv, runIdFromArgument, type RunResult, type RunStatus } from "@canopy/pipeline";
import { parseRunId, readManifest, runLayout } from "@canopy/storage";
import { printRunResult } from "./output.js";
import { absoluteLocation } from "./run-options.js";

/** `canopy status` exit codes, for scripts (docs/contracts.md). */
export const STATUS_EXIT = { completed: 0, failed: 1, notFound: 2, unfinished: 3 } as const;

export interface StatusOptions {
  /** Output root to look in when the queue does not know the run (default: CANOPY_OUTPUT_ROOT). */
  out?: string;
}

/**
 * Shows a run's state from the queue; when the queue does not know it (trained in-process with
 * `canopy train`, or removed after its retention), looks for the published run under the output root.
 * Returns the exit code: 0 completed, 1 failed, 2 not found, 3 queued or running.
 */
export async function statusCommand(run: string, options: StatusOptions): Promise<number> {
  const runId = runIdFromArgument(run);
  const root = options.out ?? process.env.CANOPY_OUTPUT_ROOT;
  const out = root === undefined || root === "" ? undefined : absoluteLocation(root);
  const queue = await RunQueue.open(queueConfigFromEnv());
  let status: RunStatus | null;
  try {
    status = await queue.status(runId);
  } finally {
    await queue.close();
  }
  if (status) return printQueued(status);
  const where = `queue "${queueConfigFromEnv().queueName}"`;
  if (out === undefined) {
    console.log(`run ${runId}: not in the ${where}; give --out <root> (or set CANOPY_OUTPUT_ROOT) to look for it among published runs`);
    return STATUS_EXIT.notFound;
  }
  const published = await publishedRun(runId, out);
  if (!published) {
    console.log(`run ${runId}: not in the ${where}, and not published under ${out}`);
    return STATUS_EXIT.notFound;
  }
  console.log(`run ${runId}: completed (published; not in the ${where}: trained with canopy train, or past the queue's retention)`);
  printRunResult(published);
  return STATUS_EXIT.completed;
}

function printQueued(status: RunStatus): number {
  const phase = status.phase && status.state !== "completed" && status.state !== "failed" ? `, ${status.phase}` : "";
  console.log(`run ${status.runId} (job ${status.jobId}): ${status.state}${phase}`);
  if (status.progress) console.log(`trees:    ${status.progress.treesDone}/${status.progress.treesTotal}`);
  if (status.failedReason) console.log(`reason:   ${status.failedReason}`);
  if (status.result) printRunResult(status.result);
  if (status.state === "completed") return STATUS_EXIT.completed;
  return status.state === "failed" ? STATUS_EXIT.failed : STATUS_EXIT.unfinished;
}

/** The run as published under the output root, read from its manifest and metrics; null when absent. */
async function publishedRun(runId: string, out: string): Promise<RunResult | null> {
  const manifest = await readManifest(runLayout(out, parseRunId(runId)).url);
  return manifest === null ? null : await publishedResult(out, manifest);
}
