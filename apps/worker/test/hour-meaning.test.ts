import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Job, Queue } from "bullmq";
import { sampleData, waitForJobState } from "@canopy/testkit";
import { canopy, queueWithWorker, tempDir } from "./helpers.js";

const TARGET = "Petrol_Consumption";

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function manifestOf(folder: string): {
  createdAt: string;
  params: { nEstimators: number };
  replaces?: { because: string[]; model: { sha256: string } };
} {
  return JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8"));
}

/** The sample data without its last row: the same columns, other content (a new version of the hour's input). */
function changeData(file: string): void {
  const lines = readFileSync(file, "utf8").trimEnd().split("\n");
  writeFileSync(file, lines.slice(0, -1).join("\n") + "\n");
}

describe("one meaning per hour: canopy train", () => {
  test("the same inputs and settings reuse the published run; changed settings or inputs are refused naming the difference; --on-change retrain and --force replace it, recorded in the manifest", async () => {
    const dir = tempDir();
    const data = join(dir, "data.csv");
    copyFileSync(sampleData(), data);
    const out = join(dir, "models");
    const folder = join(out, "2026/01/01/00");
    const args = ["train", "--data", data, "--target", TARGET, "--out", out, "--run-date", "2026-01-01T00:30Z", "--trees", "5"];

    const first = await canopy(args);
    assert.equal(first.code, 0, first.stderr);
    const published = manifestOf(folder);
    const model = sha256(join(folder, "model.canopy"));

    const again = await canopy(args);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /run 2026010100: already published from the same inputs and settings; nothing trained/);
    assert.match(again.stdout, /model: .*2026\/01\/01\/00\/model\.canopy/);
    assert.equal(manifestOf(folder).createdAt, published.createdAt, "the published run is untouched");

    const moreTrees = await canopy([...args.slice(0, -1), "7"]);
    assert.equal(moreTrees.code, 1);
    assert.equal(moreTrees.stderr.trim().split("\n").length, 1, moreTrees.stderr);
    assert.match(
      moreTrees.stderr,
      /run 2026010100 is already published .* from other inputs or settings: trees: 5 → 7; use --force .*--run-date/,
    );
    assert.equal(manifestOf(folder).createdAt, published.createdAt);

    changeData(data);
    const changed = await canopy(args);
    assert.equal(changed.code, 1);
    assert.match(changed.stderr, new RegExp(`inputs: file://${data}.* \\(1389 → \\d+ bytes\\) changed`));
    assert.equal(sha256(join(folder, "model.canopy")), model, "a refused run leaves the published model");

    const retrained = await canopy([...args, "--on-change", "retrain"]);
    assert.equal(retrained.code, 0, retrained.stderr);
    assert.match(retrained.stdout, /replaces: the run published .*inputs: .*data\.csv.* changed/);
    const replacing = manifestOf(folder);
    assert.notEqual(sha256(join(folder, "model.canopy")), model, "trained on the new rows");
    assert.equal(replacing.replaces?.model.sha256, model, "the manifest names the model it replaced");
    assert.match(replacing.replaces?.because.join("\n") ?? "", /data\.csv \(1389 → \d+ bytes\)/);

    const forced = await canopy([...args, "--force"]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(manifestOf(folder).replaces?.because, ["forced"]);
  });
});

describe("one meaning per hour: canopy enqueue and the workers", () => {
  const setup = queueWithWorker({ CANOPY_QUEUE: "canopy-meaning" });
  const dir = tempDir();

  test("a completed hour asked again: reused when the same, refused with the difference, retrained in place with --on-change retrain", async () => {
    const data = join(dir, "data.csv");
    copyFileSync(sampleData(), data);
    const out = join(dir, "models");
    const folder = join(out, "2026/01/02/03");
    const args = ["enqueue", "--data", data, "--target", TARGET, "--out", out, "--run-date", "2026-01-02T03:00Z", "--trees", "6"];

    const first = await canopy([...args, "--wait"], setup.env);
    assert.equal(first.code, 0, `${first.stderr}\n${setup.worker.output()}`);
    const model = sha256(join(folder, "model.canopy"));

    const same = await canopy([...args, "--wait"], setup.env);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /already published from the same inputs and settings .*; nothing added/);
    assert.match(same.stdout, /model: .*model\.canopy/, "--wait prints the published run");

    const otherSeed = await canopy([...args, "--seed", "3"], setup.env);
    assert.equal(otherSeed.code, 1);
    assert.match(otherSeed.stderr, /seed: 0 → 3; use --force/);

    changeData(data);
    const refused = await canopy(args, setup.env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /inputs: .*data\.csv .*changed/);

    const retrained = await canopy([...args, "--on-change", "retrain", "--wait"], setup.env);
    assert.equal(retrained.code, 0, `${retrained.stderr}\n${setup.worker.output()}`);
    assert.match(retrained.stdout, /enqueued as job run-2026010203; it replaces the run published .*data\.csv.*changed/);
    assert.match(retrained.stdout, /replaces: the run published/);
    assert.notEqual(sha256(join(folder, "model.canopy")), model);
    assert.equal(manifestOf(folder).replaces?.model.sha256, model);
  });

  test("a job from another producer with onChange retrain: the worker reuses an unchanged hour and retrains a changed one", async () => {
    const data = join(dir, "producer.csv");
    copyFileSync(sampleData(), data);
    const out = join(dir, "producer");
    const folder = join(out, "2026/01/02/04");
    const request = {
      version: 1,
      runDate: "2026-01-02T04:00:00Z",
      data,
      target: TARGET,
      out,
      params: { nEstimators: 4 },
      onChange: "retrain",
    };
    const queue = new Queue("canopy-meaning", { connection: { url: setup.redis.url } });
    try {
      // What the hourly DAG does for a manual run, then for the scheduled run of the same hour.
      const finish = async (): Promise<Job> => {
        const existing = await Job.fromId(queue, "run-2026010204");
        if (existing) await existing.remove();
        await queue.add("train", request, { jobId: "run-2026010204" });
        await waitForJobState(queue, "run-2026010204", ["completed", "failed"], 30_000);
        const job = await Job.fromId(queue, "run-2026010204");
        assert.equal(await job?.getState(), "completed", `${job?.failedReason}\n${setup.worker.output()}`);
        return job!;
      };
      const manual = await finish();
      assert.equal(manual.returnvalue.reused, undefined);
      const model = sha256(join(folder, "model.canopy"));
      const createdAt = manifestOf(folder).createdAt;

      const unchanged = await finish();
      assert.equal(unchanged.returnvalue.reused, true);
      assert.equal(manifestOf(folder).createdAt, createdAt, "nothing published again");

      changeData(data);
      const scheduled = await finish();
      assert.equal(scheduled.returnvalue.reused, undefined);
      assert.match(scheduled.returnvalue.replaced.because.join("\n"), /producer\.csv .*changed/);
      assert.notEqual(sha256(join(folder, "model.canopy")), model);
      assert.equal(manifestOf(folder).replaces?.model.sha256, model);
    } finally {
      await queue.close();
    }
  });
});
