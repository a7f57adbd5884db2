import { Redis } from "ioredis";
import { redactRedisUrl } from "./queue-config.js";

/** Raised when Redis cannot be reached: the message names the (redacted) URL and what to do. */
export class RedisUnavailableError extends Error {
  override name = "RedisUnavailableError";
}

/**
 * A connection for producers and one-shot commands: fails fast instead of queueing commands while
 * Redis is down (enableOfflineQueue false), so `canopy enqueue` says "cannot reach Redis" at once.
 */
export async function connectProducer(redisUrl: string, timeoutMs = 5_000): Promise<Redis> {
  const redis = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  redis.on("error", () => {
    // Surfaced through connect() below; without a listener ioredis would print unhandled errors.
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new RedisUnavailableError(
      `cannot reach Redis at ${redactRedisUrl(redisUrl)} (${(error as Error).message}); start it or set REDIS_URL`,
    );
  }
  return redis;
}

/**
 * A connection for BullMQ workers and event listeners: blocking commands need
 * maxRetriesPerRequest null, and it reconnects forever (with capped backoff) after Redis restarts.
 */
export function connectWorker(redisUrl: string): Redis {
  const redis = new Redis(redisUrl, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  return redis;
}
