import { quoted } from "./quoted.js";
/** Where in the input a problem sits, as a person would look for it. */
export interface DataErrorLocation {
  /** The input's name (file path or URL) when the caller gave one. */
  readonly source?: string;
  /** 1-based line number as an editor shows it; the header is line 1. */
  readonly row?: number;
  /** The column's header name. */
  readonly column?: string;
  /** 1-based position of the column in the header. */
  readonly columnNumber?: number;
}

/** What kind of problem it is, for callers that react differently (a CLI exit code, a test). */
export type DataErrorCode =
  | "EMPTY_FILE"
  | "NO_DATA_ROWS"
  | "DUPLICATE_HEADER"
  | "RAGGED_ROW"
  | "NOT_A_NUMBER"
  | "MISSING_TARGET"
  | "SINGLE_TARGET_VALUE"
  | "TARGET_NOT_IN_HEADER"
  | "FEATURE_NOT_IN_HEADER"
  | "BAD_SCHEMA"
  | "COLUMNS_DIFFER"
  | "UNSUPPORTED_COLUMN"
  | "BAD_PARQUET"
  | "TOO_MANY_CLASSES"
  | "MALFORMED_CSV"
  | "BAD_GZIP"
  | "BINARY_INPUT";

/**
 * Bad input data. The message is written for the person who owns the file: it names the line and
 * the column, so they can open the file and fix it. The same facts are fields for programs.
 */
export class DataError extends Error {
  override readonly name = "DataError";
  readonly code: DataErrorCode;
  readonly source?: string;
  readonly row?: number;
  readonly column?: string;
  readonly columnNumber?: number;

  constructor(code: DataErrorCode, problem: string, where: DataErrorLocation = {}) {
    super(`${describeLocation(where)}${problem}`);
    this.code = code;
    if (where.source !== undefined) this.source = where.source;
    if (where.row !== undefined) this.row = where.row;
    if (where.column !== undefined) this.column = where.column;
    if (where.columnNumber !== undefined) this.columnNumber = where.columnNumber;
  }
}

/** `data.csv line 7, column 3 "Income": ` — the parts that are known, in reading order. */
function describeLocation(where: DataErrorLocation): string {
  const parts: string[] = [];
  if (where.source !== undefined) parts.push(where.source);
  if (where.row !== undefined) parts.push(`line ${where.row}`);
  if (where.column !== undefined || where.columnNumber !== undefined) {
    const number = where.columnNumber !== undefined ? ` ${where.columnNumber}` : "";
    const name = where.column !== undefined ? ` ${quoted(where.column)}` : "";
    parts.push(`column${number}${name}`);
  }
  if (parts.length === 0) return "";
  // "file.csv line 7, column 3 "x": " — the source and line read as one phrase.
  const [first, ...rest] = parts;
  const head = where.source !== undefined && where.row !== undefined ? `${first} ${rest.shift()}` : first;
  return [head, ...rest].join(", ") + ": ";
}
