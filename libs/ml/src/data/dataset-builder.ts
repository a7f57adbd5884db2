import { quotedList } from "./quoted.js";
import type { Dataset } from "../dataset.js";
import { CellNumbers } from "./cell-numbers.js";
import type { CsvRecord } from "./csv-tokenizer.js";
import { notANumber, raggedRow } from "./csv-loader.js";
import { DataError } from "./data-error.js";
import { GrowableFloat64Array } from "./growable.js";
import { findColumn, resolveFeatures } from "./header.js";
import { DEFAULT_MAX_CLASSES, type CsvSchema } from "./schema.js";
import { TargetColumn } from "./target-column.js";

/** Where one file's columns sit in that file: the features in Dataset order, and the target. */
export interface SourceColumns {
  readonly features: readonly number[];
  readonly target: number;
}

/**
 * Builds one Dataset from one or more tables read one after the other (CSV files, gzip CSV, Parquet): the
 * first file's header decides the columns, every later file must have the same column names (in any order),
 * rows are appended in file order, and the target's task and class labels are decided over all rows at the
 * end, as if the files were one.
 */
export class DatasetBuilder {
  readonly cells: CellNumbers;
  private header: readonly string[] | undefined;
  private firstSource: string | undefined;
  private featureNames: readonly string[] = [];
  private columns: GrowableFloat64Array[] = [];
  private readonly target: TargetColumn;
  /** Data rows so far, over all files. */
  rows = 0;

  constructor(
    private readonly schema: CsvSchema,
    /** The name the whole input goes by in messages that are about no single file (one file: its name). */
    overallSource: string | undefined,
  ) {
    this.cells = new CellNumbers(schema.missingValues);
    this.target = new TargetColumn({
      name: schema.target,
      columnNumber: 0, // set from the first header
      source: overallSource,
      task: schema.task ?? null,
      maxClasses: schema.maxClasses ?? DEFAULT_MAX_CLASSES,
      cells: this.cells,
    });
  }

  /** True once some file had a header. */
  get started(): boolean {
    return this.header !== undefined;
  }

  /**
   * A file's header (already read by readHeader): the first one resolves the schema, later ones must name the
   * same columns. Returns where the features and the target are in this file.
   */
  beginSource(header: readonly string[], source: string | undefined): SourceColumns {
    this.target.useSource(source);
    if (this.header === undefined) {
      const targetIndex = findColumn(header, this.schema.target, "target", source);
      const features = resolveFeatures(header, this.schema.features, targetIndex, source);
      this.header = header;
      this.firstSource = source;
      this.featureNames = features.map((index) => header[index]);
      this.columns = features.map(() => new GrowableFloat64Array());
      this.target.setColumnNumber(targetIndex + 1);
      return { features, target: targetIndex };
    }
    this.checkSameColumns(header, source);
    const target = header.indexOf(this.schema.target);
    this.target.setColumnNumber(target + 1);
    return { features: this.featureNames.map((name) => header.indexOf(name)), target };
  }

  /** One CSV data row of the current file; `line` is its line number there. */
  addRecord(record: CsvRecord, line: number, columns: SourceColumns, header: readonly string[], source: string | undefined): void {
    if (record.length !== header.length) throw raggedRow(record.length, header, line, source);
    const features = columns.features;
    for (let f = 0; f < features.length; f++) {
      const index = features[f];
      let value = record.plainNumber(index);
      if (value === undefined) {
        const cell = record.text(index);
        value = this.cells.read(cell);
        if (value === undefined) throw notANumber(cell, header[index], index, line, source);
      }
      this.columns[f].push(value);
    }
    this.target.add(record.text(columns.target), line);
    this.rows++;
  }

  /** Feature values read another way (Parquet): feature f in Dataset order, values in row order, NaN = missing. */
  addFeatureValues(f: number, values: ArrayLike<number>): void {
    this.columns[f].pushAll(values);
  }

  /** Target cells read another way, as the text a CSV of the same table would hold; `line` numbers as in that CSV. */
  addTargetCell(cell: string, line: number): void {
    this.target.add(cell, line);
  }

  /** A target value read as a number (NaN = missing): as addTargetCell of its text, faster. */
  addTargetNumber(value: number, line: number): void {
    this.target.addNumber(value, line);
  }

  /** Room for this many more rows in every feature column (a Parquet file's row count is known up front). */
  reserve(rows: number): void {
    for (const column of this.columns) column.reserve(rows);
  }

  /** Rows added by addFeatureValues / addTargetCell: counted once all columns of a batch are in. */
  countRows(n: number): void {
    this.rows += n;
  }

  finish(): Dataset {
    this.target.useSource(undefined);
    const { task, target, classes } = this.target.finish();
    return {
      featureNames: this.featureNames,
      columns: this.columns.map((column) => column.toArray()),
      nRows: this.rows,
      task,
      targetName: this.schema.target,
      target,
      ...(classes !== undefined ? { classes } : {}),
    };
  }

  private checkSameColumns(header: readonly string[], source: string | undefined): void {
    const first = this.header!;
    const missing = first.filter((name) => !header.includes(name));
    const extra = header.filter((name) => !first.includes(name));
    if (missing.length === 0 && extra.length === 0) return;
    const list = quotedList;
    const parts = [
      ...(missing.length > 0 ? [`it lacks ${list(missing)}`] : []),
      ...(extra.length > 0 ? [`it has ${list(extra)} in addition`] : []),
    ];
    throw new DataError(
      "COLUMNS_DIFFER",
      `the columns differ from those of ${this.firstSource ?? "the first file"}: ${parts.join("; ")}; every file must have the same columns`,
      { source, row: 1, column: missing[0] ?? extra[0] },
    );
  }
}
