import queue from "@canopy/contracts/queue.json" with { type: "json" };
import { RUN_ID_PATTERN, shardLabel } from "@canopy/storage";

/**
 * The queue contract shared with the Python DAG (dags/, python/canopy-airflow) and the board, read from
 * contracts/queue.json (the Python side reads the same file). Documented in docs/contracts.md.
 */

/** Default BullMQ queue name; override with CANOPY_QUEUE. */
export const DEFAULT_QUEUE_NAME: string = queue.queue.name;
/** BullMQ's own default key prefix on Node and Python; override with CANOPY_QUEUE_PREFIX. */
export const DEFAULT_QUEUE_PREFIX: string = queue.queue.prefix;
export const QUEUE_NAME_ENV: string = queue.queue.nameEnv;
export const QUEUE_PREFIX_ENV: string = queue.queue.prefixEnv;

/** The one job a producer adds per run; workers turn it into a flow of `grow` children. */
export const TRAIN_JOB: string = queue.jobs.train.name;
/** A shard of a run: a contiguous range of trees. */
export const GROW_JOB: string = queue.jobs.grow.name;

/** How long finished jobs stay in Redis (BullMQ's removeOnComplete / removeOnFail). */
export const TRAIN_JOB_RETENTION = queue.jobs.train.retention;
export const GROW_JOB_RETENTION = queue.jobs.grow.retention;

const RUN_ID = RUN_ID_PATTERN.source.replace(/^\^|\$$/g, "");
const TRAIN_JOB_ID = new RegExp(`^${queue.jobs.train.id.replace("{runId}", `(${RUN_ID})`)}$`);

/** The Redis key a producer holds while it checks for and adds a run's train job. */
export function enqueueLockKey(prefix: string | undefined, queueName: string, runId: string): string {
  assertRunId(runId);
  return queue.queue.enqueueLock
    .replace("{prefix}", prefix ?? DEFAULT_QUEUE_PREFIX)
    .replace("{queue}", queueName)
    .replace("{runId}", runId);
}

/** True for a run id, `YYYYMMDDHH`. */
export function isRunId(text: string): boolean {
  return RUN_ID_PATTERN.test(text);
}

/** Job id of a run's `train` job: `run-YYYYMMDDHH` (never contains ':', never all digits). */
export function trainJobId(runId: string): string {
  assertRunId(runId);
  return queue.jobs.train.id.replace("{runId}", runId);
}

/** Job id of shard `index` (0-based) of `count`: `run-YYYYMMDDHH-shard-NN`, NN as the shard's files are numbered. */
export function growJobId(runId: string, index: number, count: number): string {
  assertRunId(runId);
  return queue.jobs.grow.id.replace("{runId}", runId).replace("{shard}", shardLabel(index, count));
}

/** The run id inside a `train` job id, or null when the id is not one. */
export function runIdOfJobId(jobId: string): string | null {
  const match = TRAIN_JOB_ID.exec(jobId);
  return match ? match[1] : null;
}

function assertRunId(runId: string): void {
  if (!isRunId(runId)) throw new Error(`invalid run id "${runId}": expected YYYYMMDDHH`);
}
