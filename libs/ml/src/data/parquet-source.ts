import { DataError } from "./data-error.js";
import type { DatasetBuilder } from "./dataset-builder.js";

/** A Parquet file to read: by ranges when the store can, or its bytes in memory. */
export type ParquetInput =
  | { readonly name: string; readonly size: number; readRange(start: number, end: number): Promise<Uint8Array> }
  | { readonly name: string; readonly size: number; readonly bytes: Uint8Array };

export async function readParquetInto(_builder: DatasetBuilder, input: ParquetInput): Promise<void> {
  throw new DataError("UNSUPPORTED_COLUMN", "Parquet files are not supported yet", { source: input.name });
}
