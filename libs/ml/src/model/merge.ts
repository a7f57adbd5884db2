import type { ForestModel } from "./model.js";

/** What identifies a shard without its trees: a model's header. */
export type ShardHeader = Omit<ForestModel, "trees">;

/**
 * Joins shards (tree ranges of one forest) into one model, in tree order. The shards must come from
 * the same training: same task, features, classes and parameters, and ranges that follow each other
 * without gap or overlap. The result is byte-identical to growing the range in one go.
 */
export function mergeForests(parts: readonly ForestModel[]): ForestModel {
  const ordered = orderShards(parts);
  for (const part of ordered) {
    if (part.trees.length !== part.treeEnd - part.treeStart) {
      throw new Error(`shard [${part.treeStart}, ${part.treeEnd}) holds ${part.trees.length} trees`);
    }
  }
  return { ...mergedHeader(ordered), trees: ordered.flatMap((part) => part.trees) };
}

/**
 * The shards sorted by treeStart, after checking that they fit together (one training, contiguous
 * ranges); throws naming the first shard that does not.
 */
export function orderShards<T extends ShardHeader>(parts: readonly T[]): T[] {
  if (parts.length === 0) throw new Error("mergeForests needs at least one shard");
  const ordered = [...parts].sort((a, b) => a.treeStart - b.treeStart);
  const first = ordered[0];
  for (let i = 1; i < ordered.length; i++) {
    assertSameTraining(first, ordered[i]);
    assertFollows(ordered[i - 1], ordered[i]);
  }
  return ordered;
}

/** The header of the forest that ordered, fitting shards make together. */
export function mergedHeader(ordered: readonly ShardHeader[]): ShardHeader {
  const first = ordered[0];
  return {
    format: first.format,
    task: first.task,
    targetName: first.targetName,
    featureNames: first.featureNames,
    classes: first.classes,
    params: first.params,
    treeStart: first.treeStart,
    treeEnd: ordered[ordered.length - 1].treeEnd,
  };
}

/** Throws unless part comes from the same training as first: task, target, features, classes, parameters. */
export function assertSameTraining(first: ShardHeader, part: ShardHeader): void {
  const identity = (m: ShardHeader) => JSON.stringify({ task: m.task, targetName: m.targetName, classes: m.classes, params: m.params });
  const where = `shard [${part.treeStart}, ${part.treeEnd})`;
  if (JSON.stringify(part.featureNames) !== JSON.stringify(first.featureNames)) {
    throw new Error(`${where} has features ${JSON.stringify(part.featureNames)}, the first shard ${JSON.stringify(first.featureNames)}`);
  }
  if (identity(part) !== identity(first)) {
    throw new Error(
      `${where} was trained differently (task, target, classes or parameters) from shard [${first.treeStart}, ${first.treeEnd})`,
    );
  }
}

function assertFollows(previous: ShardHeader, part: ShardHeader): void {
  const where = `shard [${part.treeStart}, ${part.treeEnd})`;
  if (part.treeStart < previous.treeEnd) {
    throw new Error(`${where} overlaps shard [${previous.treeStart}, ${previous.treeEnd})`);
  }
  if (part.treeStart > previous.treeEnd) {
    throw new Error(`trees [${previous.treeEnd}, ${part.treeStart}) are missing between shards`);
  }
}
