/**
 * A tree-growing thread of the process's pool (tree-thread-pool.ts): grows the trees it is asked for and sends each
 * back (its arrays shared, not transferred: see below). A request carries its forest's training data the first time
 * this thread sees that forest; the thread keeps one tree builder, for the forest it grew last.
 */
import { parentPort } from "node:worker_threads";
import { encodeGrownTree, type EncodedTree, type TreeEncoding } from "./encoded-tree.js";
import type { TrainingData } from "./training-data.js";
import type { TreeArrays } from "./tree-arrays.js";
import { TreeBuilder } from "./tree-builder.js";

/** The training data of one forest and how to grow it, identified by `id` within the process. */
export interface GrowSession {
  readonly id: number;
  readonly data: TrainingData;
  readonly exactNodeSize?: number;
  /** Send each tree encoded (EncodedTree) instead of its arrays. */
  readonly encoding?: TreeEncoding;
}

export interface GrowRequest {
  readonly sessionId: number;
  readonly treeIndex: number;
  /** Present when this thread has not been sent this session before. */
  readonly session?: GrowSession;
}

export type GrowReply =
  | { readonly kind: "tree"; readonly treeIndex: number; readonly tree: TreeArrays }
  | { readonly kind: "encoded"; readonly treeIndex: number; readonly encoded: EncodedTree }
  | { readonly kind: "error"; readonly treeIndex: number; readonly message: string };

const port = parentPort;
if (port === null) throw new Error("tree-worker.js must run as a worker thread");

let current: { sessionId: number; builder: TreeBuilder; encoding: TreeEncoding | undefined } | null = null;

port.on("message", (request: GrowRequest) => {
  try {
    if (current?.sessionId !== request.sessionId) {
      if (request.session === undefined) throw new Error(`tree thread was asked for forest ${request.sessionId} without its data`);
      // The previous forest's builder (sized by its rows) is dropped before the next one is made.
      current = null;
      const { data, exactNodeSize, encoding } = request.session;
      current = { sessionId: request.sessionId, builder: new TreeBuilder(data, exactNodeSize, true), encoding };
    }
    const { builder, encoding } = current;
    // Encoded here, the tree's arrays are read while still in this thread's cache and never copied out.
    const reply: GrowReply =
      encoding === undefined
        ? { kind: "tree", treeIndex: request.treeIndex, tree: builder.grow(request.treeIndex) }
        : {
            kind: "encoded",
            treeIndex: request.treeIndex,
            encoded: encodeGrownTree(builder.growLent(request.treeIndex), request.treeIndex, encoding),
          };
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
