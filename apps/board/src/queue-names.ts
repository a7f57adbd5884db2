/**
 * The queue contract names the board needs (docs/contracts.md, contracts/queue.json), from their one
 * definition in @canopy/pipeline; isRunId checks the run ids in board URLs.
 */
export {
  DEFAULT_QUEUE_NAME,
  DEFAULT_QUEUE_PREFIX,
  QUEUE_NAME_ENV,
  QUEUE_PREFIX_ENV,
  TRAIN_JOB,
  trainJobId,
  runIdOfJobId,
  isRunId,
} from "@canopy/pipeline";
