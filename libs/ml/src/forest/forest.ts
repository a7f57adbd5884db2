import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Dataset } from "../dataset.js";
import type { ShardHeader } from "../model/merge.js";
import { MODEL_FORMAT, type ForestModel } from "../model/model.js";
import { binColumns, computeBins } from "./binning.js";
import { resolveForestParams, type ForestParams } from "./params.js";
import type { TrainingData } from "./training-data.js";
import type { TreeArrays } from "./tree-arrays.js";
import { TreeBuilder } from "./tree-builder.js";
import type { GrowReply, GrowRequest } from "./tree-worker.js";

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
        ? growHere(data, treeStart, treeEnd, lend, options.exactNodeSize)
        : growOnThreads(data, treeStart, treeEnd, useThreads, options.exactNodeSize),
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
 * The binned form of each dataset grown from (bins depend on the data alone): the shards of one run grown in one
 * process bin their Dataset once. Weak: it lives as long as the Dataset does.
 */
const binned = new WeakMap<Dataset, Pick<TrainingData, "bins" | "codes" | "target">>();

/** Bins the data into SharedArrayBuffers that every thread reads without copying. */
function prepareTrainingData(dataset: Dataset, params: ForestParams): TrainingData {
  const { nRows, columns } = dataset;
  let prepared = binned.get(dataset);
  if (prepared === undefined) {
    const bins = computeBins(columns);
    const codes = new Uint8Array(new SharedArrayBuffer(nRows * columns.length));
    binColumns(columns, bins, codes);
    const target = new Float64Array(new SharedArrayBuffer(nRows * 8));
    target.set(dataset.target);
    prepared = { bins, codes, target };
    binned.set(dataset, prepared);
  }
  const { bins, codes, target } = prepared;
  return {
    nRows,
    nFeatures: columns.length,
    codes,
    target,
    nClasses: dataset.task === "classification" ? (dataset.classes?.length ?? 0) : 0,
    bins,
    params,
  };
}

async function* growHere(
  data: TrainingData,
  treeStart: number,
  treeEnd: number,
  lend: boolean,
  exactNodeSize?: number,
): AsyncGenerator<TreeArrays> {
  const builder = new TreeBuilder(data, exactNodeSize);
  for (let i = treeStart; i < treeEnd; i++) {
    yield lend ? builder.growLent(i) : builder.grow(i);
    // Let timers and I/O run between trees.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Hands out tree indices to worker threads one at a time and yields the trees in tree order (they
 * are SharedArrayBuffer snapshots, owned by the consumer). At most two trees per thread are grown
 * ahead of the consumer, so a slow consumer holds a bounded number of trees.
 */
async function* growOnThreads(
  data: TrainingData,
  treeStart: number,
  treeEnd: number,
  threads: number,
  exactNodeSize?: number,
): AsyncGenerator<TreeArrays> {
  const grown = new Map<number, TreeArrays>();
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  let next = treeStart;
  let nextToYield = treeStart;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const dispatch = () => {
    while (idle.length > 0 && next < treeEnd && next - nextToYield < 2 * threads) {
      const request: GrowRequest = { treeIndex: next++ };
      idle.pop()!.postMessage(request);
    }
  };
  const workerData = { ...data, exactNodeSize };
  try {
    for (let t = 0; t < threads; t++) {
      const worker = new Worker(new URL("./tree-worker.js", import.meta.url), { workerData });
      workers.push(worker);
      worker.on("message", (reply: GrowReply) => {
        if (reply.kind === "error") failure ??= new Error(`growing tree ${reply.treeIndex} failed: ${reply.message}`);
        else grown.set(reply.treeIndex, reply.tree);
        idle.push(worker);
        dispatch();
        notify();
      });
      worker.on("error", (error) => {
        failure ??= error;
        notify();
      });
      worker.on("exit", (code) => {
        if (nextToYield < treeEnd) failure ??= new Error(`a tree-growing thread exited (code ${code}) before the forest was done`);
        notify();
      });
      idle.push(worker);
    }
    dispatch();
    while (nextToYield < treeEnd) {
      const tree = grown.get(nextToYield);
      if (tree !== undefined) {
        grown.delete(nextToYield++);
        dispatch();
        yield tree;
        continue;
      }
      if (failure !== null) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    // Done, failed, or the consumer stopped early: no thread outlives the loop.
    for (const worker of workers) {
      worker.removeAllListeners("exit");
      void worker.terminate();
    }
  }
}
