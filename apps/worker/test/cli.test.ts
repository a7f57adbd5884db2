import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { describe, test } from "node:test";
import { sampleData } from "@canopy/testkit";
import { spawnSync } from "node:child_process";
import { CANOPY_BIN, canopy, tempDir } from "./helpers.js";

const TARGET = "Petrol_Consumption";

describe("canopy --help", () => {
  for (const command of ["train", "enqueue", "status", "worker", "predict"]) {
    test(`canopy ${command} --help describes the command`, async () => {
      const result = await canopy([command, "--help"]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`Usage: canopy ${command}`));
    });
  }
});

test("canopy board --help reaches the board's own usage", async () => {
  const result = await canopy(["board", "--help"]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Usage: canopy board \[serve\] \[options\]/);
  assert.match(result.stdout, /canopy board hash-password/);
  assert.doesNotMatch(result.stdout, /canopy-board/);
});

describe("canopy train", () => {
  test("trains in-process and publishes model, metrics, report and manifest (last) for the hour", async () => {
    const dir = tempDir();
    const out = join(dir, "models");
    const result = await canopy([
      "train",
      "--data",
      sampleData(),
      "--target",
      TARGET,
      "--out",
      `file:${out}`,
      "--run-date",
      "2026-03-04T07:30:00+02:00",
      "--trees",
      "20",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const folder = join(out, "2026", "03", "04", "05");
    const manifest = JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8"));
    assert.equal(manifest.runId, "2026030405");
    assert.deepEqual(manifest.artifacts.map((a: { name: string }) => a.name).sort(), ["metrics.json", "model.canopy", "report.html"]);
    for (const artifact of manifest.artifacts) {
      const bytes = readFileSync(join(folder, artifact.name));
      assert.equal(createHash("sha256").update(bytes).digest("hex"), artifact.sha256, artifact.name);
      assert.equal(bytes.length, artifact.size);
    }
    const metrics = JSON.parse(readFileSync(join(folder, "metrics.json"), "utf8"));
    assert.equal(metrics.task, "regression");
    assert.ok(metrics.metrics.rmse > 0 && Number.isFinite(metrics.metrics.rmse));
    assert.match(result.stdout, /model: +file:.*2026\/03\/04\/05\/model\.canopy/);
    assert.match(result.stdout, /rmse/);
  });

  test("canopy predict writes every input row and column with a prediction per row, to a file or standard output", async () => {
    const dir = tempDir();
    const out = join(dir, "models");
    assert.equal(
      (await canopy(["train", "--data", sampleData(), "--target", TARGET, "--out", out, "--run-date", "2026-03-04T05Z", "--trees", "30"]))
        .code,
      0,
    );
    const predictions = join(dir, "predictions.csv");
    const result = await canopy(["predict", "--model", `${out}/2026/03/04/05/`, "--data", sampleData(), "--out", predictions]);
    assert.equal(result.code, 0, result.stderr);
    const [header, ...rows] = readFileSync(predictions, "utf8").trim().split("\n");
    // The target column is an input column like any other: it passes through, so predictions sit beside the truth.
    assert.equal(header, "Petrol_tax,Average_income,Paved_Highways,Population_Driver_licence(%),Petrol_Consumption,prediction");
    assert.equal(rows.length, 48);
    const source = readFileSync(sampleData(), "utf8").trim().split("\n").slice(1);
    rows.forEach((row, i) => assert.equal(row.slice(0, row.lastIndexOf(",")), source[i].replace(/\r$/, "")));
    const predicted = rows.map((row) => Number(row.split(",").pop()));
    const actual = source.map((row) => Number(row.split(",").pop()));
    // A forest predicts its own training data closely but not exactly: in range, and correlated.
    for (const value of predicted) assert.ok(value >= Math.min(...actual) && value <= Math.max(...actual));
    const meanAbsError = predicted.reduce((sum, p, i) => sum + Math.abs(p - actual[i]), 0) / 48;
    assert.ok(meanAbsError < 60, `in-sample MAE ${meanAbsError}`);
    // Shortest round-trip form: each printed number reads back to the double predicted.
    for (const row of rows) assert.equal(String(Number(row.split(",").pop())), row.split(",").pop());

    const toStdout = await canopy(["predict", "--model", `${out}/2026/03/04/05/model.canopy`, "--data", sampleData(), "--out", "-"]);
    assert.equal(toStdout.code, 0, toStdout.stderr);
    assert.equal(toStdout.stdout, readFileSync(predictions, "utf8"));
    assert.match(toStdout.stderr, /wrote 48 predictions to standard output/);
  });

  test("canopy predict into a pipe closed early (| head) stops quietly; large batches on threads write the same bytes", async () => {
    const dir = tempDir();
    const out = join(dir, "models");
    assert.equal(
      (await canopy(["train", "--data", sampleData(), "--target", TARGET, "--out", out, "--run-date", "2026-03-04T07Z", "--trees", "5"]))
        .code,
      0,
    );
    // 48 rows × 5,000: megabytes of output, far beyond a pipe's buffer, so the writer meets the closed pipe.
    const [header, ...rows] = readFileSync(sampleData(), "utf8").trim().split("\n");
    const input = join(dir, "many.csv");
    writeFileSync(input, [header, ...Array.from({ length: 5_000 }, () => rows).flat()].join("\n") + "\n");
    const pipeline = spawnSync(
      "bash",
      [
        "-c",
        `"${process.execPath}" "${CANOPY_BIN}" predict --model "${out}/2026/03/04/07" --data "${input}" --out - | head -n 3; echo "status=\${PIPESTATUS[0]}" >&2`,
      ],
      { encoding: "utf8" },
    );
    assert.equal(pipeline.stdout.trim().split("\n").length, 3, pipeline.stderr);
    assert.match(pipeline.stderr, /status=0\n/);
    assert.doesNotMatch(pipeline.stderr, /EPIPE|Error|at .*\.js:\d+/);

    // Batches this large are walked on threads: the same bytes as one thread.
    const outputs: string[] = [];
    for (const threads of ["1", "3"]) {
      const path = join(dir, `predicted-${threads}.csv`);
      const result = await canopy(["predict", "--model", `${out}/2026/03/04/07`, "--data", input, "--out", path, "--threads", threads]);
      assert.equal(result.code, 0, result.stderr);
      outputs.push(readFileSync(path, "utf8"));
    }
    assert.equal(outputs[0].split("\n").length, 48 * 5_000 + 2);
    assert.ok(outputs[0] === outputs[1], "--threads 1 and --threads 3 write the same predictions");
  });

  test("canopy predict keeps id and label columns of any text, and names its own columns apart from the input's", async () => {
    const dir = tempDir();
    const out = join(dir, "models");
    assert.equal(
      (await canopy(["train", "--data", sampleData(), "--target", TARGET, "--out", out, "--run-date", "2026-03-04T06Z", "--trees", "5"]))
        .code,
      0,
    );
    const lines = readFileSync(sampleData(), "utf8").trim().split("\n");
    const input = join(dir, "with-ids.csv");
    writeFileSync(
      input,
      [`id,${lines[0].trim()},prediction`, ...lines.slice(1, 4).map((line, i) => `"row ${i}, ""quoted""",${line.trim()},old`)].join("\n") +
        "\n",
    );
    const result = await canopy(["predict", "--model", `${out}/2026/03/04/06`, "--data", input, "--out", "-"]);
    assert.equal(result.code, 0, result.stderr);
    const [header, first] = result.stdout.split("\n");
    assert.equal(header, `id,${lines[0].trim()},prediction,prediction_2`);
    assert.ok(first.startsWith(`"row 0, ""quoted""",${lines[1].trim()},old,`), first);
  });

  test("canopy export writes the JSON model, which predicts the same numbers; models published as JSON still predict", async () => {
    const dir = tempDir();
    const out = join(dir, "models");
    assert.equal(
      (await canopy(["train", "--data", sampleData(), "--target", TARGET, "--out", out, "--run-date", "2026-03-04T07Z", "--trees", "12"]))
        .code,
      0,
    );
    const json = join(dir, "model.json");
    const exported = await canopy(["export", "--model", `${out}/2026/03/04/07`, "--format", "json", "--out", json]);
    assert.equal(exported.code, 0, exported.stderr);
    const model = JSON.parse(readFileSync(json, "utf8"));
    assert.equal(model.format, "canopy.forest/1");
    assert.equal(model.trees.length, 12);
    // A run folder as older versions published it: model.json, no model.canopy.
    const legacy = join(dir, "legacy", "2026", "03", "04", "07");
    mkdirSync(legacy, { recursive: true });
    writeFileSync(join(legacy, "model.json"), readFileSync(json));
    const viaJson = await canopy(["predict", "--model", legacy, "--data", sampleData(), "--out", "-"]);
    const viaBinary = await canopy(["predict", "--model", `${out}/2026/03/04/07`, "--data", sampleData(), "--out", "-"]);
    assert.equal(viaJson.code, 0, viaJson.stderr);
    assert.equal(viaJson.stdout, viaBinary.stdout);
    const refused = await canopy(["export", "--model", `${out}/2026/03/04/07`, "--format", "xml", "--out", "-"]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /--format must be one of json/);
  });

  test("a damaged model file is refused with its name and the damaged section", async () => {
    const dir = tempDir();
    const out = join(dir, "models");
    assert.equal(
      (await canopy(["train", "--data", sampleData(), "--target", TARGET, "--out", out, "--run-date", "2026-03-04T08Z", "--trees", "4"]))
        .code,
      0,
    );
    const file = join(out, "2026/03/04/08/model.canopy");
    const bytes = readFileSync(file);
    bytes[bytes.length - 60] ^= 0xff;
    writeFileSync(file, bytes);
    const result = await canopy(["predict", "--model", file, "--data", sampleData(), "--out", join(dir, "p.csv")]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /model\.canopy, tree 3: checksum mismatch .*the file is damaged/);
    assert.ok(!existsSync(join(dir, "p.csv")), "no output written");
    writeFileSync(file, bytes.subarray(0, 1000));
    const truncated = await canopy(["predict", "--model", file, "--data", sampleData(), "--out", join(dir, "p.csv")]);
    assert.match(truncated.stderr, /model\.canopy.*truncated/);
  });

  const badInputs: [string, (dir: string) => string[], RegExp][] = [
    ["a data file that does not exist", (dir) => ["--data", join(dir, "missing.csv"), "--target", TARGET], /missing\.csv/],
    [
      "a target column not in the header",
      () => ["--data", sampleData(), "--target", "Petrol"],
      /Petrol.*not.*(header|column)|column.*Petrol/i,
    ],
    [
      "an unparsable --run-date",
      () => ["--data", sampleData(), "--target", TARGET, "--run-date", "tomorrow"],
      /invalid run date "tomorrow"/,
    ],
    // The flags only read numbers; the bounds are the run request schema's, named by its field.
    [
      "a seed beyond 32 bits",
      () => ["--data", sampleData(), "--target", TARGET, "--seed", "4294967296"],
      /invalid run request: params\.seed must be <= 4294967295/,
    ],
    [
      "a test size of 1",
      () => ["--data", sampleData(), "--target", TARGET, "--test-size", "1"],
      /invalid run request: testSize must be < 1/,
    ],
  ];
  // A malformed row is only found by reading the data: `canopy enqueue` checks the header, the worker the rows.
  const trainOnly: typeof badInputs = [
    [
      "a malformed CSV",
      (dir) => {
        const path = join(dir, "bad.csv");
        writeFileSync(path, "a,b,y\n1,2,3\n4,x,6\n7,8,9\n");
        return ["--data", path, "--target", "y"];
      },
      /line 3.*b|b.*line 3/i,
    ],
  ];
  for (const command of ["train", "enqueue"]) {
    for (const [what, args, message] of command === "train" ? [...badInputs, ...trainOnly] : badInputs) {
      test(`canopy ${command} with ${what} exits 1 with one clear line and writes no run folder`, async () => {
        const dir = tempDir();
        const out = join(dir, "models");
        // No Redis is listening on this port: a check that needed it would fail differently.
        const result = await canopy([command, ...args(dir), "--out", out, "--trees", "3"], { REDIS_URL: "redis://127.0.0.1:1" });
        assert.equal(result.code, 1, result.stdout);
        const lines = result.stderr.trim().split("\n");
        assert.equal(lines.length, 1, result.stderr);
        assert.match(lines[0], new RegExp(`^canopy ${command}: `));
        assert.match(lines[0], message);
        assert.ok(!existsSync(out) || readdirSync(out).every((entry) => entry === "_staging"), "no run folder");
      });
    }
  }

  test("canopy enqueue says clearly when Redis cannot be reached", async () => {
    const dir = tempDir();
    const result = await canopy(["enqueue", "--data", sampleData(), "--target", TARGET, "--out", join(dir, "m")], {
      REDIS_URL: "redis://127.0.0.1:1",
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr.trim(), /^canopy enqueue: cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });
});
