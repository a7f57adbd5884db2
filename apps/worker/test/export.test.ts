import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { sampleData, venvBin } from "@canopy/testkit";
import { canopy, tempDir } from "./helpers.js";

const TARGET = "Petrol_Consumption";

// onnxruntime (Python) on the exported file, fed the sample data's feature columns; prints the predictions as JSON.
const RUN_ONNX = `
import json, sys
import numpy as np, onnx, onnxruntime
onnx.checker.check_model(sys.argv[1], full_check=True)
x = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1)[:, :4]
session = onnxruntime.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
print(json.dumps(session.run(["prediction"], {"X": x})[0].tolist()))
`;

test("canopy export --format onnx writes a model whose onnxruntime predictions are canopy predict's", async () => {
  const dir = tempDir();
  const out = join(dir, "models");
  assert.equal(
    (await canopy(["train", "--data", sampleData(), "--target", TARGET, "--out", out, "--run-date", "2026-03-04T05Z", "--trees", "15"]))
      .code,
    0,
  );
  const folder = `${out}/2026/03/04/05/`;
  const onnxPath = join(dir, "exported", "model.onnx");
  const result = await canopy(["export", "--model", folder, "--format", "onnx", "--out", onnxPath]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /wrote 15 trees of .* as onnx to /);

  const predictions = join(dir, "predictions.csv");
  assert.equal((await canopy(["predict", "--model", folder, "--data", sampleData(), "--out", predictions])).code, 0);
  const expected = readFileSync(predictions, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((row) => Number(row.split(",").pop()));
  assert.equal(expected.length, 48);
  assertClose(onnxPredictions(onnxPath), expected);
});

function onnxPredictions(onnxPath: string): number[] {
  return JSON.parse(execFileSync(venvBin("onnx", "python"), ["-c", RUN_ONNX, onnxPath, sampleData()], { encoding: "utf8" })) as number[];
}

function assertClose(actual: readonly number[], expected: readonly number[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((value, row) =>
    assert.ok(Math.abs(value - expected[row]) <= 1e-12 * Math.abs(expected[row]), `row ${row + 1}: ${value} vs ${expected[row]}`),
  );
}

test("canopy train --onnx publishes model.onnx beside the model, listed in the manifest", async () => {
  const dir = tempDir();
  const out = join(dir, "models");
  const trained = await canopy([
    "train",
    "--data",
    sampleData(),
    "--target",
    TARGET,
    "--out",
    out,
    "--run-date",
    "2026-03-04T06Z",
    "--trees",
    "12",
    "--onnx",
  ]);
  assert.equal(trained.code, 0, trained.stderr);
  const folder = join(out, "2026", "03", "04", "06");
  const manifest = JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8")) as {
    artifacts: { name: string; sha256: string; size: number }[];
  };
  const listed = manifest.artifacts.find((artifact) => artifact.name === "model.onnx");
  assert.ok(listed, `manifest artifacts: ${manifest.artifacts.map((a) => a.name).join(", ")}`);
  const bytes = readFileSync(join(folder, "model.onnx"));
  assert.equal(listed.size, bytes.length);
  assert.equal(listed.sha256, createHash("sha256").update(bytes).digest("hex"));

  const predictions = join(dir, "predictions.csv");
  assert.equal((await canopy(["predict", "--model", `${folder}/`, "--data", sampleData(), "--out", predictions])).code, 0);
  const expected = readFileSync(predictions, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((row) => Number(row.split(",").pop()));
  assertClose(onnxPredictions(join(folder, "model.onnx")), expected);

  // Without the flag there is no ONNX file.
  assert.equal(
    (await canopy(["train", "--data", sampleData(), "--target", TARGET, "--out", out, "--run-date", "2026-03-04T07Z", "--trees", "5"]))
      .code,
    0,
  );
  assert.ok(!existsSync(join(out, "2026", "03", "04", "07", "model.onnx")));
});

test("canopy export refuses an unknown format and a missing model with a clear message, writing nothing", async () => {
  const dir = tempDir();
  const unknown = await canopy(["export", "--model", join(dir, "model.json"), "--format", "pmml", "--out", join(dir, "m.pmml")]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /--format must be one of json, onnx \(got "pmml"\)/);

  const missing = await canopy([
    "export",
    "--model",
    join(dir, "nowhere", "model.canopy"),
    "--format",
    "onnx",
    "--out",
    join(dir, "m.onnx"),
  ]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nowhere/);
  assert.ok(!existsSync(join(dir, "m.onnx")));
  assert.deepEqual(readdirSync(dir), []);
});
