/**
 * One grown tree as flat arrays (node 0 is the root, nodes in depth-first pre-order). A leaf has
 * feature -1. Rows go left when x <= threshold; a missing x goes left when missingLeft is 1.
 * value holds `valueWidth` numbers per node: the mean target (regression) or class probabilities.
 * weight (weighted rows) and impurity per node give scikit-learn's feature importances.
 */
export interface TreeArrays {
  readonly nodeCount: number;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly missingLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  readonly weight: Float64Array;
  readonly impurity: Float64Array;
}
