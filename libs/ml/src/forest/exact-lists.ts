import * as criterion from "./criterion.js";
import type { InBagRows } from "./in-bag-rows.js";
import type { TrainingData } from "./training-data.js";
import * as rowStatsModule from "./row-stats.js";
import * as sortedEntryModule from "./sorted-entry.js";

// Module-local copies for the hot loops: V8 reloads an imported (live) binding at every use (see tree-builder.ts).
const { COUNT, VALUES, WEIGHT } = criterion;
const { ROW_STATS, ROW_WEIGHT, ROW_Y } = rowStatsModule;
const { MAX_EXACT_ROWS, ROW_MASK, sortedEntry } = sortedEntryModule;

/** From this many rows an exact subtree's lists are counting-sorted (cheaper than a native sort). */
const COUNTING_SORT_SIZE = 48;
/** Numbers per local row in ExactLists.local: weight, target. */
export const LOCAL_STRIDE = 2;
/** Bin codes are bytes: 255 value bins and the missing bin. */
const BIN_CODES = 256;

/**
 * The row lists of an exact subtree (a node of at most `capacity` rows and everything below it): local copies of
 * its rows' data (local index = position in the subtree, so every per-row read stays within a few kilobytes of
 * cache), per feature a list of sorted entries (sorted-entry.ts) ordered by bin, and the stable partitions that
 * keep every list ordered as nodes split. Reused for every exact subtree of every tree a builder grows.
 */
export class ExactLists {
  /**
   * Per local row r, its weight at local[2r] and its target (class index for classification) at local[2r + 1]: one
   * array for both, since V8 reloads a typed array's map, length and data pointer at every iteration of a hot loop,
   * so each array a scan reads costs it four loads a row.
   */
  readonly local: Float64Array;
  /** Classification: class index per local row. */
  readonly localClass: Int32Array;
  private readonly localCodes: Uint8Array;
  /** 1 when the local row goes left at the split being applied. */
  readonly goLeft: Uint8Array;
  /**
   * Per feature f, entries [f·m, f·m + m) for an m-row subtree; from `spillAt`, the partitions' scratch for the rows
   * going right. One array, not two: V8 reloads a typed array's map, length and data pointer at every iteration of
   * a loop that stores to it, so each array a partition loop touches costs it four loads a row (measured in
   * isolation: 4.4 → 3.0–3.3 ns a row with the scratch here).
   */
  readonly sorted: Int32Array;
  private readonly spillAt: number;
  /**
   * Stats of nodes not grown yet, summed by their parent while partitioning feature 0's list: per level below the
   * subtree root, two slots (left, right child) of statsStride + 1 numbers (the stats vector, then Σ w·y²).
   */
  readonly childStats: Float64Array;
  private readonly keys: Uint32Array;
  /** Counting sort: where each bin's rows start. */
  private readonly binStart = new Int32Array(BIN_CODES + 1);
  private readonly nFeatures: number;
  private readonly regression: boolean;

  constructor(
    data: TrainingData,
    capacity: number,
    /** Numbers per stats vector: count, weight, values. */
    private readonly statsStride: number,
  ) {
    if (capacity > MAX_EXACT_ROWS) throw new RangeError(`an exact subtree holds at most ${MAX_EXACT_ROWS} rows`);
    const { nFeatures } = data;
    this.nFeatures = nFeatures;
    this.regression = data.nClasses === 0;
    this.local = new Float64Array(LOCAL_STRIDE * capacity);
    this.localClass = new Int32Array(this.regression ? 0 : capacity);
    this.localCodes = new Uint8Array(capacity * nFeatures);
    this.goLeft = new Uint8Array(capacity);
    this.spillAt = nFeatures * capacity;
    this.sorted = new Int32Array(this.spillAt + capacity);
    this.childStats = new Float64Array((capacity + 2) * 2 * (statsStride + 1));
    this.keys = new Uint32Array(capacity);
  }

  /** Takes rows[start … end) as the subtree: copies their data locally and sorts every feature's list; returns m. */
  load(rows: Int32Array, start: number, end: number, bag: InBagRows): number {
    const m = end - start;
    const { codes, rowStats, classOf } = bag;
    const nFeatures = this.nFeatures;
    const localCodes = this.localCodes;
    const local = this.local;
    for (let i = 0; i < m; i++) {
      const row = rows[start + i];
      const at = row * ROW_STATS;
      local[LOCAL_STRIDE * i] = rowStats[at + ROW_WEIGHT];
      local[LOCAL_STRIDE * i + 1] = rowStats[at + ROW_Y];
      if (!this.regression) this.localClass[i] = classOf[row];
      const from = row * nFeatures;
      const to = i * nFeatures;
      for (let f = 0; f < nFeatures; f++) localCodes[to + f] = codes[from + f];
    }
    const keys = this.keys.subarray(0, m);
    const sorted = this.sorted;
    const binStart = this.binStart;
    for (let f = 0; f < nFeatures; f++) {
      const base = f * m;
      if (m >= COUNTING_SORT_SIZE) {
        // Counting sort by bin (stable: rows of one bin keep their position order), O(m + 256).
        binStart.fill(0);
        for (let i = 0; i < m; i++) binStart[localCodes[i * nFeatures + f] + 1]++;
        for (let c = 1; c < 256; c++) binStart[c] += binStart[c - 1];
        for (let i = 0; i < m; i++) {
          const code = localCodes[i * nFeatures + f];
          sorted[base + binStart[code]++] = sortedEntry(code, i);
        }
      } else {
        // Entries are (bin << 16) | position: one native numeric sort orders rows by bin, stably.
        for (let i = 0; i < m; i++) keys[i] = localCodes[i * nFeatures + f] * MAX_EXACT_ROWS + i;
        keys.sort();
        sorted.set(keys, base);
      }
    }
    return m;
  }

  /** Stable partition of feature f's sorted list over [a, b) by goLeft. */
  partitionList(f: number, a: number, b: number, stride: number): void {
    const sorted = this.sorted;
    const goLeft = this.goLeft;
    const spillAt = this.spillAt;
    const base = f * stride;
    let l = base + a;
    let s = spillAt;
    // Branch-free: which side a row goes is unpredictable, so write it to both and advance one.
    for (let i = base + a; i < base + b; i++) {
      const entry = sorted[i];
      const g = goLeft[entry & ROW_MASK];
      sorted[l] = entry;
      sorted[s] = entry;
      l += g;
      s += 1 - g;
    }
    for (let k = spillAt; k < s; k++) sorted[l + k - spillAt] = sorted[k];
  }

  /** Moves feature f's rows going left, in order, to the front of [a, b); the rest is left as it falls. */
  gatherLeft(f: number, a: number, b: number, stride: number): void {
    const sorted = this.sorted;
    const goLeft = this.goLeft;
    const base = f * stride;
    let l = base + a;
    // Writes never pass the read position (l ≤ i), so nothing is overwritten before it is read.
    for (let i = base + a; i < base + b; i++) {
      const entry = sorted[i];
      sorted[l] = entry;
      l += goLeft[entry & ROW_MASK];
    }
  }

  /** Moves feature f's rows going right, in order, to the back of [a, b); the rest is left as it falls. */
  gatherRight(f: number, a: number, b: number, stride: number): void {
    const sorted = this.sorted;
    const goLeft = this.goLeft;
    const base = f * stride;
    let r = base + b - 1;
    // From the back: writes never pass the read position (r ≥ i).
    for (let i = base + b - 1; i >= base + a; i--) {
      const entry = sorted[i];
      sorted[r] = entry;
      r -= 1 - goLeft[entry & ROW_MASK];
    }
  }

  /**
   * partitionList for feature 0, also summing each side's stats into childStats at leftAt / rightAt:
   * the same sums, in the same order, as sumRows over the children's lists would give.
   */
  partitionFirstList(a: number, b: number, leftAt: number, rightAt: number): void {
    const sorted = this.sorted;
    const goLeft = this.goLeft;
    const spillAt = this.spillAt;
    const local = this.local;
    const cs = this.childStats;
    let l = a;
    let s = spillAt;
    if (this.regression) {
      let lw = 0;
      let lwy = 0;
      let lwy2 = 0;
      let rw = 0;
      let rwy = 0;
      let rwy2 = 0;
      for (let i = a; i < b; i++) {
        const entry = sorted[i];
        const row = entry & ROW_MASK;
        const w = local[LOCAL_STRIDE * row];
        const y = local[LOCAL_STRIDE * row + 1];
        if (goLeft[row] === 1) {
          sorted[l++] = entry;
          lw += w;
          lwy += w * y;
          lwy2 += w * y * y;
        } else {
          sorted[s++] = entry;
          rw += w;
          rwy += w * y;
          rwy2 += w * y * y;
        }
      }
      cs[leftAt + COUNT] = l - a;
      cs[leftAt + WEIGHT] = lw;
      cs[leftAt + VALUES] = lwy;
      cs[leftAt + 3] = lwy2;
      cs[rightAt + COUNT] = s - spillAt;
      cs[rightAt + WEIGHT] = rw;
      cs[rightAt + VALUES] = rwy;
      cs[rightAt + 3] = rwy2;
    } else {
      const classOf = this.localClass;
      const end = rightAt + this.statsStride + 1;
      for (let k = leftAt; k < end; k++) cs[k] = 0;
      for (let i = a; i < b; i++) {
        const entry = sorted[i];
        const row = entry & ROW_MASK;
        const w = local[LOCAL_STRIDE * row];
        const at = goLeft[row] === 1 ? leftAt : rightAt;
        if (at === leftAt) sorted[l++] = entry;
        else sorted[s++] = entry;
        cs[at + WEIGHT] += w;
        cs[at + VALUES + classOf[row]] += w;
      }
      cs[leftAt + COUNT] = l - a;
      cs[rightAt + COUNT] = s - spillAt;
    }
    for (let k = spillAt; k < s; k++) sorted[l + k - spillAt] = sorted[k];
  }
}
