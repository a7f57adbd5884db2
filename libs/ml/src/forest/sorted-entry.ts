/**
 * An exact subtree's per-feature row lists hold one 32-bit entry per row: the row's bin code in the high 16 bits
 * and its local row index (position in the subtree, < 65536) in the low 16 bits. Sorting the entries as numbers
 * orders rows by bin and, within a bin, by position: a stable sort by bin in one native numeric sort.
 */
export const ROW_BITS = 16;
export const ROW_MASK = 0xffff;
/** Rows an exact subtree can hold: local row indexes must fit in ROW_BITS. */
export const MAX_EXACT_ROWS = 1 << ROW_BITS;

export function sortedEntry(bin: number, row: number): number {
  return (bin << ROW_BITS) | row;
}

export function binOfEntry(entry: number): number {
  return entry >>> ROW_BITS;
}

export function rowOfEntry(entry: number): number {
  return entry & ROW_MASK;
}
