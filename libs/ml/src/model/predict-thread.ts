/**
 * A prediction thread: receives the forest's trees once (SharedArrayBuffer views, shared, not copied), then walks
 * the row ranges it is asked for and writes their tree-averaged values into the caller's shared result buffer.
 */
import { parentPort, workerData } from "node:worker_threads";
import { addCompactTrees } from "./binary/compact-predict.js";
import type { CompactTree } from "./binary/compact-tree.js";

export interface PredictThreadData {
  readonly trees: readonly CompactTree[];
  readonly width: number;
}

export interface PredictRequest {
  readonly id: number;
  /** One column per feature, SharedArrayBuffer-backed. */
  readonly columns: readonly Float64Array[];
  readonly rowStart: number;
  readonly rowEnd: number;
  /** Rows × width, SharedArrayBuffer-backed, zero-filled: row r at r·width. */
  readonly out: Float64Array;
}

export type PredictReply = { readonly id: number; readonly error?: string };

const port = parentPort;
if (port === null) throw new Error("predict-thread.js must run as a worker thread");
const { trees, width } = workerData as PredictThreadData;

port.on("message", (request: PredictRequest) => {
  try {
    const { columns, rowStart, rowEnd, out } = request;
    // The rows' sums land in their own slice of `out`; nothing is transferred (a detached buffer would slow every
    // typed-array access in this isolate: see forest/tree-worker.ts).
    const sums = out.subarray(rowStart * width, rowEnd * width);
    addCompactTrees(trees, columns, rowStart, rowEnd, width, sums);
    for (let i = 0; i < sums.length; i++) sums[i] /= trees.length;
    port.postMessage({ id: request.id } satisfies PredictReply);
  } catch (error) {
    port.postMessage({ id: request.id, error: (error as Error).stack ?? String(error) } satisfies PredictReply);
  }
});
