import { Random } from "../random.js";
import * as binning from "./binning.js";
import { drawBootstrapWeights } from "./bootstrap.js";
import * as criterion from "./criterion.js";
import * as histogramKernel from "./histogram-kernel.js";
import * as histogramPool from "./histogram-pool.js";
import { bootstrapSize, featuresPerSplit } from "./params.js";
import * as randomIndexModule from "./random-index.js";
import * as splitter from "./splitter.js";
import type { TrainingData } from "./training-data.js";
import type { TreeArrays } from "./tree-arrays.js";
import { GrowingTree, lentView, sharedCopy, sliceCopy } from "./growing-tree.js";
import * as exactListsModule from "./exact-lists.js";
import * as inBagRowsModule from "./in-bag-rows.js";
import * as rowStatsModule from "./row-stats.js";
import * as sortedEntryModule from "./sorted-entry.js";

// Module-local copies of the imports the hot loops use. An imported binding is live, so optimized code reloads it
// from its module (with a hole check) at every use, even a constant; a module's own `const` is folded into the
// code. Measured on the exact scan: 25 % faster with local copies; trees grow ≈ 9 % faster (same trees).
const { MISSING_BIN, midpoint } = binning;
const { COUNT, VALUES, WEIGHT, impurityOf } = criterion;
const { randomIndex } = randomIndexModule;
const { ROW_STATS, ROW_WEIGHT, ROW_Y } = rowStatsModule;
const { allocateInBagRows, gatherInBag } = inBagRowsModule;
const { MAX_EXACT_ROWS, ROW_BITS, ROW_MASK, binOfEntry, rowOfEntry } = sortedEntryModule;
const { buildHistogramTyped, histogramLength } = histogramKernel;
const { HistogramPool, subtractHistogram } = histogramPool;
const { ExactLists, LOCAL_STRIDE } = exactListsModule;
const { SplitRecord, SplitScratch, scanHistogram, scanHistogramRegression, scanSortedClassification, scanSortedRegression } = splitter;

/** Nodes with at most this many rows are split by exact scans over sorted rows instead of histograms. */
export const DEFAULT_EXACT_NODE_SIZE = 256;

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
  /** The current tree's in-bag rows (in-bag-rows.ts): the only rows its splits read. */
  private readonly bag: inBagRowsModule.InBagRows;
  /** In-bag row indexes; a node's rows are a range of it. */
  private readonly rows: Int32Array;
  /** The lists of the exact subtree being grown. */
  private readonly exact: exactListsModule.ExactLists;
  private readonly perm: Int32Array;
  private readonly pool: histogramPool.HistogramPool;
  /** Where a pooled histogram's bins end and its node's totals begin. */
  private readonly histLength: number;
  private readonly total: Float64Array;
  private readonly scratch: splitter.SplitScratch;
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
    if (exactNodeSize > MAX_EXACT_ROWS) throw new RangeError(`exactNodeSize must be ≤ ${MAX_EXACT_ROWS}`);
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
    this.bag = allocateInBagRows(data);
    this.rows = new Int32Array(nRows);
    this.exact = new ExactLists(data, this.exactNodeSize, this.stride);
    this.perm = new Int32Array(nFeatures);
    this.histLength = histogramLength(nFeatures, nClasses);
    // Each histogram is followed by its node's totals (the kernel sums them as it reads the rows).
    this.pool = new HistogramPool(this.histLength + this.stride + 1);
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
    const inBag = gatherInBag(this.data, this.weight, this.bag);
    for (let i = 0; i < inBag; i++) this.rows[i] = i;
    for (let f = 0; f < this.nFeatures; f++) this.perm[f] = f;
    this.tree.clear();

    if (inBag > this.exactNodeSize) {
      const hist = this.pool.acquire();
      this.buildHistogram(hist, 0, inBag);
      this.growFromHistogram(0, inBag, 0, hist, true);
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

  /** Copies the totals the histogram kernel summed with `hist` into this.total; returns Σ w·y². */
  private totalsOf(hist: Float64Array): number {
    const total = this.total;
    const at = this.histLength;
    const stride = this.stride;
    for (let k = 0; k < stride; k++) total[k] = hist[at + k];
    return hist[at + stride];
  }

  /** Sums the stats of rows[start … end) into this.total; returns Σ w·y² (regression). */
  private sumRows(start: number, end: number): number {
    const rowStats = this.bag.rowStats;
    return this.sumStats(this.rows, start, end, -1, ROW_STATS, rowStats, ROW_WEIGHT, rowStats, ROW_Y);
  }

  /** sumRows for the entries sorted[start … end) of an exact subtree's list (local rows). */
  private sumLocalRows(start: number, end: number): number {
    const { sorted, local } = this.exact;
    return this.sumStats(sorted, start, end, ROW_MASK, LOCAL_STRIDE, local, 0, local, 1);
  }

  /**
   * Sums into this.total the stats of the rows list[start … end) names (row = entry & rowMask), whose weight and
   * target are at row·stride + their offset; returns Σ w·y² (regression).
   */
  private sumStats(
    list: Int32Array,
    start: number,
    end: number,
    rowMask: number,
    stride: number,
    weight: Float64Array,
    weightAt: number,
    target: Float64Array,
    targetAt: number,
  ): number {
    const total = this.total;
    total.fill(0);
    let sumWY2 = 0;
    total[COUNT] = end - start;
    if (this.regression) {
      let w = 0;
      let wy = 0;
      for (let i = start; i < end; i++) {
        const at = (list[i] & rowMask) * stride;
        const rw = weight[at + weightAt];
        const y = target[at + targetAt];
        w += rw;
        wy += rw * y;
        sumWY2 += rw * y * y;
      }
      total[WEIGHT] = w;
      total[VALUES] = wy;
    } else {
      for (let i = start; i < end; i++) {
        const at = (list[i] & rowMask) * stride;
        const rw = weight[at + weightAt];
        total[WEIGHT] += rw;
        total[VALUES + target[at + targetAt]] += rw;
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
    const { sorted, local, localClass } = this.exact;
    best.reset();
    let scanned = 0;
    for (let i = 0; i < nFeatures && scanned < maxFeatures; i++) {
      const f = this.drawFeature(i);
      const from = f * stride + start;
      const to = f * stride + end;
      const found = this.regression
        ? scanSortedRegression(sorted, from, to, local, f, total, minLeaf, best)
        : scanSortedClassification(sorted, from, to, local, localClass, f, total, this.scratch, this.width, minLeaf, best);
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
    const { codes, rowStats, classOf } = this.bag;
    buildHistogramTyped(
      {
        codes,
        nFeatures: this.nFeatures,
        rows: this.rows,
        start,
        end,
        rowStats,
        classOf,
        nClasses: this.regression ? 0 : this.width,
        totals: hist.subarray(this.histLength),
      },
      hist,
    );
  }

  /** Moves the rows going left to the front of rows[start … end); returns where the right ones begin. */
  private partitionRows(start: number, end: number): number {
    const best = this.best;
    const codes = this.bag.codes;
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

  /**
   * Grows the node over rows[start … end) whose histogram is `hist`; `summed`: the histogram was built from these rows,
   * so its totals are the node's (the sums sumRows gives, in the same order), else they are summed here.
   */
  private growFromHistogram(start: number, end: number, depth: number, hist: Float64Array, summed: boolean): number {
    const sumWY2 = summed ? this.totalsOf(hist) : this.sumRows(start, end);
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
        leftId = this.growFromHistogram(start, mid, depth + 1, other, true);
        this.pool.release(other);
        rightId = this.growFromHistogram(mid, end, depth + 1, hist, false);
      } else {
        this.buildHistogram(other, mid, end);
        subtractHistogram(hist, other);
        leftId = this.growFromHistogram(start, mid, depth + 1, hist, false);
        rightId = this.growFromHistogram(mid, end, depth + 1, other, true);
        this.pool.release(other);
      }
    } else if (leftSize > small) {
      const other = this.pool.acquire();
      this.buildHistogram(other, mid, end);
      subtractHistogram(hist, other);
      this.pool.release(other);
      leftId = this.growFromHistogram(start, mid, depth + 1, hist, false);
      rightId = this.growExactSubtree(mid, end, depth + 1);
    } else if (rightSize > small) {
      const other = this.pool.acquire();
      this.buildHistogram(other, start, mid);
      subtractHistogram(hist, other);
      this.pool.release(other);
      leftId = this.growExactSubtree(start, mid, depth + 1);
      rightId = this.growFromHistogram(mid, end, depth + 1, hist, false);
    } else {
      leftId = this.growExactSubtree(start, mid, depth + 1);
      rightId = this.growExactSubtree(mid, end, depth + 1);
    }
    this.tree.setChildren(id, leftId, rightId);
    return id;
  }

  /** Copies the subtree's rows locally, sorts them by bin once per feature, then grows it with exact scans. */
  private growExactSubtree(start: number, end: number, depth: number): number {
    const m = this.exact.load(this.rows, start, end, this.bag);
    return this.growExact(0, m, depth, m, 0, -1);
  }

  /**
   * Grows the node over sorted[a … b) at `level` below the exact subtree's root; its stats are in
   * childStats at `statsAt`, or summed here when statsAt < 0 (the subtree's root).
   */
  private growExact(a: number, b: number, depth: number, stride: number, level: number, statsAt: number): number {
    const exact = this.exact;
    const sorted = exact.sorted;
    let sumWY2: number;
    if (statsAt < 0) sumWY2 = this.sumLocalRows(a, b);
    else {
      const total = this.total;
      const childStats = exact.childStats;
      const statsStride = this.stride;
      for (let k = 0; k < statsStride; k++) total[k] = childStats[statsAt + k];
      sumWY2 = childStats[statsAt + statsStride];
    }
    const id = this.addNode(b - a, sumWY2, depth);
    if (this.lastWasLeaf) return id;
    if (b - a === 2 && this.regression) return this.splitTwoRows(id, a, depth, stride);
    if (!this.searchSortedSplit(a, b, stride)) return id;
    this.recordSplit(id);

    const best = this.best;
    const goLeft = exact.goLeft;
    const splitBase = best.feature * stride;
    const splitFeature = best.feature;
    const nFeatures = this.nFeatures;
    const lo = best.lo;
    const missingLeft = best.missingLeft;
    let leftCount = 0;
    for (let i = a; i < b; i++) {
      const entry = sorted[splitBase + i];
      const row = rowOfEntry(entry);
      const code = binOfEntry(entry);
      const left = code === MISSING_BIN ? missingLeft : code <= lo;
      goLeft[row] = left ? 1 : 0;
      if (left) leftCount++;
    }
    const mid = a + leftCount;
    // Stable partition keeps each side sorted. Feature 0's list is always partitioned (the children's
    // sums are taken over it, in its order); the others only when a child will be split further.
    const leftAt = (level + 1) * 2 * (this.stride + 1);
    const rightAt = leftAt + this.stride + 1;
    exact.partitionFirstList(a, b, leftAt, rightAt);
    const leftIsLeaf = this.isLeafAt(depth + 1, leftAt);
    const rightIsLeaf = this.isLeafAt(depth + 1, rightAt);
    if (!leftIsLeaf || !rightIsLeaf) {
      // Without missing rows going left, the split feature's left rows are already its list's prefix.
      const skip = missingLeft ? -1 : splitFeature;
      // A leaf child never reads the lists again, so only the other child's rows need to be in place.
      for (let f = 1; f < nFeatures; f++) {
        if (f === skip) continue;
        if (leftIsLeaf) exact.gatherRight(f, a, b, stride);
        else if (rightIsLeaf) exact.gatherLeft(f, a, b, stride);
        else exact.partitionList(f, a, b, stride);
      }
    }
    const leftId = this.growExact(a, mid, depth + 1, stride, level + 1, leftAt);
    const rightId = this.growExact(mid, b, depth + 1, stride, level + 1, rightAt);
    this.tree.setChildren(id, leftId, rightId);
    return id;
  }

  /**
   * growExact for a regression node of two rows (a third of the nodes split in exact subtrees): the same draws,
   * candidates and arithmetic as searchSortedSplit, scanSortedRegression and partitionFirstList on two entries, without
   * their loops and calls. Any cut separates the two rows, so both children are one-row leaves. Only reached with
   * minSamplesLeaf 1 (a larger one makes minSplit ≥ 4, so addNode made the node a leaf): every cut is a candidate.
   */
  private splitTwoRows(id: number, a: number, depth: number, stride: number): number {
    const { best, total, nFeatures, maxFeatures } = this;
    const { sorted, local } = this.exact;
    const tw = total[WEIGHT];
    const ts = total[VALUES];
    best.reset();
    let scanned = 0;
    for (let i = 0; i < nFeatures && scanned < maxFeatures; i++) {
      const f = this.drawFeature(i);
      const first = sorted[f * stride + a];
      const lo = first >>> ROW_BITS;
      const hi = sorted[f * stride + a + 1] >>> ROW_BITS;
      if (lo === hi) continue;
      scanned++;
      // The cut after the first row (the lower bin; a missing second row makes it "present left, missing right").
      const row = first & ROW_MASK;
      const w = local[LOCAL_STRIDE * row];
      const lw = 0 + w;
      const ls = 0 + w * local[LOCAL_STRIDE * row + 1];
      const rs = ts - ls;
      best.offer((ls * ls) / lw + (rs * rs) / (tw - lw), f, lo, hi === MISSING_BIN ? -1 : hi, false);
    }
    if (!best.found()) return id;
    this.recordSplit(id);
    const leftEntry = sorted[best.feature * stride + a];
    const rightEntry = sorted[best.feature * stride + a + 1];
    const leftId = this.addOneRowLeaf(leftEntry & ROW_MASK, depth + 1, local);
    const rightId = this.addOneRowLeaf(rightEntry & ROW_MASK, depth + 1, local);
    this.tree.setChildren(id, leftId, rightId);
    return id;
  }

  /** The leaf of one local row, with the sums partitionFirstList would give it (each started from 0). */
  private addOneRowLeaf(row: number, depth: number, local: Float64Array): number {
    const total = this.total;
    const w = local[LOCAL_STRIDE * row];
    const y = local[LOCAL_STRIDE * row + 1];
    total[COUNT] = 1;
    total[WEIGHT] = 0 + w;
    total[VALUES] = 0 + w * y;
    return this.addNode(1, 0 + w * y * y, depth);
  }

  /** Whether growExact will make the child with stats at `statsAt` a leaf (addNode's test, on the same sums). */
  private isLeafAt(depth: number, statsAt: number): boolean {
    const cs = this.exact.childStats;
    if (cs[statsAt + COUNT] < this.minSplit || depth >= this.maxDepth) return true;
    const total = this.total;
    const statsStride = this.stride;
    for (let k = 0; k < statsStride; k++) total[k] = cs[statsAt + k];
    return impurityOf(total, this.width, this.regression, cs[statsAt + statsStride]) <= EPSILON;
  }
}
