export { createLogger, logFormatFromEnv, type Logger, type LoggerOptions, type LogFormat } from "./logger.js";
export { startMetricsServer, type MetricsServer } from "./metrics-server.js";
export { registerQueueGauges, QUEUE_STATES, type CountableQueue } from "./queue-metrics.js";
export { JobMetrics, type FinishedJob, type JobEvents } from "./job-metrics.js";
export { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
