import { availableParallelism } from "node:os";
import type { Dataset } from "../dataset.js";
import type { ShardHeader } from "../model/merge.js";
import { MODEL_FORMAT, type ForestModel } from "../model/model.js";
import { binColumns, computeBins } from "./binning.js";
import { resolveForestParams, type ForestParams } from "./params.js";
import type { TrainingData } from "./training-data.js";
import type { TreeArrays } from "./tree-arrays.js";
import { TreeBuilder } from "./tree-builder.js";
import type { GrowSession } from "./tree-worker.js";
import type { TreeLayout } from "../model/binary/tree-section.js";
import { encodeGrownTree, heldOutRowsOf, type EncodedTree, type HeldOutRows, type TreeEncoding } from "./encoded-tree.js";
import { treeThreads } from "./tree-thread-pool.js";

export interface TrainOptions {
  /** First tree of the full forest to grow (default 0). */
  readonly treeStart?: number;
  /** One past the last tree to grow (default params.nEstimators). */
  readonly treeEnd?: number;
  /** Threads growing trees (default: the machine's available parallelism). 1 grows on this thread. */
  readonly threads?: number;
  /** Called after each tree with the number grown so far and the number to grow. */
  readonly onProgress?: (treesDone: number, treesTotal: number) => void;
  /** Tuning: nodes with at most this many rows use exact sorted scans (default 256). */
  readonly exactNodeSize?: number;
}

/**
 * Trains trees [treeStart, treeEnd) of a random forest on the dataset. Tree i depends only on the
 * data, the parameters and (seed, i), so any thread count or split into shards gives the same trees;
 * mergeForests joins shards back into the forest.
 */
export async function trainForest(
  dataset: Dataset,
  partialParams: Partial<ForestParams> | null | undefined,
  options: TrainOptions = {},
): Promise<ForestModel> {
  const forest = growForest(dataset, partialParams, options);
  const trees: TreeArrays[] = [];
  for await (const tree of forest.trees({ lend: false })) {
    trees.push(tree);
    options.onProgress?.(trees.length, forest.header.treeEnd - forest.header.treeStart);
  }
  return { ...forest.header, trees };
}

/** A forest (or a shard of one) about to be grown: everything its model holds but the trees, and the trees one by one. */
export interface GrowingForest {
  readonly header: ShardHeader;
  /**
   * Grows the trees and yields them in tree order. Lent trees (the default) may be views of a tree
   * builder's arrays, valid until the next tree is asked for: a consumer that serializes or
   * evaluates each tree as it comes holds one tree at a time, not the shard. Leaving the loop early
   * stops the tree threads.
   */
  trees(options?: { lend?: boolean }): AsyncGenerator<TreeArrays>;
  /**
   * Grows the trees and yields each encoded where it was grown (its model section, importances and held-out votes:
   * EncodedTree), in tree order, for a consumer that needs only those — a run's shard. `heldOut`: columns in the
   * dataset's feature order (NaN = missing). Leaving the loop early stops the tree threads.
   */
  encodedTrees(options: { layout: TreeLayout; heldOut?: readonly ArrayLike<number>[] }): AsyncGenerator<EncodedTree>;
}

/**
 * Checks the dataset and parameters and bins the data at once (so bad input fails before a tree is
 * grown); trees are grown as `trees()` is iterated.
 */
export function growForest(
  dataset: Dataset,
  partialParams: Partial<ForestParams> | null | undefined,
  options: Omit<TrainOptions, "onProgress"> = {},
): GrowingForest {
  checkDataset(dataset);
  const params = resolveForestParams(partialParams, dataset.task);
  const treeStart = options.treeStart ?? 0;
  const treeEnd = options.treeEnd ?? params.nEstimators;
  if (!Number.isInteger(treeStart) || !Number.isInteger(treeEnd) || treeStart < 0 || treeEnd > params.nEstimators || treeStart >= treeEnd) {
    throw new Error(`tree range [${treeStart}, ${treeEnd}) must be a non-empty integer range within [0, ${params.nEstimators})`);
  }
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be an integer ≥ 1, got ${threads}`);

  const data = prepareTrainingData(dataset, params);
  const header: ShardHeader = {
    format: MODEL_FORMAT,
    task: dataset.task,
    targetName: dataset.targetName,
    featureNames: [...dataset.featureNames],
    classes: dataset.task === "classification" ? [...(dataset.classes ?? [])] : null,
    params,
    treeStart,
    treeEnd,
  };
  const useThreads = Math.min(threads, treeEnd - treeStart);
  return {
    header,
    trees: ({ lend = true } = {}) =>
      useThreads <= 1
        ? growHere(data, treeStart, treeEnd, options.exactNodeSize, (builder, i) => (lend ? builder.growLent(i) : builder.grow(i)))
        : (growOnThreads(sessionOf(data, options.exactNodeSize), treeStart, treeEnd, useThreads) as AsyncGenerator<TreeArrays>),
    encodedTrees: ({ layout, heldOut }) => {
      const encoding = encodingOf(layout, heldOut);
      return useThreads <= 1
        ? growHere(data, treeStart, treeEnd, options.exactNodeSize, (builder, i) => encodeGrownTree(builder.growLent(i), i, encoding))
        : (growOnThreads(sessionOf(data, options.exactNodeSize, encoding), treeStart, treeEnd, useThreads) as AsyncGenerator<EncodedTree>);
    },
  };
}

function checkDataset(dataset: Dataset): void {
  const { columns, featureNames, nRows, target, task } = dataset;
  if (nRows < 1) throw new Error("cannot train a forest on a dataset with no rows");
  if (columns.length === 0) throw new Error("cannot train a forest without feature columns");
  if (columns.length !== featureNames.length) {
    throw new Error(`dataset has ${columns.length} columns but ${featureNames.length} feature names`);
  }
  columns.forEach((column, f) => {
    if (column.length !== nRows) throw new Error(`feature "${featureNames[f]}" has ${column.length} values, expected ${nRows}`);
  });
  if (target.length !== nRows) throw new Error(`target has ${target.length} values, expected ${nRows}`);
  const nClasses = task === "classification" ? (dataset.classes?.length ?? 0) : 0;
  if (task === "classification" && nClasses < 1) throw new Error("a classification dataset needs its class labels");
  for (let r = 0; r < nRows; r++) {
    const y = target[r];
    if (task === "regression" ? !Number.isFinite(y) : !(Number.isInteger(y) && y >= 0 && y < nClasses)) {
      throw new Error(
        `target "${dataset.targetName}" in row ${r + 1} is ${y}: ${task === "regression" ? "a finite number" : "a class index"} is required`,
      );
    }
  }
}

/**
 * The binned form of each dataset grown from (bins depend on the data alone), and its training data per set of
 * parameters: the shards of one run grown in one process bin their Dataset once and share one pool session (so a
 * pool thread keeps its tree builder from shard to shard). Weak: it lives as long as the Dataset does.
 */
const prepared = new WeakMap<Dataset, { binned: Pick<TrainingData, "bins" | "codes" | "target">; byParams: Map<string, TrainingData> }>();
const sessions = new WeakMap<TrainingData, Map<string, GrowSession>>();

/** Bins the data into SharedArrayBuffers that every thread reads without copying. */
function prepareTrainingData(dataset: Dataset, params: ForestParams): TrainingData {
  const { nRows, columns } = dataset;
  let entry = prepared.get(dataset);
  if (entry === undefined) {
    const bins = computeBins(columns);
    const codes = new Uint8Array(new SharedArrayBuffer(nRows * columns.length));
    binColumns(columns, bins, codes);
    const target = new Float64Array(new SharedArrayBuffer(nRows * 8));
    target.set(dataset.target);
    entry = { binned: { bins, codes, target }, byParams: new Map() };
    prepared.set(dataset, entry);
  }
  const key = JSON.stringify(params);
  let data = entry.byParams.get(key);
  if (data === undefined) {
    const { bins, codes, target } = entry.binned;
    data = {
      nRows,
      nFeatures: columns.length,
      codes,
      target,
      nClasses: dataset.task === "classification" ? (dataset.classes?.length ?? 0) : 0,
      bins,
      params,
    };
    entry.byParams.set(key, data);
  }
  return data;
}

/** One pool session per training data, node size and encoding: the shards of a run share one. */
function sessionOf(data: TrainingData, exactNodeSize: number | undefined, encoding?: TreeEncoding): GrowSession {
  let forData = sessions.get(data);
  if (forData === undefined) sessions.set(data, (forData = new Map()));
  const key = `${exactNodeSize}|${encoding === undefined ? "arrays" : encodingKey(encoding)}`;
  let session = forData.get(key);
  if (session === undefined) forData.set(key, (session = treeThreads.session(data, exactNodeSize, encoding)));
  return session;
}

/** Held-out rows, row-major on shared memory, once per columns array (every shard of a run passes the same one). */
const heldOutRows = new WeakMap<readonly ArrayLike<number>[], HeldOutRows>();
const heldOutIds = new WeakMap<HeldOutRows, number>();
let nextHeldOutId = 1;

function encodingOf(layout: TreeLayout, heldOut: readonly ArrayLike<number>[] | undefined): TreeEncoding {
  if (heldOut === undefined) return { layout, heldOut: null };
  let rows = heldOutRows.get(heldOut);
  if (rows === undefined) {
    if (heldOut.length !== layout.nFeatures) throw new Error(`held-out rows have ${heldOut.length} columns, expected ${layout.nFeatures}`);
    heldOutRows.set(heldOut, (rows = heldOutRowsOf(heldOut)));
    heldOutIds.set(rows, nextHeldOutId++);
  }
  return { layout, heldOut: rows };
}

function encodingKey(encoding: TreeEncoding): string {
  return `${JSON.stringify(encoding.layout)}|${encoding.heldOut === null ? 0 : heldOutIds.get(encoding.heldOut)}`;
}

/**
 * Grows trees [treeStart, treeEnd) on this thread and yields what `take` makes of each: the builder's tree is lent
 * to it, valid until the next one is grown.
 */
async function* growHere<T>(
  data: TrainingData,
  treeStart: number,
  treeEnd: number,
  exactNodeSize: number | undefined,
  take: (builder: TreeBuilder, treeIndex: number) => T,
): AsyncGenerator<T> {
  const builder = new TreeBuilder(data, exactNodeSize);
  for (let i = treeStart; i < treeEnd; i++) {
    yield take(builder, i);
    // Let timers and I/O run between trees.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Asks the process's tree threads for the trees and yields them in tree order (SharedArrayBuffer snapshots, owned
 * by the consumer). Two trees per thread are kept asked for and not yet grown, asked again as soon as one is grown
 * (before the thread that grew it takes its next task), so the pool always holds this forest's next trees and grows
 * them before a later shard's; a slow consumer holds at most four trees per thread. Leaving the loop early drops
 * the trees not started yet.
 */
async function* growOnThreads(
  session: GrowSession,
  treeStart: number,
  treeEnd: number,
  threads: number,
): AsyncGenerator<TreeArrays | EncodedTree> {
  const abandon = new AbortController();
  const pending = new Map<number, Promise<TreeArrays | EncodedTree>>();
  let next = treeStart;
  let toYield = treeStart;
  let unfinished = 0;
  const askAhead = () => {
    while (!abandon.signal.aborted && next < treeEnd && unfinished < 2 * threads && next - toYield < 4 * threads) {
      const tree = treeThreads.grow(session, next, threads, abandon.signal);
      unfinished++;
      // Also handles a tree failing after the consumer left (no unhandled rejection); awaited below.
      tree.then(finished, finished);
      pending.set(next++, tree);
    }
  };
  const finished = () => {
    unfinished--;
    askAhead();
  };
  try {
    for (; toYield < treeEnd; toYield++) {
      askAhead();
      const tree = await pending.get(toYield)!;
      pending.delete(toYield);
      yield tree;
    }
  } finally {
    abandon.abort(new Error("the forest's consumer stopped"));
  }
}
