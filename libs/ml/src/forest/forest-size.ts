import { bootstrapSize, type ForestParams } from "./params.js";

/** What a forest's size depends on beyond its parameters. */
export interface ForestShape {
  readonly trainRows: number;
  readonly nFeatures: number;
  /** Classification: the number of classes. Regression: null. */
  readonly nClasses: number | null;
}

export interface ForestSizeEstimate {
  /** At most this many nodes a tree: every leaf holds ≥ minSamplesLeaf distinct rows, and depth ≤ maxDepth. */
  readonly nodesPerTree: number;
  /** canopy.forest/2 bytes per node (the same layout in memory when the model is loaded to predict). */
  readonly bytesPerNode: number;
  readonly modelBytes: number;
}

/**
 * An upper bound of the model a forest grows into, before growing it. A tree splits until its leaves are pure or
 * hold minSamplesLeaf rows; with continuous features (regression, the usual case) it does reach that bound — 80,000
 * Friedman #1 training rows: 101,139 nodes a tree estimated, 101,141 grown on average (bench:model).
 */
export function estimateForestSize(params: ForestParams, shape: ForestShape): ForestSizeEstimate {
  const draws = params.bootstrap ? bootstrapSize(params.maxSamples, shape.trainRows) : shape.trainRows;
  // A bootstrap of `draws` from n rows holds n·(1 − (1 − 1/n)^draws) distinct rows on average.
  const n = shape.trainRows;
  const distinct = params.bootstrap && n > 1 ? n * -Math.expm1(draws * Math.log1p(-1 / n)) : Math.min(n, draws);
  let leaves = Math.max(1, Math.ceil(distinct / params.minSamplesLeaf));
  if (params.maxDepth !== null) leaves = Math.min(leaves, 2 ** Math.min(params.maxDepth, 1023));
  const nodesPerTree = 2 * leaves - 1;
  const featureBytes = shape.nFeatures <= 0xffff ? 2 : 4;
  // split (f64), right child (i32), feature, the missing-direction bit; per leaf (about half the nodes) its class
  // probabilities for classification.
  const leafBytes = shape.nClasses === null ? 0 : (8 * shape.nClasses) / 2;
  const bytesPerNode = 8 + 4 + featureBytes + 1 / 8 + leafBytes;
  return { nodesPerTree, bytesPerNode, modelBytes: params.nEstimators * nodesPerTree * bytesPerNode };
}
