import { Job, Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { checkRunPlan, checkRunResult } from "./contract-schemas.js";
import { connectProducer, connectWorker } from "./redis-connection.js";
import type { QueueConfig } from "./queue-config.js";
import { TRAIN_JOB, TRAIN_JOB_RETENTION, growJobId, trainJobId } from "./queue-contract.js";
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
    const connection = await connectProducer(config.redisUrl);
    const queue = new Queue(config.queueName, { connection, prefix: config.prefix });
    return new RunQueue(config, connection, queue);
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }

  /**
   * Adds the run's `train` job. A queued, running or completed job of the hour is kept (enqueueing is
   * idempotent); a failed one is replaced, since asking again for a failed hour means "train it again";
   * with force a completed one is replaced too. beforeAdd runs only when a job is about to be added
   * (e.g. refusing an already published hour). Same rules as python/canopy-airflow's run_queue.py.
   */
  async enqueue(runId: string, request: RunRequest, beforeAdd: () => Promise<void> = async () => undefined): Promise<EnqueueOutcome> {
    const jobId = trainJobId(runId);
    const existing = await Job.fromId(this.queue, jobId);
    if (existing) {
      const state = (await existing.getState()) as RunState;
      const replace = state === "failed" || (state === "completed" && request.force);
      if (!replace) {
        if (request.force && state !== "completed") {
          throw new RunBusyError(`run ${runId} is ${state}; wait for it to finish before forcing a re-run`);
        }
        return { runId, jobId, added: false, state };
      }
      await beforeAdd();
      await this.queue.remove(jobId, { removeChildren: true });
    } else {
      await beforeAdd();
    }
    // Should another producer win the race, BullMQ ignores this add: the id is the run's identity.
    await this.queue.add(TRAIN_JOB, request, { jobId, ...TRAIN_JOB_RETENTION });
    return { runId, jobId, added: true, state: (await this.queue.getJobState(jobId)) as RunState };
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
   * fallback should an event be missed (events are a capped stream).
   */
  async wait(runId: string, onProgress?: (status: RunStatus) => void, pollMs = 500): Promise<RunResult> {
    const connection = connectWorker(this.config.redisUrl);
    const events = new QueueEvents(this.config.queueName, { connection, prefix: this.config.prefix });
    try {
      await events.waitUntilReady();
      let lastProgress = "";
      for (;;) {
        const status = await this.status(runId);
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
      await events.close();
      // BullMQ leaves a connection it was given open; this one is ours to close.
      connection.disconnect();
    }
  }
}

function phaseOf(progress: unknown): RunPhaseProgress["phase"] | null {
  const phase = progress !== null && typeof progress === "object" ? (progress as Partial<RunPhaseProgress>).phase : undefined;
  return phase === "planning" || phase === "growing" || phase === "publishing" ? phase : null;
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

