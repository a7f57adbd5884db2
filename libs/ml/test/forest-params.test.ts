import assert from "node:assert/strict";
import { test } from "node:test";
import { bootstrapSize, featuresPerSplit, resolveForestParams } from "../src/forest/params.js";

test("defaults are scikit-learn's, maxFeatures depending on the task", () => {
  const regression = resolveForestParams({}, "regression");
  assert.deepEqual(regression, {
    nEstimators: 100,
    maxFeatures: 1,
    maxDepth: null,
    minSamplesSplit: 2,
    minSamplesLeaf: 1,
    bootstrap: true,
    maxSamples: null,
    seed: 0,
  });
  assert.equal(resolveForestParams({ maxFeatures: null }, "classification").maxFeatures, "sqrt");
  assert.equal(resolveForestParams(null, "classification").maxFeatures, "sqrt");
});

test("maxFeatures and maxSamples round as scikit-learn", () => {
  assert.equal(featuresPerSplit(1, 10), 10);
  assert.equal(featuresPerSplit(0.33, 10), 3);
  assert.equal(featuresPerSplit(0.01, 10), 1);
  assert.equal(featuresPerSplit(4, 10), 4);
  assert.equal(featuresPerSplit("sqrt", 30), 5);
  assert.equal(featuresPerSplit("log2", 30), 4);
  assert.equal(featuresPerSplit(null, 7), 7);
  assert.equal(bootstrapSize(null, 50), 50);
  assert.equal(bootstrapSize(0.5, 51), 26);
  assert.equal(bootstrapSize(20, 50), 20);
  assert.throws(() => bootstrapSize(60, 50), /maxSamples \(60\) is larger than the number of rows \(50\)/);
});

test("bad parameters are refused by name", () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ nEstimators: 0 }, /nEstimators/],
    [{ maxFeatures: 1.5 }, /maxFeatures as a fraction/],
    [{ maxFeatures: "half" }, /maxFeatures must be/],
    [{ maxDepth: 0 }, /maxDepth/],
    [{ minSamplesSplit: 1 }, /minSamplesSplit/],
    [{ minSamplesLeaf: 0.5 }, /minSamplesLeaf/],
    [{ bootstrap: "yes" }, /bootstrap/],
    [{ maxSamples: 1.5 }, /maxSamples/],
    [{ seed: -1 }, /seed/],
    [{ nTrees: 5 }, /unknown forest parameter "nTrees"/],
  ];
  for (const [params, message] of bad) assert.throws(() => resolveForestParams(params, "regression"), message);
});
