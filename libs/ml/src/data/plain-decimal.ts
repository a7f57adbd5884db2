const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Integers below this are exact doubles (2^53). */
const EXACT_INTEGERS = 9007199254740992;

/** Significant digits read into the high part of the mantissa: below 10^10, so high · 10^8 is an exact double. */
const HIGH_DIGITS = 10;
/** Significant digits read at most: 18 (the high part, then up to 8 in the low part). */
const MAX_DIGITS = HIGH_DIGITS + 8;

/** Dekker's splitter for products of two doubles without a fused multiply-add (2^27 + 1). */
const SPLITTER = 134217729;

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/**
 * Reads [sign]digits[.digits][(e|E)[sign]digits] with at most 18 significant digits and a decimal exponent within
 * ±22 into the double Number(text) gives (the correctly rounded one). When the digits form an integer below 2^53 —
 * every 15-digit one, most 16-digit ones — that integer and 10^|e| are exact doubles and one multiplication or
 * division rounds correctly (Clinger's fast path). Longer mantissas (the 17 digits of many shortest round-trip
 * spellings, numpy's and Python's repr) are kept exactly as two doubles; for a negative exponent the quotient is
 * then corrected by the exactly computed remainder (exactRatio). Returns undefined for anything else (spaces,
 * markers like NA, more digits, other exponents), which the caller reads with Number(text).
 */
export function parsePlainDecimal(bytes: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  if (i === end) return undefined;
  let negative = false;
  if (bytes[i] === 0x2d || bytes[i] === 0x2b) {
    negative = bytes[i] === 0x2d;
    i++;
  }
  // The significant digits: the first HIGH_DIGITS in `high`, the rest (lowDigits of them) in `low`.
  let high = 0;
  let low = 0;
  let lowDigits = 0;
  let significant = 0;
  let digits = 0;
  let exponent = 0;
  let fraction = false;
  for (; i < end; i++) {
    const d = bytes[i] - 0x30;
    if (d < 0 || d > 9) {
      if (bytes[i] !== 0x2e || fraction) break;
      fraction = true;
      continue;
    }
    digits++;
    if (fraction) exponent--;
    if (significant === 0 && d === 0) continue;
    significant++;
    if (significant <= HIGH_DIGITS) high = high * 10 + d;
    else if (significant <= MAX_DIGITS) {
      low = low * 10 + d;
      lowDigits++;
    } else return undefined;
  }
  if (digits === 0) return undefined;
  if (i < end && (bytes[i] | 0x20) === 0x65) {
    i++;
    let exponentNegative = false;
    if (i < end && (bytes[i] === 0x2d || bytes[i] === 0x2b)) exponentNegative = bytes[i++] === 0x2d;
    let written = 0;
    let e = 0;
    for (; i < end; i++) {
      const d = bytes[i] - 0x30;
      if (d < 0 || d > 9) break;
      if (++written > 4) return undefined;
      e = e * 10 + d;
    }
    if (written === 0) return undefined;
    exponent += exponentNegative ? -e : e;
  }
  if (i !== end) return undefined;
  if (high === 0) return negative ? -0 : 0;
  if (exponent < -22 || exponent > 22) return undefined;
  // The mantissa is exactly top + rest: top · 10^lowDigits is exact (below 2^53 times a power of two), and the sum's
  // rounding error is itself a double (Fast2Sum, top ≥ low).
  const top = high * POWERS_OF_TEN[lowDigits];
  const mantissa = top + low;
  const rest = top - mantissa + low;
  let value: number;
  if (rest === 0 && mantissa < EXACT_INTEGERS) {
    value = exponent >= 0 ? mantissa * POWERS_OF_TEN[exponent] : mantissa / POWERS_OF_TEN[-exponent];
  } else if (exponent === 0) {
    value = mantissa; // the exact mantissa rounded once
  } else if (exponent < 0) {
    value = exactRatio(mantissa, rest, POWERS_OF_TEN[-exponent]);
  } else return undefined;
  return negative ? -value : value;
}

/**
 * The double nearest to (hi + lo) / p (ties to even), for an integer hi + lo below 10^18 (lo the exact rounding error
 * of hi) and p = 10^k, k ≤ 22. q = hi / p is within an ulp or two of it; the remainder hi + lo − q·p is computed
 * exactly (Dekker's two-product of q and p; every difference below is between numbers within a few ulps of each
 * other on a grid fine enough for 53 bits) and compared with half the gap to q's neighbour, stepping q until the
 * remainder is within half a gap.
 */
function exactRatio(hi: number, lo: number, p: number): number {
  let q = hi / p;
  let r = remainder(hi, lo, q, p);
  for (;;) {
    bits[0] = q;
    const exponentBits = words[1] >>> 20;
    // The gap to the next double up is 2^(e − 52); down, half that when q is a power of two.
    bits[0] = 0;
    words[1] = (exponentBits - 52) << 20;
    const gapUp = bits[0];
    bits[0] = q;
    const powerOfTwo = words[0] === 0 && (words[1] & 0xfffff) === 0;
    const odd = (words[0] & 1) === 1;
    const gap = r > 0 ? gapUp : powerOfTwo ? gapUp / 2 : gapUp;
    const twice = 2 * Math.abs(r);
    const half = gap * p; // twice the remainder a halfway point has: exact (a power of two times p)
    if (twice < half || (twice === half && !odd)) return q;
    // Beyond halfway (or a tie on an odd q): the neighbour towards the remainder.
    q = r > 0 ? q + gap : q - gap;
    r = r > 0 ? r - gap * p : r + gap * p;
  }
}

/** hi + lo − q·p, exactly. */
function remainder(hi: number, lo: number, q: number, p: number): number {
  const product = q * p;
  // Dekker: q·p = product + error exactly, from q and p each split into two 26-bit halves.
  let t = SPLITTER * q;
  const qh = t - (t - q);
  const ql = q - qh;
  t = SPLITTER * p;
  const ph = t - (t - p);
  const pl = p - ph;
  const error = qh * ph - product + qh * pl + ql * ph + ql * pl;
  return hi - product - error + lo;
}
