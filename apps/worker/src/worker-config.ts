import { availableParallelism } from "node:os";
import { queueConfigFromEnv, type QueueConfig } from "@canopy/pipeline";

/** How a worker process behaves; every field comes from the environment (README: "Configuration"). */
export interface WorkerConfig extends QueueConfig {
  /** Jobs processed at once by this process (CANOPY_CONCURRENCY, default 1: run one worker per core). */
  concurrency: number;
  /** Threads each job may use to grow trees (CANOPY_THREADS, default 1). */
  threads: number;
  /** How long SIGTERM/SIGINT waits for active jobs before giving them back to the queue (CANOPY_SHUTDOWN_GRACE_MS). */
  shutdownGraceMs: number;
  /** Attempts per shard before the run fails (CANOPY_SHARD_ATTEMPTS), first retry after CANOPY_SHARD_BACKOFF_MS, doubling. */
  shardAttempts: number;
  shardBackoffMs: number;
  /** BullMQ lock and stalled-job settings (CANOPY_LOCK_DURATION_MS, CANOPY_STALLED_INTERVAL_MS, CANOPY_MAX_STALLED_COUNT). */
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  /** Port of the Prometheus /metrics endpoint (CANOPY_METRICS_PORT; unset: none), on CANOPY_METRICS_HOST (default 127.0.0.1). */
  metricsPort: number | null;
  metricsHost: string;
  /**
   * Heap of each job's thread in MiB (CANOPY_JOB_HEAP_MB; unset: V8's default). A job that outgrows it fails with that
   * reason; the worker process, which holds the Redis connections and the other jobs, carries on either way.
   */
  jobHeapMb: number | null;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return {
    ...queueConfigFromEnv(env),
    concurrency: positiveInt(env, "CANOPY_CONCURRENCY", 1),
    threads: positiveInt(env, "CANOPY_THREADS", 1, availableParallelism()),
    shutdownGraceMs: positiveInt(env, "CANOPY_SHUTDOWN_GRACE_MS", 5 * 60_000),
    shardAttempts: positiveInt(env, "CANOPY_SHARD_ATTEMPTS", 3),
    shardBackoffMs: positiveInt(env, "CANOPY_SHARD_BACKOFF_MS", 5_000),
    lockDurationMs: positiveInt(env, "CANOPY_LOCK_DURATION_MS", 30_000),
    stalledIntervalMs: positiveInt(env, "CANOPY_STALLED_INTERVAL_MS", 30_000),
    maxStalledCount: positiveInt(env, "CANOPY_MAX_STALLED_COUNT", 2),
    metricsPort: env.CANOPY_METRICS_PORT ? positiveInt(env, "CANOPY_METRICS_PORT", 0, 65535) : null,
    metricsHost: env.CANOPY_METRICS_HOST || "127.0.0.1",
    jobHeapMb: env.CANOPY_JOB_HEAP_MB ? positiveInt(env, "CANOPY_JOB_HEAP_MB", 0, 1 << 20) : null,
  };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ConfigError(`${name} must be a whole number between 1 and ${max} (got "${raw}")`);
  }
  return value;
}
