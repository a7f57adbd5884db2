import { parquetMetadataAsync, parquetSchema, type AsyncBuffer, type FileMetaData } from "hyparquet";
import { DataError } from "./data-error.js";
import type { DatasetBuilder } from "./dataset-builder.js";
import { readHeader } from "./header.js";
import { checkFinite, featureKind, fillFeature, targetCell, targetKind, type ColumnAt } from "./parquet-columns.js";
import { flatColumnChunk, flatPages, pageCells } from "./parquet-flat-column.js";

/** The first read from the end of the file: most footers fit; a bigger one costs a second read. */
const FOOTER_FETCH = 1 << 16;

/** A Parquet file to read: by ranges when the store can, or its bytes in memory. */
export type ParquetInput =
  | { readonly name: string; readonly size: number; readRange(start: number, end: number): Promise<Uint8Array> }
  | { readonly name: string; readonly size: number; readonly bytes: Uint8Array };

/**
 * Reads one Parquet file into the builder: the footer first, then one row group at a time, one column at a
 * time, so memory holds the footer and about one row group's columns (never the file, when it is read by
 * ranges). Only the feature and target columns are read. Line numbers in messages are those the same table
 * would have as a CSV with a header (the first row is line 2).
 */
export async function readParquetInto(builder: DatasetBuilder, input: ParquetInput): Promise<number> {
  const source = input.name;
  const file = asyncBufferOf(input);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file, { initialFetchSize: FOOTER_FETCH });
  } catch (error) {
    throw badParquet(source, error);
  }
  const root = parquetSchema(metadata);
  const top = root.children;
  const header = readHeader(
    top.map((column) => column.element.name),
    source,
  );
  const columns = builder.beginSource(header, source);
  const at = (index: number): ColumnAt => ({ source, name: header[index], columnNumber: index + 1 });
  const featureKinds = columns.features.map((index) => featureKind(top[index], at(index)));
  const targetAt = at(columns.target);
  const targetIs = targetKind(top[columns.target], targetAt);
  builder.reserve(Number(metadata.num_rows));

  let rows = 0;
  for (let group = 0; group < metadata.row_groups.length; group++) {
    const firstLine = rows + 2;
    const n = Number(metadata.row_groups[group].num_rows);
    const pagesOf = async (index: number) => {
      try {
        const chunk = flatColumnChunk(metadata, group, root, top[index]);
        const bytes = new Uint8Array(await file.slice(chunk.start, chunk.end));
        if (bytes.byteLength !== chunk.end - chunk.start) throw new Error(`column ${header[index]} is cut short`);
        return [...flatPages(bytes, chunk)];
      } catch (error) {
        throw badParquet(source, error);
      }
    };
    const values: Float64Array[] = [];
    for (let f = 0; f < columns.features.length; f++) {
      const index = columns.features[f];
      const column = new Float64Array(n);
      let offset = 0;
      for (const page of await pagesOf(index)) {
        fillFeature(column, offset, page, featureKinds[f]);
        offset += page.definitionLevels.length || page.values.length;
      }
      if (offset !== n) throw badParquet(source, new Error(`column ${header[index]} has ${offset} values in a row group of ${n} rows`));
      if (featureKinds[f] === "number") checkFinite(column, at(index), firstLine);
      values.push(column);
    }
    const target = (await pagesOf(columns.target)).flatMap(pageCells);
    if (target.length !== n)
      throw badParquet(source, new Error(`column ${header[columns.target]} has ${target.length} values in a row group of ${n} rows`));
    values.forEach((column, f) => builder.addFeatureValues(f, column));
    if (targetIs === "number" || targetIs === "bigint") {
      for (let i = 0; i < n; i++) {
        const value = target[i] as number | bigint | null;
        builder.addTargetNumber(value === null ? NaN : Number(value), firstLine + i);
      }
    } else {
      for (let i = 0; i < n; i++) builder.addTargetCell(targetCell(target[i]), firstLine + i);
    }
    builder.countRows(n);
    rows += n;
  }
  return rows;
}

function asyncBufferOf(input: ParquetInput): AsyncBuffer {
  if ("bytes" in input) {
    const { bytes } = input;
    return { byteLength: bytes.length, slice: (start, end) => arrayBufferOf(bytes.subarray(start, end)) };
  }
  return {
    byteLength: input.size,
    slice: async (start, end) => arrayBufferOf(await input.readRange(start, end ?? input.size)),
  };
}

/** hyparquet wants an ArrayBuffer holding exactly the bytes. */
function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  // A copy: Buffer#slice is a view (of Node's shared pool, for small reads), not a copy.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

function badParquet(source: string, error: unknown): DataError {
  if (error instanceof DataError) return error;
  return new DataError("BAD_PARQUET", `the file starts like Parquet but cannot be read (${(error as Error).message}); is it complete?`, {
    source,
  });
}
