import { asJobError, isPermanent } from "./failure-kind.js";
import type { JobHandle } from "./job-handle.js";
import type { ShardProgress, ShardResult } from "./run-result.js";
import type { RunSteps } from "./run-steps.js";
import type { GrowJobData } from "./train-job.js";

/** Grows one shard's trees and stores them in the run's staging area; returns a pointer to them. */
export async function processGrowJob(job: JobHandle<GrowJobData>, steps: RunSteps): Promise<ShardResult> {
  const { plan, shard: index } = job.data;
  const shard = plan.shards[index];
  const total = shard.treeEnd - shard.treeStart;
  await job.log(`growing trees ${shard.treeStart}–${shard.treeEnd - 1} of run ${plan.runId} (attempt ${job.attemptsMade + 1})`);
  let lastReported = -1;
  try {
    const result = await steps.grow(plan, shard, (treesDone) => {
      if (treesDone === lastReported) return;
      lastReported = treesDone;
      void job.updateProgress({ treesDone, treesTotal: total } satisfies ShardProgress);
    });
    await job.updateProgress({ treesDone: total, treesTotal: total } satisfies ShardProgress);
    return result;
  } catch (error) {
    const lastAttempt = isPermanent(error) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (lastAttempt) await steps.discard(plan).catch(() => undefined);
    throw asJobError(error);
  }
}
