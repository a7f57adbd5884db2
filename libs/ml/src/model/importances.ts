import type { ForestModel, TreeModel } from "./model.js";

/**
 * Mean decrease in impurity, as scikit-learn's `feature_importances_`: per tree, each split adds
 * w·impurity − w_left·impurity_left − w_right·impurity_right to its feature; the tree's totals are
 * normalised to sum 1; trees that are a single leaf are left out; the mean over trees is normalised
 * again. Returned in model.featureNames order.
 */
export function featureImportances(model: ForestModel): Float64Array {
  const nFeatures = model.featureNames.length;
  return meanImportances(
    model.trees.map((tree) => treeImportances(tree, nFeatures)),
    nFeatures,
  );
}

/**
 * One tree's normalised impurity decrease per feature, or null for a tree that is a single leaf (it
 * does not take part in the forest's mean). Shards compute these for their own trees so a publisher
 * can combine them with meanImportances without the trees.
 */
export function treeImportances(tree: TreeModel, nFeatures: number): Float64Array | null {
  if (tree.nodeCount <= 1) return null;
  const perTree = new Float64Array(nFeatures);
  const { feature, left, right, weight, impurity } = tree;
  for (let node = 0; node < tree.nodeCount; node++) {
    const f = feature[node];
    if (f < 0) continue;
    const l = left[node];
    const r = right[node];
    perTree[f] += weight[node] * impurity[node] - weight[l] * impurity[l] - weight[r] * impurity[r];
  }
  let sum = 0;
  for (let f = 0; f < nFeatures; f++) sum += perTree[f];
  if (sum > 0) for (let f = 0; f < nFeatures; f++) perTree[f] /= sum;
  else perTree.fill(0);
  return perTree;
}

/**
 * The forest's importances from its trees' treeImportances, in tree order (the order fixes the
 * floating-point sums, so combining shards in tree order gives the same numbers as the whole model).
 */
export function meanImportances(perTree: Iterable<ArrayLike<number> | null>, nFeatures: number): Float64Array {
  const mean = new Float64Array(nFeatures);
  let counted = 0;
  for (const tree of perTree) {
    if (tree === null) continue;
    for (let f = 0; f < nFeatures; f++) mean[f] += tree[f];
    counted++;
  }
  if (counted === 0) return mean;
  let sum = 0;
  for (let f = 0; f < nFeatures; f++) sum += mean[f] / counted;
  if (sum > 0) for (let f = 0; f < nFeatures; f++) mean[f] = mean[f] / counted / sum;
  return mean;
}
