import { UnrecoverableError } from "bullmq";
import { checkRunPlan } from "./contract-schemas.js";
import { asJobError, isPermanent } from "./failure-kind.js";
import type { JobHandle } from "./job-handle.js";
import type { ShardProgress, ShardResult } from "./run-result.js";
import type { RunSteps } from "./run-steps.js";
import type { GrowJobData } from "./train-job.js";

const PROGRESS_INTERVAL_MS = 500;

/**
 * Grows one shard's trees and stores them in the run's staging area; returns a pointer to them.
 * Progress is reported on a fixed clock from the shard's start (every intervalMs, with the trees grown by then),
 * not on the first tree: shards then add to a run's total in even steps instead of 125 → 126 → 175.
 */
export async function processGrowJob(
  job: JobHandle<GrowJobData>,
  steps: RunSteps,
  clock: { now: () => number; intervalMs: number } = { now: Date.now, intervalMs: PROGRESS_INTERVAL_MS },
): Promise<ShardResult> {
  const problem = checkRunPlan(job.data.plan);
  if (problem !== null) throw new UnrecoverableError(`the run plan in job ${job.id} breaks the contract: ${problem}`);
  const { plan, shard: index } = job.data;
  const shard = plan.shards[index];
  if (shard === undefined) throw new UnrecoverableError(`job ${job.id} names shard ${index}, but the plan has ${plan.shards.length}`);
  const total = shard.treeEnd - shard.treeStart;
  await job.log(`growing trees ${shard.treeStart}–${shard.treeEnd - 1} of run ${plan.runId} (attempt ${job.attemptsMade + 1})`);
  let nextReportAt = clock.now() + clock.intervalMs;
  try {
    const result = await steps.grow(plan, shard, (treesDone) => {
      // A bounded rate: each update is a Redis write and a queue event, and on a busy host the worker's
      // main thread and Redis share the cores with the trees.
      const now = clock.now();
      if (now < nextReportAt || treesDone >= total) return;
      while (nextReportAt <= now) nextReportAt += clock.intervalMs;
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
