/**
 * A tree-growing thread: receives the shared training data once, then grows the trees it is asked
 * for and sends each back (its arrays transferred, not copied).
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
const builder = new TreeBuilder(workerData as TrainingData, (workerData as { exactNodeSize?: number }).exactNodeSize);

port.on("message", (request: GrowRequest) => {
  try {
    const tree = builder.grow(request.treeIndex);
    const reply: GrowReply = { kind: "tree", treeIndex: request.treeIndex, tree };
    const arrays = [tree.feature, tree.threshold, tree.missingLeft, tree.left, tree.right, tree.value, tree.weight, tree.impurity];
    // The tree's arrays are fresh copies (slice), so their buffers can be moved rather than cloned.
    port.postMessage(reply, arrays.map((array) => array.buffer as ArrayBuffer));
  } catch (error) {
    const reply: GrowReply = { kind: "error", treeIndex: request.treeIndex, message: (error as Error).stack ?? String(error) };
    port.postMessage(reply);
  }
});
