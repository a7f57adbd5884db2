export {
  DEFAULT_QUEUE_NAME,
  DEFAULT_QUEUE_PREFIX,
  QUEUE_NAME_ENV,
  QUEUE_PREFIX_ENV,
  TRAIN_JOB,
  GROW_JOB,
  TRAIN_JOB_RETENTION,
  GROW_JOB_RETENTION,
  trainJobId,
  growJobId,
  runIdOfJobId,
  isRunId,
} from "./queue-contract.js";
export { checkRunRequest, checkRunResult, checkShardResult, checkRunPlan, type ContractCheck } from "./contract-schemas.js";
export { queueConfigFromEnv, redactRedisUrl, DEFAULT_REDIS_WAIT_MS, type QueueConfig } from "./queue-config.js";
export { connectProducer, connectWorker, openOwnedQueue, RedisUnavailableError, type OwnedQueue } from "./redis-connection.js";
export { OutageLog, isConnectionError } from "./outage-log.js";
export { settleWithin } from "./settle-within.js";
// Everything a run trained in this process needs (also its own entry, @canopy/pipeline/in-process, without the queue).
export * from "./in-process.js";
export type { TrainingParams } from "./run-request.js";
export type { ShardOutcome, ShardResult, ShardProgress } from "./run-result.js";
export { planShards, type RunPlan, type ShardSpec, type PinnedInput } from "./run-plan.js";
export {
  RunQueue,
  RunBusyError,
  RunFailedError,
  type RunStatus,
  type RunState,
  type EnqueueOutcome,
  type WaitOptions,
} from "./run-queue.js";
export type { JobHandle } from "./job-handle.js";
export type { RunSteps } from "./run-steps.js";
export { processTrainJob, type GrowJobData, type ShardRetryPolicy } from "./train-job.js";
export { processGrowJob } from "./grow-job.js";
export { isPermanent, asJobError } from "./failure-kind.js";
export { differencesFrom, type HourDecision, type ReplacedRun } from "./hour-meaning.js";
export { expandDataTemplate, hasPlaceholders, windowHours, hourLabel, hourRangeLabel } from "./data-template.js";
export { type ResolvedInputs, type InputSet, type InputHour, type MissingPartitions, type InputRequest } from "./input-set.js";
export { inputLineage, type InputLineage, type InputFileLineage } from "./input-lineage.js";
export { planInputs } from "./plan-inputs.js";
export { PinnedDatasets, type PinnedDataset } from "./input-dataset.js";
export {
  judgeRun,
  parsePromoteIf,
  validateGateRule,
  headlineMetric,
  formatMetric,
  GateRuleError,
  type GateRule,
  type GateVerdict,
  type GateCheck,
  type GateBaseline,
} from "./quality-gate.js";
export { readRunHistory, type RunHistory, type RunHistoryEntry } from "./run-history.js";
export { decidePromotion, promote, type Promotion, type HeldOutScorer } from "./promotion.js";
