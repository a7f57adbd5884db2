import type { SourceLineage, TableFormat } from "@canopy/ml";
import type { InputPin } from "@canopy/storage";
import type { InputHour, InputSet, MissingPartitions } from "./input-set.js";

/** One object a run read: its pinned version and what it contributed. */
export interface InputFileLineage extends InputPin {
  /** Detected from the bytes. */
  format: TableFormat;
  rows: number;
  /** Present when the object was skipped (0 bytes, or nothing after decompression). */
  skipped?: "empty";
}

/** The manifest's `inputs` and report.html's input list: which objects, how many bytes and rows, which hours. */
export interface InputLineage {
  data: string;
  windowHours: number;
  missingPartitions: MissingPartitions;
  count: number;
  bytes: number;
  rows: number;
  /** Hours of a templated window, oldest first (those skipped as missing say so). */
  hours?: InputHour[];
  files: InputFileLineage[];
  /** Marker objects left out of prefixes and globs. */
  skipped: string[];
}

/** The lineage of a run from its pins, how they were named (absent in plans of older workers) and what each gave. */
export function inputLineage(pins: readonly InputPin[], set: InputSet | undefined, sources: readonly SourceLineage[]): InputLineage {
  const files = pins.map((pin, i): InputFileLineage => {
    const source = sources[i];
    return { ...pin, format: source?.format ?? "csv", rows: source?.rows ?? 0, ...(source?.skipped ? { skipped: source.skipped } : {}) };
  });
  return {
    data: set?.data ?? pins[0]?.url ?? "",
    windowHours: set?.windowHours ?? 1,
    missingPartitions: set?.missingPartitions ?? "error",
    count: files.length,
    bytes: files.reduce((sum, file) => sum + file.size, 0),
    rows: files.reduce((sum, file) => sum + file.rows, 0),
    ...(set?.hours ? { hours: set.hours } : {}),
    files,
    skipped: set?.skipped ?? [],
  };
}
