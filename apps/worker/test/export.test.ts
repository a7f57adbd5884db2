import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
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
  assert.equal((await canopy(["train", "--data", sampleData(), "--target", TARGET, "--out", out, "--run-date", "2026-03-04T05Z", "--trees", "15"])).code, 0);
  const folder = `${out}/2026/03/04/05/`;
  const onnxPath = join(dir, "exported", "model.onnx");
  const result = await canopy(["export", "--model", folder, "--format", "onnx", "--out", onnxPath]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /ONNX TreeEnsemble of 15 trees/);

  const predictions = join(dir, "predictions.csv");
  assert.equal((await canopy(["predict", "--model", folder, "--data", sampleData(), "--out", predictions])).code, 0);
  const expected = readFileSync(predictions, "utf8").trim().split("\n").slice(1).map((row) => Number(row.split(",").pop()));
  const actual = JSON.parse(execFileSync(venvBin("onnx", "python"), ["-c", RUN_ONNX, onnxPath, sampleData()], { encoding: "utf8" })) as number[];
  assert.equal(actual.length, 48);
  actual.forEach((value, row) => assert.ok(Math.abs(value - expected[row]) <= 1e-12 * Math.abs(expected[row]), `row ${row + 1}: ${value} vs ${expected[row]}`));
});

test("canopy export refuses an unknown format and a missing model with a clear message, writing nothing", async () => {
  const dir = tempDir();
  const unknown = await canopy(["export", "--model", join(dir, "model.json"), "--format", "pmml", "--out", join(dir, "m.pmml")]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /--format pmml is not one of: onnx/);

  const missing = await canopy(["export", "--model", join(dir, "nowhere", "model.canopy"), "--format", "onnx", "--out", join(dir, "m.onnx")]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nowhere/);
  assert.ok(!existsSync(join(dir, "m.onnx")));
  assert.deepEqual(readdirSync(dir), []);
});
