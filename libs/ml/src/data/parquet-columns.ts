import type { SchemaTree } from "hyparquet";
import { DataError } from "./data-error.js";
import type { FlatPage } from "./parquet-flat-column.js";

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
  if (element.repetition_type === "REPEATED") return { unsupported: "a repeated (list) column" };
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
 * One page of a feature column written as doubles into `out` from `offset`: null (and NaN) = missing, as an
 * empty CSV cell. Typed arrays of numbers are copied whole, the common case that keeps reading fast.
 */
export function fillFeature(out: Float64Array, offset: number, page: FlatPage, kind: Exclude<ParquetColumnKind, "string">): void {
  const { values, definitionLevels, maxDefinition } = page;
  const toDouble = (value: unknown): number =>
    kind === "number" ? (value as number) : kind === "bigint" ? Number(value as bigint) : value === true ? 1 : 0;
  if (definitionLevels.length === 0) {
    if (kind === "number" && !Array.isArray(values)) out.set(values as ArrayLike<number>, offset);
    else for (let i = 0; i < values.length; i++) out[offset + i] = toDouble(values[i]);
    return;
  }
  let k = 0;
  for (let i = 0; i < definitionLevels.length; i++) {
    out[offset + i] = definitionLevels[i] === maxDefinition ? toDouble(values[k++]) : NaN;
  }
}

/** ±Infinity is refused as CSV refuses "inf". `firstLine` is the line the first value would have in a CSV of the same table. */
export function checkFinite(values: Float64Array, at: ColumnAt, firstLine: number): void {
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
