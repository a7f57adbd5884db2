import { Queue } from "bullmq";
import {
  Registry,
  collectDefaultMetrics,
  createLogger,
  logFormatFromEnv,
  registerQueueGauges,
  startMetricsServer,
  type MetricsServer,
} from "@canopy/observability";
import { connectWorker } from "@canopy/pipeline";
import { TrainingWorker } from "./training-worker.js";
import { workerConfigFromEnv } from "./worker-config.js";

/**
 * `canopy worker` / `nx run worker:serve`: runs until SIGTERM or SIGINT, then stops taking jobs,
 * lets active ones finish within CANOPY_SHUTDOWN_GRACE_MS, and exits 0.
 */
export async function runWorker(): Promise<void> {
  const config = workerConfigFromEnv();
  const name = process.env.CANOPY_WORKER_NAME || `worker-${process.pid}`;
  const log = createLogger({ service: "worker", name, format: logFormatFromEnv() });
  const registry = config.metricsPort === null ? undefined : new Registry();
  const worker = new TrainingWorker(config, log, registry);
  let metrics: MetricsServer | null = null;
  let depthQueue: Queue | null = null;
  if (registry !== undefined && config.metricsPort !== null) {
    collectDefaultMetrics({ register: registry, prefix: "canopy_worker_" });
    // Reconnects by itself; an outage only leaves the depth gauge empty (the worker's own log reports outages).
    const connection = connectWorker(config.redisUrl).on("error", () => undefined);
    depthQueue = new Queue(config.queueName, { connection, prefix: config.prefix });
    registerQueueGauges(registry, depthQueue);
    metrics = await startMetricsServer(registry, { host: config.metricsHost, port: config.metricsPort });
    log.info(`metrics on http://${config.metricsHost}:${metrics.port}/metrics`);
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: finishing active jobs (up to ${config.shutdownGraceMs} ms)`);
    const outcome = await worker.stop(config.shutdownGraceMs);
    const messages = {
      finished: "stopped",
      "grace-expired": "grace period over: active jobs are left to be taken over as stalled",
      "redis-unreachable": "stopped without waiting: Redis is unreachable, so no job can finish or be handed back",
    };
    log.info(messages[outcome]);
    await metrics?.close();
    await depthQueue?.close().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  await worker.start();
}
