import { DEFAULT_QUEUE_NAME, DEFAULT_QUEUE_PREFIX, QUEUE_NAME_ENV, QUEUE_PREFIX_ENV } from "./queue-contract.js";

/** Where the queue lives: read from the environment (REDIS_URL, CANOPY_QUEUE, CANOPY_QUEUE_PREFIX). */
export interface QueueConfig {
  redisUrl: string;
  queueName: string;
  prefix: string;
}

export function queueConfigFromEnv(env: NodeJS.ProcessEnv = process.env): QueueConfig {
  return {
    redisUrl: env.REDIS_URL || "redis://127.0.0.1:6379",
    queueName: env[QUEUE_NAME_ENV] || DEFAULT_QUEUE_NAME,
    prefix: env[QUEUE_PREFIX_ENV] || DEFAULT_QUEUE_PREFIX,
  };
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
