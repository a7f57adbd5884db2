import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { Job, Queue } from "bullmq";
import { sampleData, venvBin } from "@canopy/testkit";
import { canopy, queueWithWorker, tempDir } from "./helpers.js";

/**
 * `canopy train` / `canopy enqueue` on hourly partitions (docs/data-inputs.md), as a user types them: a plain path
 * holding `%Y/%m/%d/%H`, a window, missing hours, a Parquet hour, mixed columns through a real worker.
 */
const TARGET = "Petrol_Consumption";
const RUN_DATE = "2026-12-03T14:00Z";
const HOURS = ["2026/12/03/12", "2026/12/03/13", "2026/12/03/14"];

const [header, ...rows] = readFileSync(sampleData(), "utf8").trimEnd().split("\n");
const hourRows = (hour: number) => rows.slice(hour * 16, hour * 16 + 16);
const csv = (lines: string[]) => `${[header, ...lines].join("\n")}\n`;

/** Two gzip parts per hour (8 rows each) and a _SUCCESS marker; `skip` leaves an hour out, `parquet` writes one as Parquet. */
function writeLake(root: string, options: { skip?: number; parquet?: number; renameIn?: number } = {}): string {
  for (const [hour, path] of HOURS.entries()) {
    if (hour === options.skip) continue;
    const folder = join(root, path);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "_SUCCESS"), "");
    if (hour === options.parquet) {
      writeFileSync(join(folder, "hour.csv"), csv(hourRows(hour)));
      const script = `import pandas as pd, sys; pd.read_csv(sys.argv[1], float_precision="round_trip").to_parquet(sys.argv[2], index=False)`;
      const done = spawnSync(venvBin("model", "python"), ["-c", script, join(folder, "hour.csv"), join(folder, "part-00000.parquet")]);
      assert.equal(done.status, 0, done.stderr?.toString());
      writeFileSync(join(folder, "hour.csv"), "");
      continue;
    }
    for (const part of [0, 1]) {
      let text = csv(hourRows(hour).slice(part * 8, part * 8 + 8));
      if (hour === options.renameIn && part === 1) text = text.replace("Paved_Highways", "Paved_Roads");
      writeFileSync(join(folder, `part-0000${part}.csv.gz`), gzipSync(text));
    }
  }
  return `${root}/%Y/%m/%d/%H/`;
}

function trainArgs(data: string, out: string, ...extra: string[]): string[] {
  return ["train", "--data", data, "--target", TARGET, "--out", out, "--run-date", RUN_DATE, "--trees", "10", "--seed", "3", ...extra];
}

const modelOf = (out: string) => readFileSync(join(out, "2026/12/03/14/model.canopy"));

describe("canopy train on hourly partitions", () => {
  test("a 3-hour window of a plain-path template trains the model of the same rows in one CSV, and says what it read", async () => {
    const dir = tempDir("canopy-window-cli-");
    const template = writeLake(join(dir, "lake"));
    const result = await canopy(trainArgs(template, join(dir, "window"), "--window-hours", "3"));
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(
        `^run 2026120314: training 10 trees on file:${dir}/lake/%Y/%m/%d/%H/: 6 files, [\\d.]+ kB, hours 2026-12-03T12\\.\\.14, 3 non-data object\\(s\\) left out$`,
        "m",
      ),
    );
    const whole = await canopy(trainArgs(sampleData(), join(dir, "whole")));
    assert.equal(whole.code, 0, whole.stderr);
    assert.ok(modelOf(join(dir, "window")).equals(modelOf(join(dir, "whole"))), "the window's model differs from the CSV's");
  });

  test("a missing hour fails naming the hour and its folder; --missing-partitions skip trains the others", async () => {
    const dir = tempDir("canopy-missing-cli-");
    const template = writeLake(join(dir, "lake"), { skip: 1 });
    const failed = await canopy(trainArgs(template, join(dir, "out"), "--window-hours", "3"));
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, new RegExp(`no input for the hour 2026-12-03T13: file:${dir}/lake/2026/12/03/13/ has no data files`));
    const skipped = await canopy(trainArgs(template, join(dir, "out"), "--window-hours", "3", "--missing-partitions", "skip"));
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.match(skipped.stdout, /4 files, .*hours 2026-12-03T12\.\.14, 1 missing hour\(s\) skipped: file:.*\/2026\/12\/03\/13\//);
    const manifest = JSON.parse(readFileSync(join(dir, "out/2026/12/03/14/manifest.json"), "utf8"));
    assert.equal(manifest.inputs.rows, 32);
  });

  test("an hour written as Parquet reads with the gzip CSV hours: the same model as the CSV of the same rows", async () => {
    const dir = tempDir("canopy-parquet-cli-");
    const template = writeLake(join(dir, "lake"), { parquet: 1 });
    const result = await canopy(trainArgs(template, join(dir, "window"), "--window-hours", "3"));
    assert.equal(result.code, 0, result.stderr);
    const manifest = JSON.parse(readFileSync(join(dir, "window/2026/12/03/14/manifest.json"), "utf8"));
    assert.deepEqual(
      manifest.inputs.files.map((file: { url: string; format: string; rows: number; skipped?: string }) => [
        file.url.slice(file.url.indexOf("/2026/")),
        file.format,
        file.rows,
        file.skipped ?? null,
      ]),
      [
        ["/2026/12/03/12/part-00000.csv.gz", "csv.gz", 8, null],
        ["/2026/12/03/12/part-00001.csv.gz", "csv.gz", 8, null],
        ["/2026/12/03/13/hour.csv", "csv", 0, "empty"],
        ["/2026/12/03/13/part-00000.parquet", "parquet", 16, null],
        ["/2026/12/03/14/part-00000.csv.gz", "csv.gz", 8, null],
        ["/2026/12/03/14/part-00001.csv.gz", "csv.gz", 8, null],
      ],
    );
    const whole = await canopy(trainArgs(sampleData(), join(dir, "whole")));
    assert.equal(whole.code, 0, whole.stderr);
    assert.ok(modelOf(join(dir, "window")).equals(modelOf(join(dir, "whole"))), "the Parquet window's model differs from the CSV's");
  });
});

describe("canopy enqueue on hourly partitions, through a real Redis and worker", () => {
  const setup = queueWithWorker({ CANOPY_QUEUE: "canopy-partitions", CANOPY_SHARD_BACKOFF_MS: "100" });

  test("enqueue checks the window, prints what it resolved, and the job keeps the template and the window", async () => {
    const dir = tempDir("canopy-enqueue-window-");
    const template = writeLake(join(dir, "lake"));
    const out = join(dir, "out");
    const args = ["enqueue", "--data", template, "--target", TARGET, "--out", out, "--run-date", RUN_DATE, "--trees", "8"];
    const result = await canopy([...args, "--window-hours", "3", "--wait"], setup.env);
    assert.equal(result.code, 0, `${result.stderr}\nworker:\n${setup.worker.output()}`);
    assert.match(result.stdout, /^run 2026120314: data file:.*\/lake\/%Y\/%m\/%d\/%H\/: 6 files, .* hours 2026-12-03T12\.\.14/m);
    const queue = new Queue("canopy-partitions", { connection: { url: setup.redis.url } });
    try {
      const job = await Job.fromId(queue, "run-2026120314");
      assert.equal(job?.data.data, `file:${dir}/lake/%Y/%m/%d/%H/`);
      assert.equal(job?.data.windowHours, 3);
      assert.equal(job?.data.plan.inputs.length, 6);
    } finally {
      await queue.close();
    }
    const missing = await canopy([...args, "--run-date", "2026-12-03T15:00Z", "--window-hours", "2"], setup.env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no input for the hour 2026-12-03T15: .*\/lake\/2026\/12\/03\/15\/ has no data files/);
  });

  test("a part whose columns differ fails the queued run naming the file and the column", async () => {
    const dir = tempDir("canopy-enqueue-mixed-");
    const template = writeLake(join(dir, "lake"), { renameIn: 2 });
    const result = await canopy(
      [
        "enqueue",
        "--data",
        template,
        "--target",
        TARGET,
        "--out",
        join(dir, "out"),
        "--run-date",
        RUN_DATE,
        "--trees",
        "8",
        "--window-hours",
        "3",
        "--wait",
        // The hour's job of the test before is completed: --force replaces it.
        "--force",
      ],
      setup.env,
    );
    assert.equal(result.code, 1, result.stdout);
    assert.match(result.stderr, /2026\/12\/03\/14\/part-00001\.csv\.gz/);
    assert.match(result.stderr, /Paved_Roads/);
  });
});
