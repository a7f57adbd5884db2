import type { RunPlan, ShardSpec } from "./run-plan.js";
import type { RunRequest } from "./run-request.js";
import type { RunResult, ShardOutcome, ShardResult } from "./run-result.js";

/** The work of a run, independent of how it is scheduled (in-process or through the queue). */
export interface RunSteps {
  /**
   * The hour's published run when it already is what the request asks for (same pinned inputs and settings:
   * hour-meaning.ts), marked `reused`; null when the run must be trained. A changed hour the request does not
   * ask to replace is refused (RunChangedError, naming what differs).
   */
  reuse(runId: string, request: RunRequest): Promise<RunResult | null>;
  /** Pins the input, validates the data against the request, fixes task, features and shards. */
  plan(runId: string, request: RunRequest): Promise<RunPlan>;
  /**
   * Grows one shard's trees and writes them to the staging area. `keepInMemory`: this steps object publishes the run in
   * this process (runInProcess), so the shard may be held in memory instead (within the process's budget: a larger one
   * is staged); its result then names the staging URL it would have had.
   */
  grow(
    plan: RunPlan,
    shard: ShardSpec,
    onProgress: (treesDone: number) => void,
    options?: { keepInMemory?: boolean },
  ): Promise<ShardResult>;
  /**
   * Merges the shards in tree order, evaluates, writes the run folder with manifest.json last. `shards` are the plan's,
   * in its order; one still growing is awaited when the merge reaches it, and its failure fails the publish (nothing
   * committed). `holder` is the queue job publishing (id and attempt token): its publish lease is taken over at once by
   * a later attempt of the same job.
   */
  publish(plan: RunPlan, shards: readonly ShardOutcome[], holder?: { id: string; token: string }): Promise<RunResult>;
  /** Removes the run's staging area (best effort). */
  discard(plan: RunPlan): Promise<void>;
}
