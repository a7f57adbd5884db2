/**
 * The queue contract shared with the Python DAG (dags/, python/canopy-airflow) and the board.
 * Documented in docs/contracts.md; change both sides together.
 */

/** Default BullMQ queue name; override with CANOPY_QUEUE. */
export const DEFAULT_QUEUE_NAME = "canopy-training";
/** BullMQ's own default key prefix on Node and Python; override with CANOPY_QUEUE_PREFIX. */
export const DEFAULT_QUEUE_PREFIX = "bull";

/** The one job a producer adds per run; workers turn it into a flow of `grow` children. */
export const TRAIN_JOB = "train";
/** A shard of a run: a contiguous range of trees. */
export const GROW_JOB = "grow";

const RUN_ID = /^\d{10}$/;

/** Job id of a run's `train` job: `run-YYYYMMDDHH` (never contains ':', never all digits). */
export function trainJobId(runId: string): string {
  assertRunId(runId);
  return `run-${runId}`;
}

/** Job id of shard `index` (0-based) of `count`: `run-YYYYMMDDHH-shard-NN`, NN zero-padded to ≥ 2 digits. */
export function growJobId(runId: string, index: number, count: number): string {
  assertRunId(runId);
  const width = Math.max(2, String(count - 1).length);
  return `run-${runId}-shard-${String(index).padStart(width, "0")}`;
}

/** The run id inside a `train` job id, or null when the id is not one. */
export function runIdOfJobId(jobId: string): string | null {
  const match = /^run-(\d{10})$/.exec(jobId);
  return match ? match[1] : null;
}

function assertRunId(runId: string): void {
  if (!RUN_ID.test(runId)) throw new Error(`invalid run id "${runId}": expected YYYYMMDDHH`);
}
