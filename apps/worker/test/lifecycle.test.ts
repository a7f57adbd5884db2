import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { freePort, startProcess, startRedis, type TestRedis } from "@canopy/testkit";
import { WORKER_MAIN, canopy, startWorker, tempDir } from "./helpers.js";
import { friedmanCsv } from "./synthetic-data.js";

describe("worker shutdown", () => {
  let redis: TestRedis;
  const dir = tempDir();
  const data = join(dir, "friedman.csv");

  before(async () => {
    redis = await startRedis();
    writeFileSync(data, friedmanCsv(30_000));
  });
  after(async () => {
    await redis?.dispose();
  });

  const enqueue = (queue: string, hour: string) =>
    canopy(
      [
        "enqueue",
        "--data",
        data,
        "--target",
        "y",
        "--out",
        join(dir, queue),
        "--run-date",
        hour,
        "--trees",
        "12",
        "--trees-per-shard",
        "4",
      ],
      {
        REDIS_URL: redis.url,
        CANOPY_QUEUE: queue,
      },
    );

  test("SIGTERM lets the active shard finish, takes no new job and exits 0", async () => {
    const worker = await startWorker({ REDIS_URL: redis.url, CANOPY_QUEUE: "q-term" });
    assert.equal((await enqueue("q-term", "2026-02-01T00:00Z")).code, 0);
    await worker.waitForOutput(/started grow run-2026020100-shard-00/, 60_000);
    const code = await worker.stop("SIGTERM", 120_000);
    assert.equal(code, 0, worker.output());
    const log = worker.output();
    const sigterm = log.indexOf("SIGTERM");
    assert.ok(log.indexOf("completed grow run-2026020100-shard-00") > sigterm, "the active shard completed after SIGTERM");
    assert.doesNotMatch(log.slice(sigterm), /started grow/, "no job was started after SIGTERM");
    assert.match(log, /"msg":"stopped"/);
  });

  test("logs one JSON object per line with the run and job ids, and exposes job and queue series at CANOPY_METRICS_PORT", async () => {
    const port = await freePort();
    const worker = await startWorker({
      REDIS_URL: redis.url,
      CANOPY_QUEUE: "q-metrics",
      CANOPY_METRICS_PORT: String(port),
      CANOPY_WORKER_NAME: "metrics-worker",
    });
    try {
      const run = await canopy(
        [
          "enqueue",
          "--wait",
          "--data",
          data,
          "--target",
          "y",
          "--out",
          join(dir, "q-metrics"),
          "--run-date",
          "2026-02-01T02:00Z",
          "--trees",
          "4",
          "--trees-per-shard",
          "2",
        ],
        { REDIS_URL: redis.url, CANOPY_QUEUE: "q-metrics" },
      );
      assert.equal(run.code, 0, run.stderr);
      await worker.waitForOutput(/completed train run-2026020102/, 30_000);
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(text, /canopy_jobs_total\{job_name="train",outcome="completed"\} 1/);
      assert.match(text, /canopy_jobs_total\{job_name="grow",outcome="completed"\} 2/);
      assert.match(text, /canopy_job_duration_seconds_count\{job_name="grow"\} 2/);
      assert.match(text, /canopy_queue_jobs\{queue="q-metrics",state="completed"\} 3/);
      assert.match(text, /canopy_worker_process_cpu_seconds_total/);
      const lines = worker
        .output()
        .split("\n")
        .filter((line) => line.startsWith("{"));
      const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const started = entries.find(
        (entry) =>
          entry.msg === "started grow run-2026020102-shard-00-of-02" || String(entry.msg).startsWith("started grow run-2026020102"),
      );
      assert.ok(started, worker.output());
      assert.equal(started.runId, "2026020102");
      assert.equal(started.service, "worker");
      assert.equal(started.name, "metrics-worker");
      assert.match(String(started.jobId), /^run-2026020102-shard-/);
    } finally {
      assert.equal(await worker.stop("SIGTERM", 60_000), 0);
    }
  });

  test("after the grace period the worker exits 0 and hands its job back", async () => {
    const worker = await startWorker({ REDIS_URL: redis.url, CANOPY_QUEUE: "q-grace", CANOPY_SHUTDOWN_GRACE_MS: "1" });
    assert.equal((await enqueue("q-grace", "2026-02-01T01:00Z")).code, 0);
    await worker.waitForOutput(/started grow run-2026020101-shard-00/, 60_000);
    const code = await worker.stop("SIGTERM", 60_000);
    assert.equal(code, 0, worker.output());
    assert.match(worker.output(), /grace period over: active jobs are left to be taken over as stalled/);
    const status = await canopy(["status", "2026020101"], { REDIS_URL: redis.url, CANOPY_QUEUE: "q-grace" });
    assert.match(status.stdout, /: waiting-children/);
  });
});

test("a worker whose Redis is unreachable says so once and still stops at once on SIGTERM", async () => {
  const port = await freePort();
  const worker = startProcess(process.execPath, [WORKER_MAIN], { env: { ...process.env, REDIS_URL: `redis://127.0.0.1:${port}` } });
  await worker.waitForOutput(/cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ \(connect ECONNREFUSED/, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  assert.equal((worker.output().match(/cannot reach Redis/g) ?? []).length, 1, worker.output());
  assert.equal(await worker.stop("SIGTERM", 15_000), 0);
  assert.match(worker.output(), /stopped without waiting: Redis is unreachable/);
});
