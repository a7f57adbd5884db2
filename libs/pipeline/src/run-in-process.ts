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
  const shards = plan.shards.map(() => settleable<ShardResult>());
  const grown = plan.shards.map(() => 0);
  const report = () =>
    onProgress(
      grown.reduce((sum, trees) => sum + trees, 0),
      total,
    );
  // Publishing starts now: it merges each shard into the model as soon as the shards before it are grown (the tree
  // threads grow a run's trees lowest first, so shards finish in order), and only the last waits for the end.
  let stopped = false;
  const publishing = steps.publish(
    plan,
    shards.map((shard) => shard.promise),
  );
  publishing.catch(() => {
    stopped = true;
  });
  let failure: unknown;
  // Two shards at a time, so the next shard's first trees are grown while the last trees of the one before are
  // finishing and no tree thread waits between shards. Both ask the process's tree threads, so this adds no threads.
  let next = 0;
  const lane = async () => {
    while (failure === undefined && !stopped && next < plan.shards.length) {
      const at = next++;
      const shard = plan.shards[at];
      try {
        const result = await steps.grow(
          plan,
          shard,
          (done) => {
            grown[at] = done;
            report();
          },
          { keepInMemory: true },
        );
        grown[at] = shard.treeEnd - shard.treeStart;
        report();
        shards[at].resolve(result);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all([lane(), lane()]);
  // A shard that failed, or was never grown because one did or publishing failed, fails the publish with that reason.
  for (const shard of shards) shard.reject(failure ?? new Error(`run ${runId} stopped before all its shards were grown`));
  if (failure === undefined && !stopped) onPhase("publishing");
  try {
    return await publishing;
  } catch (error) {
    await steps.discard(plan).catch(() => undefined);
    throw failure ?? error;
  }
}

/** A promise with its settling functions; settling it again does nothing, and its rejection is never unhandled. */
function settleable<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
