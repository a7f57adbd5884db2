/**
 * Cells pandas reads as missing by default that also appear in real exports; an empty cell is
 * always among them unless the caller passes a list without "".
 */
export const DEFAULT_MISSING_VALUES: readonly string[] = ["", "NA", "N/A", "NaN", "nan", "null", "NULL"];

/**
 * Turns CSV cells into numbers. Decimal notation only (`12`, `-3.5`, `1e-3`, surrounding spaces
 * allowed): JavaScript's Number() would also accept `0x1F`, `0b1`, `Infinity`, which no CSV writer
 * means as numbers, so those are rejected.
 */
export class CellNumbers {
  private readonly missing: ReadonlySet<string>;
  private readonly blankIsMissing: boolean;

  constructor(missingValues: readonly string[] = DEFAULT_MISSING_VALUES) {
    this.missing = new Set(missingValues.map((value) => value.trim()));
    this.blankIsMissing = this.missing.has("");
  }

  /** The cell's value: NaN when the cell is a missing-value marker, undefined when it is not a number. */
  read(cell: string): number | undefined {
    if (cell.length === 0) return this.blankIsMissing ? NaN : undefined;
    const value = Number(cell);
    if (value !== value) return this.missing.has(cell.trim()) ? NaN : undefined;
    // Number("  ") is 0: a blank cell, not a zero.
    if (value === 0 && cell.trim().length === 0) return this.blankIsMissing ? NaN : undefined;
    if (value === Infinity || value === -Infinity) return undefined;
    if (value >= 0 && Number.isInteger(value) && isRadixLiteral(cell)) return undefined;
    return value;
  }

  isMissing(cell: string): boolean {
    return this.missing.has(cell.trim());
  }
}

/** `0x1F`, `0o17`, `0b101`: integer spellings Number() accepts but a CSV never means. */
function isRadixLiteral(cell: string): boolean {
  const text = cell.trimStart();
  if (text.length < 3 || text.charCodeAt(0) !== 48 /* 0 */) return false;
  const marker = text.charCodeAt(1) | 0x20; // lower-case
  return marker === 0x78 /* x */ || marker === 0x6f /* o */ || marker === 0x62; /* b */
}
