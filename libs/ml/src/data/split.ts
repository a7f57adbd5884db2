import { quoted } from "./quoted.js";
import type { Dataset } from "../dataset.js";
import { Random } from "../random.js";

/**
 * Seeded splits of a table's rows. The same seed gives the same rows on every machine and in every
 * process (the worker and its shards, the scikit-learn parity tests), because all randomness comes
 * from Random.stream(seed, <a fixed stream per purpose>). Index arrays are sorted ascending, so a
 * subset keeps the file's row order.
 */

/** Random streams of a seed used by splits; forest trees use streams 0, 1, 2, … so these stay clear of them. */
const TRAIN_TEST_STREAM = 0xfff0_0000;
const K_FOLD_STREAM = 0xfff1_0000;

export interface RowSplit {
  readonly train: Uint32Array;
  readonly test: Uint32Array;
}

export interface TrainTestSplitOptions {
  /** A fraction in (0, 1) of the rows, or a whole number ≥ 1 of rows. Default 0.2, as scikit-learn. */
  readonly testSize?: number;
  readonly seed?: number;
  /** Keep each class's share in both parts (classification datasets only). */
  readonly stratify?: boolean;
}

export interface KFoldOptions {
  /** Number of folds, ≥ 2. Default 5, as scikit-learn. */
  readonly k?: number;
  readonly seed?: number;
  /** Keep each class's share in every fold (classification datasets only). */
  readonly stratify?: boolean;
}

export interface RepeatedKFoldOptions extends KFoldOptions {
  /** Default 10, as scikit-learn's RepeatedKFold. */
  readonly repeats?: number;
}

/** How many rows go to the test part: ceil(fraction × rows) as scikit-learn, or the count itself. */
export function testRowCount(nRows: number, testSize = 0.2): number {
  if (!Number.isFinite(testSize) || testSize <= 0) {
    throw new RangeError(`testSize must be a fraction in (0, 1) or a row count ≥ 1, got ${testSize}`);
  }
  if (testSize >= 1 && !Number.isInteger(testSize)) {
    throw new RangeError(`testSize ${testSize} is neither a fraction in (0, 1) nor a whole row count`);
  }
  const count = testSize < 1 ? Math.ceil(testSize * nRows) : testSize;
  if (count >= nRows) {
    throw new RangeError(`testSize ${testSize} leaves no training rows out of ${nRows}`);
  }
  return count;
}

/** A seeded train/test split of the rows of a dataset (or of `n` rows). */
export function trainTestSplit(data: Dataset | number, options: TrainTestSplitOptions = {}): RowSplit {
  const nRows = typeof data === "number" ? data : data.nRows;
  const nTest = testRowCount(nRows, options.testSize);
  const random = Random.stream(options.seed ?? 0, TRAIN_TEST_STREAM);
  const inTest = new Uint8Array(nRows);
  if (options.stratify) {
    const byClass = rowsByClass(stratifiable(data, "a stratified split"));
    const quotas = stratifiedQuotas(
      byClass.map((rows) => rows.length),
      nTest,
    );
    byClass.forEach((rows, c) => {
      random.shuffle(rows);
      for (let i = 0; i < quotas[c]; i++) inTest[rows[i]] = 1;
    });
  } else {
    const order = random.shuffle(identity(nRows));
    for (let i = 0; i < nTest; i++) inTest[order[i]] = 1;
  }
  return {
    train: rowsWhere(inTest, (flag) => flag === 0),
    test: rowsWhere(inTest, (flag) => flag === 1),
  };
}

/** Seeded k-fold cross-validation: every row is in exactly one fold's test part. */
export function kFold(data: Dataset | number, options: KFoldOptions = {}): RowSplit[] {
  return foldsFrom(data, options, Random.stream(options.seed ?? 0, K_FOLD_STREAM));
}

/** k-fold repeated with fresh shuffles; repeat 0 equals kFold with the same seed. Folds of repeat r are at [r·k, (r+1)·k). */
export function repeatedKFold(data: Dataset | number, options: RepeatedKFoldOptions = {}): RowSplit[] {
  const repeats = options.repeats ?? 10;
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`repeats must be a whole number ≥ 1, got ${repeats}`);
  const folds: RowSplit[] = [];
  for (let r = 0; r < repeats; r++) {
    folds.push(...foldsFrom(data, options, Random.stream(options.seed ?? 0, K_FOLD_STREAM + r)));
  }
  return folds;
}

/** The dataset restricted to the given rows, in that order; feature names and classes are kept whole. */
export function subset(dataset: Dataset, rows: ArrayLike<number>): Dataset {
  const n = rows.length;
  const gather = (column: Float64Array) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      if (!(row >= 0 && row < dataset.nRows && Number.isInteger(row))) {
        throw new RangeError(`row index ${row} is outside the dataset's ${dataset.nRows} rows`);
      }
      out[i] = column[row];
    }
    return out;
  };
  return { ...dataset, columns: dataset.columns.map(gather), target: gather(dataset.target), nRows: n };
}

function foldsFrom(data: Dataset | number, options: KFoldOptions, random: Random): RowSplit[] {
  const nRows = typeof data === "number" ? data : data.nRows;
  const k = options.k ?? 5;
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be a whole number ≥ 2, got ${k}`);
  if (k > nRows) throw new RangeError(`cannot make ${k} folds of ${nRows} rows`);
  const foldOf = new Uint32Array(nRows);
  if (options.stratify) {
    // Each class shuffled, classes one after another, dealt round-robin: every fold gets each
    // class's share ±1, and fold sizes differ by at most one row.
    let position = 0;
    for (const rows of rowsByClass(stratifiable(data, "stratified k-fold"))) {
      random.shuffle(rows);
      for (const row of rows) foldOf[row] = position++ % k;
    }
  } else {
    // As scikit-learn's KFold: the first n % k folds have one row more.
    const order = random.shuffle(identity(nRows));
    let start = 0;
    for (let f = 0; f < k; f++) {
      const size = Math.floor(nRows / k) + (f < nRows % k ? 1 : 0);
      for (let i = start; i < start + size; i++) foldOf[order[i]] = f;
      start += size;
    }
  }
  return Array.from({ length: k }, (_, f) => ({
    train: rowsWhere(foldOf, (fold) => fold !== f),
    test: rowsWhere(foldOf, (fold) => fold === f),
  }));
}

/**
 * Test rows per class summing to nTest, proportional to class sizes (largest remainder, ties to
 * the lower class index), leaving every class at least one training row.
 */
function stratifiedQuotas(classSizes: readonly number[], nTest: number): number[] {
  const nRows = classSizes.reduce((sum, size) => sum + size, 0);
  const exact = classSizes.map((size) => (size * nTest) / nRows);
  const quotas = exact.map(Math.floor);
  let left = nTest - quotas.reduce((sum, quota) => sum + quota, 0);
  const byRemainder = exact.map((_, c) => c).sort((a, b) => exact[b] - quotas[b] - (exact[a] - quotas[a]) || a - b);
  for (const c of byRemainder) {
    if (left === 0) break;
    if (quotas[c] < classSizes[c] - 1) {
      quotas[c]++;
      left--;
    }
  }
  // A class that would lose all its rows to the test part hands one back to the roomiest class.
  for (let c = 0; c < quotas.length; c++) {
    while (quotas[c] > classSizes[c] - 1) {
      quotas[c]--;
      left++;
    }
  }
  while (left > 0) {
    const roomiest = quotas.reduce((best, quota, c) => (classSizes[c] - 1 - quota > classSizes[best] - 1 - quotas[best] ? c : best), 0);
    if (classSizes[roomiest] - 1 - quotas[roomiest] <= 0) throw new RangeError(`cannot put ${nTest} rows in the test part`);
    quotas[roomiest]++;
    left--;
  }
  return quotas;
}

function stratifiable(data: Dataset | number, what: string): Dataset {
  if (typeof data === "number" || data.task !== "classification" || data.classes === undefined) {
    throw new RangeError(`${what} needs a classification dataset (class labels to stratify by)`);
  }
  const counts = new Array<number>(data.classes.length).fill(0);
  for (let i = 0; i < data.nRows; i++) counts[data.target[i]]++;
  counts.forEach((count, c) => {
    if (count === 1) {
      throw new RangeError(`${what} needs at least 2 rows of each class; class ${quoted(data.classes![c])} has 1`);
    }
  });
  return data;
}

/** Row indices of each class, in class order (absent classes give empty arrays). */
function rowsByClass(dataset: Dataset): Uint32Array[] {
  const nClasses = dataset.classes!.length;
  const counts = new Uint32Array(nClasses);
  for (let i = 0; i < dataset.nRows; i++) counts[dataset.target[i]]++;
  const rows = Array.from(counts, (count) => new Uint32Array(count));
  const filled = new Uint32Array(nClasses);
  for (let i = 0; i < dataset.nRows; i++) {
    const c = dataset.target[i];
    rows[c][filled[c]++] = i;
  }
  return rows;
}

function identity(n: number): Uint32Array {
  const rows = new Uint32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

function rowsWhere(labels: Uint8Array | Uint32Array, keep: (label: number) => boolean): Uint32Array {
  let count = 0;
  for (let i = 0; i < labels.length; i++) if (keep(labels[i])) count++;
  const rows = new Uint32Array(count);
  let next = 0;
  for (let i = 0; i < labels.length; i++) if (keep(labels[i])) rows[next++] = i;
  return rows;
}
