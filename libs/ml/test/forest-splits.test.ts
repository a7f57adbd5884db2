import assert from "node:assert/strict";
import { test } from "node:test";
import type { Dataset } from "../src/dataset.js";
import { trainForest } from "../src/forest/forest.js";
import { predict, predictProba } from "../src/model/predict.js";

function table(columns: number[][], target: number[], classes?: string[]): Dataset {
  return {
    featureNames: columns.map((_, f) => `f${f}`),
    columns: columns.map((c) => Float64Array.from(c)),
    nRows: target.length,
    task: classes ? "classification" : "regression",
    targetName: "y",
    target: Float64Array.from(target),
    ...(classes ? { classes } : {}),
  };
}

const stump = { nEstimators: 1, bootstrap: false, maxDepth: 1, maxFeatures: null, seed: 0 };

test("squared error: the exact best split, threshold at the midpoint of adjacent values", async () => {
  // Best cut is between 3 and 10 (means 1 and 5); scikit-learn puts the threshold at 6.5.
  const model = await trainForest(table([[1, 2, 3, 10, 11]], [1, 1, 1, 5, 5]), stump, { threads: 1 });
  const tree = model.trees[0];
  assert.equal(tree.nodeCount, 3);
  assert.equal(tree.feature[0], 0);
  assert.equal(tree.threshold[0], 6.5);
  assert.deepEqual(Array.from(tree.value), [13 / 5, 1, 5]);
  // Impurity (variance) of the root: mean 2.6, values 1,1,1,5,5.
  assert.ok(Math.abs(tree.impurity[0] - (3 * 1.6 ** 2 + 2 * 2.4 ** 2) / 5) < 1e-12);
  assert.deepEqual(Array.from(predict(model, [Float64Array.of(6.5, 6.6, -100)])), [1, 5, 1]);
});

test("squared error picks the feature that explains most of the variance", async () => {
  const model = await trainForest(
    table(
      [
        [1, 2, 3, 4, 5, 6],
        [0, 0, 0, 1, 1, 1],
      ],
      [0, 0, 0.5, 10, 10, 10.5],
    ),
    stump,
    { threads: 1 },
  );
  // Both features split {1,2,3} from {4,5,6}; the first one scanned wins a tie, either way the cut is the same.
  assert.deepEqual(
    Array.from(
      predict(model, {
        rows: [
          [2, 0],
          [5, 1],
        ],
      }),
    ),
    [0.5 / 3, 30.5 / 3],
  );
});

test("Gini: the best split separates the classes, leaves hold class probabilities", async () => {
  const model = await trainForest(table([[0, 1, 2, 3, 4, 5, 6, 7]], [0, 0, 0, 1, 1, 1, 1, 0], ["a", "b"]), stump, { threads: 1 });
  const tree = model.trees[0];
  // Candidates: x<=2.5 gives {aaa | bbbba}: weighted Gini 5/8·(1-(1/5)²-(4/5)²) = 0.2, the best.
  assert.equal(tree.threshold[0], 2.5);
  assert.deepEqual(Array.from(tree.value.slice(2, 6)), [1, 0, 0.2, 0.8]);
  assert.equal(tree.impurity[0], 0.5);
  assert.deepEqual(
    predictProba(model, [Float64Array.of(1, 5)]).map((p) => Array.from(p)),
    [
      [1, 0],
      [0.2, 0.8],
    ],
  );
});

test("minSamplesLeaf and maxDepth limit the tree", async () => {
  const data = table([[1, 2, 3, 4, 5, 6, 7, 8]], [1, 2, 3, 4, 5, 6, 7, 8]);
  const leafy = await trainForest(data, { nEstimators: 1, bootstrap: false, minSamplesLeaf: 3 }, { threads: 1 });
  const tree = leafy.trees[0];
  for (let node = 0; node < tree.nodeCount; node++) if (tree.feature[node] < 0) assert.ok(tree.weight[node] >= 3);
  const shallow = await trainForest(data, { nEstimators: 1, bootstrap: false, maxDepth: 2 }, { threads: 1 });
  assert.equal(shallow.trees[0].nodeCount, 7);
  const full = await trainForest(data, { nEstimators: 1, bootstrap: false }, { threads: 1 });
  assert.equal(full.trees[0].nodeCount, 15);
});

test("missing values: each split learns where they go", async () => {
  // Missing x rows have y = 100, like the large x rows: they must be sent right.
  const x = [1, 2, 3, 4, 5, 6, NaN, NaN];
  const y = [0, 0, 0, 100, 100, 100, 100, 100];
  const model = await trainForest(table([x], y), { nEstimators: 1, bootstrap: false, maxFeatures: null }, { threads: 1 });
  const tree = model.trees[0];
  assert.equal(tree.threshold[0], 3.5);
  assert.equal(tree.missingLeft[0], 0);
  assert.deepEqual(Array.from(predict(model, [Float64Array.of(NaN, 2, 9)])), [100, 0, 100]);
  // Mirrored: missing rows resemble the small x rows, so they go left.
  const mirrored = await trainForest(table([x], [0, 0, 0, 100, 100, 100, 0, 0]), { nEstimators: 1, bootstrap: false }, { threads: 1 });
  assert.equal(mirrored.trees[0].missingLeft[0], 1);
  assert.deepEqual(Array.from(predict(mirrored, [Float64Array.of(NaN)])), [0]);
});

test("missingness alone can be the split: every present value left, missing right", async () => {
  const model = await trainForest(table([[1, 1, 1, NaN, NaN]], [0, 0, 0, 9, 9]), { nEstimators: 1, bootstrap: false }, { threads: 1 });
  assert.equal(model.trees[0].threshold[0], Infinity);
  assert.deepEqual(Array.from(predict(model, [Float64Array.of(1, 1e300, NaN)])), [0, 0, 9]);
});

test("bad data is refused with the row named", async () => {
  await assert.rejects(trainForest(table([[1, 2]], [1, NaN]), {}, { threads: 1 }), /row 2/);
  await assert.rejects(trainForest(table([[1, 2]], [0, 3], ["a", "b"]), {}, { threads: 1 }), /row 2 is 3/);
  await assert.rejects(trainForest(table([[1]], [1]), { nEstimators: 2 }, { treeStart: 1, treeEnd: 3 }), /tree range/);
});
