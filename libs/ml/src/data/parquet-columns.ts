import type { SchemaTree } from "hyparquet";
import { DataError } from "./data-error.js";

/** How a Parquet column's values become Dataset numbers (features) or CSV-like cells (the target). */
export type ParquetColumnKind = "number" | "bigint" | "boolean" | "string";

/**
 * What a top-level Parquet column holds, or a description of why it cannot be used. Numbers: INT32/INT64
 * (signed or unsigned integer annotations), FLOAT, DOUBLE, DECIMAL (hyparquet gives doubles), BOOLEAN (as 0/1).
 * Strings (UTF8/STRING/ENUM) only as a target. Dates, times, timestamps, binary, nested and other types are
 * refused: a forest would silently learn from their encodings.
 */
export function kindOf(column: SchemaTree): ParquetColumnKind | { unsupported: string } {
  const { element } = column;
  if (column.children.length > 0) return { unsupported: "a nested (group, list or map) column" };
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  const described = typeOf(column);
  if (logical === "DECIMAL" || converted === "DECIMAL") return "number";
  switch (element.type) {
    case "INT32":
    case "INT64":
      if ((logical === undefined || logical === "INTEGER") && (converted === undefined || /^U?INT_/.test(converted))) {
        return element.type === "INT64" ? "bigint" : "number";
      }
      return { unsupported: `a column of type ${described}` };
    case "FLOAT":
    case "DOUBLE":
      return "number";
    case "BOOLEAN":
      return "boolean";
    case "BYTE_ARRAY":
    case "FIXED_LEN_BYTE_ARRAY":
      if (logical === "STRING" || logical === "ENUM" || converted === "UTF8" || converted === "ENUM") return "string";
      return { unsupported: `a column of type ${described}` };
    default:
      return { unsupported: `a column of type ${described}` };
  }
}

export interface ColumnAt {
  readonly source: string;
  readonly name: string;
  readonly columnNumber: number;
}

/** A feature column's kind, or a DataError naming the file, the column and its type. */
export function featureKind(column: SchemaTree, at: ColumnAt): Exclude<ParquetColumnKind, "string"> {
  const kind = kindOf(column);
  if (kind === "string") {
    throw unsupported(
      at,
      `a string column (${typeOf(column)})`,
      "a feature; features must be numeric (integers, floating point, decimals or booleans)",
    );
  }
  if (typeof kind === "object")
    throw unsupported(at, kind.unsupported, "a feature; features must be numeric (integers, floating point, decimals or booleans)");
  return kind;
}

/** The target column's kind, or a DataError naming the file, the column and its type. */
export function targetKind(column: SchemaTree, at: ColumnAt): ParquetColumnKind {
  const kind = kindOf(column);
  if (typeof kind === "object") throw unsupported(at, kind.unsupported, "the target; a target must be numbers or strings");
  return kind;
}

function typeOf(column: SchemaTree): string {
  const { element } = column;
  return [element.type, element.logical_type?.type ?? element.converted_type].filter((part) => part !== undefined).join(" ");
}

function unsupported(at: ColumnAt, what: string, role: string): DataError {
  return new DataError("UNSUPPORTED_COLUMN", `the Parquet column is ${what}, which cannot be ${role}`, {
    source: at.source,
    column: at.name,
    columnNumber: at.columnNumber,
  });
}

/**
 * A feature column's values as doubles, null (and NaN) = missing, as an empty CSV cell. ±Infinity is refused as
 * CSV refuses "inf". `firstLine` is the line the first value would have in a CSV of the same table.
 */
export function featureValues(
  values: ArrayLike<unknown>,
  kind: Exclude<ParquetColumnKind, "string">,
  at: ColumnAt,
  firstLine: number,
): Float64Array {
  const n = values.length;
  if (values instanceof Float64Array) {
    checkFinite(values, at, firstLine);
    return values;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[i];
    if (value === null || value === undefined) out[i] = NaN;
    else if (kind === "number") out[i] = value as number;
    else if (kind === "bigint") out[i] = Number(value as bigint);
    else out[i] = value === true ? 1 : 0;
  }
  if (kind === "number") checkFinite(out, at, firstLine);
  return out;
}

function checkFinite(values: Float64Array, at: ColumnAt, firstLine: number): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === Infinity || value === -Infinity) {
      throw new DataError(
        "NOT_A_NUMBER",
        `${value} is not a number a forest can split on; features must be finite (null for a missing value)`,
        {
          source: at.source,
          row: firstLine + i,
          column: at.name,
          columnNumber: at.columnNumber,
        },
      );
    }
  }
}

/**
 * A target value as the text a CSV of the same table holds (pandas' to_csv): numbers in their shortest
 * round-trip form, 64-bit integers in full, booleans True/False, null and NaN as an empty cell — so that the
 * task, the class labels and their order come out exactly as for the CSV.
 */
export function targetCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return value !== value ? "" : Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  return String(value);
}
