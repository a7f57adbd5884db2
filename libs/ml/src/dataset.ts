/** What a forest learns: a number (regression) or one of a set of labels (classification). */
export type Task = "regression" | "classification";

/**
 * A table in columnar form, ready for training. Produced by the CSV loader, consumed by the
 * engine, the metrics and the model format.
 */
export interface Dataset {
  readonly featureNames: readonly string[];
  /** One Float64Array per feature, each of length nRows; NaN marks a missing value. */
  readonly columns: readonly Float64Array[];
  readonly nRows: number;
  readonly task: Task;
  readonly targetName: string;
  /** Regression: the target values. Classification: the class index (0 … classes.length-1). */
  readonly target: Float64Array;
  /**
   * Classification only: the class labels, index i ↔ label classes[i], in scikit-learn's order:
   * numerically when every label is a number (labels then read `String(number)`: "2" before "10"),
   * otherwise as strings by code point (see data/class-labels.ts).
   */
  readonly classes?: readonly string[];
}
