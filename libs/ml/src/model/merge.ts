import type { ForestModel } from "./model.js";

/**
 * Joins shards (tree ranges of one forest) into one model, in tree order. The shards must come from
 * the same training: same task, features, classes and parameters, and ranges that follow each other
 * without gap or overlap. The result is byte-identical to growing the range in one go.
 */
export function mergeForests(parts: readonly ForestModel[]): ForestModel {
  if (parts.length === 0) throw new Error("mergeForests needs at least one shard");
  const ordered = [...parts].sort((a, b) => a.treeStart - b.treeStart);
  const first = ordered[0];
  const identity = (m: ForestModel) =>
    JSON.stringify({ task: m.task, targetName: m.targetName, classes: m.classes, params: m.params });
  for (let i = 1; i < ordered.length; i++) {
    const part = ordered[i];
    const previous = ordered[i - 1];
    const where = `shard [${part.treeStart}, ${part.treeEnd})`;
    if (JSON.stringify(part.featureNames) !== JSON.stringify(first.featureNames)) {
      throw new Error(`${where} has features ${JSON.stringify(part.featureNames)}, the first shard ${JSON.stringify(first.featureNames)}`);
    }
    if (identity(part) !== identity(first)) {
      throw new Error(`${where} was trained differently (task, target, classes or parameters) from shard [${first.treeStart}, ${first.treeEnd})`);
    }
    if (part.treeStart < previous.treeEnd) {
      throw new Error(`${where} overlaps shard [${previous.treeStart}, ${previous.treeEnd})`);
    }
    if (part.treeStart > previous.treeEnd) {
      throw new Error(`trees [${previous.treeEnd}, ${part.treeStart}) are missing between shards`);
    }
  }
  for (const part of ordered) {
    if (part.trees.length !== part.treeEnd - part.treeStart) {
      throw new Error(`shard [${part.treeStart}, ${part.treeEnd}) holds ${part.trees.length} trees`);
    }
  }
  return {
    ...first,
    treeStart: first.treeStart,
    treeEnd: ordered[ordered.length - 1].treeEnd,
    trees: ordered.flatMap((part) => part.trees),
  };
}
