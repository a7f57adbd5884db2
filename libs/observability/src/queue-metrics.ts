import { Gauge, type Registry } from "prom-client";

/** What queue gauges need of a BullMQ Queue. */
export interface CountableQueue {
  readonly name: string;
  getJobCounts(...states: string[]): Promise<Record<string, number>>;
}

export const QUEUE_STATES = ["waiting", "active", "delayed", "prioritized", "waiting-children", "completed", "failed"] as const;

/**
 * `canopy_queue_jobs{queue,state}`: jobs in each state, read from Redis at every scrape (waiting + prioritized is
 * the queue depth an autoscaler wants). A scrape while Redis is down leaves the gauge empty rather than failing.
 */
export function registerQueueGauges(registry: Registry, queue: CountableQueue): Gauge<"queue" | "state"> {
  return new Gauge({
    name: "canopy_queue_jobs",
    help: "Jobs in the queue by state",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await queue.getJobCounts(...QUEUE_STATES).catch(() => null);
      if (counts === null) return;
      for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
    },
  });
}
