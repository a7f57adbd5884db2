/** Held-out classification quality, as sklearn.metrics computes each number. */
export interface ClassificationMetrics {
  readonly task: "classification";
  /** Share of rows whose most probable class is the true one. */
  readonly accuracy: number;
  /** Mean −ln p(true class), p clipped to [ε, 1−ε] with ε = 2⁻⁵² as sklearn.metrics.log_loss. */
  readonly logLoss: number;
  /** Unweighted mean of per-class F1 over the classes present in yTrue or the predictions (sklearn's f1_score(average="macro")); 0 where undefined. */
  readonly macroF1: number;
  /** The class labels, in the order of the matrix rows and columns. */
  readonly classes: readonly string[];
  /** confusionMatrix[true][predicted], counts; rows and columns in `classes` order. */
  readonly confusionMatrix: number[][];
}

/** Probabilities per row: a row-major Float64Array of n × classes, or one array per row. */
export type ClassProbabilities = Float64Array | readonly ArrayLike<number>[];

/**
 * Accuracy, log-loss, macro-F1 and the confusion matrix. `yTrue` holds class indices into
 * `classes` (as Dataset.target); the predicted class of a row is its most probable class, the
 * first one on ties (numpy's argmax, as scikit-learn's predict).
 */
export function classificationMetrics(
  yTrue: ArrayLike<number>,
  proba: ClassProbabilities,
  classes: readonly string[],
): ClassificationMetrics {
  const n = yTrue.length;
  const k = classes.length;
  if (k < 2) throw new RangeError(`classification needs at least 2 classes, got ${k}`);
  if (n === 0) throw new RangeError("no rows to evaluate");
  const rowOf = probabilityRows(proba, n, k);
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const epsilon = Number.EPSILON;
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const truth = yTrue[i];
    if (!(Number.isInteger(truth) && truth >= 0 && truth < k)) {
      throw new RangeError(`row ${i}: true class ${truth} is not a class index in [0, ${k})`);
    }
    const offset = rowOf(i);
    const p = offset.values;
    let predicted = 0;
    for (let c = 1; c < k; c++) if (p[offset.start + c] > p[offset.start + predicted]) predicted = c;
    confusion[truth][predicted]++;
    if (predicted === truth) correct++;
    const pTrue = p[offset.start + truth];
    if (!(pTrue >= 0 && pTrue <= 1)) throw new RangeError(`row ${i}: probability ${pTrue} is outside [0, 1]`);
    loss -= Math.log(Math.min(Math.max(pTrue, epsilon), 1 - epsilon));
  }
  return {
    task: "classification",
    accuracy: correct / n,
    logLoss: loss / n,
    macroF1: macroF1(confusion),
    classes: [...classes],
    confusionMatrix: confusion,
  };
}

function macroF1(confusion: number[][]): number {
  const k = confusion.length;
  let sum = 0;
  let present = 0;
  for (let c = 0; c < k; c++) {
    const truePositives = confusion[c][c];
    let actual = 0;
    let predicted = 0;
    for (let other = 0; other < k; other++) {
      actual += confusion[c][other];
      predicted += confusion[other][c];
    }
    if (actual === 0 && predicted === 0) continue; // sklearn leaves out labels absent from both
    present++;
    // F1 = 2TP / (2TP + FP + FN); 0 when there are no true positives.
    sum += (2 * truePositives) / (actual + predicted);
  }
  return sum / present;
}

function probabilityRows(proba: ClassProbabilities, n: number, k: number): (row: number) => { values: ArrayLike<number>; start: number } {
  if (proba instanceof Float64Array) {
    if (proba.length !== n * k) {
      throw new RangeError(`expected ${n} rows × ${k} classes = ${n * k} probabilities, got ${proba.length}`);
    }
    return (row) => ({ values: proba, start: row * k });
  }
  if (proba.length !== n) throw new RangeError(`yTrue has ${n} rows but proba has ${proba.length}`);
  return (row) => {
    const values = proba[row];
    if (values.length !== k) throw new RangeError(`row ${row}: expected ${k} class probabilities, got ${values.length}`);
    return { values, start: 0 };
  };
}
