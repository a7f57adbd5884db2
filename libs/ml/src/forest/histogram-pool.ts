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
  for (let i = 0; i < parent.length; i++) parent[i] -= child[i];
}
