import * as binning from "./binning.js";
import * as criterion from "./criterion.js";
import * as exactLists from "./exact-lists.js";
import * as sortedEntry from "./sorted-entry.js";

// Module-local copies for the hot loops: V8 reloads an imported (live) binding at every use (see tree-builder.ts).
const { MISSING_BIN } = binning;
const { COUNT, VALUES, WEIGHT, proxyOf } = criterion;
const { ROW_BITS, ROW_MASK } = sortedEntry;
const { LOCAL_STRIDE } = exactLists;

/**
 * The best split found so far at one node. `lo`/`hi` are the value bins either side of the cut
 * (rows with bin ≤ lo go left); hi = -1 means "every non-missing row left, missing rows right".
 */
export class SplitRecord {
  proxy = -Infinity;
  feature = -1;
  lo = -1;
  hi = -1;
  missingLeft = false;

  reset(): void {
    this.proxy = -Infinity;
    this.feature = -1;
    this.lo = -1;
    this.hi = -1;
    this.missingLeft = false;
  }

  found(): boolean {
    return this.feature >= 0;
  }

  /** Keeps the cut when it scores better than the best so far (ties keep the earlier one, as scikit-learn). */
  offer(proxy: number, feature: number, lo: number, hi: number, missingLeft: boolean): void {
    if (proxy > this.proxy) {
      this.proxy = proxy;
      this.feature = feature;
      this.lo = lo;
      this.hi = hi;
      this.missingLeft = missingLeft;
    }
  }
}

/** Scratch vectors for one split search, allocated once per tree builder. */
export class SplitScratch {
  readonly left: Float64Array;
  readonly missing: Float64Array;
  readonly right: Float64Array;
  readonly withMissing: Float64Array;
  constructor(readonly stride: number) {
    this.left = new Float64Array(stride);
    this.missing = new Float64Array(stride);
    this.right = new Float64Array(stride);
    this.withMissing = new Float64Array(stride);
  }
}

/**
 * Scores the cut between value bins `lo` and `hi` given the stats of the rows left of it (missing
 * rows excluded) and records it when it beats `best`. With missing rows present, both directions for
 * them are tried, as scikit-learn does.
 */
function scoreCut(
  feature: number,
  lo: number,
  hi: number,
  left: Float64Array,
  missing: Float64Array,
  total: Float64Array,
  scratch: SplitScratch,
  width: number,
  minLeaf: number,
  best: SplitRecord,
): void {
  const stride = scratch.stride;
  const right = scratch.right;
  // Missing rows go right.
  for (let s = 0; s < stride; s++) right[s] = total[s] - left[s];
  if (left[COUNT] >= minLeaf && right[COUNT] >= minLeaf) {
    const proxy = proxyOf(left, 0, null, 0, 1, width) + proxyOf(right, 0, null, 0, 1, width);
    // Without missing rows at training time, missing values follow the larger child (scikit-learn).
    best.offer(proxy, feature, lo, hi, missing[COUNT] === 0 && hi >= 0 && left[COUNT] > right[COUNT]);
  }
  if (missing[COUNT] > 0 && hi >= 0) {
    const withMissing = scratch.withMissing;
    for (let s = 0; s < stride; s++) {
      withMissing[s] = left[s] + missing[s];
      right[s] = total[s] - withMissing[s];
    }
    if (withMissing[COUNT] >= minLeaf && right[COUNT] >= minLeaf) {
      const proxy = proxyOf(withMissing, 0, null, 0, 1, width) + proxyOf(right, 0, null, 0, 1, width);
      best.offer(proxy, feature, lo, hi, true);
    }
  }
}

/**
 * Histogram scan of one feature: `hist` holds per (feature, bin) stats vectors of the node's rows.
 * Only occupied bins are candidates. Returns false when the feature is constant in the node.
 */
export function scanHistogram(
  hist: Float64Array,
  feature: number,
  nBins: number,
  total: Float64Array,
  scratch: SplitScratch,
  width: number,
  minLeaf: number,
  best: SplitRecord,
): boolean {
  const stride = scratch.stride;
  const base = feature * 256 * stride;
  const left = scratch.left;
  const missing = scratch.missing;
  const missingOffset = base + MISSING_BIN * stride;
  for (let s = 0; s < stride; s++) {
    left[s] = 0;
    missing[s] = hist[missingOffset + s];
  }
  let occupied = missing[COUNT] > 0 ? 1 : 0;
  let previous = -1;
  for (let b = 0; b < nBins; b++) {
    const offset = base + b * stride;
    if (hist[offset + COUNT] === 0) continue;
    occupied++;
    if (previous >= 0) scoreCut(feature, previous, b, left, missing, total, scratch, width, minLeaf, best);
    for (let s = 0; s < stride; s++) left[s] += hist[offset + s];
    previous = b;
  }
  if (missing[COUNT] > 0 && previous >= 0) scoreCut(feature, previous, -1, left, missing, total, scratch, width, minLeaf, best);
  return occupied > 1;
}

/**
 * Exact classification scan of one feature with missing values in the node: `sorted[start … end)` are its rows ordered by
 * this feature's bin (missing last), each entry packed as (bin << 16) | local row so the scan reads
 * the bin without a lookup. Same candidates as the histogram scan, without touching the 255 bins,
 * so a node costs O(rows) instead of O(bins).
 */
function scanSortedWithMissing(
  sorted: Int32Array,
  start: number,
  end: number,
  local: Float64Array,
  feature: number,
  total: Float64Array,
  scratch: SplitScratch,
  width: number,
  minLeaf: number,
  best: SplitRecord,
): boolean {
  const stride = scratch.stride;
  const left = scratch.left;
  const missing = scratch.missing;
  for (let s = 0; s < stride; s++) {
    left[s] = 0;
    missing[s] = 0;
  }
  const firstCode = sorted[start] >>> ROW_BITS;
  if (firstCode === sorted[end - 1] >>> ROW_BITS) return false;
  // Missing rows sort last: find where they start and total them.
  let present = end;
  while (present > start && sorted[present - 1] >>> ROW_BITS === MISSING_BIN) {
    present--;
    const row = sorted[present] & ROW_MASK;
    const w = local[LOCAL_STRIDE * row];
    missing[COUNT] += 1;
    missing[WEIGHT] += w;
    missing[VALUES + local[LOCAL_STRIDE * row + 1]] += w;
  }
  let code = firstCode;
  for (let i = start; i < present; i++) {
    const row = sorted[i] & ROW_MASK;
    const w = local[LOCAL_STRIDE * row];
    left[COUNT] += 1;
    left[WEIGHT] += w;
    left[VALUES + local[LOCAL_STRIDE * row + 1]] += w;
    if (i + 1 < present) {
      const next = sorted[i + 1] >>> ROW_BITS;
      if (next !== code) {
        scoreCut(feature, code, next, left, missing, total, scratch, width, minLeaf, best);
        code = next;
      }
    } else if (present < end) {
      scoreCut(feature, code, -1, left, missing, total, scratch, width, minLeaf, best);
    }
  }
  return true;
}

/**
 * Regression specialisation of scoreCut: the same decisions with scalars only (count, weight, Σw·y
 * for the rows left of the cut, the missing rows and the node), since this runs once per candidate.
 */
function scoreCutRegression(
  feature: number,
  lo: number,
  hi: number,
  lc: number,
  lw: number,
  ls: number,
  mc: number,
  mw: number,
  ms: number,
  total: Float64Array,
  minLeaf: number,
  best: SplitRecord,
): void {
  const tc = total[COUNT];
  const tw = total[WEIGHT];
  const ts = total[VALUES];
  let rc = tc - lc;
  if (lc >= minLeaf && rc >= minLeaf) {
    const rs = ts - ls;
    best.offer((ls * ls) / lw + (rs * rs) / (tw - lw), feature, lo, hi, mc === 0 && hi >= 0 && lc > rc);
  }
  if (mc > 0 && hi >= 0) {
    const wc = lc + mc;
    rc = tc - wc;
    if (wc >= minLeaf && rc >= minLeaf) {
      const ws = ls + ms;
      const ww = lw + mw;
      const rs = ts - ws;
      best.offer((ws * ws) / ww + (rs * rs) / (tw - ww), feature, lo, hi, true);
    }
  }
}

/** scanHistogram for regression (stats stride 3). */
export function scanHistogramRegression(
  hist: Float64Array,
  feature: number,
  nBins: number,
  total: Float64Array,
  minLeaf: number,
  best: SplitRecord,
): boolean {
  const base = feature * 256 * 3;
  const mo = base + MISSING_BIN * 3;
  const mc = hist[mo];
  const mw = hist[mo + 1];
  const ms = hist[mo + 2];
  let lc = 0;
  let lw = 0;
  let ls = 0;
  let occupied = mc > 0 ? 1 : 0;
  let previous = -1;
  for (let b = 0; b < nBins; b++) {
    const o = base + b * 3;
    const c = hist[o];
    if (c === 0) continue;
    occupied++;
    if (previous >= 0) scoreCutRegression(feature, previous, b, lc, lw, ls, mc, mw, ms, total, minLeaf, best);
    lc += c;
    lw += hist[o + 1];
    ls += hist[o + 2];
    previous = b;
  }
  if (mc > 0 && previous >= 0) scoreCutRegression(feature, previous, -1, lc, lw, ls, mc, mw, ms, total, minLeaf, best);
  return occupied > 1;
}

/** The exact scan for regression: `local` holds [w, y] per local row (ExactLists.local). */
export function scanSortedRegression(
  sorted: Int32Array,
  start: number,
  end: number,
  local: Float64Array,
  feature: number,
  total: Float64Array,
  minLeaf: number,
  best: SplitRecord,
): boolean {
  const firstCode = sorted[start] >>> ROW_BITS;
  const lastCode = sorted[end - 1] >>> ROW_BITS;
  if (firstCode === lastCode) return false;
  if (lastCode !== MISSING_BIN) {
    // No missing value in this feature here (the common case): the best cut is kept in locals; the
    // same candidates, in the same order, with the same arithmetic as scoreCutRegression.
    const tc = total[COUNT];
    const tw = total[WEIGHT];
    const ts = total[VALUES];
    let bestProxy = best.proxy;
    let bestLo = -1;
    let bestHi = -1;
    let bestCount = 0;
    let lc = 0;
    let lw = 0;
    let ls = 0;
    let entry = sorted[start];
    let code = entry >>> ROW_BITS;
    const last = end - 1;
    for (let i = start; i < last; i++) {
      const row = entry & ROW_MASK;
      const w = local[LOCAL_STRIDE * row];
      lc += 1;
      lw += w;
      ls += w * local[LOCAL_STRIDE * row + 1];
      entry = sorted[i + 1];
      const next = entry >>> ROW_BITS;
      // Scored at every row, cut or not: whether the next row starts a new bin is as unpredictable as a coin, and
      // two divisions cost less than the mispredicted branch. Only a cut between bins may win.
      const rs = ts - ls;
      const proxy = (ls * ls) / lw + (rs * rs) / (tw - lw);
      if (proxy > bestProxy && next !== code && lc >= minLeaf && tc - lc >= minLeaf) {
        bestProxy = proxy;
        bestLo = code;
        bestHi = next;
        bestCount = lc;
      }
      code = next;
    }
    // Only a cut better than the record was kept in the locals, so the offer always succeeds.
    if (bestLo >= 0) best.offer(bestProxy, feature, bestLo, bestHi, bestCount > tc - bestCount);
    return true;
  }
  return scanSortedRegressionWithMissing(sorted, start, end, local, feature, total, minLeaf, best, firstCode);
}

/**
 * scanSortedRegression for a feature with missing values in the node (missing rows sort last). Apart, so that the
 * common scan, run for every feature of every node, is small enough for V8 to inline into the tree builder.
 */
function scanSortedRegressionWithMissing(
  sorted: Int32Array,
  start: number,
  end: number,
  local: Float64Array,
  feature: number,
  total: Float64Array,
  minLeaf: number,
  best: SplitRecord,
  firstCode: number,
): boolean {
  let mc = 0;
  let mw = 0;
  let ms = 0;
  let present = end;
  while (present > start && sorted[present - 1] >>> ROW_BITS === MISSING_BIN) {
    present--;
    const row = sorted[present] & ROW_MASK;
    const w = local[LOCAL_STRIDE * row];
    mc += 1;
    mw += w;
    ms += w * local[LOCAL_STRIDE * row + 1];
  }
  let lc = 0;
  let lw = 0;
  let ls = 0;
  let code = firstCode;
  const last = present - 1;
  for (let i = start; i < last; i++) {
    const row = sorted[i] & ROW_MASK;
    const w = local[LOCAL_STRIDE * row];
    lc += 1;
    lw += w;
    ls += w * local[LOCAL_STRIDE * row + 1];
    const next = sorted[i + 1] >>> ROW_BITS;
    if (next !== code) {
      scoreCutRegression(feature, code, next, lc, lw, ls, mc, mw, ms, total, minLeaf, best);
      code = next;
    }
  }
  if (present < end && last >= start) {
    const row = sorted[last] & ROW_MASK;
    const w = local[LOCAL_STRIDE * row];
    scoreCutRegression(feature, code, -1, lc + 1, lw + w, ls + w * local[LOCAL_STRIDE * row + 1], mc, mw, ms, total, minLeaf, best);
  }
  return true;
}

/**
 * The exact scan for classification, for the common case of a node without missing values in this
 * feature: the class sums of squares on each side are updated per row (moving one row of class k
 * and weight w from right to left changes Σ_k v_k² by w·(2·v_k ± w)), so a candidate costs O(1)
 * instead of O(classes). `classOf` holds the class index per row.
 */
export function scanSortedClassification(
  sorted: Int32Array,
  start: number,
  end: number,
  local: Float64Array,
  classOf: Int32Array,
  feature: number,
  total: Float64Array,
  scratch: SplitScratch,
  width: number,
  minLeaf: number,
  best: SplitRecord,
): boolean {
  const firstCode = sorted[start] >>> ROW_BITS;
  const lastCode = sorted[end - 1] >>> ROW_BITS;
  if (firstCode === lastCode) return false;
  if (lastCode === MISSING_BIN) {
    return scanSortedWithMissing(sorted, start, end, local, feature, total, scratch, width, minLeaf, best);
  }
  const left = scratch.left;
  const right = scratch.right;
  const tc = total[COUNT];
  const tw = total[WEIGHT];
  let sumSqLeft = 0;
  let sumSqRight = 0;
  for (let k = 0; k < width; k++) {
    left[VALUES + k] = 0;
    const v = total[VALUES + k];
    right[VALUES + k] = v;
    sumSqRight += v * v;
  }
  let bestProxy = best.proxy;
  let bestLo = -1;
  let bestHi = -1;
  let bestCount = 0;
  let lc = 0;
  let lw = 0;
  let code = firstCode;
  const last = end - 1;
  for (let i = start; i < last; i++) {
    const row = sorted[i] & ROW_MASK;
    const w = local[LOCAL_STRIDE * row];
    const k = VALUES + classOf[row];
    sumSqLeft += w * (2 * left[k] + w);
    sumSqRight += w * (w - 2 * right[k]);
    left[k] += w;
    right[k] -= w;
    lc += 1;
    lw += w;
    const next = sorted[i + 1] >>> ROW_BITS;
    // Scored at every row, as in scanSortedRegression.
    const proxy = sumSqLeft / lw + sumSqRight / (tw - lw);
    if (proxy > bestProxy && next !== code && lc >= minLeaf && tc - lc >= minLeaf) {
      bestProxy = proxy;
      bestLo = code;
      bestHi = next;
      bestCount = lc;
    }
    code = next;
  }
  if (bestLo >= 0) best.offer(bestProxy, feature, bestLo, bestHi, bestCount > tc - bestCount);
  return true;
}
