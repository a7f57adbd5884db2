const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Integers below this are exact doubles (2^53). */
const EXACT_INTEGERS = 9007199254740992;

/**
 * Reads [sign]digits[.digits][(e|E)[sign]digits] whose significant digits form an integer below 2^53 (every
 * 15-digit one, and most of the 16-digit ones that the shortest round-trip spelling of a double — numpy's, Python's
 * repr — often has) and whose decimal exponent is within ±22: the mantissa is then an exact integer and 10^|e| an
 * exact double, so one multiplication or division gives the correctly rounded value, the same double as
 * Number(text) (Clinger's fast path). Returns undefined for anything else (spaces, markers like NA, more digits).
 */
export function parsePlainDecimal(bytes: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  if (i === end) return undefined;
  let negative = false;
  if (bytes[i] === 0x2d || bytes[i] === 0x2b) {
    negative = bytes[i] === 0x2d;
    i++;
  }
  let mantissa = 0;
  let significant = 0;
  let digits = 0;
  let exponent = 0;
  for (; i < end; i++) {
    const d = bytes[i] - 0x30;
    if (d < 0 || d > 9) break;
    digits++;
    if (mantissa === 0 && d === 0) continue;
    if (++significant > 16) return undefined;
    mantissa = mantissa * 10 + d;
  }
  if (i < end && bytes[i] === 0x2e) {
    for (i++; i < end; i++) {
      const d = bytes[i] - 0x30;
      if (d < 0 || d > 9) break;
      digits++;
      exponent--;
      if (mantissa === 0 && d === 0) continue;
      if (++significant > 16) return undefined;
      mantissa = mantissa * 10 + d;
    }
  }
  if (digits === 0) return undefined;
  // Up to 15 digits every step was exact; a 16th may have rounded, and then the result is at least 2^53.
  if (significant === 16 && !(mantissa < EXACT_INTEGERS)) return undefined;
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
  let value: number;
  if (mantissa === 0) value = 0;
  else if (exponent >= 0 && exponent <= 22) value = mantissa * POWERS_OF_TEN[exponent];
  else if (exponent < 0 && exponent >= -22) value = mantissa / POWERS_OF_TEN[-exponent];
  else return undefined;
  return negative ? -value : value;
}
