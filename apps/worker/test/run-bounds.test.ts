import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Job, Queue } from "bullmq";
import { sampleData } from "@canopy/testkit";
import { canopy, queueWithWorker, tempDir } from "./helpers.js";

const TARGET = "Petrol_Consumption";

describe("parameters beyond what memory allows are refused before training", () => {
  test("canopy train --trees 1e12: one line naming the bound, exit 1, nothing grown or written", async () => {
    const out = join(tempDir(), "models");
    const result = await canopy(["train", "--data", sampleData(), "--target", TARGET, "--out", out, "--trees", "1e12"]);
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
    assert.match(result.stderr, /params\.nEstimators must be <= 100000 \(got 1000000000000\)/);
    assert.ok(!existsSync(out), "nothing written");
  });

  test("a forest whose model would not fit says how large it would be and how many trees fit, before growing", async () => {
    const out = join(tempDir(), "models");
    // 48 rows: 38 to train on, about 24 distinct a bootstrap, so up to 47 nodes of 14.1 bytes a tree.
    const result = await canopy(["train", "--data", sampleData(), "--target", TARGET, "--out", out, "--trees", "5000"], {
      CANOPY_MAX_MODEL_BYTES: "100000",
    });
    assert.equal(result.code, 1, result.stdout);
    assert.match(
      result.stderr,
      /5,000 trees on 38 training rows would make a model of up to [\d.]+ MB \(up to \d+ nodes a tree, 14\.1 bytes a node\), and a model must fit in memory to predict: the limit here is 100 KB \(CANOPY_MAX_MODEL_BYTES\)\. Use at most \d+ trees/,
    );
    const fitting = Number(/Use at most ([\d,]+) trees/.exec(result.stderr)?.[1].replace(/,/g, ""));
    assert.ok(fitting > 0 && fitting < 5_000, result.stderr);
    assert.doesNotMatch(result.stdout, /growing trees/);
    assert.ok(!existsSync(out), "nothing written");

    // The number it names does fit.
    const fits = await canopy(["train", "--data", sampleData(), "--target", TARGET, "--out", out, "--trees", String(fitting)], {
      CANOPY_MAX_MODEL_BYTES: "100000",
    });
    assert.equal(fits.code, 0, fits.stderr);
  });
});

describe("errors quoting the data stay one short line", () => {
  test("a 1 MiB field and a 64 KiB binary file: canopy train prints one line under 1,000 characters", async () => {
    const dir = tempDir();
    const bigField = join(dir, "big-field.csv");
    writeFileSync(bigField, `a,b,y\n1,${"x".repeat(1 << 20)},3\n2,3,4\n`);
    const binary = join(dir, "binary.csv");
    writeFileSync(binary, Buffer.from(Array.from({ length: 65_536 }, (_, i) => (i === 500 ? 0 : 0x41 + (i % 50)))));
    for (const [data, pattern] of [
      [bigField, /"x{80}"… \(1,048,576 characters\) is not a number/],
      [binary, /the file looks binary \(a NUL byte at offset 500\)/],
    ] as const) {
      const result = await canopy(["train", "--data", data, "--target", "y", "--out", join(dir, "models")]);
      assert.equal(result.code, 1);
      const lines = result.stderr.trim().split("\n");
      assert.equal(lines.length, 1, result.stderr.slice(0, 2_000));
      assert.ok(lines[0].length < 1_000, `${lines[0].length} characters`);
      assert.match(lines[0], pattern);
    }
  });
});

describe("a worker outlives bad jobs", () => {
  const setup = queueWithWorker({ CANOPY_QUEUE: "canopy-bounds", CANOPY_MAX_MODEL_BYTES: "100000" });
  const dir = tempDir();

  test("jobs asking for 1e12 trees or an oversized model fail with the reason; the same worker then trains the next run", async () => {
    const queue = new Queue("canopy-bounds", { connection: { url: setup.redis.url } });
    try {
      const request = (hour: string, nEstimators: number) => ({
        version: 1,
        runDate: `2026-03-04T${hour}:00:00Z`,
        data: sampleData(),
        target: TARGET,
        out: join(dir, "models"),
        params: { nEstimators },
      });
      // A 1 MiB cell: the job's failure reason in Redis is one line under 1,000 characters.
      const bigField = join(dir, "big-field.csv");
      writeFileSync(bigField, `a,b,y\n1,${"x".repeat(1 << 20)},3\n2,3,4\n`);
      await queue.add("train", { ...request("00", 10), data: bigField, target: "y" }, { jobId: "run-2026030400", attempts: 3 });
      let bigJob: Job | undefined;
      for (let waited = 0; waited < 60_000 && !bigJob?.failedReason; waited += 100) {
        bigJob = await Job.fromId(queue, "run-2026030400");
        if (!bigJob?.failedReason) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const bigReason = bigJob?.failedReason ?? "";
      assert.ok(bigReason.length > 0 && bigReason.length < 1_000 && !bigReason.includes("\n"), bigReason.slice(0, 2_000));
      assert.match(bigReason, /"x{80}"… \(1,048,576 characters\) is not a number/);

      // Straight into Redis, as any producer could: no CLI check on the way.
      await queue.add("train", request("01", 1e12), { jobId: "run-2026030401", attempts: 3 });
      await queue.add("train", request("02", 5_000), { jobId: "run-2026030402", attempts: 3 });
      const reasons: string[] = [];
      for (const id of ["run-2026030401", "run-2026030402"]) {
        let job: Job | undefined;
        for (let waited = 0; waited < 60_000 && !job?.failedReason; waited += 100) {
          job = await Job.fromId(queue, id);
          if (!job?.failedReason) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.equal(await queue.getJobState(id), "failed", setup.worker.output());
        assert.equal(job?.attemptsMade, 1, "refused for good: no retries");
        reasons.push(job?.failedReason ?? "");
      }
      assert.match(reasons[0], /params\.nEstimators must be <= 100000/);
      for (const reason of reasons) assert.ok(!reason.includes("\n") && reason.length < 1_000, reason);
      assert.match(reasons[1], /5,000 trees on 38 training rows would make a model of up to .* Use at most \d+ trees/);

      const good = await canopy(
        [
          "enqueue",
          "--data",
          sampleData(),
          "--target",
          TARGET,
          "--out",
          join(dir, "models"),
          "--run-date",
          "2026-03-04T03Z",
          "--trees",
          "10",
          "--wait",
        ],
        setup.env,
      );
      assert.equal(good.code, 0, good.stderr + setup.worker.output());
      assert.equal(setup.worker.child.exitCode, null, "the worker process is still running");
      assert.ok(existsSync(join(dir, "models", "2026", "03", "04", "03", "manifest.json")));
    } finally {
      await queue.close();
    }
  });
});
