import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { repoRoot, venvBin } from "@canopy/testkit";
import type { Dataset, Task } from "../src/dataset.js";
import { trainForest } from "../src/forest/forest.js";
import { predict } from "../src/model/predict.js";
import { accuracy, rSquared } from "./forest-fixtures.js";

interface ParityCase {
  name: string;
  task: Task;
  featureNames: string[];
  columns: (number | null)[][];
  target: number[];
  classes: string[] | null;
  nEstimators: number;
  folds: { train: number[]; test: number[]; sklearn: number }[];
}

function sklearnCases(): ParityCase[] {
  const script = join(repoRoot(), "libs", "ml", "test", "python", "forest_parity.py");
  const result = spawnSync(venvBin("py", "python"), [script], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`forest_parity.py failed (${result.status}): ${result.stderr}`);
  return (JSON.parse(result.stdout) as { datasets: ParityCase[] }).datasets;
}

function rowsOf(c: ParityCase, rows: number[]): Dataset {
  const columns = c.columns.map((column) => Float64Array.from(rows, (r) => column[r] ?? NaN));
  return {
    featureNames: c.featureNames,
    columns,
    nRows: rows.length,
    task: c.task,
    targetName: "y",
    target: Float64Array.from(rows, (r) => c.target[r]),
    ...(c.classes === null ? {} : { classes: c.classes }),
  };
}

/** Canopy's and scikit-learn's mean score over the same folds (R² or accuracy). */
async function meanScores(c: ParityCase): Promise<{ canopy: number; sklearn: number }> {
  let canopy = 0;
  let sklearn = 0;
  for (const [i, fold] of c.folds.entries()) {
    const model = await trainForest(rowsOf(c, fold.train), { nEstimators: c.nEstimators, seed: i }, { threads: 2 });
    const test = rowsOf(c, fold.test);
    const predicted = predict(model, test);
    canopy += c.task === "regression" ? rSquared(test.target, predicted) : accuracy(test.target, predicted);
    sklearn += fold.sklearn;
  }
  return { canopy: canopy / c.folds.length, sklearn: sklearn / c.folds.length };
}

describe("parity with scikit-learn on the same folds", () => {
  let cases: Map<string, ParityCase>;
  before(() => {
    cases = new Map(sklearnCases().map((c) => [c.name, c]));
  });

  const regression: [string, string][] = [
    ["petrol", "petrol_consumption.csv, 5×2 CV, 200 trees"],
    ["diabetes", "diabetes, 5-fold"],
    ["friedman1", "Friedman #1, 1000 rows, 5-fold"],
    ["friedman1-missing", "Friedman #1 with 10% of cells blanked"],
  ];
  for (const [name, label] of regression) {
    test(`regression: ${label} — mean R² within 0.02 of scikit-learn's`, async () => {
      const c = cases.get(name);
      assert.ok(c, `no case ${name}`);
      const { canopy, sklearn } = await meanScores(c);
      assert.ok(Math.abs(canopy - sklearn) <= 0.02, `${name}: Canopy R² ${canopy.toFixed(4)}, scikit-learn ${sklearn.toFixed(4)}`);
    });
  }

  const classification: [string, string][] = [
    ["breast_cancer", "breast_cancer, 3×5 stratified CV"],
    ["wine", "wine, 3×5 stratified CV"],
    ["synthetic", "synthetic 3-class, 1000 rows, 5-fold"],
    ["synthetic-missing", "synthetic 3-class with 10% of cells blanked"],
  ];
  for (const [name, label] of classification) {
    test(`classification: ${label} — mean accuracy within 1.5 points of scikit-learn's`, async () => {
      const c = cases.get(name);
      assert.ok(c, `no case ${name}`);
      const { canopy, sklearn } = await meanScores(c);
      assert.ok(Math.abs(canopy - sklearn) <= 0.015, `${name}: Canopy accuracy ${canopy.toFixed(4)}, scikit-learn ${sklearn.toFixed(4)}`);
    });
  }

  test("a single unbootstrapped tree on petrol has scikit-learn's splits, thresholds and leaf values", async () => {
    const script = join(repoRoot(), "libs", "ml", "test", "python", "forest_parity.py");
    const result = spawnSync(venvBin("py", "python"), [script, "single-tree"], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    const reference = JSON.parse(result.stdout) as {
      nodes: { feature: number; threshold: number; left: number; right: number; value: number; samples: number }[];
    };
    const petrol = cases.get("petrol");
    assert.ok(petrol);
    const all = rowsOf(
      petrol,
      petrol.target.map((_, i) => i),
    );
    const model = await trainForest(all, { nEstimators: 1, bootstrap: false, maxFeatures: null, seed: 0 }, { threads: 1 });
    const tree = model.trees[0];
    assert.equal(tree.nodeCount, reference.nodes.length);
    // Nodes of at least 10 rows: in small nodes several features often split the rows equally
    // well, and which of the tied splits wins depends on the order features are drawn in.
    let compared = 0;
    const check = (node: number) => {
      const expected = reference.nodes[node];
      assert.ok(Math.abs(tree.value[node] - expected.value) < 1e-9, `node ${node} value`);
      if (expected.left === -1 || expected.samples < 10) return;
      compared++;
      assert.equal(tree.feature[node], expected.feature, `node ${node} feature`);
      // scikit-learn works on float32 copies of X, so thresholds agree to float32 precision.
      assert.ok(Math.abs(tree.threshold[node] - expected.threshold) <= 1e-6 * Math.abs(expected.threshold), `node ${node} threshold`);
      assert.equal(tree.left[node], expected.left);
      assert.equal(tree.right[node], expected.right);
      check(expected.left);
      check(expected.right);
    };
    check(0);
    assert.ok(compared >= 5, `only ${compared} splits compared`);
    // Fully grown without bootstrap, the tree reproduces every training target.
    assert.deepEqual(Array.from(predict(model, all)), Array.from(all.target));
  });
});
