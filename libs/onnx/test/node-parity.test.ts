import assert from "node:assert/strict";
import { test } from "node:test";
import { InferenceSession, Tensor } from "onnxruntime-node";
import { encodeBinaryModel, predict, predictForest, predictForestProba, predictLabels, predictProba, readForest } from "@canopy/ml";
import { forestToOnnx } from "../src/index.js";
import { classificationData, cornerCaseForest, features, maxRelativeGap, regressionData, rowMajor, train } from "./fixtures.js";
import { labelsAgree } from "./labels.js";

// onnxruntime-node (the CPU library shipped inside the npm package) against Canopy's own predict.

async function run(onnx: Uint8Array, columns: Float64Array[]): Promise<InferenceSession.OnnxValueMapType> {
  const session = await InferenceSession.create(onnx);
  try {
    return await session.run({ X: new Tensor("float64", rowMajor(columns), [columns[0].length, columns.length]) });
  } finally {
    await session.release();
  }
}

test("regression with missing values and the hand-written corner cases: onnxruntime-node predicts Canopy's numbers", async () => {
  const model = await train(regressionData(800, 31, 0.15), 25);
  const columns = features(400, 32, 0.2);
  const outputs = await run(forestToOnnx(model), columns);
  assert.deepEqual(outputs.prediction.dims, [400]);
  assert.ok(maxRelativeGap(predict(model, columns), outputs.prediction.data as Float64Array) <= 1e-12);

  const corners = cornerCaseForest();
  const cornerColumns = [Float64Array.of(0, 0.25, Infinity, NaN, NaN), Float64Array.of(0.5, NaN, 0.1, 0.9, NaN)];
  const cornerOutputs = await run(forestToOnnx(corners), cornerColumns);
  assert.ok(maxRelativeGap(predict(corners, cornerColumns), cornerOutputs.prediction.data as Float64Array) <= 1e-12);
});

test("a classification model read back from canopy.forest/2 bytes exports to what predictForest computes", async () => {
  const model = await train(classificationData(500, 51, 0.1), 12);
  const forest = await readForest(
    (async function* () {
      yield* encodeBinaryModel(model);
    })(),
    "model.canopy",
  );
  assert.equal(forest.storedAs, "canopy.forest/2");
  // The same forest gives the same file, whichever form it was read from.
  assert.deepEqual(forestToOnnx(forest), forestToOnnx(model));
  const columns = features(300, 52, 0.25);
  const outputs = await run(forestToOnnx(forest), columns);
  assert.ok(maxRelativeGap(predictForestProba(forest, columns), outputs.probabilities.data as Float64Array) <= 1e-12);
  const classes = model.classes ?? [];
  const labels = Array.from(predictForest(forest, columns), (k) => classes[k]);
  labelsAgree(model, labels, predictProba(model, columns), outputs.label.data as string[]);
});

test("classification with missing values: onnxruntime-node gives Canopy's probabilities and labels", async () => {
  const model = await train(classificationData(800, 41, 0.15), 25);
  const columns = features(400, 42, 0.2);
  const outputs = await run(forestToOnnx(model), columns);
  const expected = predictProba(model, columns);
  assert.deepEqual(outputs.probabilities.dims, [400, 3]);
  const gap = maxRelativeGap(Float64Array.from(expected.flatMap((row) => [...row])), outputs.probabilities.data as Float64Array);
  assert.ok(gap <= 1e-12, `largest relative gap ${gap}`);
  labelsAgree(model, predictLabels(model, columns), expected, outputs.label.data as string[]);
});
