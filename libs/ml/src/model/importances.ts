import type { ForestModel } from "./model.js";

/**
 * Mean decrease in impurity, as scikit-learn's `feature_importances_`: per tree, each split adds
 * w·impurity − w_left·impurity_left − w_right·impurity_right to its feature; the tree's totals are
 * normalised to sum 1; trees that are a single leaf are left out; the mean over trees is normalised
 * again. Returned in model.featureNames order.
 */
export function featureImportances(model: ForestModel): Float64Array {
  const nFeatures = model.featureNames.length;
  const mean = new Float64Array(nFeatures);
  const perTree = new Float64Array(nFeatures);
  let counted = 0;
  for (const tree of model.trees) {
    if (tree.nodeCount <= 1) continue;
    perTree.fill(0);
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
    if (sum > 0) for (let f = 0; f < nFeatures; f++) mean[f] += perTree[f] / sum;
    counted++;
  }
  if (counted === 0) return mean;
  let sum = 0;
  for (let f = 0; f < nFeatures; f++) sum += mean[f] / counted;
  if (sum > 0) for (let f = 0; f < nFeatures; f++) mean[f] = mean[f] / counted / sum;
  return mean;
}
