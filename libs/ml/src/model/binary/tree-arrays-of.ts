import type { TreeArrays } from "../../forest/tree-arrays.js";
import type { CompactTree } from "./compact-tree.js";
import { missingGoesLeft } from "./compact-tree.js";

/**
 * The flat arrays of a stored tree, for the JSON export (canopy.forest/1). canopy.forest/2 keeps values at leaves
 * only: an interior node's value is recomputed as the weighted mean of its children's when node statistics are
 * stored, else their plain mean (no reader of the JSON uses interior values to predict). Without statistics,
 * weight and impurity are written as 0.
 */
export function treeArraysOf(tree: CompactTree, valueWidth: number): TreeArrays {
  const n = tree.nodeCount;
  const k = valueWidth;
  const feature = new Int32Array(n);
  const threshold = new Float64Array(n);
  const missingLeft = new Uint8Array(n);
  const left = new Int32Array(n);
  const right = new Int32Array(n);
  const value = new Float64Array(n * k);
  const weight = tree.weight === null ? new Float64Array(n) : Float64Array.from(tree.weight);
  const impurity = tree.impurity === null ? new Float64Array(n) : Float64Array.from(tree.impurity);
  // Children have larger ids than their parent, so a backward pass sees both children before the parent.
  for (let node = n - 1; node >= 0; node--) {
    const r = tree.right[node];
    if (r < 0) {
      feature[node] = -1;
      left[node] = -1;
      right[node] = -1;
      if (tree.leafValues === null) value[node] = tree.split[node];
      else value.set(tree.leafValues.subarray(tree.split[node] * k, tree.split[node] * k + k), node * k);
      continue;
    }
    const l = node + 1;
    feature[node] = tree.feature[node];
    threshold[node] = tree.split[node];
    missingLeft[node] = missingGoesLeft(tree, node) ? 1 : 0;
    left[node] = l;
    right[node] = r;
    const wl = tree.weight === null ? 1 : weight[l];
    const wr = tree.weight === null ? 1 : weight[r];
    for (let v = 0; v < k; v++) value[node * k + v] = (wl * value[l * k + v] + wr * value[r * k + v]) / (wl + wr);
  }
  return { nodeCount: n, feature, threshold, missingLeft, left, right, value, weight, impurity };
}
