import assert from "node:assert/strict";
import { test } from "node:test";
import { predict, predictLabels, predictProba, type ForestModel } from "@canopy/ml";
import { forestToOnnx } from "../src/index.js";
import { classificationData, cornerCaseForest, features, maxRelativeGap, regressionData, runInPython, train } from "./fixtures.js";
import { labelsAgree } from "./labels.js";

// onnx.checker (full check, with shape inference) and onnxruntime in Python against Canopy's own predict.

function regressionParity(model: ForestModel, columns: Float64Array[]): void {
  const run = runInPython(forestToOnnx(model), columns);
  assert.deepEqual(run.inputs, [{ name: "X", elemType: "DOUBLE", dims: ["N", model.featureNames.length] }]);
  assert.deepEqual(run.outputs, [{ name: "prediction", elemType: "DOUBLE", dims: ["N"] }]);
  assert.deepEqual(JSON.parse(run.metadata.feature_names), model.featureNames);
  const gap = maxRelativeGap(predict(model, columns), run.values.prediction as number[]);
  assert.ok(gap <= 1e-12, `largest relative gap ${gap}`);
}

test("regression with missing values: onnxruntime (Python) predicts Canopy's numbers", async () => {
  const model = await train(regressionData(800, 11, 0.15), 25);
  regressionParity(model, features(400, 12, 0.2));
});

test("hand-written corner cases (a one-leaf tree, a split at +Infinity, missing either way) predict alike", () => {
  const model = cornerCaseForest();
  const a = Float64Array.of(0, 0.25, 0.2500000000000001, 1e300, -Infinity, Infinity, NaN, 0.3, NaN);
  const b = Float64Array.of(0.5, 0.4999999999999999, NaN, NaN, 0.7, 0.5, 0.1, 0.50000000000001, NaN);
  regressionParity(model, [a, b]);
});

test("classification with missing values: probabilities to 1e-12 and the same labels", async () => {
  const model = await train(classificationData(800, 21, 0.15), 25);
  const columns = features(400, 22, 0.2);
  const run = runInPython(forestToOnnx(model), columns);
  assert.deepEqual(
    run.outputs.map((o) => [o.name, o.elemType, o.dims]),
    [
      ["label", "STRING", ["N"]],
      ["probabilities", "DOUBLE", ["N", 3]],
    ],
  );
  assert.deepEqual(JSON.parse(run.metadata.classes), ["low", "mid", "high"]);
  const expected = predictProba(model, columns);
  const probabilities = run.values.probabilities as number[][];
  const gap = maxRelativeGap(Float64Array.from(expected.flatMap((row) => [...row])), probabilities.flat());
  assert.ok(gap <= 1e-12, `largest relative gap ${gap}`);
  labelsAgree(model, predictLabels(model, columns), expected, run.values.label as string[]);
  // The check is not vacuous: the forest predicts more than one class here.
  assert.ok(new Set(predict(model, columns)).size > 1);
});
