/**
 * What the splits read of a row, packed: per row ROW_STATS numbers, [w, w·y, y, 0] (w·y is 0 for classification,
 * where y is the class index). Rows are visited in partition order, which is random in memory, and a row's numbers
 * are read together: packed 32 bytes apart (two rows to a cache line) they cost one cache miss instead of one per
 * array.
 */
export const ROW_STATS = 4;
export const ROW_WEIGHT = 0;
export const ROW_WY = 1;
export const ROW_Y = 2;

/** Fills `rowStats` for one tree's bootstrap weights. */
export function fillRowStats(rowStats: Float64Array, weight: Float64Array, target: Float64Array, regression: boolean): void {
  for (let r = 0, at = 0; r < weight.length; r++, at += ROW_STATS) {
    const w = weight[r];
    const y = target[r];
    rowStats[at + ROW_WEIGHT] = w;
    rowStats[at + ROW_WY] = regression ? w * y : 0;
    rowStats[at + ROW_Y] = y;
  }
}
