import { fileURLToPath } from "node:url";
import { Worker } from "bullmq";
import { JobMetrics, type Logger } from "@canopy/observability";
import { connectWorker, redactRedisUrl, settleWithin } from "@canopy/pipeline";
import type { Redis } from "ioredis";
import type { Registry } from "prom-client";
import type { WorkerConfig } from "./worker-config.js";
import { guardJobThreads } from "./job-thread-guard.js";

/**
 * One worker process: a BullMQ Worker whose jobs run in sandboxed worker threads
 * (processor.js), reconnecting by itself when Redis restarts.
 */
export class TrainingWorker {
  private readonly worker: Worker;
  private readonly connection: Redis;
  private redisDown = false;

  constructor(
    private readonly config: WorkerConfig,
    private readonly log: Logger,
    metrics?: Registry,
  ) {
    guardJobThreads((error) => {
      const memory = (error as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY";
      const limit = config.jobHeapMb === null ? "V8's default heap" : `CANOPY_JOB_HEAP_MB=${config.jobHeapMb}`;
      log.error(
        memory
          ? `a job's thread ran out of memory (${limit}); its job fails, this worker carries on`
          : `a job's thread failed: ${error.message}; its job fails, this worker carries on`,
      );
    });
    const processorFile = fileURLToPath(new URL("./processor.js", import.meta.url));
    this.connection = connectWorker(config.redisUrl);
    this.worker = new Worker(config.queueName, processorFile, {
      connection: this.connection,
      prefix: config.prefix,
      concurrency: config.concurrency,
      useWorkerThreads: true,
      ...(config.jobHeapMb === null ? {} : { workerThreadsOptions: { resourceLimits: { maxOldGenerationSizeMb: config.jobHeapMb } } }),
      lockDuration: config.lockDurationMs,
      stalledInterval: config.stalledIntervalMs,
      maxStalledCount: config.maxStalledCount,
      autorun: false,
    });
    if (metrics !== undefined) new JobMetrics(metrics).follow(this.worker);
    // Train (`run-<id>`) and grow (`run-<id>-shard-NN`) jobs alike carry their run's id.
    const ofJob = (job: { id?: string } | undefined): Logger =>
      log.child({ jobId: job?.id, runId: /^run-(\d{10})(?:-|$)/.exec(job?.id ?? "")?.[1] });
    this.worker.on("active", (job) => ofJob(job).info(`started ${job.name} ${job.id}`));
    this.worker.on("completed", (job) => ofJob(job).info(`completed ${job.name} ${job.id}`));
    this.worker.on("failed", (job, error) => {
      if (error.name === "WaitingChildrenError") return;
      ofJob(job).warn(
        { attempt: job?.attemptsMade, error: error.message },
        `failed ${job?.name} ${job?.id} (attempt ${job?.attemptsMade}): ${error.message}`,
      );
    });
    // One line per outage, not one per reconnection attempt.
    this.worker.on("error", (error) => {
      if (this.connection.status === "ready") {
        log.error(`worker error: ${error.message}`);
      } else if (!this.redisDown) {
        this.redisDown = true;
        log.warn(`cannot reach Redis at ${redactRedisUrl(config.redisUrl)} (${error.message}); retrying until it is back`);
      }
    });
    this.connection.on("ready", () => {
      if (!this.redisDown) return;
      this.redisDown = false;
      log.info("Redis is reachable again; taking jobs");
    });
  }

  /** Starts taking jobs; resolves once connected. */
  async start(): Promise<void> {
    void this.worker.run();
    await this.worker.waitUntilReady();
    this.log.info(
      `worker ready: queue ${this.config.queueName} on ${redactRedisUrl(this.config.redisUrl)}, concurrency ${this.config.concurrency}, ${this.config.threads} thread(s) per job`,
    );
  }

  /**
   * Stops taking jobs and waits for the active ones up to graceMs; after that the active jobs are
   * abandoned (their locks lapse and another worker picks them up as stalled).
   */
  async stop(graceMs: number): Promise<"finished" | "grace-expired" | "redis-unreachable"> {
    // Without Redis no active job can be completed or handed back, so there is nothing to wait for.
    const reachable = this.connection.status === "ready";
    const finished =
      reachable &&
      (await settleWithin(
        this.worker.close().then(() => true),
        graceMs,
        false,
      ));
    if (!finished) await settleWithin(this.worker.close(true), 5_000, undefined);
    this.connection.disconnect();
    return finished ? "finished" : reachable ? "grace-expired" : "redis-unreachable";
  }
}
