/** Held-out regression quality, as sklearn.metrics computes each number. */
export interface RegressionMetrics {
  readonly task: "regression";
  readonly mae: number;
  readonly mse: number;
  readonly rmse: number;
  /** 1 − SSres/SStot; with a constant yTrue: 1 for a perfect fit, else 0 (sklearn's force_finite). */
  readonly r2: number;
}

/** MAE, MSE, RMSE and R² of predictions against true values. */
export function regressionMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionMetrics {
  const n = yTrue.length;
  if (yPred.length !== n) {
    throw new RangeError(`yTrue has ${n} values but yPred has ${yPred.length}`);
  }
  if (n === 0) throw new RangeError("no rows to evaluate");
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i];
  mean /= n;
  let absolute = 0;
  let squared = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const truth = yTrue[i];
    const error = truth - yPred[i];
    if (!Number.isFinite(error)) throw new RangeError(`row ${i}: yTrue ${truth} or yPred ${yPred[i]} is not a finite number`);
    absolute += Math.abs(error);
    squared += error * error;
    total += (truth - mean) * (truth - mean);
  }
  const mse = squared / n;
  const r2 = total === 0 ? (squared === 0 ? 1 : 0) : 1 - squared / total;
  return { task: "regression", mae: absolute / n, mse, rmse: Math.sqrt(mse), r2 };
}
