/**
 * The queue contract names the board needs (docs/contracts.md), from their one definition in
 * @canopy/pipeline, plus the run-id check the board applies to URLs.
 */
export { DEFAULT_QUEUE_NAME, DEFAULT_QUEUE_PREFIX, TRAIN_JOB, trainJobId, runIdOfJobId } from "@canopy/pipeline";

const RUN_ID = /^\d{10}$/;

/** A run id as it appears in board URLs: `YYYYMMDDHH`. */
export function isRunId(text: string): boolean {
  return RUN_ID.test(text);
}
