import assert from "node:assert/strict";
import { test } from "node:test";
import type { Dataset } from "../src/dataset.js";
import { trainForest } from "../src/forest/forest.js";
import { featureImportances } from "../src/model/importances.js";
import { mergeForests } from "../src/model/merge.js";
import type { ForestModel } from "../src/model/model.js";
import { parseModel } from "../src/model/parse.js";
import { predict, predictLabels, predictProba } from "../src/model/predict.js";
import { serializeModel, serializeModelChunks } from "../src/model/serialize.js";
import { friedman1, rSquared, threeClasses } from "./forest-fixtures.js";

test("serialize → parse → serialize is the identity, and the parsed model predicts the same", async () => {
  const data = friedman1(400, 1, 0.1);
  const model = await trainForest(data, { nEstimators: 5, seed: 3 }, { threads: 1 });
  const text = serializeModel(model);
  const parsed = parseModel(text);
  assert.equal(serializeModel(parsed), text);
  // The streaming form is the same text: a header, one piece per tree, the closing bracket.
  const chunks = Array.from(serializeModelChunks(model));
  assert.equal(chunks.length, model.trees.length + 2);
  assert.equal(chunks.join(""), text);
  assert.deepEqual(predict(parsed, data), predict(model, data));
  const header = JSON.parse(text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(header), [
    "format",
    "task",
    "targetName",
    "featureNames",
    "classes",
    "params",
    "treeStart",
    "treeEnd",
    "trees",
  ]);
  assert.equal(header.format, "canopy.forest/1");
});

test("classification: probabilities average the trees, labels are the argmax, rows and named columns work", async () => {
  const data = threeClasses(600, 2);
  const model = await trainForest(data, { nEstimators: 20, seed: 1 }, { threads: 1 });
  const probabilities = predictProba(model, data);
  for (const p of probabilities) assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  const labels = predictLabels(model, data);
  assert.equal(labels[0], model.classes?.[predict(model, data)[0]]);
  // Rows, and columns given by name in another order, predict the same.
  const rows = Array.from({ length: data.nRows }, (_, r) => data.columns.map((c) => c[r]));
  assert.deepEqual(predict(model, { rows }), predict(model, data));
  const reversedNames = [...data.featureNames].reverse();
  const reversedColumns = [...data.columns].reverse();
  assert.deepEqual(predict(model, { columns: reversedColumns, featureNames: reversedNames }), predict(model, data));
  assert.throws(() => predict(model, { columns: data.columns.slice(1), featureNames: data.featureNames.slice(1) }), /no column "x0"/);
  assert.throws(() => predict(model, { rows: [[1, 2]] }), /row 1 has 2 values, expected 10/);
});

test("histogram and exact paths choose the same splits (exact sums: integer targets)", async () => {
  const base = friedman1(3000, 5, 0.05);
  const data: Dataset = { ...base, target: base.target.map((y) => Math.round(y)) };
  const params = { nEstimators: 3, seed: 9 };
  const histogramsDown = await trainForest(data, params, { threads: 1, exactNodeSize: 2 });
  const exactFromRoot = await trainForest(data, params, { threads: 1, exactNodeSize: 65536 });
  assert.equal(serializeModel(histogramsDown), serializeModel(exactFromRoot));
});

test("feature importances: hand-computed on a one-split tree, and the informative features lead on Friedman #1", async () => {
  const stump: ForestModel = parseModel(
    JSON.stringify({
      format: "canopy.forest/1",
      task: "regression",
      targetName: "y",
      featureNames: ["a", "b", "c"],
      classes: null,
      params: { nEstimators: 2 },
      treeStart: 0,
      treeEnd: 2,
      trees: [
        // Root on b: 10·4 − 6·1 − 4·0.5 = 32; child on c: 6·1 − 3·0 − 3·0 = 6 → b 32/38, c 6/38.
        {
          nodeCount: 5,
          feature: [1, 2, -1, -1, -1],
          threshold: [0, 0, 0, 0, 0],
          missingLeft: [0, 0, 0, 0, 0],
          left: [1, 3, -1, -1, -1],
          right: [2, 4, -1, -1, -1],
          value: [0, 0, 0, 0, 0],
          weight: [10, 6, 4, 3, 3],
          impurity: [4, 1, 0.5, 0, 0],
        },
        // A single leaf: left out of the average, as scikit-learn.
        { nodeCount: 1, feature: [-1], threshold: [0], missingLeft: [0], left: [-1], right: [-1], value: [1], weight: [10], impurity: [4] },
      ],
    }),
  );
  const importances = Array.from(featureImportances(stump));
  assert.deepEqual(
    importances.map((v) => Math.round(v * 1e12) / 1e12),
    [0, Math.round((32 / 38) * 1e12) / 1e12, Math.round((6 / 38) * 1e12) / 1e12],
  );

  const data = friedman1(1000, 7);
  const model = await trainForest(data, { nEstimators: 30, seed: 2 }, { threads: 2 });
  const friedman = Array.from(featureImportances(model));
  assert.ok(Math.abs(friedman.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  const informative = Math.min(...friedman.slice(0, 5).filter((_, f) => f !== 2));
  assert.ok(informative > Math.max(...friedman.slice(5)), `importances ${friedman.map((v) => v.toFixed(3))}`);
  assert.ok(rSquared(data.target, predict(model, data)) > 0.9);
});

test("parseModel rejects damaged models with a message saying what is wrong", async () => {
  const model = await trainForest(friedman1(100, 1), { nEstimators: 2 }, { threads: 1 });
  const good = JSON.parse(serializeModel(model)) as Record<string, unknown> & { trees: Record<string, unknown>[] };
  const broken = (change: (m: typeof good) => void) => {
    const copy = structuredClone(good);
    change(copy);
    return JSON.stringify(copy);
  };
  assert.throws(() => parseModel("{"), /not valid JSON/);
  assert.throws(() => parseModel(broken((m) => (m.format = "canopy.forest/9"))), /format is "canopy.forest\/9"/);
  assert.throws(() => parseModel(broken((m) => (m.task = "ranking"))), /task must be/);
  assert.throws(() => parseModel(broken((m) => (m.featureNames = ["x0", "x0"]))), /featureNames has duplicates/);
  assert.throws(() => parseModel(broken((m) => (m.params = { nEstimators: 0 }))), /params: nEstimators/);
  assert.throws(() => parseModel(broken((m) => m.trees.pop())), /must hold 2 trees/);
  assert.throws(() => parseModel(broken((m) => ((m.trees[1].feature as number[])[0] = 99))), /tree 1, node 0: feature 99/);
  assert.throws(() => parseModel(broken((m) => ((m.trees[0].left as number[])[0] = 0))), /tree 0, node 0: child 0/);
  assert.throws(() => parseModel(broken((m) => ((m.trees[0].value as unknown[])[3] = "x"))), /tree 0: value\[3\] is "x"/);
});

test("mergeForests refuses shards that do not fit together", async () => {
  const data = friedman1(150, 1);
  const params = { nEstimators: 6, seed: 1 };
  const shard = (treeStart: number, treeEnd: number, extra = {}) =>
    trainForest(data, { ...params, ...extra }, { treeStart, treeEnd, threads: 1 });
  const [a, b, c] = await Promise.all([shard(0, 2), shard(2, 4), shard(4, 6)]);
  assert.equal(mergeForests([c, a, b]).trees.length, 6);
  assert.throws(() => mergeForests([]), /at least one shard/);
  assert.throws(() => mergeForests([a, c]), /trees \[2, 4\) are missing/);
  const overlapping = await shard(1, 3);
  const different = await shard(2, 4, { maxDepth: 3 });
  assert.throws(() => mergeForests([a, overlapping]), /overlaps shard \[0, 2\)/);
  assert.throws(() => mergeForests([a, different]), /trained differently/);
  const renamed: ForestModel = { ...b, featureNames: b.featureNames.map((n) => `${n}!`) };
  assert.throws(() => mergeForests([a, renamed]), /has features/);
});
