import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import type { Dataset } from "../dataset.js";
import { CellNumbers } from "./cell-numbers.js";
import { DataError } from "./data-error.js";
import { GrowableFloat64Array } from "./growable.js";
import { findColumn, readHeader, resolveFeatures } from "./header.js";
import { DEFAULT_MAX_CLASSES, type CsvSchema, type FeatureTableSchema } from "./schema.js";
import { TargetColumn } from "./target-column.js";

/** What the loaders read: a stream (object storage, a file), any async byte source, or the text itself. */
export type CsvInput = Readable | AsyncIterable<Uint8Array | string> | string | Uint8Array;

/** Feature columns without a target: the table a model predicts on. */
export interface FeatureTable {
  readonly featureNames: readonly string[];
  /** One Float64Array per feature, NaN = missing. */
  readonly columns: readonly Float64Array[];
  readonly nRows: number;
}

/**
 * Reads a CSV with a header line into a columnar Dataset. Throws a DataError naming the line and
 * column of the first problem; on error nothing is returned, so nothing half-read is ever used.
 * A stream given as input is consumed (and destroyed if reading stops early).
 */
export async function loadCsv(input: CsvInput, schema: CsvSchema): Promise<Dataset> {
  const { source } = schema;
  const cells = new CellNumbers(schema.missingValues);
  let target: TargetColumn | undefined;
  let targetIndex = -1;
  const table = await readColumns(input, schema.delimiter, source, cells, (header) => {
    targetIndex = findColumn(header, schema.target, "target", source);
    target = new TargetColumn({
      name: schema.target,
      columnNumber: targetIndex + 1,
      source,
      task: schema.task ?? null,
      maxClasses: schema.maxClasses ?? DEFAULT_MAX_CLASSES,
      cells,
    });
    const features = resolveFeatures(header, schema.features, targetIndex, source);
    return { features, onRow: (record, row) => target!.add(record[targetIndex], row) };
  });
  const { task, target: values, classes } = target!.finish();
  return {
    featureNames: table.featureNames,
    columns: table.columns,
    nRows: table.nRows,
    task,
    targetName: schema.target,
    target: values,
    ...(classes !== undefined ? { classes } : {}),
  };
}

/** loadCsv on a local file; error messages name the path. */
export function loadCsvFile(path: string, schema: CsvSchema): Promise<Dataset> {
  return loadCsv(createReadStream(path), { ...schema, source: schema.source ?? path });
}

/** Reads the named feature columns (other columns are ignored, a target may be absent). */
export function loadFeatureTable(input: CsvInput, schema: FeatureTableSchema): Promise<FeatureTable> {
  const cells = new CellNumbers(schema.missingValues);
  return readColumns(input, schema.delimiter, schema.source, cells, (header) => ({
    features: resolveFeatures(header, schema.features, -1, schema.source),
  }));
}

interface ColumnPlan {
  /** Header positions of the feature columns, in Dataset order. */
  readonly features: readonly number[];
  /** Called for every data row after its features were read; `row` is the line number. */
  readonly onRow?: (record: readonly string[], row: number) => void;
}

async function readColumns(
  input: CsvInput,
  delimiter: string | undefined,
  source: string | undefined,
  cells: CellNumbers,
  plan: (header: string[]) => ColumnPlan,
): Promise<FeatureTable> {
  const parser = parse({
    bom: true,
    delimiter: delimiter ?? ",",
    // Ragged rows and blank lines are handled below, to word errors for the user and to number
    // lines as an editor does. (csv-parse's `info` option would give line numbers, but copying
    // its info object per record doubles the parse time, and it counts a CRLF inside a quoted
    // field as two lines.)
    relax_column_count: true,
    skip_empty_lines: false,
  });

  let header: string[] | undefined;
  let features: readonly number[] = [];
  let columns: GrowableFloat64Array[] = [];
  let onRow: ColumnPlan["onRow"];
  let nextLine = 1;
  let rows = 0;

  const consume = (record: string[]): void => {
    const line = nextLine;
    nextLine = line + 1 + lineBreaksIn(record);
    if (record.length === 1 && record[0] === "") return; // a blank line
    if (header === undefined) {
      header = readHeader(record, source);
      const chosen = plan(header);
      features = chosen.features;
      onRow = chosen.onRow;
      columns = features.map(() => new GrowableFloat64Array());
      return;
    }
    if (record.length !== header.length) throw raggedRow(record.length, header, line, source);
    for (let f = 0; f < features.length; f++) {
      const index = features[f];
      const value = cells.read(record[index]);
      if (value === undefined) throw notANumber(record[index], header[index], index, line, source);
      columns[f].push(value);
    }
    onRow?.(record, line);
    rows++;
  };

  const finish = (): FeatureTable => {
    if (header === undefined) {
      throw new DataError("EMPTY_FILE", "the file is empty; expected a header line and data rows", { source });
    }
    if (rows === 0) throw new DataError("NO_DATA_ROWS", "the file has a header line but no data rows", { source, row: 2 });
    const names = header;
    return { featureNames: features.map((index) => names[index]), columns: columns.map((c) => c.toArray()), nRows: rows };
  };

  return new Promise<FeatureTable>((resolve, reject) => {
    let settled = false;
    let stream: Readable | undefined = undefined;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      // Stop reading: nothing after the first problem is used, and the source is released.
      parser.destroy();
      if (stream !== undefined && !stream.destroyed) stream.destroy();
      reject(asDataError(error, source));
    };
    // 'data' events rather than async iteration: records are handled as csv-parse emits them,
    // with no per-record promise.
    parser.on("data", (record: string[]) => {
      if (settled) return;
      try {
        consume(record);
      } catch (error) {
        fail(error);
      }
    });
    parser.on("error", fail);
    parser.on("end", () => {
      if (settled) return;
      try {
        const table = finish();
        settled = true;
        resolve(table);
      } catch (error) {
        fail(error);
      }
    });
    stream = feed(input, parser);
  });
}

/** Starts piping the input into the parser; returns the source stream, to release it on error. */
function feed(input: CsvInput, parser: ReturnType<typeof parse>): Readable {
  const stream =
    typeof input === "string" || input instanceof Uint8Array
      ? Readable.from(slices(typeof input === "string" ? Buffer.from(input, "utf8") : input))
      : input instanceof Readable
        ? input
        : Readable.from(input);
  stream.on("error", (error) => parser.destroy(error));
  // Unlike pipeline(), pipe() doesn't stop the source when the parser is destroyed: fail() does.
  stream.pipe(parser);
  return stream;
}

/**
 * Text in memory goes to the parser in slices: written whole, csv-parse would turn all of it
 * into records at once, ahead of the columns being filled.
 */
function* slices(bytes: Uint8Array): Generator<Buffer> {
  const size = 1 << 16;
  for (let start = 0; start < bytes.length; start += size) {
    yield Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.min(size, bytes.length - start));
  }
}

/** Line breaks inside a record's quoted fields; CRLF counts once. */
function lineBreaksIn(record: readonly string[]): number {
  let breaks = 0;
  for (const field of record) {
    if (field.indexOf("\n") < 0 && field.indexOf("\r") < 0) continue; // the common case, natively
    for (let i = 0; i < field.length; i++) {
      const code = field.charCodeAt(i);
      if (code === 0x0a || (code === 0x0d && field.charCodeAt(i + 1) !== 0x0a)) breaks++;
    }
  }
  return breaks;
}

function raggedRow(found: number, header: readonly string[], line: number, source: string | undefined): DataError {
  const expected = header.length;
  const short = found < expected;
  const where = short
    ? { source, row: line, column: header[found], columnNumber: found + 1 }
    : { source, row: line, columnNumber: expected + 1 };
  const values = `${found} value${found === 1 ? "" : "s"}`;
  const detail = short
    ? `the row has ${values}, the header has ${expected} columns (this column and any after it are missing)`
    : `the row has ${values}, the header has ${expected} columns (this column and any after it are extra)`;
  return new DataError(
    "RAGGED_ROW",
    detail,
    where,
  );
}

function notANumber(
  cell: string,
  column: string,
  index: number,
  line: number,
  source: string | undefined,
): DataError {
  return new DataError(
    "NOT_A_NUMBER",
    `${JSON.stringify(cell)} is not a number; features must be numeric (leave the cell empty for a missing value)`,
    { source, row: line, column, columnNumber: index + 1 },
  );
}

function asDataError(error: unknown, source: string | undefined): unknown {
  if (error instanceof DataError) return error;
  if (error instanceof CsvError) {
    const line = typeof error.lines === "number" ? error.lines : undefined;
    return new DataError("MALFORMED_CSV", `the CSV is malformed: ${error.message}`, { source, row: line });
  }
  return error;
}
