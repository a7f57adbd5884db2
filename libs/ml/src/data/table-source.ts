import type { Readable } from "node:stream";

/** One stored table (a file, an object-store object) that loadDatasetFrom reads. */
export interface TableSource {
  /** Shown in messages (the path or URL). */
  readonly name: string;
  /** Its size in bytes. */
  readonly size: number;
  /** The whole object as a stream. */
  open(): Promise<Readable>;
  /**
   * Bytes [start, end). When present, Parquet is read by ranges (the footer, then one row group at a
   * time); without it a Parquet file is read into memory whole.
   */
  readRange?(start: number, end: number): Promise<Uint8Array>;
}

export type TableFormat = "csv" | "csv.gz" | "parquet";

/** What one source contributed, for the manifest and the report. */
export interface SourceLineage {
  name: string;
  /** Detected from the bytes, not the name. */
  format: TableFormat;
  /** The stored size (compressed, for gzip). */
  bytes: number;
  /** Data rows read from it. */
  rows: number;
  /** Present when the file was skipped: 0 bytes, or nothing after decompression. */
  skipped?: "empty";
}
