import { fileURLToPath } from "node:url";
import { Worker } from "bullmq";
import { connectWorker, redactRedisUrl } from "@canopy/pipeline";
import type { WorkerConfig } from "./worker-config.js";

export type Logger = (line: string) => void;

/**
 * One worker process: a BullMQ Worker whose jobs run in sandboxed worker threads
 * (processor.js), reconnecting by itself when Redis restarts.
 */
export class TrainingWorker {
  private readonly worker: Worker;

  constructor(
    private readonly config: WorkerConfig,
    private readonly log: Logger,
  ) {
    const processorFile = fileURLToPath(new URL("./processor.js", import.meta.url));
    this.worker = new Worker(config.queueName, processorFile, {
      connection: connectWorker(config.redisUrl),
      prefix: config.prefix,
      concurrency: config.concurrency,
      useWorkerThreads: true,
      lockDuration: config.lockDurationMs,
      stalledInterval: config.stalledIntervalMs,
      maxStalledCount: config.maxStalledCount,
      autorun: false,
    });
    this.worker.on("active", (job) => log(`started ${job.name} ${job.id}`));
    this.worker.on("completed", (job) => log(`completed ${job.name} ${job.id}`));
    this.worker.on("failed", (job, error) => {
      if (error.name === "WaitingChildrenError") return;
      log(`failed ${job?.name} ${job?.id} (attempt ${job?.attemptsMade}): ${error.message}`);
    });
    this.worker.on("error", (error) => log(`worker error: ${error.message}`));
  }

  /** Starts taking jobs; resolves once connected. */
  async start(): Promise<void> {
    void this.worker.run();
    await this.worker.waitUntilReady();
    this.log(
      `worker ready: queue ${this.config.queueName} on ${redactRedisUrl(this.config.redisUrl)}, concurrency ${this.config.concurrency}, ${this.config.threads} thread(s) per job`,
    );
  }

  /**
   * Stops taking jobs and waits for the active ones up to graceMs; after that the active jobs are
   * abandoned (their locks lapse and another worker picks them up as stalled). Returns true when
   * everything finished in time.
   */
  async stop(graceMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const graceful = this.worker.close().then(() => true);
    const expired = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    const finished = await Promise.race([graceful, expired]);
    clearTimeout(timer);
    if (!finished) await this.worker.close(true);
    return finished;
  }
}
