import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startProcess, startRedis, type RunningProcess, type TestRedis } from "@canopy/testkit";
import { CANOPY_BIN, canopy, startWorker, tempDir } from "./helpers.js";
import { friedmanCsv } from "./synthetic-data.js";

// Issue 14 (1): Redis killed mid-run (AOF on) and restarted. The run completes in the workers; the waiting
// client must come back with the run's result, and nothing may print ioredis's "Unhandled error event".

let redis: TestRedis;
let worker: RunningProcess | undefined;
const dir = tempDir("canopy-outage-");
const data = join(dir, "friedman.csv");

before(async () => {
  redis = await startRedis({ appendOnly: true });
  writeFileSync(data, friedmanCsv(20_000));
});
after(async () => {
  await worker?.stop("SIGTERM", 30_000);
  await redis?.dispose();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A deadline for Promise.race that does not keep the test process alive once the race is won. */
const deadline = (ms: number) => new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), ms).unref());

test("Redis SIGKILLed and restarted mid-run: enqueue --wait returns with the run's result, one line per outage", async () => {
  const env = { REDIS_URL: redis.url, CANOPY_QUEUE: "q-outage" };
  worker = await startWorker({ ...env, CANOPY_LOCK_DURATION_MS: "10000", CANOPY_STALLED_INTERVAL_MS: "5000" });
  const out = join(dir, "models");
  const waiting = startProcess(
    process.execPath,
    [
      CANOPY_BIN,
      "enqueue",
      "--data",
      data,
      "--target",
      "y",
      "--out",
      out,
      "--run-date",
      "2026-05-01T03:00Z",
      "--trees",
      "16",
      "--trees-per-shard",
      "4",
      "--wait",
    ],
    { env: { ...process.env, ...env } },
  );
  await waiting.waitForOutput(/enqueued as job run-2026050103/, 60_000);
  await worker.waitForOutput(/started grow run-2026050103-shard-00/, 60_000);

  await redis.stop("SIGKILL");
  await sleep(6_000);
  // While Redis is away, a one-shot client fails with one line, no stack trace.
  const during = await canopy(["status", "2026050103"], env);
  assert.equal(during.code, 1);
  assert.equal(during.stderr.trim().split("\n").length, 1, during.stderr);
  assert.match(during.stderr, /^canopy status: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+/);
  await redis.start();

  const code = await Promise.race([waiting.exited(), deadline(240_000)]);
  const output = waiting.output();
  if (code === "timeout") await waiting.stop("SIGKILL");
  assert.equal(code, 0, `enqueue --wait:\n${output}\n--- worker ---\n${worker.output()}`);
  assert.match(output, /^model: +.*2026\/05\/01\/03\/model\.\w+$/m);
  assert.ok(existsSync(join(out, "2026/05/01/03/manifest.json")));
  assert.doesNotMatch(output, /Unhandled error event|at .*\.js:\d+/, output);
  assert.doesNotMatch(worker.output(), /Unhandled error event/, worker.output());
  assert.equal((output.match(/lost Redis/g) ?? []).length, 1, output);
  assert.equal((output.match(/Redis is back/g) ?? []).length, 1, output);
});

test("an outage longer than CANOPY_REDIS_WAIT_MS ends enqueue --wait with one clear line", async () => {
  const env = { REDIS_URL: redis.url, CANOPY_QUEUE: "q-outage-long", CANOPY_REDIS_WAIT_MS: "3000" };
  // No worker on this queue: the run stays waiting, so only the outage can end the wait.
  const waiting = startProcess(
    process.execPath,
    [CANOPY_BIN, "enqueue", "--data", data, "--target", "y", "--out", join(dir, "m2"), "--run-date", "2026-05-01T04:00Z", "--wait"],
    { env: { ...process.env, ...env } },
  );
  await waiting.waitForOutput(/enqueued as job run-2026050104/, 60_000);
  await redis.stop("SIGKILL");
  try {
    const code = await Promise.race([waiting.exited(), deadline(60_000)]);
    if (code === "timeout") await waiting.stop("SIGKILL");
    assert.equal(code, 1, waiting.output());
    const failure = waiting
      .output()
      .split("\n")
      .filter((line) => line.startsWith("canopy enqueue:"));
    assert.equal(failure.length, 1, waiting.output());
    assert.match(failure[0], /Redis .* unreachable for more than 3 s.*canopy status 2026050104/);
    assert.doesNotMatch(waiting.output(), /Unhandled error event/);
  } finally {
    await redis.start();
  }
});
