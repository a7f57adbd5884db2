/**
 * `@canopy/pipeline/in-process`: what a run trained in this process needs (`canopy train`) — the run steps, the
 * request, the inputs and the hour's decision — without the queue. Loading it does not load BullMQ or ioredis
 * (~0.2 s); the package's main entry has all of this too.
 */
export {
  parseRunRequest,
  RunRequestError,
  DEFAULT_TEST_SIZE,
  DEFAULT_TREES_PER_SHARD,
  type RunRequest,
  type OnChange,
} from "./run-request.js";
export type { RunResult, RunPhaseProgress } from "./run-result.js";
export { resolveRunHour, runIdFromArgument, type RunHour } from "./run-hour.js";
export { createRunSteps, type RunStepsOptions } from "./run-steps-impl.js";
export { runInProcess } from "./run-in-process.js";
export { checkInputs, RunPublishedError } from "./preflight.js";
export { decideHour, RunChangedError } from "./hour-meaning.js";
export { publishedResult } from "./published-result.js";
export { resolveInputs } from "./input-set.js";
export { describeInputs } from "./input-summary.js";
