import assert from "node:assert/strict";
import { test } from "node:test";
import { kFold, repeatedKFold, subset, testRowCount, trainTestSplit, type Dataset, type RowSplit } from "../src/index.js";

function classificationData(classSizes: number[]): Dataset {
  const target: number[] = [];
  classSizes.forEach((size, c) => {
    for (let i = 0; i < size; i++) target.push(c);
  });
  // Interleave so class rows are not contiguous in the file.
  const order = target.map((_, i) => i).sort((a, b) => ((a * 7919) % target.length) - ((b * 7919) % target.length));
  const shuffled = order.map((i) => target[i]);
  return {
    featureNames: ["row"],
    columns: [Float64Array.from(shuffled, (_, i) => i)],
    nRows: shuffled.length,
    task: "classification",
    targetName: "y",
    target: Float64Array.from(shuffled),
    classes: classSizes.map((_, c) => `c${c}`),
  };
}

function assertPartition(split: RowSplit, nRows: number): void {
  const seen = new Uint8Array(nRows);
  for (const row of [...split.train, ...split.test]) {
    assert.equal(seen[row], 0, `row ${row} appears twice`);
    seen[row] = 1;
  }
  assert.equal(
    seen.reduce((a, b) => a + b, 0),
    nRows,
    "every row is used",
  );
  for (const part of [split.train, split.test]) {
    for (let i = 1; i < part.length; i++) assert.ok(part[i - 1] < part[i], "indices are sorted ascending");
  }
}

test("test sizes follow scikit-learn: ceil(fraction × rows), or a row count", () => {
  assert.equal(testRowCount(48), 10); // ceil(9.6)
  assert.equal(testRowCount(100, 0.25), 25);
  assert.equal(testRowCount(10, 0.01), 1);
  assert.equal(testRowCount(48, 5), 5);
  assert.throws(() => testRowCount(10, 0), /testSize must be a fraction in \(0, 1\) or a row count ≥ 1, got 0/);
  assert.throws(() => testRowCount(10, 1.5), /neither a fraction/);
  assert.throws(() => testRowCount(10, 10), /leaves no training rows out of 10/);
  assert.throws(() => testRowCount(3, 0.9), /leaves no training rows/);
});

test("a train/test split is a partition of the right sizes, fixed by its seed", () => {
  const a = trainTestSplit(1000, { seed: 7 });
  assertPartition(a, 1000);
  assert.equal(a.test.length, 200);
  assert.equal(a.train.length, 800);
  assert.deepEqual(trainTestSplit(1000, { seed: 7 }), a, "same seed, same split");
  assert.notDeepEqual(trainTestSplit(1000, { seed: 8 }).test, a.test, "another seed, another split");
  const counted = trainTestSplit(1000, { seed: 7, testSize: 37 });
  assert.equal(counted.test.length, 37);
  assertPartition(counted, 1000);
  // The test rows are spread over the table, not a block.
  assert.ok(a.test[0] < 100 && a.test[a.test.length - 1] > 900);
});

test("a stratified split keeps each class's share and leaves every class in training", () => {
  const data = classificationData([500, 300, 150, 50]);
  const split = trainTestSplit(data, { seed: 3, testSize: 0.2, stratify: true });
  assertPartition(split, data.nRows);
  assert.equal(split.test.length, 200);
  const testCounts = [0, 0, 0, 0];
  for (const row of split.test) testCounts[data.target[row]]++;
  assert.deepEqual(testCounts, [100, 60, 30, 10]);
  assert.deepEqual(trainTestSplit(data, { seed: 3, testSize: 0.2, stratify: true }), split);

  // Quotas that don't divide evenly still sum to the test size; a 2-row class keeps one for training.
  const uneven = classificationData([7, 5, 2]);
  const small = trainTestSplit(uneven, { seed: 1, testSize: 0.5, stratify: true });
  assertPartition(small, uneven.nRows);
  assert.equal(small.test.length, 7);
  const trainCounts = [0, 0, 0];
  for (const row of small.train) trainCounts[uneven.target[row]]++;
  assert.ok(
    trainCounts.every((count) => count >= 1),
    `train counts ${trainCounts}`,
  );
});

test("stratification needs class labels and two rows per class", () => {
  assert.throws(() => trainTestSplit(10, { stratify: true }), /needs a classification dataset/);
  assert.throws(() => trainTestSplit(classificationData([5, 1]), { stratify: true }), /at least 2 rows of each class; class "c1" has 1/);
});

test("k-fold puts every row in exactly one test fold, with scikit-learn's fold sizes", () => {
  const n = 103;
  const folds = kFold(n, { k: 5, seed: 4 });
  assert.equal(folds.length, 5);
  assert.deepEqual(
    folds.map((f) => f.test.length),
    [21, 21, 21, 20, 20],
  );
  const timesTested = new Uint8Array(n);
  for (const fold of folds) {
    assertPartition(fold, n);
    for (const row of fold.test) timesTested[row]++;
  }
  assert.ok(timesTested.every((count) => count === 1));
  assert.deepEqual(kFold(n, { k: 5, seed: 4 }), folds);
  assert.notDeepEqual(kFold(n, { k: 5, seed: 5 })[0].test, folds[0].test);
  assert.throws(() => kFold(4, { k: 5 }), /cannot make 5 folds of 4 rows/);
  assert.throws(() => kFold(10, { k: 1 }), /k must be a whole number ≥ 2/);
});

test("stratified k-fold balances classes across folds and still covers each row once", () => {
  const data = classificationData([40, 25, 10]);
  const folds = kFold(data, { k: 5, seed: 2, stratify: true });
  const timesTested = new Uint8Array(data.nRows);
  for (const fold of folds) {
    assertPartition(fold, data.nRows);
    const counts = [0, 0, 0];
    for (const row of fold.test) {
      counts[data.target[row]]++;
      timesTested[row]++;
    }
    assert.deepEqual(counts, [8, 5, 2]);
  }
  assert.ok(timesTested.every((count) => count === 1));
});

test("repeated k-fold: each repeat is a full k-fold, repeat 0 equals kFold, repeats differ", () => {
  const n = 48;
  const folds = repeatedKFold(n, { k: 2, repeats: 5, seed: 0 });
  assert.equal(folds.length, 10);
  assert.deepEqual(folds.slice(0, 2), kFold(n, { k: 2, seed: 0 }));
  for (let r = 0; r < 5; r++) {
    const timesTested = new Uint8Array(n);
    for (const fold of folds.slice(2 * r, 2 * r + 2)) {
      assertPartition(fold, n);
      for (const row of fold.test) timesTested[row]++;
    }
    assert.ok(
      timesTested.every((count) => count === 1),
      `repeat ${r}`,
    );
  }
  assert.notDeepEqual(folds[0].test, folds[2].test);
  assert.deepEqual(repeatedKFold(n, { k: 2, repeats: 5, seed: 0 }), folds);
});

test("subset gathers rows of every column and the target, keeping names and classes", () => {
  const data = classificationData([3, 3]);
  const part = subset(data, Uint32Array.from([4, 0, 2]));
  assert.equal(part.nRows, 3);
  assert.deepEqual(Array.from(part.columns[0]), [4, 0, 2]);
  assert.deepEqual(Array.from(part.target), [data.target[4], data.target[0], data.target[2]]);
  assert.equal(part.classes, data.classes);
  assert.equal(part.featureNames, data.featureNames);
  assert.throws(() => subset(data, [0, 6]), /row index 6 is outside the dataset's 6 rows/);
});
