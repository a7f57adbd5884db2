import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Dataset } from "../dataset.js";
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
  const total = treeEnd - treeStart;
  const trees =
    Math.min(threads, total) <= 1
      ? await growHere(data, treeStart, treeEnd, options)
      : await growOnThreads(data, treeStart, treeEnd, Math.min(threads, total), options);
  return {
    format: MODEL_FORMAT,
    task: dataset.task,
    targetName: dataset.targetName,
    featureNames: [...dataset.featureNames],
    classes: dataset.task === "classification" ? [...(dataset.classes ?? [])] : null,
    params,
    treeStart,
    treeEnd,
    trees,
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
      throw new Error(`target "${dataset.targetName}" in row ${r + 1} is ${y}: ${task === "regression" ? "a finite number" : "a class index"} is required`);
    }
  }
}

/** Bins the data into SharedArrayBuffers that every thread reads without copying. */
function prepareTrainingData(dataset: Dataset, params: ForestParams): TrainingData {
  const { nRows, columns } = dataset;
  const bins = computeBins(columns);
  const codes = new Uint8Array(new SharedArrayBuffer(nRows * columns.length));
  binColumns(columns, bins, codes);
  const target = new Float64Array(new SharedArrayBuffer(nRows * 8));
  target.set(dataset.target);
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

async function growHere(data: TrainingData, treeStart: number, treeEnd: number, options: TrainOptions): Promise<TreeArrays[]> {
  const builder = new TreeBuilder(data, options.exactNodeSize);
  const trees: TreeArrays[] = [];
  for (let i = treeStart; i < treeEnd; i++) {
    trees.push(builder.grow(i));
    options.onProgress?.(trees.length, treeEnd - treeStart);
    // Let timers and I/O run between trees.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return trees;
}

/** Hands out tree indices to worker threads one at a time; results are put back in tree order. */
function growOnThreads(
  data: TrainingData,
  treeStart: number,
  treeEnd: number,
  threads: number,
  options: TrainOptions,
): Promise<TreeArrays[]> {
  const total = treeEnd - treeStart;
  const trees = new Array<TreeArrays>(total);
  const workers: Worker[] = [];
  return new Promise<TreeArrays[]>((resolve, reject) => {
    let next = treeStart;
    let done = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      for (const worker of workers) void worker.terminate();
      reject(error);
    };
    const dispatch = (worker: Worker) => {
      if (next >= treeEnd) return;
      const request: GrowRequest = { treeIndex: next++ };
      worker.postMessage(request);
    };
    const workerData = { ...data, exactNodeSize: options.exactNodeSize };
    for (let t = 0; t < threads; t++) {
      const worker = new Worker(new URL("./tree-worker.js", import.meta.url), { workerData });
      workers.push(worker);
      worker.on("message", (reply: GrowReply) => {
        if (reply.kind === "error") {
          fail(new Error(`growing tree ${reply.treeIndex} failed: ${reply.message}`));
          return;
        }
        trees[reply.treeIndex - treeStart] = reply.tree;
        done++;
        options.onProgress?.(done, total);
        if (done === total) {
          for (const w of workers) void w.terminate();
          resolve(trees);
        } else dispatch(worker);
      });
      worker.on("error", (error) => fail(error));
      worker.on("exit", (code) => {
        if (done < total) fail(new Error(`a tree-growing thread exited (code ${code}) before the forest was done`));
      });
      dispatch(worker);
    }
  });
}
