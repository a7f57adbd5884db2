import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot, venvBin } from "@canopy/testkit";

export interface ParquetRequest {
  readonly csv: string;
  readonly out: string;
  readonly row_group_size?: number;
  readonly compression?: "snappy" | "gzip" | "zstd" | "brotli" | "lz4" | "none";
  /** Column → pyarrow type ("int32", "bool", "float32", "decimal128(9,3)", "timestamp[ms]", "string"). */
  readonly types?: Record<string, string>;
  /** pyarrow's defaults: dictionary encoding, version 1 data pages of about 1 MiB. */
  readonly use_dictionary?: boolean;
  readonly data_page_version?: "1.0" | "2.0";
  readonly data_page_size?: number;
}

/** Writes Parquet files from CSV files with pandas + pyarrow (the .venvs/model virtualenv), at test time. */
export function writeParquet(requests: readonly ParquetRequest[]): void {
  const script = join(repoRoot(), "libs", "ml", "test", "python", "write_parquet.py");
  const result = spawnSync(venvBin("model", "python"), [script], { input: JSON.stringify(requests), encoding: "utf8" });
  if (result.status !== 0) throw new Error(`write_parquet.py failed (${result.status}): ${result.stderr}${result.error?.message ?? ""}`);
}
