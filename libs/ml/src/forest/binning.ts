/**
 * Quantizes each feature to at most 255 value bins plus one missing bin, so histograms are small and
 * rows are one byte per feature. A feature with at most 255 distinct values gets one bin per value
 * (splits are then exactly scikit-learn's: midpoints of adjacent values); otherwise bins hold about
 * equal numbers of rows (quantiles). Binning depends on the training data only, never on the tree or
 * the shard, so every shard of a forest sees the same bins.
 */

import { sortFloat64 } from "./sort-float64.js";

/** Bins 0…254 hold values; a NaN (missing) value goes to this bin. */
export const MISSING_BIN = 255;
export const MAX_VALUE_BINS = 255;

export interface FeatureBins {
  /** Number of value bins (≥ 1; 1 when the feature is constant or all missing). */
  readonly nBins: number;
  /** Upper edges: value x is in bin b when upper[b-1] < x ≤ upper[b]; length nBins - 1. */
  readonly edges: Float64Array;
  /** Smallest and largest training value in each bin: split thresholds are midpoints between them. */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** Bins for every feature of one training set. */
export function computeBins(columns: readonly Float64Array[], maxBins = MAX_VALUE_BINS): FeatureBins[] {
  // The radix sort's scratch, shared by the columns: two words a value of the longest.
  const scratch = new Uint32Array(2 * Math.max(0, ...columns.map((column) => column.length)));
  return columns.map((column) => binsForColumn(column, maxBins, scratch));
}

function binsForColumn(column: Float64Array, maxBins: number, scratch: Uint32Array): FeatureBins {
  let count = 0;
  const present = new Float64Array(column.length);
  for (let i = 0; i < column.length; i++) if (!Number.isNaN(column[i])) present[count++] = column[i];
  // Distinct values and how many rows hold each, compacted in place into the sorted values (typed
  // arrays rather than growing lists: a continuous column has as many distinct values as rows).
  const distinct = present.subarray(0, count);
  sortFloat64(distinct, scratch);
  const counts = new Int32Array(count);
  let nDistinct = 0;
  for (let i = 0; i < count; i++) {
    const v = distinct[i];
    if (nDistinct > 0 && distinct[nDistinct - 1] === v) counts[nDistinct - 1]++;
    else {
      distinct[nDistinct] = v === 0 ? 0 : v; // -0 and 0 are one value
      counts[nDistinct++] = 1;
    }
  }
  if (nDistinct === 0) {
    return { nBins: 1, edges: new Float64Array(0), lower: Float64Array.of(NaN), upper: Float64Array.of(NaN) };
  }
  const edges: number[] = [];
  const lower: number[] = [distinct[0]];
  const upper: number[] = [];
  const cut = (j: number) => {
    // Close the bin after distinct[j]; the next bin starts at distinct[j + 1].
    edges.push(midpoint(distinct[j], distinct[j + 1]));
    upper.push(distinct[j]);
    lower.push(distinct[j + 1]);
  };
  if (nDistinct <= maxBins) {
    for (let j = 0; j + 1 < nDistinct; j++) cut(j);
  } else {
    // Equal-frequency bins: close a bin once the rows so far reach the next multiple of n / maxBins.
    const perBin = count / maxBins;
    let cumulative = 0;
    let nextTarget = perBin;
    for (let j = 0; j + 1 < nDistinct && edges.length < maxBins - 1; j++) {
      cumulative += counts[j];
      if (cumulative >= nextTarget) {
        cut(j);
        while (nextTarget <= cumulative) nextTarget += perBin;
      }
    }
  }
  upper.push(distinct[nDistinct - 1]);
  return {
    nBins: edges.length + 1,
    edges: Float64Array.from(edges),
    lower: Float64Array.from(lower),
    upper: Float64Array.from(upper),
  };
}

/**
 * The threshold between two adjacent values a < b, as scikit-learn: their midpoint, or a when the
 * midpoint rounds to b (adjacent floats), so that `x <= threshold` always separates them.
 */
export function midpoint(a: number, b: number): number {
  const t = a / 2 + b / 2;
  return t >= b || !Number.isFinite(t) ? a : t;
}

/** The bin of one value (binary search over the edges). */
export function binOf(bins: FeatureBins, value: number): number {
  if (Number.isNaN(value)) return MISSING_BIN;
  const edges = bins.edges;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Bin codes of all rows, row-major (row r's codes are out[r*nFeatures … (r+1)*nFeatures)), written into
 * `out` — typically a view on a SharedArrayBuffer that the tree-growing threads read. Row-major
 * because histogram building reads every feature of a row at once.
 */
export function binColumns(columns: readonly Float64Array[], bins: readonly FeatureBins[], out: Uint8Array): void {
  const nRows = columns.length === 0 ? 0 : columns[0].length;
  const nFeatures = columns.length;
  // binOf's answer (how many edges lie below the value) by eight fixed halving steps over the edges
  // padded with +Infinity to 256, each adding a comparison's 0 or 1 as a number: no branch to mispredict, so the
  // steps of consecutive rows overlap (3.7× faster than branching steps on 125,000 rows × 10 features).
  const padded = new Float64Array(256);
  for (let f = 0; f < nFeatures; f++) {
    const column = columns[f];
    padded.fill(Infinity);
    padded.set(bins[f].edges);
    for (let r = 0; r < nRows; r++) {
      const v = column[r];
      let lo = +(v > padded[127]) << 7;
      lo += +(v > padded[lo + 63]) << 6;
      lo += +(v > padded[lo + 31]) << 5;
      lo += +(v > padded[lo + 15]) << 4;
      lo += +(v > padded[lo + 7]) << 3;
      lo += +(v > padded[lo + 3]) << 2;
      lo += +(v > padded[lo + 1]) << 1;
      lo += +(v > padded[lo]);
      out[r * nFeatures + f] = v !== v ? MISSING_BIN : lo;
    }
  }
}
