/**
 * A protobuf message being written, as a list of byte pieces. Large arrays go in as their own pieces and
 * a nested message is its pieces behind a tag and a length, so nothing is copied until the caller joins
 * (or streams) the pieces once. Only what ONNX needs: varint, 64-bit fixed (doubles), length-delimited.
 */
export class ProtoMessage {
  private readonly parts: Uint8Array[] = [];
  private scratch = new Uint8Array(256);
  private used = 0;
  private total = 0;

  /** Bytes written so far. */
  get byteLength(): number {
    return this.total + this.used;
  }

  /** An int64/int32/enum/bool field (negative numbers take ten bytes, as protobuf requires). */
  int(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(value.length);
    this.append(value);
    return this;
  }

  /** A nested message. */
  message(field: number, value: ProtoMessage): this {
    this.tag(field, 2);
    this.varint(value.byteLength);
    value.flush();
    for (const part of value.parts) this.append(part);
    return this;
  }

  /** A repeated int64 field, packed (parsers accept packed for any repeated scalar). */
  packedInts(field: number, values: ArrayLike<number>): this {
    const body = new ProtoMessage();
    for (let i = 0; i < values.length; i++) body.varint(values[i]);
    return this.message(field, body);
  }

  /** The pieces, in order; their concatenation is the encoded message. */
  pieces(): readonly Uint8Array[] {
    this.flush();
    return this.parts;
  }

  /** The encoded message as one buffer. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.byteLength);
    let at = 0;
    for (const part of this.pieces()) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private varint(value: number | bigint): void {
    if (typeof value === "number" && value >= 0 && value <= Number.MAX_SAFE_INTEGER) {
      if (!Number.isInteger(value)) throw new Error(`protobuf varint needs an integer, got ${value}`);
      this.reserve(10);
      let v = value;
      while (v >= 0x80) {
        this.scratch[this.used++] = (v % 0x80) | 0x80;
        v = Math.floor(v / 0x80);
      }
      this.scratch[this.used++] = v;
      return;
    }
    // Negative or beyond 2^53: two's complement over 64 bits.
    let v = BigInt.asUintN(64, BigInt(value));
    this.reserve(10);
    while (v >= 0x80n) {
      this.scratch[this.used++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.scratch[this.used++] = Number(v);
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.scratch.length) return;
    this.flush();
    if (bytes > this.scratch.length) this.scratch = new Uint8Array(bytes);
  }

  private append(bytes: Uint8Array): void {
    // Small pieces are copied into the scratch buffer; large ones are kept as they are.
    if (bytes.length <= 64) {
      this.reserve(bytes.length);
      this.scratch.set(bytes, this.used);
      this.used += bytes.length;
      return;
    }
    this.flush();
    this.parts.push(bytes);
    this.total += bytes.length;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.parts.push(this.scratch.subarray(0, this.used));
    this.total += this.used;
    // The flushed bytes now belong to parts; later writes go to a fresh buffer, growing for busy messages.
    this.scratch = new Uint8Array(Math.min(this.scratch.length * 2, 1 << 20));
    this.used = 0;
  }
}
