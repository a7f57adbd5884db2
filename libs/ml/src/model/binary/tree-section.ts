import type { TreeArrays } from "../../forest/tree-arrays.js";
import { treeImportances } from "../importances.js";
import type { CompactTree } from "./compact-tree.js";
import { ModelFormatError, SECTION_HEAD_BYTES, sealSection, sectionBuffer } from "./section-frame.js";

/** What a tree section's layout depends on: fixed by the model's header. */
export interface TreeLayout {
  readonly nFeatures: number;
  /** 1 for regression, the number of classes for classification. */
  readonly valueWidth: number;
  readonly classification: boolean;
  readonly featureIndexBytes: 2 | 4;
  readonly nodeStats: boolean;
}

const PRELUDE_BYTES = 16;
const SINGLE_LEAF = 1;

/**
 * The TREE payload of a grown tree (docs/model-format.md). Throws if the tree is not in pre-order. `importances`:
 * the tree's treeImportances, when the caller has them already.
 */
export function encodeTree(
  tree: TreeArrays,
  treeIndex: number,
  layout: TreeLayout,
  importances: Float64Array | null = treeImportances(tree, layout.nFeatures),
): Uint8Array {
  const leaves = leavesInPreOrder(tree, treeIndex);
  const bytes = new Uint8Array(sectionSizes(tree.nodeCount, leaves, layout).total);
  writeTree(bytes, tree, treeIndex, leaves, layout, importances);
  return bytes;
}

/**
 * The whole framed TREE section of a grown tree, its payload encoded in place (encodeTree then frameSection, without
 * the copy). `shared`: in a SharedArrayBuffer, posted to another thread without a copy.
 */
export function encodeTreeSection(
  tree: TreeArrays,
  treeIndex: number,
  layout: TreeLayout,
  importances: Float64Array | null,
  shared: boolean,
): Uint8Array {
  const leaves = leavesInPreOrder(tree, treeIndex);
  const length = sectionSizes(tree.nodeCount, leaves, layout).total;
  const framed = sectionBuffer(length, shared);
  writeTree(framed.subarray(SECTION_HEAD_BYTES, SECTION_HEAD_BYTES + length), tree, treeIndex, leaves, layout, importances);
  return sealSection("TREE", framed, length);
}

/** The number of leaves; throws if the nodes are not in depth-first pre-order. */
function leavesInPreOrder(tree: TreeArrays, treeIndex: number): number {
  let leaves = 0;
  for (let node = 0; node < tree.nodeCount; node++) {
    if (tree.feature[node] < 0) leaves++;
    else if (tree.left[node] !== node + 1) throw new Error(`tree ${treeIndex}, node ${node}: nodes are not in depth-first pre-order`);
  }
  return leaves;
}

/** Writes the payload into `bytes` (zeroed, 8-byte aligned, exactly the payload's size). */
function writeTree(
  bytes: Uint8Array,
  tree: TreeArrays,
  treeIndex: number,
  leaves: number,
  layout: TreeLayout,
  importances: Float64Array | null,
): void {
  const n = tree.nodeCount;
  const { valueWidth: k } = layout;
  const sizes = sectionSizes(n, leaves, layout);
  const buffer = bytes.buffer;
  const at = (offset: number) => bytes.byteOffset + offset;
  const prelude = new DataView(buffer, at(0), PRELUDE_BYTES);
  prelude.setUint32(0, treeIndex, true);
  prelude.setUint32(4, n, true);
  prelude.setUint32(8, leaves, true);
  prelude.setUint32(12, importances === null ? SINGLE_LEAF : 0, true);
  const split = new Float64Array(buffer, at(sizes.split), n);
  const leafValues = layout.classification ? new Float64Array(buffer, at(sizes.leafValues), leaves * k) : null;
  if (importances !== null) new Float64Array(buffer, at(sizes.importances), layout.nFeatures).set(importances);
  if (layout.nodeStats) {
    new Float64Array(buffer, at(sizes.weight), n).set(tree.weight.subarray(0, n));
    new Float64Array(buffer, at(sizes.impurity), n).set(tree.impurity.subarray(0, n));
  }
  const right = new Int32Array(buffer, at(sizes.right), n);
  const feature =
    layout.featureIndexBytes === 2 ? new Uint16Array(buffer, at(sizes.feature), n) : new Uint32Array(buffer, at(sizes.feature), n);
  const missing = new Uint8Array(buffer, at(sizes.missing), (n + 7) >> 3);
  let leaf = 0;
  for (let node = 0; node < n; node++) {
    if (tree.feature[node] < 0) {
      right[node] = -1;
      if (leafValues === null) split[node] = tree.value[node];
      else {
        split[node] = leaf;
        leafValues.set(tree.value.subarray(node * k, node * k + k), leaf * k);
      }
      leaf++;
    } else {
      split[node] = tree.threshold[node];
      right[node] = tree.right[node];
      feature[node] = tree.feature[node];
      if (tree.missingLeft[node] === 1) missing[node >> 3] |= 1 << (node & 7);
    }
  }
}

/**
 * A tree section's payload as a CompactTree of views into it (no copy), after checking every size, link and index:
 * a damaged file fails here with the node at fault, never while predicting.
 */
export function decodeTree(payload: Uint8Array, layout: TreeLayout, where: string): CompactTree {
  if (payload.length < PRELUDE_BYTES || payload.byteOffset % 8 !== 0) throw new ModelFormatError(`${where}: the section is too short`);
  const prelude = preludeOf(payload);
  const { n, leaves, flags } = prelude;
  if (n < 1 || leaves < 1 || leaves > n) throw new ModelFormatError(`${where}: ${n} nodes and ${leaves} leaves cannot be a tree`);
  if ((flags & ~SINGLE_LEAF) !== 0) throw new ModelFormatError(`${where}: unknown flags ${flags}`);
  const sizes = sectionSizes(n, leaves, layout);
  if (sizes.total !== payload.length)
    throw new ModelFormatError(`${where}: ${payload.length} bytes, but ${n} nodes and ${leaves} leaves need ${sizes.total}`);
  const tree = treeViews(payload, prelude, layout);
  checkStructure(tree, layout, where);
  return tree;
}

/**
 * A TREE section this thread has just framed (encodeTreeSection) as a CompactTree of views into it, not checked
 * again: the thread that grew a tree walks its held-out rows through the section's arrays while they are in its cache.
 */
export function viewEncodedTree(framed: Uint8Array, layout: TreeLayout): CompactTree {
  const length = Number(new DataView(framed.buffer, framed.byteOffset + 8, 8).getBigUint64(0, true));
  const payload = framed.subarray(SECTION_HEAD_BYTES, SECTION_HEAD_BYTES + length);
  return treeViews(payload, preludeOf(payload), layout);
}

interface Prelude {
  readonly treeIndex: number;
  readonly n: number;
  readonly leaves: number;
  readonly flags: number;
}

function preludeOf(payload: Uint8Array): Prelude {
  const prelude = new DataView(payload.buffer, payload.byteOffset, PRELUDE_BYTES);
  return {
    treeIndex: prelude.getUint32(0, true),
    n: prelude.getUint32(4, true),
    leaves: prelude.getUint32(8, true),
    flags: prelude.getUint32(12, true),
  };
}

/** The payload's arrays as views, laid out by its prelude (sizes already checked, or written by this process). */
function treeViews(payload: Uint8Array, { treeIndex, n, leaves, flags }: Prelude, layout: TreeLayout): CompactTree {
  const sizes = sectionSizes(n, leaves, layout);
  const buffer = payload.buffer;
  const at = (offset: number) => payload.byteOffset + offset;
  return {
    treeIndex,
    nodeCount: n,
    leafCount: leaves,
    singleLeaf: (flags & SINGLE_LEAF) !== 0,
    split: new Float64Array(buffer, at(sizes.split), n),
    leafValues: layout.classification ? new Float64Array(buffer, at(sizes.leafValues), leaves * layout.valueWidth) : null,
    importances: new Float64Array(buffer, at(sizes.importances), layout.nFeatures),
    weight: layout.nodeStats ? new Float64Array(buffer, at(sizes.weight), n) : null,
    impurity: layout.nodeStats ? new Float64Array(buffer, at(sizes.impurity), n) : null,
    right: new Int32Array(buffer, at(sizes.right), n),
    feature: layout.featureIndexBytes === 2 ? new Uint16Array(buffer, at(sizes.feature), n) : new Uint32Array(buffer, at(sizes.feature), n),
    missingLeft: new Uint8Array(buffer, at(sizes.missing), (n + 7) >> 3),
  };
}

/** Byte offsets of each array in a tree payload, and its total size: f64 arrays first, so every array is aligned. */
function sectionSizes(n: number, leaves: number, layout: TreeLayout) {
  const split = PRELUDE_BYTES;
  const leafValues = split + 8 * n;
  const importances = leafValues + (layout.classification ? 8 * leaves * layout.valueWidth : 0);
  const weight = importances + 8 * layout.nFeatures;
  const impurity = weight + (layout.nodeStats ? 8 * n : 0);
  const right = impurity + (layout.nodeStats ? 8 * n : 0);
  const feature = right + 4 * n;
  const missing = feature + layout.featureIndexBytes * n;
  return { split, leafValues, importances, weight, impurity, right, feature, missing, total: missing + ((n + 7) >> 3) };
}

let pendingBuffer = new Int32Array(1024);

/** checkStructure's stack of right children, kept between trees (a merge checks every tree of a forest). */
function pendingStack(size: number): Int32Array {
  if (pendingBuffer.length < size) pendingBuffer = new Int32Array(Math.max(size, 2 * pendingBuffer.length));
  return pendingBuffer;
}

/**
 * Checks that the nodes are one tree in depth-first pre-order (left child = the next node), every link and index in
 * range. The nodes are read in id order, one pass: a split promises its right child, kept on a stack as deep as the
 * tree; after a leaf, the next node must be the right child promised last. So every node is reached exactly once.
 */
function checkStructure(tree: CompactTree, layout: TreeLayout, where: string): void {
  const { nodeCount: n, right, feature, split, missingLeft } = tree;
  const { classification, nFeatures } = layout;
  const pending = pendingStack(n);
  let top = 0;
  let leaf = 0;
  for (let node = 0; node < n; node++) {
    const r = right[node];
    if (r === -1) {
      if (classification ? split[node] !== leaf : !Number.isFinite(split[node])) {
        throw new ModelFormatError(
          classification
            ? `${where}, node ${node}: leaf ordinal ${split[node]}, expected ${leaf}`
            : `${where}, node ${node}: leaf value ${split[node]}`,
        );
      }
      if ((missingLeft[node >> 3] & (1 << (node & 7))) !== 0)
        throw new ModelFormatError(`${where}, node ${node}: a leaf has a missing-value direction`);
      leaf++;
      if (node + 1 < n) {
        if (top === 0) throw new ModelFormatError(`${where}, node ${node + 1}: not reached from the root (the tree ends at node ${node})`);
        const next = pending[--top];
        if (next !== node + 1)
          throw new ModelFormatError(
            `${where}, node ${node + 1}: the nodes are not a tree in depth-first pre-order (node ${next} should follow the leaf ${node})`,
          );
      }
      continue;
    }
    if (!(r > node + 1 && r < n)) throw new ModelFormatError(`${where}, node ${node}: right child ${r} is not in [${node + 2}, ${n})`);
    if (feature[node] >= nFeatures)
      throw new ModelFormatError(`${where}, node ${node}: feature ${feature[node]} is not in [0, ${nFeatures})`);
    if (Number.isNaN(split[node])) throw new ModelFormatError(`${where}, node ${node}: the threshold is NaN`);
    pending[top++] = r;
  }
  if (top !== 0) throw new ModelFormatError(`${where}: node ${pending[top - 1]} is named as a right child but the tree ends before it`);
  if (leaf !== tree.leafCount) throw new ModelFormatError(`${where}: ${leaf} leaves, the section says ${tree.leafCount}`);
}
