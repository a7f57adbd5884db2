import { randomBytes } from "node:crypto";
import { Job, Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { checkRunPlan, checkRunResult } from "./contract-schemas.js";
import { OutageLog, isConnectionError } from "./outage-log.js";
import { RedisUnavailableError, connectProducer, connectWorker } from "./redis-connection.js";
import { DEFAULT_REDIS_WAIT_MS, redactRedisUrl, type QueueConfig } from "./queue-config.js";
import { settleWithin } from "./settle-within.js";
import { TRAIN_JOB, TRAIN_JOB_RETENTION, enqueueLockKey, growJobId, trainJobId } from "./queue-contract.js";
import type { RunPlan } from "./run-plan.js";
import type { RunRequest } from "./run-request.js";
import type { RunPhaseProgress, RunResult, ShardProgress } from "./run-result.js";

export type RunState = "waiting" | "active" | "waiting-children" | "delayed" | "completed" | "failed" | "prioritized" | "unknown";

export interface RunStatus {
  runId: string;
  jobId: string;
  state: RunState;
  /** What the run is doing, as its train job reports it; null before a worker has picked it up. */
  phase: RunPhaseProgress["phase"] | null;
  /** Trees grown so far over all shards, when the run has shards. */
  progress: ShardProgress | null;
  result: RunResult | null;
  failedReason: string | null;
}

export interface EnqueueOutcome {
  runId: string;
  jobId: string;
  /** false when a job for this hour already existed (enqueueing is idempotent by job id). */
  added: boolean;
  state: RunState;
}

/** The enqueue lock outlives any check-and-add (a few commands) but not a producer that died holding it. */
const ENQUEUE_LOCK_MS = 10_000;
const ENQUEUE_LOCK_WAIT_MS = 15_000;
const RELEASE_IF_OURS = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0`;

/** Raised when a run is already queued or running and --force was asked for. */
export class RunBusyError extends Error {
  override name = "RunBusyError";
}

/**
 * The producer's side of the queue: add a run, look at it, wait for it. Used by `canopy enqueue`
 * and `canopy status`; the Python DAG does the same through the Python bullmq client.
 */
export class RunQueue {
  private constructor(
    readonly config: QueueConfig,
    private readonly connection: Redis,
    readonly queue: Queue,
  ) {}

  static async open(config: QueueConfig): Promise<RunQueue> {
    // Reconnects after an outage (a waiting client carries on); commands fail at once while Redis is away.
    const connection = await connectProducer(config.redisUrl, { reconnect: true });
    const queue = new Queue(config.queueName, { connection, prefix: config.prefix });
    queue.on("error", () => undefined); // reported by wait() through OutageLog, once per outage
    return new RunQueue(config, connection, queue);
  }

  async close(): Promise<void> {
    // Bounded: closing while Redis is away must not keep the command from exiting.
    await settleWithin(this.queue.close(), 2_000, undefined);
    this.connection.disconnect();
  }

  /**
   * Adds the run's `train` job. A queued, running or completed job of the hour is kept (enqueueing is
   * idempotent); a failed one is replaced, since asking again for a failed hour means "train it again";
   * with force, or onChange "retrain", a completed one is replaced too. Same rules as python/canopy-airflow's
   * run_queue.py. Whether a published hour may be trained again is the run's to decide (RunSteps.reuse).
   */
  async enqueue(runId: string, request: RunRequest): Promise<EnqueueOutcome> {
    const jobId = trainJobId(runId);
    // BullMQ ignores an add whose job id exists and returns a job either way, so "did I add it?" is answered under a
    // per-run lock: the holder alone checks and adds, the producers after it find the job (contracts/queue.json).
    return await this.underEnqueueLock(runId, async () => {
      const existing = await Job.fromId(this.queue, jobId);
      if (existing) {
        const state = (await existing.getState()) as RunState;
        // A completed hour asked again with onChange "retrain" goes back to a worker, which reuses the published run
        // when its inputs and settings are the same and trains it again when they changed (hour-meaning.ts).
        const replace = state === "failed" || (state === "completed" && (request.force || request.onChange === "retrain"));
        if (!replace) {
          if (request.force && state !== "completed") {
            throw new RunBusyError(`run ${runId} is ${state}; wait for it to finish before forcing a re-run`);
          }
          return { runId, jobId, added: false, state };
        }
        await this.queue.remove(jobId, { removeChildren: true });
      }
      await this.queue.add(TRAIN_JOB, request, { jobId, ...TRAIN_JOB_RETENTION });
      return { runId, jobId, added: true, state: (await this.queue.getJobState(jobId)) as RunState };
    });
  }

  private async underEnqueueLock<T>(runId: string, work: () => Promise<T>): Promise<T> {
    const key = enqueueLockKey(this.config.prefix, this.config.queueName, runId);
    const token = randomBytes(12).toString("hex");
    const deadline = Date.now() + ENQUEUE_LOCK_WAIT_MS;
    while ((await this.connection.set(key, token, "PX", ENQUEUE_LOCK_MS, "NX")) !== "OK") {
      if (Date.now() > deadline)
        throw new Error(`run ${runId}: another producer has been enqueueing it for over ${ENQUEUE_LOCK_WAIT_MS / 1000} s (${key})`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    try {
      return await work();
    } finally {
      await this.connection.eval(RELEASE_IF_OURS, 1, key, token).catch(() => undefined);
    }
  }

  async status(runId: string): Promise<RunStatus | null> {
    const jobId = trainJobId(runId);
    // State first, then the job: a job finishing in between is then read with its result.
    const state = (await this.queue.getJobState(jobId)) as RunState | "unknown";
    const job = await Job.fromId(this.queue, jobId);
    if (!job || state === "unknown") return null;
    return {
      runId,
      jobId,
      state,
      phase: phaseOf(job.progress),
      progress: await this.shardProgress(runId, job),
      result: state === "completed" ? runResultOf(job) : null,
      failedReason: state === "failed" ? job.failedReason : null,
    };
  }

  /** Sums the `grow` children's progress; null before the run has planned its shards. */
  private async shardProgress(runId: string, job: Job): Promise<ShardProgress | null> {
    const plan = (job.data as { plan?: Pick<RunPlan, "shards"> }).plan;
    if (!plan) return null;
    const problem = checkRunPlan(plan);
    if (problem !== null) throw new Error(`run ${runId}: the plan in job ${job.id} breaks the contract: ${problem}`);
    let treesDone = 0;
    let treesTotal = 0;
    for (let i = 0; i < plan.shards.length; i++) {
      const shard = plan.shards[i];
      treesTotal += shard.treeEnd - shard.treeStart;
      const child = await Job.fromId(this.queue, growJobId(runId, i, plan.shards.length));
      if (!child) continue;
      const state = await child.getState();
      if (state === "completed") treesDone += shard.treeEnd - shard.treeStart;
      else if (child.progress && typeof child.progress === "object") treesDone += (child.progress as ShardProgress).treesDone ?? 0;
    }
    return { treesDone, treesTotal };
  }

  /**
   * Waits until the run completes (returns its result) or fails (throws with its reason),
   * calling onProgress as shards report trees grown. Queue events wake it at once; pollMs is only the
   * fallback should an event be missed (events are a capped stream). While Redis is unreachable it retries,
   * saying so once through `log` (and once when Redis is back); after config.redisWaitMs it gives up with a
   * RedisUnavailableError.
   */
  async wait(runId: string, onProgress?: (status: RunStatus) => void, options: WaitOptions = {}): Promise<RunResult> {
    const pollMs = options.pollMs ?? 500;
    const limitMs = this.config.redisWaitMs ?? DEFAULT_REDIS_WAIT_MS;
    const url = redactRedisUrl(this.config.redisUrl);
    const outage = new OutageLog(url, options.log ?? (() => undefined));
    const connection = connectWorker(this.config.redisUrl);
    const events = new QueueEvents(this.config.queueName, { connection, prefix: this.config.prefix });
    events.on("error", () => undefined); // the same outage, reported once below
    try {
      await settleWithin(events.waitUntilReady(), 5_000, undefined);
      let lastProgress = "";
      for (;;) {
        let status: RunStatus | null;
        try {
          status = await this.status(runId);
        } catch (error) {
          if (!isConnectionError(error) && this.connection.status === "ready") throw error;
          outage.lost(error, `waiting up to ${Math.round(limitMs / 1000)} s for it to come back (CANOPY_REDIS_WAIT_MS)`);
          if (outage.downForMs > limitMs) {
            throw new RedisUnavailableError(
              `Redis at ${url} has been unreachable for more than ${Math.round(limitMs / 1000)} s while waiting for run ${runId}; ` +
                `the run goes on in the workers: see \`canopy status ${runId}\` once Redis is back`,
            );
          }
          await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, 1_000)));
          continue;
        }
        outage.back();
        if (!status) throw new Error(`run ${runId} is not in the queue (removed, or never added)`);
        const progressKey = JSON.stringify([status.phase, status.progress]);
        if (onProgress && progressKey !== lastProgress) {
          lastProgress = progressKey;
          onProgress(status);
        }
        if (status.state === "completed" && status.result) return status.result;
        if (status.state === "failed") throw new RunFailedError(runId, status.failedReason ?? "unknown reason");
        await nextEvent(events, pollMs);
      }
    } finally {
      await settleWithin(events.close(), 2_000, undefined);
      // BullMQ leaves a connection it was given open; this one is ours to close.
      connection.disconnect();
    }
  }
}

function phaseOf(progress: unknown): RunPhaseProgress["phase"] | null {
  const phase = progress !== null && typeof progress === "object" ? (progress as Partial<RunPhaseProgress>).phase : undefined;
  return phase === "planning" || phase === "growing" || phase === "publishing" ? phase : null;
}

export interface WaitOptions {
  /** Fallback polling period when no queue event arrives (default 500 ms). */
  pollMs?: number;
  /** Where the start and end of a Redis outage are reported (one line each). */
  log?: (line: string) => void;
}

/** A completed job's return value, checked against contracts/run-result.schema.json. */
function runResultOf(job: Job): RunResult {
  const problem = checkRunResult(job.returnvalue);
  if (problem !== null) throw new Error(`job ${job.id} completed with a result that breaks the contract: ${problem}`);
  return job.returnvalue as RunResult;
}

/** A run that finished in the failed state; the message is the worker's reason. */
export class RunFailedError extends Error {
  override name = "RunFailedError";
  constructor(
    readonly runId: string,
    readonly reason: string,
  ) {
    super(`run ${runId} failed: ${reason}`);
  }
}

/** Resolves at the next queue event (completion, failure, progress) or after pollMs, whichever is first. */
function nextEvent(events: QueueEvents, pollMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      events.off("completed", done);
      events.off("failed", done);
      events.off("progress", done);
      resolve();
    };
    const timer = setTimeout(done, pollMs);
    events.on("completed", done);
    events.on("failed", done);
    events.on("progress", done);
  });
}
