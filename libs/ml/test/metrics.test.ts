import assert from "node:assert/strict";
import { test } from "node:test";
import { classificationMetrics, regressionMetrics } from "../src/index.js";
import { Random } from "../src/random.js";
import { pythonReference } from "./python-reference.js";

interface SklearnRegression {
  mae: number;
  mse: number;
  rmse: number;
  r2: number;
}
interface SklearnClassification {
  accuracy: number;
  logLoss: number;
  macroF1: number;
  confusionMatrix: number[][];
}

function assertClose(actual: number, expected: number, what: string): void {
  const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: canopy ${actual}, scikit-learn ${expected}`);
}

function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random.nextFloat())) * Math.cos(2 * Math.PI * random.nextFloat());
}

test("regression metrics on tiny hand-computable cases", () => {
  const m = regressionMetrics([1, 2, 3, 4], [2, 2, 3, 2]);
  // errors -1, 0, 0, 2: MAE 3/4, MSE 5/4; SStot = 2.25+0.25+0.25+2.25 = 5, R² = 1 - 5/5 = 0.
  assert.deepEqual(m, { task: "regression", mae: 0.75, mse: 1.25, rmse: Math.sqrt(1.25), r2: 0 });
  assert.equal(regressionMetrics([3, 3], [3, 3]).r2, 1, "constant truth, perfect fit");
  assert.equal(regressionMetrics([3, 3], [2, 3]).r2, 0, "constant truth, imperfect fit (sklearn force_finite)");
});

test("regression metrics equal scikit-learn's on random inputs", () => {
  const cases = [1, 2, 3].map((seed) => {
    const random = new Random(seed);
    const n = 50 + random.nextInt(500);
    const yTrue = Array.from({ length: n }, () => 100 * normal(random) + 20);
    // Predictions correlated with the truth, sometimes badly (negative R²).
    const noise = seed === 3 ? 300 : 40;
    const yPred = yTrue.map((y) => y + noise * normal(random));
    return { seed, yTrue, yPred };
  });
  const answers = pythonReference<SklearnRegression>(cases.map(({ yTrue, yPred }) => ({ kind: "regression", yTrue, yPred })));
  for (const [i, { seed, yTrue, yPred }] of cases.entries()) {
    const ours = regressionMetrics(Float64Array.from(yTrue), Float64Array.from(yPred));
    const theirs = answers[i];
    for (const key of ["mae", "mse", "rmse", "r2"] as const) assertClose(ours[key], theirs[key], `seed ${seed} ${key}`);
  }
});

test("regression metrics reject mismatched or non-finite input", () => {
  assert.throws(() => regressionMetrics([1, 2], [1]), /2 values but yPred has 1/);
  assert.throws(() => regressionMetrics([1, NaN], [1, 2]), /row 1/);
  assert.throws(() => regressionMetrics([], []), /no rows/);
});

test("classification metrics on a tiny hand-computable case", () => {
  const classes = ["a", "b", "c"];
  const yTrue = [0, 0, 1, 2];
  const proba = [
    [0.7, 0.2, 0.1], // a, right
    [0.2, 0.5, 0.3], // b, wrong
    [0.1, 0.8, 0.1], // b, right
    [0.5, 0.5, 0.0], // tie between a and b → a (first), wrong; p(true) = 0 → clipped
  ];
  const m = classificationMetrics(yTrue, proba, classes);
  assert.equal(m.accuracy, 0.5);
  assert.deepEqual(m.confusionMatrix, [
    [1, 1, 0],
    [0, 1, 0],
    [1, 0, 0],
  ]);
  // F1: a = 2·1/(2+2) = 0.5, b = 2·1/(1+2) = 2/3, c = 0 → mean 7/18.
  assertClose(m.macroF1, 7 / 18, "macroF1");
  const expectedLoss = -(Math.log(0.7) + Math.log(0.2) + Math.log(0.8) + Math.log(Number.EPSILON)) / 4;
  assertClose(m.logLoss, expectedLoss, "logLoss");
  assert.deepEqual(m.classes, classes);
  // A flat row-major Float64Array gives the same answer.
  assert.deepEqual(classificationMetrics(Float64Array.from(yTrue), Float64Array.from(proba.flat()), classes), m);
});

test("classification metrics equal scikit-learn's on random inputs", () => {
  const cases = [
    [1, 2],
    [2, 3],
    [3, 5],
    [4, 4],
  ].map(([seed, k]) => {
    const random = new Random(seed);
    const n = 30 + random.nextInt(300);
    // seed 4: class 3 never occurs in the truth nor wins a prediction (sklearn leaves it out of macro-F1).
    const present = seed === 4 ? k - 1 : k;
    const yTrue = Array.from({ length: n }, () => random.nextInt(present));
    const proba = yTrue.map((truth) => {
      const scores = Array.from({ length: k }, (_, c) => (c === present ? 0 : random.nextFloat() + (c === truth ? 0.4 : 0)));
      if (random.nextInt(10) === 0) scores[truth] = 0; // some certain-and-wrong rows exercise the clipping
      if (random.nextInt(10) === 0) scores.fill(1 / k); // ties
      const sum = scores.reduce((a, b) => a + b, 0) || 1;
      return scores.map((s) => s / sum);
    });
    return { seed, k, yTrue, proba };
  });
  const answers = pythonReference<SklearnClassification>(cases.map(({ yTrue, proba }) => ({ kind: "classification", yTrue, proba })));
  for (const [i, { seed, k, yTrue, proba }] of cases.entries()) {
    const labels = Array.from({ length: k }, (_, c) => `class ${c}`);
    const ours = classificationMetrics(yTrue, proba, labels);
    const theirs = answers[i];
    assertClose(ours.accuracy, theirs.accuracy, `seed ${seed} accuracy`);
    assertClose(ours.logLoss, theirs.logLoss, `seed ${seed} logLoss`);
    assertClose(ours.macroF1, theirs.macroF1, `seed ${seed} macroF1`);
    assert.deepEqual(ours.confusionMatrix, theirs.confusionMatrix, `seed ${seed} confusion matrix`);
  }
});

test("classification metrics reject bad input with the row", () => {
  assert.throws(
    () =>
      classificationMetrics(
        [0, 2],
        [
          [1, 0],
          [0, 1],
        ],
        ["a", "b"],
      ),
    /row 1: true class 2/,
  );
  assert.throws(() => classificationMetrics([0], [[0.5, 0.5, 0]], ["a", "b"]), /row 0: expected 2 class probabilities/);
  assert.throws(() => classificationMetrics([0, 1], new Float64Array(3), ["a", "b"]), /2 rows × 2 classes/);
  assert.throws(() => classificationMetrics([0], [[1.5, -0.5]], ["a", "b"]), /outside \[0, 1\]/);
});

test("metrics are plain JSON", () => {
  const m = classificationMetrics(
    [0, 1],
    [
      [0.9, 0.1],
      [0.3, 0.7],
    ],
    ["no", "yes"],
  );
  assert.deepEqual(JSON.parse(JSON.stringify(m)), m);
  const r = regressionMetrics([1, 2, 3], [1, 2, 4]);
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
});
