import type { RunRequest } from "./run-request.js";
import type { RunPhaseProgress, RunResult, ShardResult } from "./run-result.js";
import type { RunSteps } from "./run-steps.js";

/**
 * `canopy train`: the same steps the queue runs (plan, grow every shard, publish), in this process.
 * Because the steps are shared, a run trained here and one trained by any number of workers publish
 * byte-identical models.
 */
export async function runInProcess(
  steps: RunSteps,
  runId: string,
  request: RunRequest,
  onProgress: (treesDone: number, treesTotal: number) => void = () => undefined,
  onPhase: (phase: RunPhaseProgress["phase"]) => void = () => undefined,
): Promise<RunResult> {
  onPhase("planning");
  const reused = await steps.reuse(runId, request);
  if (reused !== null) return reused;
  const plan = await steps.plan(runId, request);
  onPhase("growing");
  const total = plan.params.nEstimators;
  const shards: ShardResult[] = [];
  try {
    let grown = 0;
    for (const shard of plan.shards) {
      shards.push(await steps.grow(plan, shard, (done) => onProgress(grown + done, total)));
      grown += shard.treeEnd - shard.treeStart;
      onProgress(grown, total);
    }
    onPhase("publishing");
    return await steps.publish(plan, shards);
  } catch (error) {
    await steps.discard(plan).catch(() => undefined);
    throw error;
  }
}
