/**
 * Class order, as scikit-learn's `classes_` (np.unique): numeric labels in numeric order
 * (2 before 10); as soon as one label is not a number, all labels are strings in code-point order
 * ("10" before "9", "B" before "a").
 */
export function compareCodePoints(a: string, b: string): number {
  // JavaScript's < compares UTF-16 code units, which misorders characters beyond U+FFFF against
  // U+E000–U+FFFF; Python (and numpy) compare code points.
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** The label a numeric class gets in `Dataset.classes`: JavaScript's shortest round-trip form. */
export function numericLabel(value: number): string {
  return String(value);
}
