import { encodeTreeSection, type TreeLayout } from "../model/binary/tree-section.js";
import { treeImportances } from "../model/importances.js";
import { addTreeValuesOfRows } from "../model/predict.js";
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
  let heldOutValues: Float64Array | null = null;
  if (heldOut !== null) {
    heldOutValues = new Float64Array(new SharedArrayBuffer(heldOut.nRows * layout.valueWidth * 8));
    addTreeValuesOfRows(tree, heldOut.values, heldOut.nFeatures, layout.valueWidth, heldOutValues);
  }
  return { treeIndex, section, importances, heldOutValues };
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
