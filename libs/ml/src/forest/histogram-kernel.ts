/**
 * The engine's histogram kernel: per-feature, per-bin stats of one node's rows, from which the tree builder
 * scans every cut of large nodes (bench:kernels and the tfjs test measure and check this very function).
 *
 * Layout: `codes` row-major (row × nFeatures, one byte per cell, 255 = missing);
 * `hist` holds per feature 256 bins × `stride` numbers: [count, Σw, Σw·y] for regression (stride 3),
 * [count, Σw, Σw·[y=0] … Σw·[y=K-1]] for classification (stride 2 + K).
 */

import * as rowStatsModule from "./row-stats.js";

// Module-local copies for the hot loops: V8 reloads an imported (live) binding at every use (see tree-builder.ts).
const { ROW_STATS, ROW_WEIGHT, ROW_Y } = rowStatsModule;

/** One node's rows and the per-row data its histogram sums. */
export interface HistogramInput {
  readonly codes: Uint8Array;
  readonly nFeatures: number;
  /** Row ids; the node's rows are rows[start … end). */
  readonly rows: Int32Array;
  readonly start: number;
  readonly end: number;
  /** Per row [w, y] (row-stats.ts). */
  readonly rowStats: Float64Array;
  /** Classification: class index per row (length 0 for regression). */
  readonly classOf: Int32Array;
  /** 0 for regression, else the number of classes. */
  readonly nClasses: number;
  /**
   * When given, also receives the node's totals, summed over its rows in order as the tree builder's sumRows would:
   * [count, Σw, Σw·y (regression) or Σw per class, then Σw·y² (0 for classification)].
   */
  readonly totals?: Float64Array;
}

export const BINS_PER_FEATURE = 256;

export function histogramStride(nClasses: number): number {
  return nClasses === 0 ? 3 : 2 + nClasses;
}

export function histogramLength(nFeatures: number, nClasses: number): number {
  return nFeatures * BINS_PER_FEATURE * histogramStride(nClasses);
}

export function buildHistogramTyped(input: HistogramInput, hist: Float64Array): void {
  hist.fill(0);
  const { codes, rows, rowStats, classOf, nFeatures, start, end } = input;
  const stride = histogramStride(input.nClasses);
  const featureStride = BINS_PER_FEATURE * stride;
  const totals = input.totals;
  if (input.nClasses === 0) {
    let tw = 0;
    let ts = 0;
    let tq = 0;
    for (let i = start; i < end; i++) {
      const row = rows[i];
      const w = rowStats[row * ROW_STATS + ROW_WEIGHT];
      const y = rowStats[row * ROW_STATS + ROW_Y];
      const s = w * y;
      tw += w;
      ts += s;
      tq += s * y;
      const codeBase = row * nFeatures;
      for (let f = 0; f < nFeatures; f++) {
        const o = f * featureStride + codes[codeBase + f] * 3;
        hist[o] += 1;
        hist[o + 1] += w;
        hist[o + 2] += s;
      }
    }
    if (totals !== undefined) {
      totals[0] = end - start;
      totals[1] = tw;
      totals[2] = ts;
      totals[3] = tq;
    }
  } else {
    const sums = totals ?? new Float64Array(stride + 1);
    sums.fill(0, 0, stride + 1);
    sums[0] = end - start;
    for (let i = start; i < end; i++) {
      const row = rows[i];
      const w = rowStats[row * ROW_STATS + ROW_WEIGHT];
      const k = 2 + classOf[row];
      sums[1] += w;
      sums[k] += w;
      const codeBase = row * nFeatures;
      for (let f = 0; f < nFeatures; f++) {
        const o = f * featureStride + codes[codeBase + f] * stride;
        hist[o] += 1;
        hist[o + 1] += w;
        hist[o + k] += w;
      }
    }
  }
}
