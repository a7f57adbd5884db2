import { Random } from "../random.js";
import { MISSING_BIN, midpoint } from "./binning.js";
import { drawBootstrapWeights } from "./bootstrap.js";
import { COUNT, VALUES, WEIGHT, impurityOf } from "./criterion.js";
import { buildHistogramTyped } from "./histogram-kernel.js";
import { HistogramPool, subtractHistogram } from "./histogram-pool.js";
import { bootstrapSize, featuresPerSplit } from "./params.js";
import { randomIndex } from "./random-index.js";
import {
  SplitRecord,
  SplitScratch,
  scanHistogram,
  scanHistogramRegression,
  scanSortedClassification,
  scanSortedRegression,
} from "./splitter.js";
import type { TrainingData } from "./training-data.js";
import type { TreeArrays } from "./tree-arrays.js";
import { GrowingTree, lentView, sharedCopy, sliceCopy } from "./growing-tree.js";

/** Nodes with at most this many rows are split by exact scans over sorted rows instead of histograms. */
export const DEFAULT_EXACT_NODE_SIZE = 256;

/** From this many rows an exact subtree's lists are counting-sorted (cheaper than a native sort). */
const COUNTING_SORT_SIZE = 48;

/** scikit-learn's EPSILON: a node this pure is a leaf. */
const EPSILON = 2.220446049250313e-16;

/**
 * Grows trees depth-first, nodes numbered in pre-order. Large nodes are split from per-feature
 * histograms of bin codes (only the smaller child's histogram is built; the larger one is the
 * parent's minus it). Once a node has at most `exactNodeSize` rows, its subtree is grown from
 * per-feature row lists sorted by bin, partitioned stably at each split, so small nodes cost
 * O(rows × features) rather than O(bins × features). All buffers live as long as the builder; it is
 * reused for every tree a thread grows. Tree i depends only on the data, the parameters and
 * Random.stream(seed, i).
 */
export class TreeBuilder {
  private readonly n: number;
  private readonly nFeatures: number;
  private readonly regression: boolean;
  /** Numbers per node value: 1 (regression) or the number of classes. */
  private readonly width: number;
  /** Numbers per stats vector: count, weight, values. */
  private readonly stride: number;
  private readonly maxFeatures: number;
  private readonly minLeaf: number;
  private readonly minSplit: number;
  private readonly maxDepth: number;
  private readonly draws: number;
  private readonly exactNodeSize: number;

  private readonly weight: Float64Array;
  /** Regression: weight × y per row, the per-row term of every sum the splits need. */
  private readonly wy: Float64Array;
  /** Classification: the class index per row as an integer (typed-array index without conversion). */
  private readonly classOf: Int32Array;
  private readonly rows: Int32Array;
  /**
   * The exact subtree being grown works on local copies of its rows (local index = position in
   * rows[start … end)), so every per-row read hits a few kilobytes that stay in L1 cache instead of
   * the whole training set.
   */
  private readonly localWeight: Float64Array;
  private readonly localWy: Float64Array;
  private readonly localTarget: Float64Array;
  private readonly localClass: Int32Array;
  private readonly localCodes: Uint8Array;
  private readonly goLeft: Uint8Array;
  /** Per feature, the exact subtree's rows sorted by bin, as (bin << 16) | local row index. */
  private readonly sorted: Int32Array;
  private readonly spill: Int32Array;
  /**
   * Stats of exact-subtree nodes not grown yet, summed by their parent while partitioning feature 0's
   * list: per level below the subtree root, two slots (left, right child) of stride + 1 numbers
   * (the stats vector, then Σ w·y²).
   */
  private readonly childStats: Float64Array;
  private readonly keys: Uint32Array;
  /** Counting sort: where each bin's rows start. */
  private readonly binStart = new Int32Array(257);
  private readonly perm: Int32Array;
  private readonly pool: HistogramPool;
  private readonly total: Float64Array;
  private readonly scratch: SplitScratch;
  private readonly best = new SplitRecord();
  private random: Random = new Random(0);
  private lastWasLeaf = false;

  private readonly tree: GrowingTree;

  /**
   * @param sharedTrees grown trees' arrays live in SharedArrayBuffers, so a tree thread hands them to
   *   the main thread without a copy (and without detaching a buffer: see tree-worker.ts).
   */
  constructor(
    private readonly data: TrainingData,
    exactNodeSize = DEFAULT_EXACT_NODE_SIZE,
    private readonly sharedTrees = false,
  ) {
    const { nRows, nFeatures, nClasses, params } = data;
    if (exactNodeSize > 65536) throw new RangeError("exactNodeSize must be ≤ 65536");
    this.n = nRows;
    this.nFeatures = nFeatures;
    this.regression = nClasses === 0;
    this.width = this.regression ? 1 : nClasses;
    this.stride = 2 + this.width;
    this.maxFeatures = featuresPerSplit(params.maxFeatures, nFeatures);
    this.minLeaf = params.minSamplesLeaf;
    this.minSplit = Math.max(params.minSamplesSplit, 2 * params.minSamplesLeaf);
    this.maxDepth = params.maxDepth ?? Infinity;
    this.draws = bootstrapSize(params.maxSamples, nRows);
    this.exactNodeSize = Math.min(exactNodeSize, nRows);

    this.weight = new Float64Array(nRows);
    this.wy = new Float64Array(this.regression ? nRows : 0);
    this.classOf = this.regression ? new Int32Array(0) : Int32Array.from(data.target);
    this.rows = new Int32Array(nRows);
    this.localWeight = new Float64Array(this.exactNodeSize);
    this.localWy = new Float64Array(this.regression ? this.exactNodeSize : 0);
    this.localTarget = new Float64Array(this.exactNodeSize);
    this.localClass = new Int32Array(this.regression ? 0 : this.exactNodeSize);
    this.localCodes = new Uint8Array(this.exactNodeSize * nFeatures);
    this.goLeft = new Uint8Array(this.exactNodeSize);
    this.sorted = new Int32Array(nFeatures * this.exactNodeSize);
    this.spill = new Int32Array(this.exactNodeSize);
    this.childStats = new Float64Array((this.exactNodeSize + 2) * 2 * (this.stride + 1));
    this.keys = new Uint32Array(this.exactNodeSize);
    this.perm = new Int32Array(nFeatures);
    this.pool = new HistogramPool(nFeatures * 256 * this.stride);
    this.total = new Float64Array(this.stride);
    this.scratch = new SplitScratch(this.stride);

    this.tree = new GrowingTree(nRows, this.width);
  }

  /** Grows tree `treeIndex` of the forest; the tree's arrays are its own. */
  grow(treeIndex: number): TreeArrays {
    this.growNodes(treeIndex);
    return this.tree.snapshot(this.sharedTrees ? sharedCopy : sliceCopy);
  }

  /**
   * Grows tree `treeIndex` and lends it: its arrays are views of this builder's, valid until the next
   * tree is grown. A caller that serializes or evaluates each tree at once saves copying it.
   */
  growLent(treeIndex: number): TreeArrays {
    this.growNodes(treeIndex);
    return this.tree.snapshot(lentView);
  }

  private growNodes(treeIndex: number): void {
    const params = this.data.params;
    this.random = Random.stream(params.seed, treeIndex);
    drawBootstrapWeights(this.weight, params.bootstrap, this.draws, this.random);
    let inBag = 0;
    for (let r = 0; r < this.n; r++) if (this.weight[r] > 0) this.rows[inBag++] = r;
    if (this.regression) for (let r = 0; r < this.n; r++) this.wy[r] = this.weight[r] * this.data.target[r];
    for (let f = 0; f < this.nFeatures; f++) this.perm[f] = f;
    this.tree.clear();

    if (inBag > this.exactNodeSize) {
      const hist = this.pool.acquire();
      this.buildHistogram(hist, 0, inBag);
      this.growFromHistogram(0, inBag, 0, hist);
      this.pool.release(hist);
    } else {
      this.growExactSubtree(0, inBag, 0);
    }
  }

  /** Adds a node for the rows summarised in `this.total`; returns its id, sets lastWasLeaf. */
  private addNode(rowCount: number, sumWY2: number, depth: number): number {
    const total = this.total;
    const impurity = impurityOf(total, this.width, this.regression, sumWY2);
    const id = this.tree.addLeaf(total[WEIGHT], impurity, total, VALUES);
    this.lastWasLeaf = rowCount < this.minSplit || depth >= this.maxDepth || impurity <= EPSILON;
    return id;
  }

  /**
   * Sums the stats of rows list[start … end) into this.total; returns Σ w·y² (regression). `weight`
   * and `target` are indexed by the list's entries (global rows, or an exact subtree's local rows).
   */
  private sumRows(list: Int32Array, start: number, end: number, weight: Float64Array, target: Float64Array, rowMask: number): number {
    const total = this.total;
    total.fill(0);
    let sumWY2 = 0;
    total[COUNT] = end - start;
    if (this.regression) {
      let w = 0;
      let wy = 0;
      for (let i = start; i < end; i++) {
        const row = list[i] & rowMask;
        const rw = weight[row];
        const y = target[row];
        w += rw;
        wy += rw * y;
        sumWY2 += rw * y * y;
      }
      total[WEIGHT] = w;
      total[VALUES] = wy;
    } else {
      for (let i = start; i < end; i++) {
        const row = list[i] & rowMask;
        const rw = weight[row];
        total[WEIGHT] += rw;
        total[VALUES + target[row]] += rw;
      }
    }
    return sumWY2;
  }

  /**
   * The best split of a large node from its histogram: features drawn without replacement until `maxFeatures`
   * non-constant ones were scanned (scikit-learn).
   */
  private searchHistogramSplit(hist: Float64Array): boolean {
    const { best, total, minLeaf, nFeatures, maxFeatures } = this;
    const bins = this.data.bins;
    best.reset();
    let scanned = 0;
    for (let i = 0; i < nFeatures && scanned < maxFeatures; i++) {
      const f = this.drawFeature(i);
      const found = this.regression
        ? scanHistogramRegression(hist, f, bins[f].nBins, total, minLeaf, best)
        : scanHistogram(hist, f, bins[f].nBins, total, this.scratch, this.width, minLeaf, best);
      if (found) scanned++;
    }
    return best.found();
  }

  /** The best split of an exact-subtree node over entries [start, end) of every feature's sorted list (same draws). */
  private searchSortedSplit(start: number, end: number, stride: number): boolean {
    const { best, total, minLeaf, nFeatures, maxFeatures } = this;
    const { sorted, localWeight, localWy, localTarget, localClass } = this;
    best.reset();
    let scanned = 0;
    for (let i = 0; i < nFeatures && scanned < maxFeatures; i++) {
      const f = this.drawFeature(i);
      const from = f * stride + start;
      const to = f * stride + end;
      const found = this.regression
        ? scanSortedRegression(sorted, from, to, localWeight, localWy, f, total, minLeaf, best)
        : scanSortedClassification(sorted, from, to, localWeight, localTarget, localClass, f, total, this.scratch, this.width, minLeaf, best);
      if (found) scanned++;
    }
    return best.found();
  }

  /** Step i of the Fisher–Yates shuffle of the features: the i-th feature to try at this node. */
  private drawFeature(i: number): number {
    const perm = this.perm;
    const j = i + randomIndex(this.random, this.nFeatures - i);
    const f = perm[j];
    perm[j] = perm[i];
    perm[i] = f;
    return f;
  }

  private recordSplit(id: number): void {
    const best = this.best;
    const bins = this.data.bins[best.feature];
    this.tree.setSplit(id, best.feature, best.hi < 0 ? Infinity : midpoint(bins.upper[best.lo], bins.lower[best.hi]), best.missingLeft);
  }

  private buildHistogram(hist: Float64Array, start: number, end: number): void {
    const { codes } = this.data;
    buildHistogramTyped({ codes, nFeatures: this.nFeatures, rows: this.rows, start, end, weight: this.weight, wy: this.wy, classOf: this.classOf, nClasses: this.regression ? 0 : this.width }, hist);
  }

  /** Moves the rows going left to the front of rows[start … end); returns where the right ones begin. */
  private partitionRows(start: number, end: number): number {
    const best = this.best;
    const codes = this.data.codes;
    const feature = best.feature;
    const nFeatures = this.nFeatures;
    const lo = best.lo;
    const missingLeft = best.missingLeft;
    const rows = this.rows;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      const code = codes[rows[i] * nFeatures + feature];
      const left = code === MISSING_BIN ? missingLeft : code <= lo;
      if (left) i++;
      else {
        const tmp = rows[i];
        rows[i] = rows[j];
        rows[j] = tmp;
        j--;
      }
    }
    return i;
  }

  private growFromHistogram(start: number, end: number, depth: number, hist: Float64Array): number {
    const sumWY2 = this.sumRows(this.rows, start, end, this.weight, this.data.target, -1);
    const id = this.addNode(end - start, sumWY2, depth);
    if (this.lastWasLeaf) return id;
    if (!this.searchHistogramSplit(hist)) return id;
    this.recordSplit(id);
    const mid = this.partitionRows(start, end);
    const leftSize = mid - start;
    const rightSize = end - mid;
    const small = this.exactNodeSize;
    let leftId: number;
    let rightId: number;
    if (leftSize > small && rightSize > small) {
      const other = this.pool.acquire();
      if (leftSize <= rightSize) {
        this.buildHistogram(other, start, mid);
        subtractHistogram(hist, other);
        leftId = this.growFromHistogram(start, mid, depth + 1, other);
        this.pool.release(other);
        rightId = this.growFromHistogram(mid, end, depth + 1, hist);
      } else {
        this.buildHistogram(other, mid, end);
        subtractHistogram(hist, other);
        leftId = this.growFromHistogram(start, mid, depth + 1, hist);
        rightId = this.growFromHistogram(mid, end, depth + 1, other);
        this.pool.release(other);
      }
    } else if (leftSize > small) {
      const other = this.pool.acquire();
      this.buildHistogram(other, mid, end);
      subtractHistogram(hist, other);
      this.pool.release(other);
      leftId = this.growFromHistogram(start, mid, depth + 1, hist);
      rightId = this.growExactSubtree(mid, end, depth + 1);
    } else if (rightSize > small) {
      const other = this.pool.acquire();
      this.buildHistogram(other, start, mid);
      subtractHistogram(hist, other);
      this.pool.release(other);
      leftId = this.growExactSubtree(start, mid, depth + 1);
      rightId = this.growFromHistogram(mid, end, depth + 1, hist);
    } else {
      leftId = this.growExactSubtree(start, mid, depth + 1);
      rightId = this.growExactSubtree(mid, end, depth + 1);
    }
    this.tree.setChildren(id, leftId, rightId);
    return id;
  }

  /** Copies the subtree's rows locally, sorts them by bin once per feature, then grows it with exact scans. */
  private growExactSubtree(start: number, end: number, depth: number): number {
    const m = end - start;
    const { codes, target } = this.data;
    const nFeatures = this.nFeatures;
    const rows = this.rows;
    const localCodes = this.localCodes;
    for (let i = 0; i < m; i++) {
      const row = rows[start + i];
      this.localWeight[i] = this.weight[row];
      this.localTarget[i] = target[row];
      if (this.regression) this.localWy[i] = this.wy[row];
      else this.localClass[i] = this.classOf[row];
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
          sorted[base + binStart[code]++] = (code << 16) | i;
        }
      } else {
        // Entries are (bin << 16) | position: one native numeric sort orders rows by bin, stably.
        for (let i = 0; i < m; i++) keys[i] = localCodes[i * nFeatures + f] * 65536 + i;
        keys.sort();
        sorted.set(keys, base);
      }
    }
    return this.growExact(0, m, depth, m, 0, -1);
  }

  /**
   * Grows the node over sorted[a … b) at `level` below the exact subtree's root; its stats are in
   * childStats at `statsAt`, or summed here when statsAt < 0 (the subtree's root).
   */
  private growExact(a: number, b: number, depth: number, stride: number, level: number, statsAt: number): number {
    const sorted = this.sorted;
    let sumWY2: number;
    if (statsAt < 0) sumWY2 = this.sumRows(sorted, a, b, this.localWeight, this.localTarget, 0xffff);
    else {
      const total = this.total;
      const childStats = this.childStats;
      const statsStride = this.stride;
      for (let k = 0; k < statsStride; k++) total[k] = childStats[statsAt + k];
      sumWY2 = childStats[statsAt + statsStride];
    }
    const id = this.addNode(b - a, sumWY2, depth);
    if (this.lastWasLeaf) return id;
    if (!this.searchSortedSplit(a, b, stride)) return id;
    this.recordSplit(id);

    const best = this.best;
    const goLeft = this.goLeft;
    const splitBase = best.feature * stride;
    const splitFeature = best.feature;
    const nFeatures = this.nFeatures;
    const lo = best.lo;
    const missingLeft = best.missingLeft;
    let leftCount = 0;
    for (let i = a; i < b; i++) {
      const entry = sorted[splitBase + i];
      const row = entry & 0xffff;
      const code = entry >>> 16;
      const left = code === MISSING_BIN ? missingLeft : code <= lo;
      goLeft[row] = left ? 1 : 0;
      if (left) leftCount++;
    }
    const mid = a + leftCount;
    // Stable partition keeps each side sorted. Feature 0's list is always partitioned (the children's
    // sums are taken over it, in its order); the others only when a child will be split further.
    const leftAt = (level + 1) * 2 * (this.stride + 1);
    const rightAt = leftAt + this.stride + 1;
    this.partitionFirstList(a, b, leftAt, rightAt);
    const leftIsLeaf = this.isLeafAt(depth + 1, leftAt);
    const rightIsLeaf = this.isLeafAt(depth + 1, rightAt);
    if (!leftIsLeaf || !rightIsLeaf) {
      // Without missing rows going left, the split feature's left rows are already its list's prefix.
      const skip = missingLeft ? -1 : splitFeature;
      // A leaf child never reads the lists again, so only the other child's rows need to be in place.
      for (let f = 1; f < nFeatures; f++) {
        if (f === skip) continue;
        if (leftIsLeaf) this.gatherRight(f, a, b, stride);
        else if (rightIsLeaf) this.gatherLeft(f, a, b, stride);
        else this.partitionList(f, a, b, stride);
      }
    }
    const leftId = this.growExact(a, mid, depth + 1, stride, level + 1, leftAt);
    const rightId = this.growExact(mid, b, depth + 1, stride, level + 1, rightAt);
    this.tree.setChildren(id, leftId, rightId);
    return id;
  }

  /** Stable partition of feature f's sorted list over [a, b) by this.goLeft. */
  private partitionList(f: number, a: number, b: number, stride: number): void {
    const sorted = this.sorted;
    const goLeft = this.goLeft;
    const spill = this.spill;
    const base = f * stride;
    let l = base + a;
    let s = 0;
    // Branch-free: which side a row goes is unpredictable, so write it to both and advance one.
    for (let i = base + a; i < base + b; i++) {
      const entry = sorted[i];
      const g = goLeft[entry & 0xffff];
      sorted[l] = entry;
      spill[s] = entry;
      l += g;
      s += 1 - g;
    }
    for (let k = 0; k < s; k++) sorted[l + k] = spill[k];
  }

  /** Moves feature f's rows going left, in order, to the front of [a, b); the rest is left as it falls. */
  private gatherLeft(f: number, a: number, b: number, stride: number): void {
    const sorted = this.sorted;
    const goLeft = this.goLeft;
    const base = f * stride;
    let l = base + a;
    // Writes never pass the read position (l ≤ i), so nothing is overwritten before it is read.
    for (let i = base + a; i < base + b; i++) {
      const entry = sorted[i];
      sorted[l] = entry;
      l += goLeft[entry & 0xffff];
    }
  }

  /** Moves feature f's rows going right, in order, to the back of [a, b); the rest is left as it falls. */
  private gatherRight(f: number, a: number, b: number, stride: number): void {
    const sorted = this.sorted;
    const goLeft = this.goLeft;
    const base = f * stride;
    let r = base + b - 1;
    // From the back: writes never pass the read position (r ≥ i).
    for (let i = base + b - 1; i >= base + a; i--) {
      const entry = sorted[i];
      sorted[r] = entry;
      r -= 1 - goLeft[entry & 0xffff];
    }
  }

  /**
   * partitionList for feature 0, also summing each side's stats into childStats at leftAt / rightAt:
   * the same sums, in the same order, as sumRows over the children's lists would give.
   */
  private partitionFirstList(a: number, b: number, leftAt: number, rightAt: number): void {
    const sorted = this.sorted;
    const goLeft = this.goLeft;
    const spill = this.spill;
    const weight = this.localWeight;
    const target = this.localTarget;
    const cs = this.childStats;
    let l = a;
    let s = 0;
    if (this.regression) {
      let lw = 0;
      let lwy = 0;
      let lwy2 = 0;
      let rw = 0;
      let rwy = 0;
      let rwy2 = 0;
      for (let i = a; i < b; i++) {
        const entry = sorted[i];
        const row = entry & 0xffff;
        const w = weight[row];
        const y = target[row];
        if (goLeft[row] === 1) {
          sorted[l++] = entry;
          lw += w;
          lwy += w * y;
          lwy2 += w * y * y;
        } else {
          spill[s++] = entry;
          rw += w;
          rwy += w * y;
          rwy2 += w * y * y;
        }
      }
      cs[leftAt + COUNT] = l - a;
      cs[leftAt + WEIGHT] = lw;
      cs[leftAt + VALUES] = lwy;
      cs[leftAt + 3] = lwy2;
      cs[rightAt + COUNT] = s;
      cs[rightAt + WEIGHT] = rw;
      cs[rightAt + VALUES] = rwy;
      cs[rightAt + 3] = rwy2;
    } else {
      const classOf = this.localClass;
      const end = rightAt + this.stride + 1;
      for (let k = leftAt; k < end; k++) cs[k] = 0;
      for (let i = a; i < b; i++) {
        const entry = sorted[i];
        const row = entry & 0xffff;
        const w = weight[row];
        const at = goLeft[row] === 1 ? leftAt : rightAt;
        if (at === leftAt) sorted[l++] = entry;
        else spill[s++] = entry;
        cs[at + WEIGHT] += w;
        cs[at + VALUES + classOf[row]] += w;
      }
      cs[leftAt + COUNT] = l - a;
      cs[rightAt + COUNT] = s;
    }
    for (let k = 0; k < s; k++) sorted[l + k] = spill[k];
  }

  /** Whether growExact will make the child with stats at `statsAt` a leaf (addNode's test, on the same sums). */
  private isLeafAt(depth: number, statsAt: number): boolean {
    const cs = this.childStats;
    if (cs[statsAt + COUNT] < this.minSplit || depth >= this.maxDepth) return true;
    const total = this.total;
    const statsStride = this.stride;
    for (let k = 0; k < statsStride; k++) total[k] = cs[statsAt + k];
    return impurityOf(total, this.width, this.regression, cs[statsAt + statsStride]) <= EPSILON;
  }
}
