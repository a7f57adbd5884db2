import type { BoardLog } from "./board-log.js";
import { Redis } from "ioredis";
import type { RequestHandler } from "express";

/**
 * A dedicated connection for /healthz: it never queues commands while Redis is away (so a probe
 * answers at once instead of hanging) and keeps reconnecting in the background, so the status
 * flips back to "up" by itself when Redis returns.
 */
export class RedisHealth {
  readonly #client: Redis;

  constructor(redisUrl: string, log: BoardLog) {
    this.#client = new Redis(redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      connectionName: "canopy-board-health",
    });
    let lastLogged = 0;
    this.#client.on("error", (error: Error) => {
      // ioredis reports every failed reconnect; once every 30 s is enough for the log.
      if (Date.now() - lastLogged > 30_000) {
        lastLogged = Date.now();
        log(`redis health probe: ${error.message}`);
      }
    });
  }

  /** True when Redis answers PING within timeoutMs. */
  async isUp(timeoutMs = 1_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    let onReady: (() => void) | undefined;
    try {
      // Between connection attempts (at start-up, or while reconnecting) wait for "ready" within
      // the same budget, rather than answering "down" for a Redis that is just being reached.
      const ready =
        this.#client.status === "ready"
          ? Promise.resolve(true)
          : new Promise<boolean>((resolve) => {
              onReady = () => resolve(true);
              this.#client.once("ready", onReady);
            });
      const ping = ready
        .then(() => this.#client.ping())
        .then(
          (reply) => reply === "PONG",
          () => false,
        );
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
      if (onReady) this.#client.off("ready", onReady);
    }
  }

  close(): void {
    this.#client.disconnect();
  }
}

export function healthRoute(health: RedisHealth): RequestHandler {
  return async (_req, res) => {
    const up = await health.isUp();
    res.set("Cache-Control", "no-store");
    res.status(up ? 200 : 503).json({ redis: up ? "up" : "down" });
  };
}
