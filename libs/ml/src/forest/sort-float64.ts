/** Bits per radix digit: four passes over a 64-bit key. */
const DIGIT_BITS = 16;
const DIGITS = 1 << DIGIT_BITS;
const DIGIT_MASK = DIGITS - 1;
/** Below this many values, the native sort is as fast and needs no scratch. */
const RADIX_MIN = 2048;

/**
 * Sorts doubles ascending in place, in the order Float64Array.prototype.sort gives (−0 before +0; the values must not be
 * NaN). A least-significant-digit radix sort of the values' bits made order-preserving (sign bit flipped, all bits of a
 * negative value flipped): V8's typed-array sort takes ≈ 85 ns a value on 100,000 doubles, this ≈ 15, and binning
 * sorts every feature column before a tree can grow.
 */
export function sortFloat64(values: Float64Array, scratch?: Uint32Array): void {
  const n = values.length;
  if (n < RADIX_MIN) {
    values.sort();
    return;
  }
  scratch ??= new Uint32Array(2 * n);
  if (scratch.length < 2 * n) throw new RangeError(`sortFloat64 needs ${2 * n} scratch words, got ${scratch.length}`);
  // Little-endian words: the low half of value i at 2i, the high half at 2i + 1.
  let words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  let other = scratch.subarray(0, 2 * n);
  toSortableKeys(words, n);
  const counts = new Int32Array(DIGITS);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass >> 1;
    const shift = (pass & 1) * DIGIT_BITS;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(words[2 * i + word] >>> shift) & DIGIT_MASK]++;
    // A digit every key shares (the exponent's, for values of one magnitude) leaves the order as it is.
    if (counts[(words[word] >>> shift) & DIGIT_MASK] === n) continue;
    let start = 0;
    for (let d = 0; d < DIGITS; d++) {
      const count = counts[d];
      counts[d] = start;
      start += count;
    }
    for (let i = 0; i < n; i++) {
      const lo = words[2 * i];
      const hi = words[2 * i + 1];
      const at = 2 * counts[((word === 0 ? lo : hi) >>> shift) & DIGIT_MASK]++;
      other[at] = lo;
      other[at + 1] = hi;
    }
    const swap = words;
    words = other;
    other = swap;
  }
  const result = words;
  fromSortableKeys(result, n);
  if (result.buffer !== values.buffer || result.byteOffset !== values.byteOffset) {
    new Uint32Array(values.buffer, values.byteOffset, 2 * n).set(result);
  }
}

/** A double's bits as an unsigned key that orders as the double: positives above negatives, negatives reversed. */
function toSortableKeys(words: Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1];
    if ((hi & 0x80000000) !== 0) {
      words[2 * i] = ~words[2 * i];
      words[2 * i + 1] = ~hi;
    } else words[2 * i + 1] = hi ^ 0x80000000;
  }
}

function fromSortableKeys(words: Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1];
    if ((hi & 0x80000000) !== 0) words[2 * i + 1] = hi ^ 0x80000000;
    else {
      words[2 * i] = ~words[2 * i];
      words[2 * i + 1] = ~hi;
    }
  }
}
