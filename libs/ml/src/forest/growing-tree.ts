import type { TreeArrays } from "./tree-arrays.js";

/**
 * The node storage of the tree being grown: flat arrays sized for the largest tree over n rows (2n − 1 nodes),
 * reused for every tree a builder grows, nodes numbered in the order they are added (depth-first pre-order).
 */
export class GrowingTree {
  nodeCount = 0;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly missingLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  readonly weight: Float64Array;
  readonly impurity: Float64Array;

  constructor(
    nRows: number,
    /** Numbers per node value: 1 (regression) or the number of classes. */
    readonly width: number,
  ) {
    const capacity = Math.max(1, 2 * nRows - 1);
    this.feature = new Int32Array(capacity);
    this.threshold = new Float64Array(capacity);
    this.missingLeft = new Uint8Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.value = new Float64Array(capacity * width);
    this.weight = new Float64Array(capacity);
    this.impurity = new Float64Array(capacity);
  }

  /** Starts the next tree. */
  clear(): void {
    this.nodeCount = 0;
  }

  /** Adds a leaf holding `values / weight` (the node's mean target or class shares); returns its id. */
  addLeaf(weight: number, impurity: number, values: Float64Array, valuesAt: number): number {
    const id = this.nodeCount++;
    this.feature[id] = -1;
    this.threshold[id] = 0;
    this.missingLeft[id] = 0;
    this.left[id] = -1;
    this.right[id] = -1;
    this.weight[id] = weight;
    this.impurity[id] = impurity;
    const base = id * this.width;
    for (let v = 0; v < this.width; v++) this.value[base + v] = values[valuesAt + v] / weight;
    return id;
  }

  /** Turns leaf `id` into a split node; its children are linked once grown (setChildren). */
  setSplit(id: number, feature: number, threshold: number, missingLeft: boolean): void {
    this.feature[id] = feature;
    this.threshold[id] = threshold;
    this.missingLeft[id] = missingLeft ? 1 : 0;
  }

  setChildren(id: number, left: number, right: number): void {
    this.left[id] = left;
    this.right[id] = right;
  }

  /** The tree grown so far, each array passed through `copy` (a view, a copy, or a shared copy). */
  snapshot(copy: NodeArrayCopy): TreeArrays {
    const count = this.nodeCount;
    return {
      nodeCount: count,
      feature: copy(this.feature, count),
      threshold: copy(this.threshold, count),
      missingLeft: copy(this.missingLeft, count),
      left: copy(this.left, count),
      right: copy(this.right, count),
      value: copy(this.value, count * this.width),
      weight: copy(this.weight, count),
      impurity: copy(this.impurity, count),
    };
  }
}

type NodeArray = Int32Array | Float64Array | Uint8Array;
export type NodeArrayCopy = <T extends NodeArray>(array: T, length: number) => T;

/** The builder's own arrays, valid until the next tree is grown (for a caller that serializes each tree at once). */
export const lentView: NodeArrayCopy = (array, length) => array.subarray(0, length) as typeof array;

export const sliceCopy: NodeArrayCopy = (array, length) => array.slice(0, length) as typeof array;

/** A copy in a SharedArrayBuffer: a tree thread hands it to the main thread without copying or detaching. */
export const sharedCopy: NodeArrayCopy = (array, length) => {
  const Type = array.constructor as new (buffer: SharedArrayBuffer) => typeof array;
  const copy = new Type(new SharedArrayBuffer(length * array.BYTES_PER_ELEMENT));
  copy.set(array.subarray(0, length) as never);
  return copy;
};
