import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { DataError } from "@canopy/ml";
import { StorageError, joinUrl, openStore, parseManifest } from "@canopy/storage";
import { sampleData, startS3, venvBin, type TestS3 } from "@canopy/testkit";
import { PinnedDatasets, createRunSteps, parseRunRequest, planInputs, runInProcess, type InputLineage } from "../src/index.js";

/**
 * Issue 15's must-shows on real storage (local files, and a moto S3 server): a window of hourly gzip part files
 * under dated prefixes, missing hours, a part changed between planning and a shard's read, mixed schemas.
 */
const TARGET = "Petrol_Consumption";
/** The run's hour; with a 3-hour window it reads 2026-12-31T22, 23 and 2027-01-01T00 (across a year's end). */
const RUN_DATE = "2027-01-01T00:00Z";
const RUN_ID = "2027010100";
const HOUR_PREFIXES = ["2026/12/31/22/", "2026/12/31/23/", "2027/01/01/00/"];

const [header, ...rows] = readFileSync(sampleData(), "utf8").trimEnd().split("\n");
/** The sample's 48 rows as 3 hours × 2 parts of 8 rows, in order. */
const parts = [0, 1, 2].map((hour) => [0, 1].map((part) => rows.slice(hour * 16 + part * 8, hour * 16 + part * 8 + 8)));
const csv = (lines: string[]) => `${[header, ...lines].join("\n")}\n`;

function request(data: string, out: string, extra: Record<string, unknown> = {}) {
  return parseRunRequest({
    version: 1,
    runDate: RUN_DATE,
    data,
    target: TARGET,
    out,
    params: { nEstimators: 12, seed: 9 },
    treesPerShard: 5,
    windowHours: 3,
    ...extra,
  });
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

async function put(url: string, body: string | Buffer): Promise<void> {
  await openStore(url).write(url, body);
}

async function read(url: string): Promise<Buffer> {
  return openStore(url).readAll(url);
}

/** Hourly gzip part files under `<root><name>/YYYY/MM/DD/HH/`, with Spark's _SUCCESS marker and one empty part in the middle hour. */
async function writeHours(root: string, name: string, options: { skipHour?: number; renameColumnIn?: number } = {}): Promise<string> {
  for (const [hour, prefix] of HOUR_PREFIXES.entries()) {
    if (hour === options.skipHour) continue;
    const folder = joinUrl(root, name, prefix);
    for (const [part, lines] of parts[hour].entries()) {
      const text = hour === options.renameColumnIn && part === 1 ? csv(lines).replace("Petrol_tax", "Petrol_taxes") : csv(lines);
      await put(joinUrl(folder, `part-0000${part}.csv.gz`), gzipSync(text));
    }
    await put(joinUrl(folder, "_SUCCESS"), "");
    if (hour === 1) await put(joinUrl(folder, "part-00002.csv.gz"), "");
  }
  return joinUrl(root, name, "%Y/%m/%d/%H/");
}

for (const backend of ["local files", "S3 (moto server)"] as const) {
  describe(`hourly partitions: ${backend}`, () => {
    let root: string;
    let out: string;
    let s3: TestS3 | undefined;
    let dir: string;
    const saved = new Map<string, string | undefined>();
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), "canopy-window-"));
      if (backend === "local files") {
        root = `file:${dir}/lake/`;
        out = `file:${dir}/models/`;
        return;
      }
      s3 = await startS3();
      for (const [name, value] of Object.entries(s3.env)) {
        saved.set(name, process.env[name]);
        process.env[name] = value;
      }
      await s3.createBucket("lake");
      await s3.createBucket("models");
      root = "s3://lake/";
      out = "s3://models/runs/";
    });
    after(async () => {
      await s3?.stop();
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      rmSync(dir, { recursive: true, force: true });
    });

    test("a 3-hour window of gzip part files trains the same model as one CSV of the same rows in the same order", async () => {
      const template = await writeHours(root, "events");
      const whole = joinUrl(root, "whole/petrol.csv");
      await put(whole, csv(rows));
      const windowOut = joinUrl(out, "window/");
      const wholeOut = joinUrl(out, "whole/");
      await runInProcess(createRunSteps({ threads: 1 }), RUN_ID, request(template, windowOut));
      await runInProcess(createRunSteps({ threads: 1 }), RUN_ID, request(whole, wholeOut, { windowHours: 1 }));
      const [windowModel, wholeModel] = await Promise.all([
        read(joinUrl(windowOut, "2027/01/01/00/model.canopy")),
        read(joinUrl(wholeOut, "2027/01/01/00/model.canopy")),
      ]);
      assert.equal(sha256(windowModel), sha256(wholeModel));

      const manifestUrl = joinUrl(windowOut, "2027/01/01/00/manifest.json");
      const manifest = parseManifest((await read(manifestUrl)).toString(), manifestUrl);
      const inputs = manifest.inputs as InputLineage;
      assert.equal(manifest.input, undefined, "a set has no single `input`");
      assert.equal(inputs.data, template);
      assert.equal(inputs.windowHours, 3);
      assert.deepEqual(
        inputs.files.map((file) => [file.url.slice(root.length), file.format, file.rows, file.skipped ?? null]),
        [
          ["events/2026/12/31/22/part-00000.csv.gz", "csv.gz", 8, null],
          ["events/2026/12/31/22/part-00001.csv.gz", "csv.gz", 8, null],
          ["events/2026/12/31/23/part-00000.csv.gz", "csv.gz", 8, null],
          ["events/2026/12/31/23/part-00001.csv.gz", "csv.gz", 8, null],
          ["events/2026/12/31/23/part-00002.csv.gz", "csv", 0, "empty"],
          ["events/2027/01/01/00/part-00000.csv.gz", "csv.gz", 8, null],
          ["events/2027/01/01/00/part-00001.csv.gz", "csv.gz", 8, null],
        ],
      );
      assert.ok(inputs.files.every((file) => typeof file.etag === "string" && file.etag.length > 0));
      assert.equal(inputs.count, 7);
      assert.equal(inputs.rows, 48);
      assert.equal(
        inputs.bytes,
        inputs.files.reduce((sum, file) => sum + file.size, 0),
      );
      assert.deepEqual(
        inputs.hours?.map((hour) => [hour.hour, hour.files]),
        [
          ["2026-12-31T22:00:00.000Z", 2],
          ["2026-12-31T23:00:00.000Z", 3],
          ["2027-01-01T00:00:00.000Z", 2],
        ],
      );
      assert.deepEqual(
        inputs.skipped.map((url) => url.slice(root.length)),
        HOUR_PREFIXES.map((prefix) => `events/${prefix}_SUCCESS`),
      );
      const report = (await read(joinUrl(windowOut, "2027/01/01/00/report.html"))).toString();
      assert.match(report, /data-section="input-files"/);
      assert.match(report, /7 files · .* · 48 rows · hours 2026-12-31 22:00 to 2027-01-01 00:00 UTC/);
      for (const file of inputs.files) assert.ok(report.includes(`data-input-file="${file.url}"`), `report.html lists ${file.url}`);
    });

    test("a missing hour fails the run naming the hour and its URL; with missingPartitions skip the others train", async () => {
      const template = await writeHours(root, "gappy", { skipHour: 1 });
      const missingUrl = joinUrl(root, "gappy/2026/12/31/23/");
      await assert.rejects(runInProcess(createRunSteps({ threads: 1 }), RUN_ID, request(template, joinUrl(out, "gappy/"))), (error) => {
        assert.ok(error instanceof StorageError, String(error));
        assert.equal(error.code, "NoSuchKey");
        assert.equal(
          error.message,
          `no input for the hour 2026-12-31T23: ${missingUrl} has no data files; missingPartitions "skip" (--missing-partitions skip) trains on the hours that have data`,
        );
        return true;
      });
      const skipOut = joinUrl(out, "gappy-skip/");
      await runInProcess(createRunSteps({ threads: 1 }), RUN_ID, request(template, skipOut, { missingPartitions: "skip" }));
      const manifestUrl = joinUrl(skipOut, "2027/01/01/00/manifest.json");
      const inputs = parseManifest((await read(manifestUrl)).toString(), manifestUrl).inputs as InputLineage;
      assert.equal(inputs.rows, 32);
      assert.deepEqual(
        inputs.hours?.map((hour) => [hour.url, hour.files, hour.missing ?? false]),
        [
          [joinUrl(root, "gappy/2026/12/31/22/"), 2, false],
          [missingUrl, 0, true],
          [joinUrl(root, "gappy/2027/01/01/00/"), 2, false],
        ],
      );
    });

    test("a part file changed between planning and a shard's read fails that shard naming the file", async () => {
      const template = await writeHours(root, "changing");
      // Two hosts: the one that plans, and one that grows a shard (each keeps its own parsed dataset).
      const planner = createRunSteps({ threads: 1, datasets: new PinnedDatasets() });
      const grower = createRunSteps({ threads: 1, datasets: new PinnedDatasets() });
      const plan = await planner.plan(RUN_ID, request(template, joinUrl(out, "changing/")));
      assert.equal(planInputs(plan).length, 7);
      const changed = joinUrl(root, "changing/2026/12/31/23/part-00001.csv.gz");
      await put(changed, gzipSync(csv(parts[1][1].slice(0, -1))));
      await assert.rejects(
        grower.grow(plan, plan.shards[0], () => undefined),
        (error) => {
          assert.ok(error instanceof StorageError, String(error));
          assert.equal(error.code, "Changed");
          assert.equal(error.url, changed);
          assert.match(error.message, new RegExp(`^${changed.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} changed since the run started`));
          return true;
        },
      );
      await planner.discard(plan);
    });

    test("Parquet partitions (read by ranges of the pinned version) train the model of the same rows as CSV", async () => {
      for (const [hour, prefix] of HOUR_PREFIXES.entries()) {
        const local = join(dir, `hour-${hour}.csv`);
        writeFileSync(local, csv([...parts[hour][0], ...parts[hour][1]]));
        const script = `import pandas as pd, sys; pd.read_csv(sys.argv[1], float_precision="round_trip").to_parquet(sys.argv[2], index=False, row_group_size=5)`;
        execFileSync(venvBin("model", "python"), ["-c", script, local, `${local}.parquet`]);
        await put(joinUrl(root, "columnar", prefix, "part-00000.parquet"), readFileSync(`${local}.parquet`));
      }
      const whole = joinUrl(root, "whole-columnar/petrol.csv");
      await put(whole, csv(rows));
      const parquetOut = joinUrl(out, "parquet/");
      const csvOut = joinUrl(out, "parquet-csv/");
      await runInProcess(createRunSteps({ threads: 1 }), RUN_ID, request(joinUrl(root, "columnar/%Y/%m/%d/%H/"), parquetOut));
      await runInProcess(createRunSteps({ threads: 1 }), RUN_ID, request(whole, csvOut, { windowHours: 1 }));
      const manifestUrl = joinUrl(parquetOut, "2027/01/01/00/manifest.json");
      const inputs = parseManifest((await read(manifestUrl)).toString(), manifestUrl).inputs as InputLineage;
      assert.deepEqual(
        inputs.files.map((file) => [file.format, file.rows]),
        [
          ["parquet", 16],
          ["parquet", 16],
          ["parquet", 16],
        ],
      );
      assert.equal(
        sha256(await read(joinUrl(parquetOut, "2027/01/01/00/model.canopy"))),
        sha256(await read(joinUrl(csvOut, "2027/01/01/00/model.canopy"))),
      );
    });

    test("a part whose columns differ fails the run naming the file and the column", async () => {
      const template = await writeHours(root, "mixed", { renameColumnIn: 2 });
      await assert.rejects(runInProcess(createRunSteps({ threads: 1 }), RUN_ID, request(template, joinUrl(out, "mixed/"))), (error) => {
        assert.ok(error instanceof DataError, String(error));
        assert.match(error.message, new RegExp(`mixed/2027/01/01/00/part-00001\\.csv\\.gz`));
        assert.match(error.message, /Petrol_taxes/);
        return true;
      });
    });
  });
}
