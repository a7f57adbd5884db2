import type { Readable } from "node:stream";
import type { Dataset } from "../dataset.js";
import { emptyFile, noDataRows } from "./csv-loader.js";
import { readCsvInto } from "./csv-source.js";
import { DataError } from "./data-error.js";
import { DatasetBuilder } from "./dataset-builder.js";
import type { CsvSchema } from "./schema.js";
import { formatOf, PARQUET_MAGIC, peek } from "./sniff.js";
import type { SourceLineage, TableSource } from "./table-source.js";

/**
 * Reads several stored tables as one Dataset: rows in the order of `sources`, the first file's columns
 * required of every other file, the task and class labels decided over all rows. Each file's format is
 * found from its bytes (CSV, gzip CSV, Parquet), whatever its name. A file of 0 bytes, or with nothing in
 * it after decompression, is skipped and reported `skipped: "empty"`; a file with a header and no rows adds
 * none. One source gives exactly what loadCsv gives for that file. `schema.source` is not used: messages
 * name each source.
 */
export async function loadDatasetFrom(
  sources: readonly TableSource[],
  schema: CsvSchema,
): Promise<{ dataset: Dataset; sources: SourceLineage[] }> {
  if (sources.length === 0) throw new DataError("EMPTY_FILE", "no input files were given");
  const overall = sources.length === 1 ? sources[0].name : `${sources.length} files (${sources[0].name} … ${sources.at(-1)!.name})`;
  const builder = new DatasetBuilder(schema, overall);
  const lineage: SourceLineage[] = [];
  for (const source of sources) lineage.push(await readSource(builder, source, schema));

  if (!builder.started) {
    if (sources.length === 1) throw emptyFile(sources[0].name);
    throw new DataError("EMPTY_FILE", `all ${sources.length} files are empty; expected a header line and data rows`, {
      source: overall,
    });
  }
  if (builder.rows === 0) {
    if (sources.length === 1) throw noDataRows(sources[0].name);
    throw new DataError("NO_DATA_ROWS", `none of the ${sources.length} files has data rows, only headers`, { source: overall });
  }
  return { dataset: builder.finish(), sources: lineage };
}

async function readSource(builder: DatasetBuilder, source: TableSource, schema: CsvSchema): Promise<SourceLineage> {
  const { name, size } = source;
  if (size === 0) return { name, format: "csv", bytes: 0, rows: 0, skipped: "empty" };
  const stream = await source.open();
  try {
    const { head, all } = await peek(stream as AsyncIterable<Uint8Array>, PARQUET_MAGIC.length);
    // "PAR1" first: Parquet (a file cut short, without "PAR1" at its end too, is refused as Parquet, not read as CSV).
    if (formatOf(head) === "parquet") {
      // Loaded here, not at the top: hyparquet and its codecs are ~50 modules that every `canopy` command and
      // worker would otherwise load at start, for the Parquet inputs only some of them read.
      const { readParquetInto } = await import("./parquet-source.js");
      let rows: number;
      if (source.readRange !== undefined) {
        destroy(stream); // read by ranges instead: the footer, then one row group at a time
        rows = await readParquetInto(builder, { name, size, readRange: source.readRange.bind(source) });
      } else {
        rows = await readParquetInto(builder, { name, size, bytes: await wholeOf(all) });
      }
      return { name, format: "parquet", bytes: size, rows };
    }
    const format = formatOf(head) === "csv.gz" ? "csv.gz" : "csv";
    const { empty, rows } = await readCsvInto(builder, all, schema.delimiter, name);
    return { name, format, bytes: size, rows, ...(empty ? { skipped: "empty" as const } : {}) };
  } finally {
    destroy(stream);
  }
}

async function wholeOf(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

function destroy(stream: Readable): void {
  if (!stream.destroyed) stream.destroy();
}
