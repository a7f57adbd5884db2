import { addCompactTreeOfRows } from "../model/binary/compact-predict.js";
import type { CompactTree } from "../model/binary/compact-tree.js";
import { encodeTreeSection, viewEncodedTree, type TreeLayout } from "../model/binary/tree-section.js";
import { treeImportances } from "../model/importances.js";
import type { TreeArrays } from "./tree-arrays.js";

/**
 * A grown tree as a run's shard needs it, made by the thread that grew it while the tree is still in its cache: the
 * tree's canopy.forest/2 section, its importances, and its votes for the run's held-out rows. The tree's arrays
 * themselves never leave the thread.
 */
export interface EncodedTree {
  readonly treeIndex: number;
  /** The framed TREE section (docs/model-format.md), as BinaryForestWriter.add would give it. */
  readonly section: Uint8Array;
  /** treeImportances of the tree (null for a single leaf). */
  readonly importances: Float64Array | null;
  /** The leaf values each held-out row reaches, row-major (rows × value width); null without held-out rows. */
  readonly heldOutValues: Float64Array | null;
}

/** Rows to vote on, row-major (row r's features at values[r·nFeatures …]), normally on a SharedArrayBuffer. */
export interface HeldOutRows {
  readonly nRows: number;
  readonly nFeatures: number;
  readonly values: Float64Array;
}

/** How a forest's trees are encoded: the model's tree layout, and the held-out rows to vote on. */
export interface TreeEncoding {
  readonly layout: TreeLayout;
  readonly heldOut: HeldOutRows | null;
}

export function encodeGrownTree(tree: TreeArrays, treeIndex: number, encoding: TreeEncoding): EncodedTree {
  const { layout, heldOut } = encoding;
  const importances = treeImportances(tree, layout.nFeatures);
  // Shared memory: the section goes to the main thread without a copy (posting an ArrayBuffer copies it).
  const section = encodeTreeSection(tree, treeIndex, layout, importances, true);
  // Walked through the section's own arrays, just written and in this thread's cache (14 bytes a node against the
  // builder's 45): 3.4 ms a tree for 25,000 rows, against 4.6 for packing the builder's arrays and walking those.
  const heldOutValues = heldOut === null ? null : heldOutVotes(viewEncodedTree(section, layout), heldOut, layout.valueWidth);
  return { treeIndex, section, importances, heldOutValues };
}

/**
 * The order each thread walks a held-out set's rows in, once it has walked them through one tree: sorted by the leaf
 * they reached there (rows copied in that order). Rows close in that tree take similar paths through the others, so
 * consecutive walks share the nodes in cache: the walks of the next trees take about a quarter less time. The votes
 * are the same doubles in any order (one value per row and tree).
 */
const walkOrders = new WeakMap<HeldOutRows, { readonly x: Float64Array; readonly rows: Int32Array }>();

/** The leaf values the held-out rows reach in `tree` (rows × width), on a SharedArrayBuffer. */
function heldOutVotes(tree: CompactTree, heldOut: HeldOutRows, width: number): Float64Array {
  const { nRows, nFeatures, values } = heldOut;
  const votes = new Float64Array(new SharedArrayBuffer(nRows * width * 8));
  const order = walkOrders.get(heldOut);
  if (order !== undefined) {
    addCompactTreeOfRows(tree, order.x, nFeatures, width, votes, { rows: order.rows });
    return votes;
  }
  const leaves = new Int32Array(nRows);
  addCompactTreeOfRows(tree, values, nFeatures, width, votes, { leaves });
  const rows = Int32Array.from({ length: nRows }, (_, r) => r).sort((a, b) => leaves[a] - leaves[b] || a - b);
  const x = new Float64Array(nRows * nFeatures);
  for (let p = 0; p < nRows; p++) x.set(values.subarray(rows[p] * nFeatures, rows[p] * nFeatures + nFeatures), p * nFeatures);
  walkOrders.set(heldOut, { x, rows });
  return votes;
}

/** Held-out columns (one per feature, NaN = missing) as row-major values on a SharedArrayBuffer. */
export function heldOutRowsOf(columns: readonly ArrayLike<number>[]): HeldOutRows {
  const nFeatures = columns.length;
  const nRows = nFeatures === 0 ? 0 : columns[0].length;
  const values = new Float64Array(new SharedArrayBuffer(nRows * nFeatures * 8));
  for (let f = 0; f < nFeatures; f++) {
    const column = columns[f];
    if (column.length !== nRows) throw new Error(`held-out column ${f} has ${column.length} values, expected ${nRows}`);
    for (let r = 0; r < nRows; r++) values[r * nFeatures + f] = column[r];
  }
  return { nRows, nFeatures, values };
}
