import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Job, Queue } from "bullmq";
import { Redis } from "ioredis";
import { startRedis, startS3, type RunningProcess, type TestRedis, type TestS3 } from "@canopy/testkit";
import { canopy, startWorker, tempDir } from "./helpers.js";
import { friedmanCsv } from "./synthetic-data.js";

const BUCKET = "canopy-it";

/**
 * Issue 5's guarantees, on a real Redis, a real S3 API server (moto) and real worker processes:
 * the model does not depend on how many workers grew it, a killed worker loses nothing, a failing
 * shard fails the run with its reason, and workers survive a Redis restart.
 */
describe("distributed runs", () => {
  let redis: TestRedis;
  let s3: TestS3;
  let client: S3Client;
  const workers: RunningProcess[] = [];
  let base: Record<string, string>;

  const env = (queue: string, extra: Record<string, string> = {}) => ({ ...base, CANOPY_QUEUE: queue, ...extra });
  const spawnWorkers = async (count: number, extra: Record<string, string>) => {
    const started = await Promise.all(Array.from({ length: count }, (_, i) => startWorker({ ...extra, CANOPY_WORKER_NAME: `w${i + 1}` })));
    workers.push(...started);
    return started;
  };
  const object = async (key: string) => {
    const response = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await response.Body!.transformToByteArray());
  };
  const exists = async (key: string) =>
    object(key).then(
      () => true,
      () => false,
    );

  before(async () => {
    redis = await startRedis();
    s3 = await startS3();
    base = { REDIS_URL: redis.url, ...s3.env, CANOPY_SHARD_BACKOFF_MS: "100" };
    client = new S3Client({
      endpoint: s3.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "data/friedman-6k.csv", Body: friedmanCsv(6_000) }));
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "data/friedman-40k.csv", Body: friedmanCsv(40_000, 10, 2) }));
  });

  after(async () => {
    await Promise.all(workers.map((worker) => worker.stop("SIGKILL")));
    client?.destroy();
    await s3?.stop();
    await redis?.dispose();
  });

  const runArgs = (data: string, out: string, runDate: string, trees: number, perShard: number) => [
    "--data",
    `s3://${BUCKET}/data/${data}`,
    "--target",
    "y",
    "--out",
    `s3://${BUCKET}/${out}`,
    "--run-date",
    runDate,
    "--trees",
    String(trees),
    "--trees-per-shard",
    String(perShard),
    "--seed",
    "7",
  ];

  test("1 worker, 3 worker processes and canopy train publish byte-identical model.canopy", async () => {
    const one = await spawnWorkers(1, env("q-one"));
    const three = await spawnWorkers(3, env("q-three"));
    const args = (out: string) => runArgs("friedman-6k.csv", out, "2026-01-02T14:00Z", 60, 10);

    const [viaOne, viaThree, inProcess] = await Promise.all([
      canopy(["enqueue", ...args("one"), "--wait"], env("q-one")),
      canopy(["enqueue", ...args("three"), "--wait"], env("q-three")),
      canopy(["train", ...args("local")], base),
    ]);
    for (const result of [viaOne, viaThree, inProcess]) assert.equal(result.code, 0, result.stderr);

    const model = (root: string) => object(`${root}/2026/01/02/14/model.canopy`);
    const reference = await model("one");
    assert.ok(reference.length > 10_000);
    assert.ok(reference.equals(await model("three")), "1 worker vs 3 workers");
    assert.ok(reference.equals(await model("local")), "queue vs canopy train");
    // The three workers really shared the run: each grew at least one of the 6 shards.
    for (const worker of three) assert.match(worker.output(), /completed grow run-2026010214-shard-/);
    for (const worker of [...one, ...three]) await worker.stop();
  });

  test("a worker killed with SIGKILL mid-shard: its shard is taken over and the same model is published", async () => {
    const fast = { CANOPY_LOCK_DURATION_MS: "2000", CANOPY_STALLED_INTERVAL_MS: "500" };
    const [victim] = await spawnWorkers(1, env("q-kill", fast));
    const args = runArgs("friedman-40k.csv", "killed", "2026-01-02T15:00Z", 24, 6);
    const reference = canopy(["train", ...runArgs("friedman-40k.csv", "reference", "2026-01-02T15:00Z", 24, 6)], base);
    const run = canopy(["enqueue", ...args, "--wait"], env("q-kill"));

    await victim.waitForOutput(/started grow run-2026010215-shard-/, 120_000);
    await victim.stop("SIGKILL");
    const [survivor] = await spawnWorkers(1, env("q-kill", fast));

    const [result, referenceResult] = await Promise.all([run, reference]);
    assert.equal(result.code, 0, `${result.stderr}\n${survivor.output()}`);
    assert.equal(referenceResult.code, 0, referenceResult.stderr);
    assert.ok((await object("killed/2026/01/02/15/model.canopy")).equals(await object("reference/2026/01/02/15/model.canopy")));

    // Proof the recovery path ran: the killed worker's shard was detected as stalled and redone.
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue("q-kill", { connection });
    try {
      const counters = await Promise.all(
        [0, 1, 2, 3].map(async (i) => (await Job.fromId(queue, `run-2026010215-shard-0${i}`))?.stalledCounter ?? 0),
      );
      assert.ok(
        counters.some((count) => count >= 1),
        `stalled counters ${counters}`,
      );
    } finally {
      await queue.close();
      connection.disconnect();
    }
    await survivor.stop();
  });

  test("a shard that keeps failing is retried, then fails the run with its reason, and nothing is published", async () => {
    const out = join(tempDir(), "models");
    // A file where the run's staging folder must go: every shard write fails, on every attempt.
    mkdirSync(join(out, "_staging"), { recursive: true });
    writeFileSync(join(out, "_staging", "2026010216"), "in the way");
    const [worker] = await spawnWorkers(1, env("q-fail", { CANOPY_SHARD_ATTEMPTS: "3" }));
    const result = await canopy(
      [
        "enqueue",
        "--data",
        `s3://${BUCKET}/data/friedman-6k.csv`,
        "--target",
        "y",
        "--out",
        out,
        "--run-date",
        "2026-01-02T16:00Z",
        "--trees",
        "4",
        "--trees-per-shard",
        "2",
        "--wait",
      ],
      env("q-fail"),
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr.trim(), /^canopy enqueue: run 2026010216 failed: run-2026010216-shard-0[01] failed: .*_staging/);
    assert.ok(!existsSync(join(out, "2026/01/02/16/manifest.json")), "no manifest");
    assert.equal(readFileSync(join(out, "_staging", "2026010216"), "utf8"), "in the way");
    // Three attempts, with backoff, before giving up.
    assert.equal((worker.output().match(/failed grow run-2026010216-shard-00/g) ?? []).length, 3, worker.output());
    await worker.stop();
  });

  test("a worker carries on after Redis restarts while it is idle", async () => {
    const [worker] = await spawnWorkers(1, env("q-restart"));
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await redis.start();
    const result = await canopy(
      ["enqueue", ...runArgs("friedman-6k.csv", "restart", "2026-01-02T17:00Z", 4, 2), "--wait"],
      env("q-restart"),
    );
    assert.equal(result.code, 0, `${result.stderr}\n${worker.output()}`);
    assert.ok(await exists("restart/2026/01/02/17/manifest.json"));
    await worker.stop();
  });
});
