/**
 * The sandboxed processor: BullMQ runs this compiled file in a worker thread, so growing trees never
 * blocks the main thread that renews job locks. It receives every job of the queue and dispatches by name.
 */
import {
  GROW_JOB,
  TRAIN_JOB,
  openOwnedQueue,
  createRunSteps,
  processGrowJob,
  processTrainJob,
  type GrowJobData,
  type JobHandle,
} from "@canopy/pipeline";
import { UnrecoverableError } from "bullmq";
import { workerConfigFromEnv } from "./worker-config.js";

const config = workerConfigFromEnv();
const steps = createRunSteps({ threads: config.threads });

export default async function process(job: JobHandle, token: string): Promise<unknown> {
  switch (job.name) {
    case TRAIN_JOB:
      return processTrainJob(job as JobHandle<Record<string, unknown>>, token, steps, () => openOwnedQueue(config), {
        attempts: config.shardAttempts,
        backoffMs: config.shardBackoffMs,
      });
    case GROW_JOB:
      return processGrowJob(job as JobHandle<GrowJobData>, steps);
    default:
      throw new UnrecoverableError(`unknown job name "${job.name}" (expected "${TRAIN_JOB}" or "${GROW_JOB}")`);
  }
}
