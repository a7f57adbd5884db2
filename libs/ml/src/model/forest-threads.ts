import { Worker } from "node:worker_threads";
import type { CompactTree } from "./binary/compact-tree.js";
import type { LoadedForest } from "./loaded-forest.js";
import { valueWidth } from "./model.js";
import type { PredictReply, PredictRequest, PredictThreadData } from "./predict-thread.js";

/**
 * Walks a forest on several threads: each thread takes a contiguous range of a batch's rows through every tree, in
 * the same order as the single-threaded predictor, so the results are the same doubles. The trees are shared with
 * the threads, not copied (read the model with `readForest(…, { sharedMemory: true })`; other trees are copied into
 * shared memory once here).
 */
export class ForestThreads {
  private readonly workers: Worker[];
  private readonly width: number;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private nextId = 0;

  constructor(forest: LoadedForest, threads: number) {
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a whole number ≥ 1 (got ${threads})`);
    if (forest.trees.length === 0) throw new Error("the model has no trees");
    this.width = valueWidth(forest.header);
    const workerData: PredictThreadData = { trees: forest.trees.map(sharedTree), width: this.width };
    this.workers = Array.from({ length: threads }, () => {
      const worker = new Worker(new URL("./predict-thread.js", import.meta.url), { workerData });
      worker.on("message", (reply: PredictReply) => this.settle(reply));
      worker.on("error", (error) => this.failAll(error));
      worker.unref();
      return worker;
    });
  }

  get threads(): number {
    return this.workers.length;
  }

  /** Tree-averaged values of `rows` rows (row-major, rows × width), the rows split evenly over the threads. */
  async average(columns: readonly ArrayLike<number>[], rows: number): Promise<Float64Array> {
    const shared = columns.map((column) => {
      const copy = new Float64Array(new SharedArrayBuffer(rows * 8));
      for (let r = 0; r < rows; r++) copy[r] = column[r];
      return copy;
    });
    const out = new Float64Array(new SharedArrayBuffer(Math.max(1, rows * this.width) * 8)).subarray(0, rows * this.width);
    const per = Math.ceil(rows / this.workers.length);
    const parts: Promise<void>[] = [];
    for (let t = 0; t * per < rows; t++) {
      const rowStart = t * per;
      const rowEnd = Math.min(rows, rowStart + per);
      parts.push(this.request(this.workers[t], { id: this.nextId++, columns: shared, rowStart, rowEnd, out }));
    }
    await Promise.all(parts);
    return out;
  }

  /** Stops the threads; a batch still being walked is rejected, never left pending. */
  async close(): Promise<void> {
    this.failAll(new Error("the prediction threads were closed before the batch was walked"));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private request(worker: Worker, request: PredictRequest): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(request.id, { resolve, reject });
      worker.ref();
      worker.postMessage(request);
    }).finally(() => {
      // Idle threads must not keep the process alive: a CLI exits when its work is done.
      if (this.waiting.size === 0) for (const idle of this.workers) idle.unref();
    });
  }

  private settle(reply: PredictReply): void {
    const waiter = this.waiting.get(reply.id);
    if (waiter === undefined) return;
    this.waiting.delete(reply.id);
    if (reply.error === undefined) waiter.resolve();
    else waiter.reject(new Error(`prediction thread: ${reply.error}`));
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}

/** The tree itself when its arrays are in shared memory already, else a copy of them in one SharedArrayBuffer each. */
function sharedTree(tree: CompactTree): CompactTree {
  if (tree.split.buffer instanceof SharedArrayBuffer) return tree;
  const share = <A extends Float64Array | Int32Array | Uint16Array | Uint32Array | Uint8Array>(array: A): A => {
    const Kind = array.constructor as new (buffer: SharedArrayBuffer) => A;
    const copy = new Kind(new SharedArrayBuffer(Math.max(array.byteLength, 8)));
    (copy as unknown as { set(source: ArrayLike<number>): void }).set(array);
    return array.byteLength === copy.byteLength ? copy : (copy.subarray(0, array.length) as A);
  };
  return {
    ...tree,
    split: share(tree.split),
    leafValues: tree.leafValues === null ? null : share(tree.leafValues),
    right: share(tree.right),
    feature: share(tree.feature),
    missingLeft: share(tree.missingLeft),
    // Importances and node statistics are not walked: the threads need no copy of them.
    importances: new Float64Array(0),
    weight: null,
    impurity: null,
  };
}
