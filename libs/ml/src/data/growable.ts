/**
 * Typed arrays that grow by doubling while a file streams in: a column of a million rows is one
 * contiguous buffer, never an array of boxed numbers or of row objects.
 */
export class GrowableFloat64Array {
  private buffer: Float64Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buffer = new Float64Array(Math.max(1, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.buffer.length) this.grow();
    this.buffer[this.length++] = value;
  }

  /** Makes room for `more` values without growing again. */
  reserve(more: number): void {
    const needed = this.length + more;
    if (needed <= this.buffer.length) return;
    const bigger = new Float64Array(needed);
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }

  /** Appends many values at once (a Parquet page, a typed array). */
  pushAll(values: ArrayLike<number>): void {
    const needed = this.length + values.length;
    while (needed > this.buffer.length) this.grow();
    if (ArrayBuffer.isView(values)) this.buffer.set(values as unknown as ArrayLike<number>, this.length);
    else for (let i = 0; i < values.length; i++) this.buffer[this.length + i] = values[i];
    this.length = needed;
  }

  get(index: number): number {
    return this.buffer[index];
  }

  /** The filled part, trimmed to its length (a copy, so the spare capacity is released). */
  toArray(): Float64Array {
    return this.buffer.slice(0, this.length);
  }

  private grow(): void {
    const bigger = new Float64Array(this.buffer.length * 2);
    bigger.set(this.buffer);
    this.buffer = bigger;
  }
}

export class GrowableInt32Array {
  private buffer: Int32Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buffer = new Int32Array(Math.max(1, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.buffer.length) this.grow();
    this.buffer[this.length++] = value;
  }

  get(index: number): number {
    return this.buffer[index];
  }

  toArray(): Int32Array {
    return this.buffer.slice(0, this.length);
  }

  private grow(): void {
    const bigger = new Int32Array(this.buffer.length * 2);
    bigger.set(this.buffer);
    this.buffer = bigger;
  }
}
