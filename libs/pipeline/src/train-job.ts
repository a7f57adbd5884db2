import { UnrecoverableError, WaitingChildrenError } from "bullmq";
import { StorageError } from "@canopy/storage";
import { checkShardResult } from "./contract-schemas.js";
import { asJobError } from "./failure-kind.js";
import type { JobHandle } from "./job-handle.js";
import type { OwnedQueue } from "./redis-connection.js";
import { GROW_JOB, GROW_JOB_RETENTION, growJobId, runIdOfJobId } from "./queue-contract.js";
import type { RunPlan } from "./run-plan.js";
import { describeInputs } from "./input-summary.js";
import { planInputs } from "./plan-inputs.js";
import { parseRunRequest } from "./run-request.js";
import type { RunPhaseProgress, RunResult, ShardResult } from "./run-result.js";
import type { RunSteps } from "./run-steps.js";

/** The train job's data: the producer's run request, plus the plan once the worker made it. */
type TrainJobData = Record<string, unknown> & { plan?: RunPlan };

export interface GrowJobData {
  plan: RunPlan;
  shard: number;
}

export interface ShardRetryPolicy {
  attempts: number;
  backoffMs: number;
}

/**
 * Processes a run's `train` job in two steps (BullMQ's "process step jobs" pattern):
 * 1. plan: pin the input, validate the data, add one `grow` child per shard, wait for them;
 * 2. publish: when the children are done, merge their shards, evaluate and publish the run.
 * A shard that fails for good makes this job fail with that shard's reason.
 */
export async function processTrainJob(
  job: JobHandle<TrainJobData>,
  token: string,
  steps: RunSteps,
  openQueue: () => OwnedQueue,
  retry: ShardRetryPolicy,
): Promise<RunResult> {
  const runId = runIdOfJobId(job.id ?? "");
  if (!runId) throw new UnrecoverableError(`job id "${job.id}" is not a run id (expected run-YYYYMMDDHH)`);

  let plan = job.data.plan;
  if (!plan) {
    await job.updateProgress({ phase: "planning" } satisfies RunPhaseProgress);
    try {
      const { plan: _ignored, ...requestData } = job.data;
      const request = parseRunRequest(requestData);
      const reused = await steps.reuse(runId, request);
      if (reused !== null) {
        await job.log(`run ${runId}: already published from the same inputs and settings; reused, nothing trained`);
        return reused;
      }
      plan = await steps.plan(runId, request);
    } catch (error) {
      throw asJobError(error);
    }
    await job.log(`planned run ${runId}: ${plan.shards.length} shard(s) of ${plan.params.nEstimators} trees, input ${describeInput(plan)}`);
    await job.updateData({ ...job.data, plan });
    await addShardJobs(job, plan, openQueue, retry);
    await job.updateProgress({ phase: "growing", shards: plan.shards.length } satisfies RunPhaseProgress);
  }

  if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();

  const failures = await job.getIgnoredChildrenFailures();
  const failedKeys = Object.keys(failures);
  if (failedKeys.length > 0) {
    await steps.discard(plan).catch(() => undefined);
    const shard = failedKeys[0].split(":").pop();
    throw new UnrecoverableError(`${shard} failed: ${failures[failedKeys[0]]}`);
  }

  await job.updateProgress({ phase: "publishing", shards: plan.shards.length } satisfies RunPhaseProgress);
  const values = await job.getChildrenValues<unknown>();
  for (const [key, value] of Object.entries(values)) {
    const problem = checkShardResult(value);
    if (problem !== null)
      throw new UnrecoverableError(`${key.split(":").pop()} returned a shard result that breaks the contract: ${problem}`);
  }
  const shards = (Object.values(values) as ShardResult[]).sort((a, b) => a.treeStart - b.treeStart);
  try {
    const result = await steps.publish(plan, shards, { id: job.id as string, token });
    await job.log(`published ${result.manifestUrl}`);
    return result;
  } catch (error) {
    // The train job has one attempt: a failed publish fails the run, and its staging goes (a re-run grows
    // again). Not when another publisher holds the run: that one still reads the shards.
    if (!(error instanceof StorageError && error.code === "AlreadyExists")) await steps.discard(plan).catch(() => undefined);
    throw asJobError(error);
  }
}

async function addShardJobs(job: JobHandle, plan: RunPlan, openQueue: () => OwnedQueue, retry: ShardRetryPolicy): Promise<void> {
  const owned = openQueue();
  try {
    // Deterministic child ids make this idempotent: a re-planned (stalled) parent re-adds nothing.
    await owned.queue.addBulk(
      plan.shards.map((shard) => ({
        name: GROW_JOB,
        data: { plan, shard: shard.index } satisfies GrowJobData,
        opts: {
          jobId: growJobId(plan.runId, shard.index, plan.shards.length),
          parent: { id: job.id as string, queue: job.queueQualifiedName },
          continueParentOnFailure: true,
          attempts: retry.attempts,
          backoff: { type: "exponential", delay: retry.backoffMs },
          ...GROW_JOB_RETENTION,
        },
      })),
    );
  } finally {
    await owned.close();
  }
}

function describeInput(plan: RunPlan): string {
  const pins = planInputs(plan);
  if (pins.length > 1 || plan.inputSet?.hours !== undefined)
    return `${plan.inputSet?.data ?? pins[0].url}: ${describeInputs(pins, plan.inputSet)}`;
  const [pin] = pins;
  const version = pin.versionId ? ` version ${pin.versionId}` : pin.etag ? ` etag ${pin.etag}` : "";
  return `${pin.url}${version} (${pin.size} bytes)`;
}
