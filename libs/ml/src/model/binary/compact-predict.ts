import type { CompactTree } from "./compact-tree.js";

/** How addCompactTreeOfRows walks its rows, when not simply in order. */
export interface RowWalk {
  /** Row p of x is row rows[p] of sums: the rows are walked in x's order, which may be any (the sums are the same). */
  readonly rows?: Int32Array;
  /** Receives, per row of sums, the node its walk ended in. */
  readonly leaves?: Int32Array;
}

/** Rows walked through every tree before the next block: keeps a block's sums in cache while the trees pass. */
const ROW_BLOCK = 1024;

/**
 * Adds every tree's leaf values for rows [rowStart, rowEnd) to `sums` (row-major, rows × width, row r at
 * (r − rowStart)·width), trees in order for each row: the same additions in the same order as the JSON model's
 * predictor, so the same doubles. `columns[f][r]` is feature f of row r (NaN = missing).
 */
export function addCompactTrees(
  trees: readonly CompactTree[],
  columns: readonly ArrayLike<number>[],
  rowStart: number,
  rowEnd: number,
  width: number,
  sums: Float64Array,
): void {
  for (let blockStart = rowStart; blockStart < rowEnd; blockStart += ROW_BLOCK) {
    const blockEnd = Math.min(rowEnd, blockStart + ROW_BLOCK);
    for (const tree of trees) {
      const { split, right, feature, missingLeft, leafValues } = tree;
      for (let r = blockStart; r < blockEnd; r++) {
        let node = 0;
        let next = right[0];
        while (next >= 0) {
          const x = columns[feature[node]][r];
          // x <= split is false for NaN, so only a false comparison needs the missing-value bit.
          node = x <= split[node] || (x !== x && (missingLeft[node >> 3] & (1 << (node & 7))) !== 0) ? node + 1 : next;
          next = right[node];
        }
        const out = (r - rowStart) * width;
        if (leafValues === null) sums[out] += split[node];
        else {
          const base = split[node] * width;
          for (let v = 0; v < width; v++) sums[out + v] += leafValues[base + v];
        }
      }
    }
  }
}

/** Tree-averaged leaf values of rows [rowStart, rowEnd), row-major: (rowEnd − rowStart) × width. */
export function averageCompactTrees(
  trees: readonly CompactTree[],
  columns: readonly ArrayLike<number>[],
  rowStart: number,
  rowEnd: number,
  width: number,
): Float64Array {
  if (trees.length === 0) throw new Error("the model has no trees");
  const sums = new Float64Array((rowEnd - rowStart) * width);
  addCompactTrees(trees, columns, rowStart, rowEnd, width, sums);
  const nTrees = trees.length;
  for (let i = 0; i < sums.length; i++) sums[i] /= nTrees;
  return sums;
}

/**
 * Adds one tree's leaf values for rows given row-major (row p's features at x[p·nFeatures …]) to `sums` (rows ×
 * width): the values addTreeValues gives for the same tree's arrays (a regression leaf's split is its value; a
 * classification leaf's, its ordinal in leafValues).
 */
export function addCompactTreeOfRows(
  tree: CompactTree,
  x: Float64Array,
  nFeatures: number,
  width: number,
  sums: Float64Array,
  walk: RowWalk = {},
): void {
  const nRows = sums.length / width;
  const rows = walk.rows ?? null;
  const leaves = walk.leaves ?? null;
  const { split, right, feature, missingLeft, leafValues } = tree;
  for (let p = 0, at = 0; p < nRows; p++, at += nFeatures) {
    let node = 0;
    let next = right[0];
    while (next >= 0) {
      const v = x[at + feature[node]];
      // v <= split is false for NaN, so only a false comparison needs the missing-value bit.
      node = v <= split[node] || (v !== v && (missingLeft[node >> 3] & (1 << (node & 7))) !== 0) ? node + 1 : next;
      next = right[node];
    }
    const r = rows === null ? p : rows[p];
    if (leaves !== null) leaves[r] = node;
    if (leafValues === null) sums[r] += split[node];
    else {
      const base = split[node] * width;
      for (let k = 0; k < width; k++) sums[r * width + k] += leafValues[base + k];
    }
  }
}
