import { DEFAULT_QUEUE_NAME, DEFAULT_QUEUE_PREFIX, QUEUE_NAME_ENV, QUEUE_PREFIX_ENV } from "./queue-contract.js";

/** Where the queue lives: read from the environment (REDIS_URL, CANOPY_QUEUE, CANOPY_QUEUE_PREFIX). */
export interface QueueConfig {
  redisUrl: string;
  queueName: string;
  prefix: string;
  /**
   * How long a waiting client (`canopy enqueue --wait`) puts up with an unreachable Redis before it gives up
   * with one line (CANOPY_REDIS_WAIT_MS, default 5 minutes). One-shot commands fail at once.
   */
  redisWaitMs?: number;
}

export const DEFAULT_REDIS_WAIT_MS = 5 * 60_000;

export function queueConfigFromEnv(env: NodeJS.ProcessEnv = process.env): QueueConfig {
  return {
    redisUrl: env.REDIS_URL || "redis://127.0.0.1:6379",
    queueName: env[QUEUE_NAME_ENV] || DEFAULT_QUEUE_NAME,
    prefix: env[QUEUE_PREFIX_ENV] || DEFAULT_QUEUE_PREFIX,
    redisWaitMs: redisWaitMsOf(env.CANOPY_REDIS_WAIT_MS),
  };
}

function redisWaitMsOf(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_REDIS_WAIT_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`CANOPY_REDIS_WAIT_MS must be a whole number of milliseconds (got "${raw.slice(0, 40)}")`);
  }
  return value;
}

/** The Redis URL without its password, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparsable REDIS_URL>";
  }
}
