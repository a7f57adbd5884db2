import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { redactRedisUrl, type QueueConfig } from "./queue-config.js";
import { settleWithin } from "./settle-within.js";

/** Raised when Redis cannot be reached: the message names the (redacted) URL and what to do. */
export class RedisUnavailableError extends Error {
  override name = "RedisUnavailableError";
}

export interface ProducerOptions {
  /** How long the first connection may take (default 5 s). */
  readonly timeoutMs?: number;
  /**
   * Keep reconnecting after the first connection is lost (a client that waits for a run); commands still
   * fail at once while Redis is away, and the caller decides how long to put up with that.
   */
  readonly reconnect?: boolean;
}

/**
 * A connection for producers and one-shot commands: fails fast instead of queueing commands while
 * Redis is down (enableOfflineQueue false), so `canopy enqueue` says "cannot reach Redis" at once.
 */
export async function connectProducer(redisUrl: string, options: ProducerOptions = {}): Promise<Redis> {
  const redis = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: options.timeoutMs ?? 5_000,
    lazyConnect: true,
    retryStrategy: options.reconnect ? (attempt) => Math.min(attempt * 200, 2_000) : () => null,
  });
  ignoreConnectionErrors(redis);
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
  ignoreConnectionErrors(redis);
  return redis;
}

/**
 * Every connection gets an error listener: without one, ioredis prints "[ioredis] Unhandled error event" and a
 * stack trace at every failed reconnection. Outages are reported once by the connection's owner (OutageLog).
 */
function ignoreConnectionErrors(redis: Redis): void {
  redis.on("error", () => undefined);
}

/** A BullMQ queue on a connection of its own; close() closes both (BullMQ leaves a connection it was given open). */
export interface OwnedQueue {
  readonly queue: Queue;
  close(): Promise<void>;
}

/** For short-lived producers inside a worker (the train job adding its shards). */
export function openOwnedQueue(config: QueueConfig): OwnedQueue {
  const connection = connectWorker(config.redisUrl);
  const queue = new Queue(config.queueName, { connection, prefix: config.prefix });
  queue.on("error", () => undefined);
  return {
    queue,
    async close() {
      await settleWithin(queue.close(), 5_000, undefined);
      connection.disconnect();
    },
  };
}
