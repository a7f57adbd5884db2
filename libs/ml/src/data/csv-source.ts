import { Readable } from "node:stream";
import { chunksOf, type CsvInput } from "./csv-loader.js";
import { CsvTokenizer, type CsvRecord } from "./csv-tokenizer.js";
import type { DatasetBuilder, SourceColumns } from "./dataset-builder.js";
import { readHeader } from "./header.js";

/** What one CSV file gave: `empty` when it had no header line at all (0 bytes, gzip of nothing, blank lines). */
export interface CsvSourceResult {
  readonly empty: boolean;
  readonly rows: number;
}

/**
 * Streams one CSV (plain or gzip, by its bytes) into the builder: its header is checked against the first
 * file's, its rows appended. Errors name `source` and the line in this file. A stream given is consumed
 * (and destroyed if reading stops early).
 */
export async function readCsvInto(
  builder: DatasetBuilder,
  input: CsvInput,
  delimiter: string | undefined,
  source: string | undefined,
): Promise<CsvSourceResult> {
  let header: string[] | undefined;
  let columns: SourceColumns | undefined;
  const rowsBefore = builder.rows;
  const onRecord = (record: CsvRecord, line: number) => {
    if (record.length === 1 && record.text(0) === "") return; // a blank line
    if (header === undefined) {
      header = readHeader(
        Array.from({ length: record.length }, (_, i) => record.text(i)),
        source,
      );
      columns = builder.beginSource(header, source);
      return;
    }
    builder.addRecord(record, line, columns!, header, source);
  };
  try {
    const tokenizer = new CsvTokenizer(delimiter ?? ",", onRecord, source);
    for await (const chunk of chunksOf(input, source)) tokenizer.write(chunk);
    tokenizer.end();
  } finally {
    // Stopped before the end (a bad row, a failing source): nothing after the first problem is read.
    if (input instanceof Readable && !input.destroyed) input.destroy();
  }
  return { empty: header === undefined, rows: builder.rows - rowsBefore };
}
