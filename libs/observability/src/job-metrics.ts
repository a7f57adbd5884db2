import { Counter, Histogram, type Registry } from "prom-client";

/** The parts of a finished BullMQ job the metrics read. */
export interface FinishedJob {
  readonly name: string;
  readonly processedOn?: number;
  readonly finishedOn?: number;
}

/** What a BullMQ Worker emits that the metrics follow. */
export interface JobEvents {
  on(event: "completed", listener: (job: FinishedJob) => void): unknown;
  on(event: "failed", listener: (job: FinishedJob | undefined, error: Error) => void): unknown;
}

/**
 * A worker's job series: `canopy_jobs_total{job_name,outcome}`, `canopy_job_duration_seconds{job_name}` (a `train` job
 * spans a whole run, a `grow` job one shard) and `canopy_job_failures_total{job_name,kind}`, kind being the error's name
 * (`DataError`, `RunRequestError`, `StorageError`, `UnrecoverableError`, `Error`, …).
 */
// The label is job_name, not job: Prometheus gives every scraped series a `job` label of its own (the scrape job).
export class JobMetrics {
  readonly jobs: Counter<"job_name" | "outcome">;
  readonly duration: Histogram<"job_name">;
  readonly failures: Counter<"job_name" | "kind">;

  constructor(registry: Registry) {
    this.jobs = new Counter({
      name: "canopy_jobs_total",
      help: "Jobs finished by this worker, by outcome",
      labelNames: ["job_name", "outcome"] as const,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: "canopy_job_duration_seconds",
      help: "Time from a job's start to its end on this worker (train: a run, grow: a shard)",
      labelNames: ["job_name"] as const,
      buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
      registers: [registry],
    });
    this.failures = new Counter({
      name: "canopy_job_failures_total",
      help: "Failed job attempts, by kind of error",
      labelNames: ["job_name", "kind"] as const,
      registers: [registry],
    });
  }

  /** Follows a worker's completed and failed events. */
  follow(worker: JobEvents): void {
    worker.on("completed", (job) => this.finished(job, "completed"));
    worker.on("failed", (job, error) => {
      // A parent waiting for its children is not a failure (BullMQ signals the wait with this error).
      if (error.name === "WaitingChildrenError" || job === undefined) return;
      this.finished(job, "failed");
      this.failures.inc({ job_name: job.name, kind: error.name || "Error" });
    });
  }

  private finished(job: FinishedJob, outcome: "completed" | "failed"): void {
    this.jobs.inc({ job_name: job.name, outcome });
    if (job.processedOn !== undefined && job.finishedOn !== undefined)
      this.duration.observe({ job_name: job.name }, (job.finishedOn - job.processedOn) / 1000);
  }
}
