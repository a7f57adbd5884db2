import { quoted } from "./quoted.js";
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import type { Dataset } from "../dataset.js";
import { CellNumbers } from "./cell-numbers.js";
import { CsvTokenizer, type CsvRecord } from "./csv-tokenizer.js";
import { DataError } from "./data-error.js";
import { GrowableFloat64Array } from "./growable.js";
import { decodedBytes } from "./input-bytes.js";
import { readHeader, resolveFeatures } from "./header.js";
import type { CsvSchema, FeatureTableSchema } from "./schema.js";
import { DatasetBuilder } from "./dataset-builder.js";
import { readCsvInto } from "./csv-source.js";

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
  const builder = new DatasetBuilder(schema, source);
  const { empty, rows } = await readCsvInto(builder, input, schema.delimiter, source);
  if (empty) throw emptyFile(source);
  if (rows === 0) throw noDataRows(source);
  return builder.finish();
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
  readonly onRow?: (record: CsvRecord, row: number) => void;
}

async function readColumns(
  input: CsvInput,
  delimiter: string | undefined,
  source: string | undefined,
  cells: CellNumbers,
  plan: (header: string[]) => ColumnPlan,
): Promise<FeatureTable> {
  let header: string[] | undefined;
  let features: readonly number[] = [];
  let columns: GrowableFloat64Array[] = [];
  let onRow: ColumnPlan["onRow"];
  let rows = 0;

  const onRecord = (record: CsvRecord, line: number) => {
    if (record.length === 1 && record.text(0) === "") return; // a blank line
    if (header === undefined) {
      header = readHeader(
        Array.from({ length: record.length }, (_, i) => record.text(i)),
        source,
      );
      const chosen = plan(header);
      features = chosen.features;
      onRow = chosen.onRow;
      columns = features.map(() => new GrowableFloat64Array());
      return;
    }
    if (record.length !== header.length) throw raggedRow(record.length, header, line, source);
    for (let f = 0; f < features.length; f++) {
      const index = features[f];
      let value = record.plainNumber(index);
      if (value === undefined) {
        const cell = record.text(index);
        value = cells.read(cell);
        if (value === undefined) throw notANumber(cell, header[index], index, line, source);
      }
      columns[f].push(value);
    }
    onRow?.(record, line);
    rows++;
  };

  try {
    const tokenizer = new CsvTokenizer(delimiter ?? ",", onRecord, source);
    for await (const chunk of chunksOf(input, source)) tokenizer.write(chunk);
    tokenizer.end();
  } finally {
    // Stopped before the end (a bad row, a failing source): nothing after the first problem is read.
    if (input instanceof Readable && !input.destroyed) input.destroy();
  }

  if (header === undefined) throw emptyFile(source);
  if (rows === 0) throw noDataRows(source);
  const names = header;
  return { featureNames: features.map((index) => names[index]), columns: columns.map((c) => c.toArray()), nRows: rows };
}

/** The input's text bytes: as they come, or decompressed as they come when the input is gzip (by its magic bytes). */
export function chunksOf(input: CsvInput, source?: string): AsyncGenerator<Uint8Array> {
  return decodedBytes(rawChunksOf(input), source);
}

async function* rawChunksOf(input: CsvInput): AsyncGenerator<Uint8Array> {
  if (typeof input === "string") yield Buffer.from(input, "utf8");
  else if (input instanceof Uint8Array) yield input;
  else for await (const chunk of input) yield typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
}

export function emptyFile(source: string | undefined): DataError {
  return new DataError("EMPTY_FILE", "the file is empty; expected a header line and data rows", { source });
}

export function noDataRows(source: string | undefined): DataError {
  return new DataError("NO_DATA_ROWS", "the file has a header line but no data rows", { source, row: 2 });
}

export function raggedRow(found: number, header: readonly string[], line: number, source: string | undefined): DataError {
  const expected = header.length;
  const short = found < expected;
  const where = short
    ? { source, row: line, column: header[found], columnNumber: found + 1 }
    : { source, row: line, columnNumber: expected + 1 };
  const values = `${found} value${found === 1 ? "" : "s"}`;
  const detail = short
    ? `the row has ${values}, the header has ${expected} columns (this column and any after it are missing)`
    : `the row has ${values}, the header has ${expected} columns (this column and any after it are extra)`;
  return new DataError("RAGGED_ROW", detail, where);
}

export function notANumber(cell: string, column: string, index: number, line: number, source: string | undefined): DataError {
  return new DataError(
    "NOT_A_NUMBER",
    `${quoted(cell)} is not a number; features must be numeric (leave the cell empty for a missing value)`,
    { source, row: line, column, columnNumber: index + 1 },
  );
}
