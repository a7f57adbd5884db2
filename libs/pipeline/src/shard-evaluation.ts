import { meanImportances, valueWidth, type Dataset, type EncodedTree, type ShardHeader } from "@canopy/ml";

export const SHARD_EVALUATION_FORMAT = "canopy.shard-evaluation/1";

/**
 * What one shard's trees say about the run's held-out rows, written beside the shard in staging so the
 * publisher can evaluate the whole forest without parsing (or even holding) any tree.
 */
export interface ShardEvaluation {
  format: typeof SHARD_EVALUATION_FORMAT;
  treeStart: number;
  treeEnd: number;
  heldOutRows: number;
  /** Numbers per row in `sums`: 1 (regression) or the number of classes. */
  valueWidth: number;
  /** Row-major heldOutRows × valueWidth: the leaf values summed over the shard's trees, in tree order. */
  sums: number[];
  /** Per tree, in tree order: its normalised impurity decrease per feature, null for a single leaf. */
  treeImportances: (number[] | null)[];
}

/** The held-out predictions and importances of a whole forest, combined from its shards. */
export interface HeldOutVotes {
  /** Row-major heldOutRows × width: the mean over all trees (regression values or class probabilities). */
  values: Float64Array;
  width: number;
  importances: Float64Array;
}

/** A shard's evaluation built tree by tree, from each tree's votes and importances as its thread sends them. */
export class ShardEvaluator {
  private readonly width: number;
  private readonly sums: Float64Array;
  private readonly importances: (number[] | null)[] = [];

  constructor(
    private readonly header: ShardHeader,
    private readonly test: Dataset,
  ) {
    this.width = valueWidth(header);
    this.sums = new Float64Array(test.nRows * this.width);
  }

  /**
   * Adds a tree encoded where it was grown: its votes for these held-out rows (row-major, rows × width; added in tree
   * order, so the sums are the doubles a walk of every tree would give) and its importances.
   */
  add(tree: EncodedTree): void {
    const values = tree.heldOutValues;
    const sums = this.sums;
    if (values === null || values.length !== sums.length) {
      throw new Error(
        `tree ${tree.treeIndex} voted on ${values === null ? "no" : values.length / this.width} held-out rows, expected ${this.test.nRows}`,
      );
    }
    for (let i = 0; i < sums.length; i++) sums[i] += values[i];
    this.importances.push(tree.importances === null ? null : Array.from(tree.importances));
  }

  finish(): ShardEvaluation {
    const { treeStart, treeEnd } = this.header;
    if (this.importances.length !== treeEnd - treeStart)
      throw new Error(`shard evaluation [${treeStart}, ${treeEnd}) got ${this.importances.length} trees`);
    return {
      format: SHARD_EVALUATION_FORMAT,
      treeStart,
      treeEnd,
      heldOutRows: this.test.nRows,
      valueWidth: this.width,
      sums: Array.from(this.sums),
      treeImportances: this.importances,
    };
  }
}

/** Reads a shard evaluation and checks it covers the expected trees and held-out rows. */
export function parseShardEvaluation(
  text: string,
  expected: { treeStart: number; treeEnd: number; heldOutRows: number; valueWidth: number; nFeatures: number },
): ShardEvaluation {
  const parsed = JSON.parse(text) as ShardEvaluation;
  const where = `shard evaluation [${expected.treeStart}, ${expected.treeEnd})`;
  if (parsed.format !== SHARD_EVALUATION_FORMAT)
    throw new Error(`${where} has format ${JSON.stringify(parsed.format)}, expected "${SHARD_EVALUATION_FORMAT}"`);
  if (parsed.treeStart !== expected.treeStart || parsed.treeEnd !== expected.treeEnd) {
    throw new Error(`${where} covers trees [${parsed.treeStart}, ${parsed.treeEnd})`);
  }
  if (parsed.heldOutRows !== expected.heldOutRows || parsed.valueWidth !== expected.valueWidth) {
    throw new Error(
      `${where} covers ${parsed.heldOutRows} held-out rows × ${parsed.valueWidth}, expected ${expected.heldOutRows} × ${expected.valueWidth}`,
    );
  }
  if (!Array.isArray(parsed.sums) || parsed.sums.length !== expected.heldOutRows * expected.valueWidth)
    throw new Error(`${where} has the wrong number of sums`);
  const trees = expected.treeEnd - expected.treeStart;
  const importancesFit = (row: unknown) => row === null || (Array.isArray(row) && row.length === expected.nFeatures);
  if (!Array.isArray(parsed.treeImportances) || parsed.treeImportances.length !== trees || !parsed.treeImportances.every(importancesFit)) {
    throw new Error(`${where} has no importances for each of its ${trees} trees`);
  }
  return parsed;
}

/**
 * The forest's held-out votes from its shards' evaluations, in tree order. Sums are added shard by
 * shard, so the values can differ from predicting with the merged model in the last bits; they are
 * the same for a run however many workers grew it (the shards are fixed by the plan).
 */
export function combineShardEvaluations(parts: readonly ShardEvaluation[], nFeatures: number): HeldOutVotes {
  const ordered = [...parts].sort((a, b) => a.treeStart - b.treeStart);
  const { heldOutRows, valueWidth: width } = ordered[0];
  const values = new Float64Array(heldOutRows * width);
  let nTrees = 0;
  for (const part of ordered) {
    for (let i = 0; i < values.length; i++) values[i] += part.sums[i];
    nTrees += part.treeEnd - part.treeStart;
  }
  for (let i = 0; i < values.length; i++) values[i] /= nTrees;
  const importances = meanImportances(
    ordered.flatMap((part) => part.treeImportances),
    nFeatures,
  );
  return { values, width, importances };
}
