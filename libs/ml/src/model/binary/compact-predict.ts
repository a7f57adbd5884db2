import type { CompactTree } from "./compact-tree.js";

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
