/**
 * What the splits read of a row, packed: per row ROW_STATS numbers, [w, y] (y is the class index for classification).
 * Rows are visited in partition order, which is random in memory, and a row's numbers are read together: packed 16
 * bytes apart (four rows to a cache line) they cost one cache miss instead of one per array. w·y is not stored: the
 * histogram kernel multiplies it as the scans do (the same double), and a row takes half the bytes (measured with a
 * memory-streaming neighbour on the other core: trees 3–4 % faster than with [w, w·y, y, 0]).
 */
export const ROW_STATS = 2;
export const ROW_WEIGHT = 0;
export const ROW_Y = 1;
