import { Gauge, Registry, collectDefaultMetrics, registerQueueGauges, type CountableQueue } from "@canopy/observability";
import { openStore, parseRunId, readLatest } from "@canopy/storage";

/**
 * The board's Prometheus series, read at every scrape: the queue by state (`canopy_queue_jobs`) and, per output
 * root, the age of the model latest.json names (`canopy_model_age_seconds{root}`: seconds since the start of its
 * hour), which the no-model-promoted alarm watches. A root with no latest.json, or unreadable, reports nothing.
 */
export function boardMetrics(queue: CountableQueue, roots: readonly string[]): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "canopy_board_" });
  registerQueueGauges(registry, queue);
  new Gauge({
    name: "canopy_model_age_seconds",
    help: "Seconds since the start of the hour of the model latest.json names, per output root",
    labelNames: ["root"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        roots.map(async (root) => {
          const latest = await readLatest(openStore(root), root).catch(() => null);
          if (latest !== null)
            this.set({ root: root.replace(/\/$/, "") }, (Date.now() - parseRunId(latest.pointer.runId).getTime()) / 1000);
        }),
      );
    },
  });
  return registry;
}
