import { UnrecoverableError } from "bullmq";
import { checkRunPlan } from "./contract-schemas.js";
import { asJobError, isPermanent } from "./failure-kind.js";
import type { JobHandle } from "./job-handle.js";
import type { ShardProgress, ShardResult } from "./run-result.js";
import type { RunSteps } from "./run-steps.js";
import type { GrowJobData } from "./train-job.js";

const PROGRESS_INTERVAL_MS = 1000;

/** Grows one shard's trees and stores them in the run's staging area; returns a pointer to them. */
export async function processGrowJob(job: JobHandle<GrowJobData>, steps: RunSteps): Promise<ShardResult> {
  const problem = checkRunPlan(job.data.plan);
  if (problem !== null) throw new UnrecoverableError(`the run plan in job ${job.id} breaks the contract: ${problem}`);
  const { plan, shard: index } = job.data;
  const shard = plan.shards[index];
  if (shard === undefined) throw new UnrecoverableError(`job ${job.id} names shard ${index}, but the plan has ${plan.shards.length}`);
  const total = shard.treeEnd - shard.treeStart;
  await job.log(`growing trees ${shard.treeStart}–${shard.treeEnd - 1} of run ${plan.runId} (attempt ${job.attemptsMade + 1})`);
  let lastReportedAt = 0;
  try {
    const result = await steps.grow(plan, shard, (treesDone) => {
      // At most one update a second: each is a Redis write and a queue event, and on a busy host the
      // worker's main thread and Redis share the cores with the trees.
      const now = Date.now();
      if (now - lastReportedAt < PROGRESS_INTERVAL_MS) return;
      lastReportedAt = now;
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
