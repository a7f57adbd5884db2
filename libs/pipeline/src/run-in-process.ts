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
  const shards: ShardResult[] = new Array(plan.shards.length);
  const grown = plan.shards.map(() => 0);
  const report = () =>
    onProgress(
      grown.reduce((sum, trees) => sum + trees, 0),
      total,
    );
  try {
    // Two shards at a time, so the next shard's first trees are grown while the last trees of the one before are
    // finishing and no tree thread waits between shards. Both ask the process's tree threads (first come, first
    // served), so this adds no threads.
    let next = 0;
    let failed = false;
    const lane = async () => {
      while (!failed && next < plan.shards.length) {
        const at = next++;
        const shard = plan.shards[at];
        try {
          shards[at] = await steps.grow(plan, shard, (done) => {
            grown[at] = done;
            report();
          });
        } catch (error) {
          failed = true;
          throw error;
        }
        grown[at] = shard.treeEnd - shard.treeStart;
        report();
      }
    };
    const lanes = await Promise.allSettled([lane(), lane()]);
    const failure = lanes.find((lane) => lane.status === "rejected");
    if (failure !== undefined) throw (failure as PromiseRejectedResult).reason;
    onPhase("publishing");
    return await steps.publish(plan, shards);
  } catch (error) {
    await steps.discard(plan).catch(() => undefined);
    throw error;
  }
}
