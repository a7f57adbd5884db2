import { Readable } from "node:stream";
import { CellNumbers } from "./cell-numbers.js";
import { chunksOf, notANumber, raggedRow, type CsvInput } from "./csv-loader.js";
import { CsvTokenizer, type CsvRecord } from "./csv-tokenizer.js";
import { DataError } from "./data-error.js";
import { readHeader, resolveFeatures } from "./header.js";
import type { FeatureTableSchema } from "./schema.js";

/** Up to `batchRows` rows of a CSV: every field as text (to pass through) and the model's features as numbers. */
export interface FeatureBatch {
  /** The file's header, all columns. */
  readonly header: readonly string[];
  /** Each row's fields as text, all columns, in header order. */
  readonly rows: readonly (readonly string[])[];
  /** One column per requested feature (schema.features order), NaN = missing. */
  readonly columns: readonly Float64Array[];
}

/**
 * Reads a CSV as it streams, in batches of at most `batchRows` rows, with the loader's checks and messages (ragged
 * rows, non-numeric features named by line and column): any input size in memory of one batch. Every column is kept
 * as text so that callers can write rows back unchanged (ids, labels) beside what they add.
 */
export async function* readFeatureBatches(
  input: CsvInput,
  schema: FeatureTableSchema & { batchRows?: number },
): AsyncGenerator<FeatureBatch> {
  const { source } = schema;
  const batchRows = schema.batchRows ?? 50_000;
  const cells = new CellNumbers(schema.missingValues);
  let header: string[] | undefined;
  let features: readonly number[] = [];
  let rows: string[][] = [];
  let columns: number[][] = [];
  let total = 0;
  const ready: FeatureBatch[] = [];
  const cut = (): void => {
    if (rows.length === 0 || header === undefined) return;
    ready.push({ header, rows, columns: columns.map((values) => Float64Array.from(values)) });
    rows = [];
    columns = features.map(() => []);
  };
  const onRecord = (record: CsvRecord, line: number): void => {
    if (record.length === 1 && record.text(0) === "") return; // a blank line
    if (header === undefined) {
      header = readHeader(
        Array.from({ length: record.length }, (_, i) => record.text(i)),
        source,
      );
      features = resolveFeatures(header, schema.features, -1, source);
      columns = features.map(() => []);
      return;
    }
    if (record.length !== header.length) throw raggedRow(record.length, header, line, source);
    const fields = Array.from({ length: record.length }, (_, i) => record.text(i));
    for (let f = 0; f < features.length; f++) {
      const index = features[f];
      let value = record.plainNumber(index);
      if (value === undefined) {
        value = cells.read(fields[index]);
        if (value === undefined) throw notANumber(fields[index], header[index], index, line, source);
      }
      columns[f].push(value);
    }
    rows.push(fields);
    total++;
    if (rows.length >= batchRows) cut();
  };
  try {
    const tokenizer = new CsvTokenizer(schema.delimiter ?? ",", onRecord, source);
    for await (const chunk of chunksOf(input, source)) {
      tokenizer.write(chunk);
      while (ready.length > 0) yield ready.shift() as FeatureBatch;
    }
    tokenizer.end();
    cut();
    while (ready.length > 0) yield ready.shift() as FeatureBatch;
  } finally {
    if (input instanceof Readable && !input.destroyed) input.destroy();
  }
  if (header === undefined) throw new DataError("EMPTY_FILE", "the file is empty; expected a header line and data rows", { source });
  if (total === 0) throw new DataError("NO_DATA_ROWS", "the file has a header line but no data rows", { source, row: 2 });
}
