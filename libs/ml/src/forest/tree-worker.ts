/**
 * A tree-growing thread: receives the shared training data once, then grows the trees it is asked
 * for and sends each back (its arrays shared, not transferred: see below).
 */
import { parentPort, workerData } from "node:worker_threads";
import type { TrainingData } from "./training-data.js";
import type { TreeArrays } from "./tree-arrays.js";
import { TreeBuilder } from "./tree-builder.js";

export interface GrowRequest {
  readonly treeIndex: number;
}

export type GrowReply =
  | { readonly kind: "tree"; readonly treeIndex: number; readonly tree: TreeArrays }
  | { readonly kind: "error"; readonly treeIndex: number; readonly message: string };

const port = parentPort;
if (port === null) throw new Error("tree-worker.js must run as a worker thread");
const builder = new TreeBuilder(workerData as TrainingData, (workerData as { exactNodeSize?: number }).exactNodeSize, true);

port.on("message", (request: GrowRequest) => {
  try {
    const tree = builder.grow(request.treeIndex);
    const reply: GrowReply = { kind: "tree", treeIndex: request.treeIndex, tree };
    // The tree's arrays are SharedArrayBuffer views, posted without a copy. Never transfer buffers
    // here: detaching an ArrayBuffer invalidates V8's array-buffer-detaching protector for the whole
    // isolate, and from then on every typed-array access in the tree builder pays a detach check
    // (measured: 20 trees on 100k rows, 3.2 s in a thread that transferred its trees, 2.7 s otherwise).
    port.postMessage(reply);
  } catch (error) {
    const reply: GrowReply = { kind: "error", treeIndex: request.treeIndex, message: (error as Error).stack ?? String(error) };
    port.postMessage(reply);
  }
});
