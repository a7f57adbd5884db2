import type { ForestModel, TreeModel } from "./model.js";

/**
 * The canonical JSON of a model: keys in a fixed order, numbers as JavaScript prints them (the
 * shortest text that reads back to the same double, so the same model always gives the same bytes),
 * one tree per line. An infinite threshold ("every non-missing value goes left") is written as null.
 */
export function serializeModel(model: ForestModel): string {
  return Array.from(serializeModelChunks(model)).join("");
}

/**
 * The same text as serializeModel in pieces (the header, then one piece per tree), for writing to a
 * stream: a forest of fully grown trees on a few hundred thousand rows is larger than the longest
 * string JavaScript can hold.
 */
export function* serializeModelChunks(model: ForestModel): Generator<string> {
  const p = model.params;
  const header = [
    `"format":${JSON.stringify(model.format)}`,
    `"task":${JSON.stringify(model.task)}`,
    `"targetName":${JSON.stringify(model.targetName)}`,
    `"featureNames":${JSON.stringify(model.featureNames)}`,
    `"classes":${JSON.stringify(model.classes)}`,
    `"params":${JSON.stringify({
      nEstimators: p.nEstimators,
      maxFeatures: p.maxFeatures,
      maxDepth: p.maxDepth,
      minSamplesSplit: p.minSamplesSplit,
      minSamplesLeaf: p.minSamplesLeaf,
      bootstrap: p.bootstrap,
      maxSamples: p.maxSamples,
      seed: p.seed,
    })}`,
    `"treeStart":${model.treeStart}`,
    `"treeEnd":${model.treeEnd}`,
  ].join(",");
  yield `{${header},"trees":[\n`;
  for (let i = 0; i < model.trees.length; i++) {
    yield serializeTree(model.trees[i], model.treeStart + i) + (i + 1 < model.trees.length ? ",\n" : "\n");
  }
  yield "]}\n";
}

function serializeTree(tree: TreeModel, treeIndex: number): string {
  // JSON.stringify prints each finite number exactly as String(x) does (and -0 as 0), several times
  // faster than joining String(x) pieces; it would also print NaN and -∞ as null, so they are refused first.
  const numbers = (name: string, values: ArrayLike<number>, allowInfinity = false): number[] => {
    const out = new Array<number>(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v) && !(allowInfinity && v === Infinity)) {
        throw new Error(`tree ${treeIndex}: ${name}[${i}] is ${v}, which a model cannot hold`);
      }
      out[i] = v;
    }
    return out;
  };
  return JSON.stringify({
    nodeCount: tree.nodeCount,
    feature: numbers("feature", tree.feature),
    threshold: numbers("threshold", tree.threshold, true),
    missingLeft: numbers("missingLeft", tree.missingLeft),
    left: numbers("left", tree.left),
    right: numbers("right", tree.right),
    value: numbers("value", tree.value),
    weight: numbers("weight", tree.weight),
    impurity: numbers("impurity", tree.impurity),
  });
}
