/**
 * The queue contract names the board needs (docs/contracts.md). They mirror
 * libs/pipeline/src/queue-contract.ts; switch to importing them from @canopy/pipeline once it exports them.
 */
export const DEFAULT_QUEUE_NAME = "canopy-training";
export const DEFAULT_QUEUE_PREFIX = "bull";
export const TRAIN_JOB = "train";

const RUN_ID = /^\d{10}$/;

export function isRunId(text: string): boolean {
  return RUN_ID.test(text);
}

/** Job id of a run's `train` job: `run-YYYYMMDDHH`. */
export function trainJobId(runId: string): string {
  if (!isRunId(runId)) throw new Error(`invalid run id "${runId}": expected YYYYMMDDHH`);
  return `run-${runId}`;
}

/** The run id inside a `train` job id, or null when the id is not one. */
export function runIdOfJobId(jobId: string | undefined | null): string | null {
  const match = /^run-(\d{10})$/.exec(jobId ?? "");
  return match ? match[1] : null;
}
