import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { LatestModel } from "./latest-model.js";

/** The prediction server's Prometheus series (names in docs/operations.md). */
export class ServeMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "canopy_serve_requests_total",
    help: "HTTP requests answered, by route and status code",
    labelNames: ["route", "status"] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: "canopy_serve_request_duration_seconds",
    help: "Time to answer a /predict request",
    labelNames: ["route"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly rows = new Counter({ name: "canopy_serve_rows_predicted_total", help: "Rows predicted", registers: [this.registry] });
  readonly reloads = new Counter({
    name: "canopy_serve_model_reloads_total",
    help: "Models loaded because latest.json moved, by outcome",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });

  constructor(latest: LatestModel) {
    collectDefaultMetrics({ register: this.registry, prefix: "canopy_serve_" });
    new Gauge({
      name: "canopy_model_age_seconds",
      help: "Seconds since the start of the hour the served model was trained for",
      registers: [this.registry],
      collect() {
        const model = latest.current;
        if (model !== null) this.set((Date.now() - model.hourStart.getTime()) / 1000);
      },
    });
    new Gauge({
      name: "canopy_model_info",
      help: "The served model (value 1): its run id and sha256",
      labelNames: ["run_id", "sha256"] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const model = latest.current;
        if (model !== null) this.set({ run_id: model.runId, sha256: model.sha256 }, 1);
      },
    });
  }
}
