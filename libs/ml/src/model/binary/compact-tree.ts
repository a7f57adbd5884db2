/**
 * One tree as canopy.forest/2 stores it and the predictor walks it (docs/model-format.md, "TREE"): nodes in
 * depth-first pre-order, so an interior node's left child is the next node; `right` is −1 at a leaf.
 */
export interface CompactTree {
  readonly treeIndex: number;
  readonly nodeCount: number;
  readonly leafCount: number;
  /** A tree that is one leaf takes no part in the forest's importances. */
  readonly singleLeaf: boolean;
  /** Interior: the threshold (left when x ≤ it). Leaf: the value (regression) or the leaf's ordinal (classification). */
  readonly split: Float64Array;
  /** Classification: leaf j's class probabilities at [j·K, j·K + K). Regression: null. */
  readonly leafValues: Float64Array | null;
  /** This tree's normalised mean decrease in impurity per feature (zeros for a single leaf). */
  readonly importances: Float64Array;
  /** Present when the model keeps node statistics. */
  readonly weight: Float64Array | null;
  readonly impurity: Float64Array | null;
  readonly right: Int32Array;
  readonly feature: Uint16Array | Uint32Array;
  /** Bit (i & 7) of byte (i >> 3): a missing value at node i goes left. */
  readonly missingLeft: Uint8Array;
}

/** Whether a missing value at `node` goes left. */
export function missingGoesLeft(tree: CompactTree, node: number): boolean {
  return (tree.missingLeft[node >> 3] & (1 << (node & 7))) !== 0;
}
