import { TrainingWorker } from "./training-worker.js";
import { workerConfigFromEnv } from "./worker-config.js";

/**
 * `canopy worker` / `nx run worker:serve`: runs until SIGTERM or SIGINT, then stops taking jobs,
 * lets active ones finish within CANOPY_SHUTDOWN_GRACE_MS, and exits 0.
 */
export async function runWorker(): Promise<void> {
  const config = workerConfigFromEnv();
  const name = process.env.CANOPY_WORKER_NAME || `worker-${process.pid}`;
  const log = (line: string) => console.log(`${new Date().toISOString()} ${name} ${line}`);
  const worker = new TrainingWorker(config, log);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing active jobs (up to ${config.shutdownGraceMs} ms)`);
    const outcome = await worker.stop(config.shutdownGraceMs);
    const messages = {
      finished: "stopped",
      "grace-expired": "grace period over: active jobs are left to be taken over as stalled",
      "redis-unreachable": "stopped without waiting: Redis is unreachable, so no job can finish or be handed back",
    };
    log(messages[outcome]);
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  await worker.start();
}
