import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Job, Queue } from "bullmq";
import { readForest } from "@canopy/ml";
import { sampleData } from "@canopy/testkit";
import { canopy, queueWithWorker, tempDir } from "./helpers.js";

const TARGET = "Petrol_Consumption";

describe("canopy enqueue through a real Redis and a real worker process", () => {
  const setup = queueWithWorker({ CANOPY_QUEUE: "canopy-test", CANOPY_SHARD_BACKOFF_MS: "100" });
  const dir = tempDir();

  test("enqueue --wait publishes the hour's run folder and prints the model and metrics", async () => {
    const out = join(dir, "models");
    const result = await canopy(
      [
        "enqueue",
        "--data",
        sampleData(),
        "--target",
        TARGET,
        "--out",
        out,
        "--run-date",
        "2026-03-04T05:00:00Z",
        "--trees",
        "40",
        "--trees-per-shard",
        "10",
        "--wait",
      ],
      setup.env,
    );
    assert.equal(result.code, 0, `${result.stderr}\nworker:\n${setup.worker.output()}`);
    assert.match(result.stdout, /run 2026030405 enqueued as job run-2026030405/);
    assert.match(result.stdout, /model: .*2026\/03\/04\/05\/model\.canopy/);
    const manifest = JSON.parse(readFileSync(join(out, "2026/03/04/05/manifest.json"), "utf8"));
    assert.equal(manifest.runId, "2026030405");
    assert.deepEqual(
      manifest.shards.map((s: { treeStart: number }) => s.treeStart),
      [0, 10, 20, 30],
    );
    const model = await readForest([readFileSync(join(out, "2026/03/04/05/model.canopy"))], "model.canopy");
    assert.equal(model.trees.length, 40);
    assert.ok(!existsSync(join(out, "_staging", "2026030405")), "staging cleaned up");

    const status = await canopy(["status", "2026030405"], setup.env);
    assert.equal(status.code, 0, "canopy status exits 0 for a completed run");
    assert.match(status.stdout, /run 2026030405 \(job run-2026030405\): completed/);
    assert.match(status.stdout, /trees: +40\/40/);
  });

  test("the same hour enqueued twice is one run", async () => {
    const out = join(dir, "twice");
    const args = [
      "enqueue",
      "--data",
      sampleData(),
      "--target",
      TARGET,
      "--out",
      out,
      "--run-date",
      "2026-03-04T06:10:00Z",
      "--trees",
      "10",
    ];
    const first = await canopy([...args, "--wait"], setup.env);
    assert.equal(first.code, 0, first.stderr);
    const second = await canopy(args, setup.env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(
      second.stdout,
      /run 2026030406 is already published from the same inputs and settings \(.*manifest\.json\); nothing added/,
    );
  });

  test("a request that breaks the contract, from any producer, fails its job at once naming the field, without retries", async () => {
    const queue = new Queue("canopy-test", { connection: { url: setup.redis.url } });
    try {
      const request = {
        version: 1,
        runDate: "2026-03-04T08:00:00Z",
        data: sampleData(),
        target: TARGET,
        out: join(dir, "never"),
        testSize: "0.2",
      };
      await queue.add("train", request, { jobId: "run-2026030408", attempts: 3 });
      let job: Job | undefined;
      for (let waited = 0; waited < 30_000; waited += 100) {
        job = await Job.fromId(queue, "run-2026030408");
        if (job?.failedReason) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(await queue.getJobState("run-2026030408"), "failed", setup.worker.output());
      assert.equal(job?.failedReason, 'invalid run request: testSize must be number or null (got "0.2")');
      assert.equal(job?.attemptsMade, 1, "an UnrecoverableError: the 3 attempts were not used");
      assert.ok(!existsSync(join(dir, "never")), "nothing written");
    } finally {
      await queue.close();
    }
  });

  test("a malformed row fails the run at once with the line and column, and publishes nothing", async () => {
    const data = join(dir, "bad.csv");
    writeFileSync(data, "a,b,y\n1,2,3\n4,x,6\n7,8,9\n5,5,5\n");
    const out = join(dir, "bad-out");
    const result = await canopy(
      ["enqueue", "--data", data, "--target", "y", "--out", out, "--run-date", "2026-03-04T07:00Z", "--wait"],
      setup.env,
    );
    assert.equal(result.code, 1);
    assert.match(
      result.stderr.trim(),
      /^canopy enqueue: run 2026030407 failed: .*line 3.*"b"|^canopy enqueue: run 2026030407 failed: .*"b".*line 3/,
    );
    assert.ok(!existsSync(join(out, "2026/03/04/07/manifest.json")));
    const status = await canopy(["status", "run-2026030407"], setup.env);
    assert.match(status.stdout, /failed/);
    assert.equal(status.code, 1, "canopy status exits 1 for a failed run");
    // UnrecoverableError: no retries were made.
    assert.doesNotMatch(setup.worker.output(), /run-2026030407 \(attempt 2\)/);

    // Asking again for a failed hour trains it again: once the data is fixed, the hour publishes.
    writeFileSync(data, "a,b,y\n1,2,3\n4,5,6\n7,8,9\n5,5,5\n");
    const retried = await canopy(
      ["enqueue", "--data", data, "--target", "y", "--out", out, "--run-date", "2026-03-04T07:00Z", "--trees", "5", "--wait"],
      setup.env,
    );
    assert.equal(retried.code, 0, retried.stderr);
    assert.match(retried.stdout, /run 2026030407 enqueued/);
    assert.ok(existsSync(join(out, "2026/03/04/07/manifest.json")));
  });

  test("canopy status: 2 for a run nowhere; a run trained in-process is found under --out (or CANOPY_OUTPUT_ROOT)", async () => {
    const out = join(dir, "in-process");
    const missing = await canopy(["status", "2026030423"], setup.env);
    assert.equal(missing.code, 2);
    assert.match(missing.stdout, /run 2026030423: not in the queue "canopy-test"; give --out <root> \(or set CANOPY_OUTPUT_ROOT\)/);
    const missingThere = await canopy(["status", "2026030423", "--out", out], setup.env);
    assert.equal(missingThere.code, 2);
    assert.match(missingThere.stdout, /not published under/);

    const trained = await canopy(
      ["train", "--data", sampleData(), "--target", TARGET, "--out", out, "--run-date", "2026-03-04T23:00Z", "--trees", "10"],
      setup.env,
    );
    assert.equal(trained.code, 0, trained.stderr);
    for (const found of [
      await canopy(["status", "2026-03-04T23:30Z", "--out", out], setup.env),
      await canopy(["status", "run-2026030423"], { ...setup.env, CANOPY_OUTPUT_ROOT: out }),
    ]) {
      assert.equal(found.code, 0, found.stdout + found.stderr);
      assert.match(found.stdout, /run 2026030423: completed \(published; not in the queue "canopy-test"/);
      // Absolute, whatever directory the run was asked from.
      assert.match(found.stdout, /model: +file:\/\/\/.*\/2026\/03\/04\/23\/model\.canopy/);
      assert.match(found.stdout, /r2 +-?\d/);
    }
  });

  test("canopy status exits 3 while a run is queued (no worker on this queue)", async () => {
    const idle = { ...setup.env, CANOPY_QUEUE: "canopy-test-idle" };
    const out = join(dir, "idle");
    const added = await canopy(
      ["enqueue", "--data", sampleData(), "--target", TARGET, "--out", out, "--run-date", "2026-03-05T01:00Z"],
      idle,
    );
    assert.equal(added.code, 0, added.stderr);
    const status = await canopy(["status", "2026030501"], idle);
    assert.equal(status.code, 3);
    assert.match(status.stdout, /run 2026030501 \(job run-2026030501\): waiting/);
  });
});
