import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { Queue, QueueEvents, Worker } from "bullmq";
import { Redis } from "ioredis";
import { startRedis, type TestRedis } from "@canopy/testkit";
import { JobMetrics, Registry, createLogger, logFormatFromEnv, registerQueueGauges, startMetricsServer } from "../src/index.js";

function capture(): { stream: Writable; lines: () => string[] } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString("utf8");
      done();
    },
  });
  return { stream, lines: () => text.split("\n").filter((line) => line !== "") };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("structured logs", () => {
  it("writes one JSON object per line, with the service and a job's run id and job id on every line of its child", async () => {
    const out = capture();
    const log = createLogger({ service: "worker", name: "worker-7", format: "json", destination: out.stream });
    const job = log.child({ runId: "2026120314", jobId: "run-2026120314" });
    job.info("started train");
    job.warn({ shards: 3 }, "slow shard");
    log.info("worker ready");
    await flush();
    const entries = out.lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(entries.length, 3);
    assert.deepEqual(
      entries.map(({ level, service, name, msg, runId, jobId }) => ({ level, service, name, msg, runId, jobId })),
      [
        { level: "info", service: "worker", name: "worker-7", msg: "started train", runId: "2026120314", jobId: "run-2026120314" },
        { level: "warn", service: "worker", name: "worker-7", msg: "slow shard", runId: "2026120314", jobId: "run-2026120314" },
        { level: "info", service: "worker", name: "worker-7", msg: "worker ready", runId: undefined, jobId: undefined },
      ],
    );
    assert.equal(entries[1].shards, 3);
    assert.ok(!Number.isNaN(Date.parse(String(entries[0].time))));
  });

  it("prints the same lines as text for a person", async () => {
    const out = capture();
    const log = createLogger({ service: "serve", format: "text", destination: out.stream });
    log.child({ runId: "2026120314" }).error({ reason: "two words" }, "model reload failed");
    await flush();
    assert.match(out.lines()[0], /^\d{4}-\d\d-\d\dT[\d:.]+Z serve ERROR model reload failed runId=2026120314 reason="two words"$/);
  });

  it("takes its format from CANOPY_LOG_FORMAT, else text on a terminal and JSON elsewhere", () => {
    assert.equal(logFormatFromEnv({ CANOPY_LOG_FORMAT: "json" }, true), "json");
    assert.equal(logFormatFromEnv({}, true), "text");
    assert.equal(logFormatFromEnv({}, false), "json");
    assert.throws(() => logFormatFromEnv({ CANOPY_LOG_FORMAT: "xml" }), /CANOPY_LOG_FORMAT must be "json" or "text" \(got "xml"\)/);
  });
});

describe("worker metrics against a real Redis", () => {
  let redis: TestRedis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => redis?.stop());

  it("counts jobs by outcome and failure kind, times them, and reports the queue by state at /metrics", async () => {
    const connections = Array.from({ length: 3 }, () => new Redis(redis.url, { maxRetriesPerRequest: null }));
    const [connection, eventsConnection, workerConnection] = connections;
    const queue = new Queue("metrics-test", { connection });
    const events = new QueueEvents("metrics-test", { connection: eventsConnection });
    const worker = new Worker(
      "metrics-test",
      async (job) => {
        if (job.data.fail) {
          const error = new Error("bad rows");
          error.name = "DataError";
          throw error;
        }
        return "ok";
      },
      { connection: workerConnection, autorun: false },
    );
    const registry = new Registry();
    new JobMetrics(registry).follow(worker);
    registerQueueGauges(registry, queue);
    const server = await startMetricsServer(registry, { port: 0 });
    try {
      await events.waitUntilReady();
      await queue.add("grow", { fail: false }, { jobId: "a" });
      await queue.add("grow", { fail: false }, { jobId: "b" });
      await queue.add("train", { fail: true }, { jobId: "c" });
      await queue.add("train", {}, { jobId: "d", delay: 60_000 });
      const finished = Promise.all(
        ["a", "b", "c"].map(
          (id) =>
            new Promise<void>((resolve) => {
              const done = ({ jobId }: { jobId: string }) => {
                if (jobId !== id) return;
                events.off("completed", done).off("failed", done);
                resolve();
              };
              events.on("completed", done).on("failed", done);
            }),
        ),
      );
      void worker.run();
      await finished;
      await new Promise((resolve) => setTimeout(resolve, 100));
      const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
      assert.match(text, /canopy_jobs_total\{job_name="grow",outcome="completed"\} 2/);
      assert.match(text, /canopy_jobs_total\{job_name="train",outcome="failed"\} 1/);
      assert.match(text, /canopy_job_failures_total\{job_name="train",kind="DataError"\} 1/);
      assert.match(text, /canopy_job_duration_seconds_count\{job_name="grow"\} 2/);
      assert.match(text, /canopy_queue_jobs\{queue="metrics-test",state="completed"\} 2/);
      assert.match(text, /canopy_queue_jobs\{queue="metrics-test",state="failed"\} 1/);
      assert.match(text, /canopy_queue_jobs\{queue="metrics-test",state="delayed"\} 1/);
      assert.equal((await fetch(`http://127.0.0.1:${server.port}/other`)).status, 404);
    } finally {
      await server.close();
      await worker.close();
      await events.close();
      await queue.close();
      for (const open of connections) open.disconnect();
    }
  });
});
