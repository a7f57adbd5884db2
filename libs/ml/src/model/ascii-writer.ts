/**
 * Appends ASCII text and numbers to a growing byte buffer, printing numbers exactly as JSON.stringify
 * does (String(x), -0 as 0). Serializing a fully grown forest is millions of numbers: one
 * JSON.stringify per tree over JS copies of its arrays cost a third of a shard's time. Here integers
 * and decimals of up to 15 significant digits (thresholds between 5-decimal inputs, their means…) are
 * printed digit by digit without allocating; only longer decimals go through String(x).
 */
export class AsciiWriter {
  private buffer: Uint8Array;
  private length = 0;
  private readonly digits = new Uint8Array(16);

  constructor(initialBytes = 1 << 16) {
    this.buffer = new Uint8Array(Math.max(64, initialBytes));
  }

  /** The number of bytes written so far. */
  get size(): number {
    return this.length;
  }

  /** A copy of the bytes written so far; the writer starts again empty, keeping its buffer. */
  take(): Uint8Array {
    const bytes = this.buffer.slice(0, this.length);
    this.length = 0;
    return bytes;
  }

  /** Appends text whose characters are all ASCII (keys, punctuation). */
  ascii(text: string): void {
    this.reserve(text.length);
    this.length = copyAscii(text, this.buffer, this.length);
  }

  /**
   * Appends the numbers separated by commas (no brackets). With `infinityAsNull`, +∞ is written as
   * null. Returns the index of the first number a JSON document cannot hold (NaN, other infinities),
   * writing nothing from it on, or -1 when every number was written.
   */
  numberList(values: ArrayLike<number>, infinityAsNull = false): number {
    // The longest number String(x) prints is 24 characters ("-2.2250738585072014e-308"), plus a comma.
    this.reserve(values.length * 25);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < values.length; i++) {
      if (i > 0) buffer[at++] = 0x2c;
      const v = values[i];
      if (v === (v | 0)) {
        at = writeInt32(v | 0, buffer, at); // -0 lands here and is printed 0, as by JSON.stringify
      } else if (v - v === 0) {
        const end = writeShortDecimal(v, buffer, at, this.digits);
        at = end >= 0 ? end : copyAscii(String(v), buffer, at);
      } else if (infinityAsNull && v === Infinity) {
        at = copyAscii("null", buffer, at);
      } else {
        this.length = i > 0 ? at - 1 : at;
        return i;
      }
    }
    this.length = at;
    return -1;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}

function copyAscii(text: string, buffer: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
  return at;
}

function writeInt32(value: number, buffer: Uint8Array, at: number): number {
  if (value < 0) {
    if (value === -2147483648) return copyAscii("-2147483648", buffer, at); // its negation is not an int32
    buffer[at++] = 0x2d;
    value = -value;
  }
  if (value < 10) {
    buffer[at] = 0x30 + value;
    return at + 1;
  }
  let digits = 2;
  for (let bound = 100; value >= bound && digits < 10; bound *= 10) digits++;
  const end = at + digits;
  writeDigits(value, buffer, end, digits);
  return end;
}

/** Writes the lowest `count` decimal digits of the int32 n ≥ 0 so that the last one lands before `end`. */
function writeDigits(n: number, buffer: Uint8Array, end: number, count: number): void {
  for (let i = end - 1; i >= end - count; i--) {
    const next = (n / 10) | 0;
    buffer[i] = 0x30 + (n - next * 10);
    n = next;
  }
}

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);
const SIGNIFICANT = 15;

/**
 * Writes a finite, non-integer v in [1e-6, 1e9) (either sign) that some decimal of at most 15
 * significant digits reads back to, and returns the end; returns -1 for any other v.
 *
 * Why this is String(v): with k = 15 − (digits of the integer part), m = round(|v|·10^k) < 10^15 is an
 * exact integer, and m / 10^k is one correctly rounded division of two exact doubles, so
 * `m / 10^k === |v|` holds exactly when the decimal m·10^−k reads back to v. Two different decimals
 * of at most 15 significant digits never read back to the same double, so m without its trailing
 * zeros is the shortest decimal that does, which is what String prints (in plain notation
 * throughout this range).
 */
function writeShortDecimal(v: number, buffer: Uint8Array, at: number, digits: Uint8Array): number {
  const a = v < 0 ? -v : v;
  if (!(a >= 1e-6 && a < 1e9)) return -1;
  let intDigits = 0;
  for (let bound = 1; a >= bound; bound *= 10) intDigits++;
  const k = SIGNIFICANT - intDigits;
  const scale = POWERS_OF_TEN[k];
  const m = Math.round(a * scale);
  if (m / scale !== a || m >= 1e15) return -1;
  // The 15 digits of m, zero-padded on the left, in two int32 halves; the point goes after intDigits.
  const high = Math.floor(m / 1e8);
  writeDigits(high, digits, 7, 7);
  writeDigits(m - high * 1e8, digits, 15, 8);
  let last = SIGNIFICANT - 1;
  while (digits[last] === 0x30) last--; // a non-integer has a non-zero fractional digit
  if (v < 0) buffer[at++] = 0x2d;
  if (intDigits === 0) buffer[at++] = 0x30;
  for (let i = 0; i < intDigits; i++) buffer[at++] = digits[i];
  buffer[at++] = 0x2e;
  for (let i = intDigits; i <= last; i++) buffer[at++] = digits[i];
  return at;
}
