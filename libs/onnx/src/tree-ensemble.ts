import type { CompactTree } from "@canopy/ml";
import { DataType, littleEndianBytes, type Attribute } from "./onnx-proto.js";

/** nodes_modes value for "x <= split goes to the true branch". */
const BRANCH_LEQ = 0;

/** TreeEnsemble's aggregate_function values. */
const Aggregate = { AVERAGE: 0, SUM: 1 } as const;

/**
 * What a leaf puts into the ensemble's output: its own value (one target, the trees averaged), or its
 * global leaf number under the target numbered like its tree (so the output row holds, per tree, the leaf
 * the row reached; the graph then looks the leaves' class probabilities up).
 */
export type LeafOutput = "value" | "leaf-index";

/**
 * The interior nodes and leaves of a forest in TreeEnsemble's layout: interior nodes in one sequence
 * (nodes_*), leaves in another (leaf_*), each tree's nodes kept in pre-order. The true branch is the
 * left child (x <= threshold); a NaN takes the true branch when the node's missing direction is left.
 */
export interface EnsembleArrays {
  readonly treeRoots: Int32Array;
  readonly featureIds: Int32Array;
  readonly splits: Float64Array;
  readonly trueIds: Int32Array;
  readonly trueIsLeaf: Uint8Array;
  readonly falseIds: Int32Array;
  readonly falseIsLeaf: Uint8Array;
  readonly missingTracksTrue: Uint8Array;
  /** Per leaf, its tree and its node there (to look its value up). */
  readonly leafTree: Int32Array;
  readonly leafNode: Int32Array;
}

function countNodes(trees: readonly CompactTree[]): { interior: number; leaves: number } {
  let interior = 0;
  let leaves = 0;
  for (const tree of trees) {
    interior += Math.max(tree.nodeCount - tree.leafCount, 1);
    leaves += tree.nodeCount === 1 ? 2 : tree.leafCount;
  }
  return { interior, leaves };
}

/**
 * The forest's trees (canopy.forest/2's compact layout: pre-order, left child next, right −1 at a leaf) in
 * TreeEnsemble's layout. A tree that is a single leaf has no interior node, but TreeEnsemble's roots are
 * interior nodes: it becomes a split every row passes on the true side (x <= +Infinity, NaN included) over
 * two copies of the leaf. Two leaves, not one under both branches: onnxruntime reads a root whose branches
 * are the same leaf as a leaf numbered like the root.
 */
export function ensembleArrays(trees: readonly CompactTree[]): EnsembleArrays {
  const counts = countNodes(trees);
  const out = {
    treeRoots: new Int32Array(trees.length),
    featureIds: new Int32Array(counts.interior),
    splits: new Float64Array(counts.interior),
    trueIds: new Int32Array(counts.interior),
    trueIsLeaf: new Uint8Array(counts.interior),
    falseIds: new Int32Array(counts.interior),
    falseIsLeaf: new Uint8Array(counts.interior),
    missingTracksTrue: new Uint8Array(counts.interior),
    leafTree: new Int32Array(counts.leaves),
    leafNode: new Int32Array(counts.leaves),
  };
  let interior = 0;
  let leaves = 0;
  trees.forEach((tree, t) => {
    out.treeRoots[t] = interior;
    if (tree.nodeCount === 1) {
      out.splits[interior] = Infinity;
      out.missingTracksTrue[interior] = 1;
      out.trueIds[interior] = leaves;
      out.falseIds[interior] = leaves + 1;
      out.trueIsLeaf[interior] = out.falseIsLeaf[interior] = 1;
      out.leafTree.fill(t, leaves, leaves + 2);
      out.leafNode.fill(0, leaves, leaves + 2);
      interior += 1;
      leaves += 2;
      return;
    }
    const isLeaf = (node: number) => tree.right[node] < 0;
    // Each node's position in its sequence (interior or leaf), numbered in pre-order.
    const position = new Int32Array(tree.nodeCount);
    for (let node = 0; node < tree.nodeCount; node++) {
      if (isLeaf(node)) {
        out.leafTree[leaves] = t;
        out.leafNode[leaves] = node;
        position[node] = leaves++;
      } else {
        position[node] = interior++;
      }
    }
    for (let node = 0; node < tree.nodeCount; node++) {
      if (isLeaf(node)) continue;
      const at = position[node];
      const left = node + 1;
      const right = tree.right[node];
      out.featureIds[at] = tree.feature[node];
      out.splits[at] = tree.split[node];
      // canopy.forest/2: bit (i & 7) of byte (i >> 3) says a missing value at node i goes left.
      out.missingTracksTrue[at] = (tree.missingLeft[node >> 3] >> (node & 7)) & 1;
      out.trueIds[at] = position[left];
      out.trueIsLeaf[at] = isLeaf(left) ? 1 : 0;
      out.falseIds[at] = position[right];
      out.falseIsLeaf[at] = isLeaf(right) ? 1 : 0;
    }
  });
  return out;
}

/** The TreeEnsemble (ai.onnx.ml opset 5) attributes for the arrays, leaves weighted as `leafOutput` says. */
export function treeEnsembleAttributes(trees: readonly CompactTree[], arrays: EnsembleArrays, leafOutput: LeafOutput): Attribute[] {
  const nLeaves = arrays.leafNode.length;
  const leafWeights = new Float64Array(nLeaves);
  const leafTargets = new Int32Array(nLeaves);
  for (let leaf = 0; leaf < nLeaves; leaf++) {
    if (leafOutput === "value") {
      // Regression: a compact leaf's split slot holds its value.
      leafWeights[leaf] = trees[arrays.leafTree[leaf]].split[arrays.leafNode[leaf]];
    } else {
      leafWeights[leaf] = leaf;
      leafTargets[leaf] = arrays.leafTree[leaf];
    }
  }
  const interior = arrays.splits.length;
  return [
    { name: "aggregate_function", int: leafOutput === "value" ? Aggregate.AVERAGE : Aggregate.SUM },
    { name: "n_targets", int: leafOutput === "value" ? 1 : trees.length },
    { name: "post_transform", int: 0 },
    { name: "tree_roots", ints: arrays.treeRoots },
    { name: "nodes_featureids", ints: arrays.featureIds },
    { name: "nodes_modes", tensor: { dims: [interior], dataType: DataType.UINT8, raw: new Uint8Array(interior).fill(BRANCH_LEQ) } },
    { name: "nodes_splits", tensor: { dims: [interior], dataType: DataType.DOUBLE, raw: littleEndianBytes(arrays.splits) } },
    { name: "nodes_truenodeids", ints: arrays.trueIds },
    { name: "nodes_trueleafs", ints: arrays.trueIsLeaf },
    { name: "nodes_falsenodeids", ints: arrays.falseIds },
    { name: "nodes_falseleafs", ints: arrays.falseIsLeaf },
    { name: "nodes_missing_value_tracks_true", ints: arrays.missingTracksTrue },
    { name: "leaf_targetids", ints: leafTargets },
    { name: "leaf_weights", tensor: { dims: [nLeaves], dataType: DataType.DOUBLE, raw: littleEndianBytes(leafWeights) } },
  ];
}
