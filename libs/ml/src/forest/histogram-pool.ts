/**
 * Histograms of the nodes on the current path of a depth-first build. Buffers are reused in
 * last-in-first-out order, so growing a tree allocates only as many as the tree is deep.
 */
export class HistogramPool {
  private readonly buffers: Float64Array[] = [];
  private inUse = 0;

  constructor(private readonly size: number) {}

  acquire(): Float64Array {
    if (this.inUse === this.buffers.length) this.buffers.push(new Float64Array(this.size));
    return this.buffers[this.inUse++];
  }

  release(buffer: Float64Array): void {
    if (this.buffers[this.inUse - 1] !== buffer) throw new Error("histogram buffers released out of order");
    this.inUse--;
  }
}

/** parent -= child, leaving in `parent` the histogram of the other child (the subtraction trick). */
export function subtractHistogram(parent: Float64Array, child: Float64Array): void {
  const n = parent.length;
  let i = 0;
  // Four at a time: V8 reloads both arrays' map, length and data pointer once per loop iteration, not per element.
  for (; i + 3 < n; i += 4) {
    parent[i] -= child[i];
    parent[i + 1] -= child[i + 1];
    parent[i + 2] -= child[i + 2];
    parent[i + 3] -= child[i + 3];
  }
  for (; i < n; i++) parent[i] -= child[i];
}
