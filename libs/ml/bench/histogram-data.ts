import { Random } from "../src/random.js";
import type { HistogramInput } from "../src/forest/histogram-kernel.js";
import { ROW_STATS, ROW_WEIGHT, ROW_Y } from "../src/forest/row-stats.js";

/** Binned data as the engine holds it: row-major codes (2% missing = 255), bootstrap-like weights. */
export interface SyntheticBins {
  readonly nRows: number;
  readonly nFeatures: number;
  readonly codes: Uint8Array;
  readonly weight: Float64Array;
  readonly y: Float64Array;
  readonly classOf: Int32Array;
}

export function syntheticBins(nRows: number, nFeatures: number, nClasses: number, seed: number): SyntheticBins {
  const random = new Random(seed);
  const codes = new Uint8Array(nRows * nFeatures);
  for (let i = 0; i < codes.length; i++) codes[i] = random.nextFloat() < 0.02 ? 255 : random.nextInt(255);
  // In-bag rows of a bootstrap: weight ≥ 1 (Poisson(1) given > 0, roughly).
  const weight = Float64Array.from({ length: nRows }, () => {
    const u = random.nextFloat();
    return u < 0.58 ? 1 : u < 0.87 ? 2 : u < 0.97 ? 3 : 4;
  });
  const y = Float64Array.from({ length: nRows }, () => 20 + 10 * (random.nextFloat() + random.nextFloat() - 1) + random.nextFloat() * 1e-3);
  const classOf = Int32Array.from({ length: nClasses > 0 ? nRows : 0 }, () => random.nextInt(nClasses));
  return { nRows, nFeatures, codes, weight, y, classOf };
}

/** A node of `size` rows drawn without replacement from the data, in ascending row order. */
export function nodeRows(nRows: number, size: number, seed: number): Int32Array {
  const all = Int32Array.from({ length: nRows }, (_, i) => i);
  if (size >= nRows) return all;
  new Random(seed).shuffle(all);
  return all.subarray(0, size).sort();
}

export function histogramInput(data: SyntheticBins, nClasses: number, rows: Int32Array): HistogramInput {
  const regression = nClasses === 0;
  return {
    codes: data.codes,
    nFeatures: data.nFeatures,
    rows,
    start: 0,
    end: rows.length,
    rowStats: rowStatsOf(data, regression),
    classOf: regression ? new Int32Array(0) : data.classOf,
    nClasses,
  };
}

function rowStatsOf(data: SyntheticBins, regression: boolean): Float64Array {
  const rowStats = new Float64Array(data.nRows * ROW_STATS);
  for (let r = 0; r < data.nRows; r++) {
    rowStats[r * ROW_STATS + ROW_WEIGHT] = data.weight[r];
    rowStats[r * ROW_STATS + ROW_Y] = regression ? data.y[r] : data.classOf[r];
  }
  return rowStats;
}
