import { quoted } from "./quoted.js";
import type { Task } from "../dataset.js";
import type { CellNumbers } from "./cell-numbers.js";
import { compareCodePoints, numericLabel } from "./class-labels.js";
import { DataError } from "./data-error.js";
import { GrowableFloat64Array, GrowableInt32Array } from "./growable.js";

/** More distinct values than this can't be class labels: a typo'd regression target, most likely. */
export const MAX_CLASS_LABELS = 10_000;

export interface TargetColumnOptions {
  readonly name: string;
  readonly columnNumber: number;
  readonly source?: string;
  /** Given, or null to infer. */
  readonly task: Task | null;
  /** Inference: an integer target with at most this many distinct values is classification. */
  readonly maxClasses: number;
  readonly cells: CellNumbers;
}

export interface TargetValues {
  readonly task: Task;
  readonly target: Float64Array;
  readonly classes?: readonly string[];
}

/**
 * Collects the target column while the file streams in. It keeps the values as numbers and, while
 * there are few distinct spellings, as label codes too — so string labels work and a numeric
 * target with a million distinct values doesn't build a million-entry map.
 */
export class TargetColumn {
  private readonly values = new GrowableFloat64Array();
  private labelCodes: GrowableInt32Array | null = new GrowableInt32Array();
  private readonly labelIds = new Map<string, number>();
  private readonly labels: string[] = [];
  private firstNonNumeric: { row: number; value: string } | null = null;
  private allIntegers = true;
  /** False while every value so far equals the first. */
  private varies = false;
  /** The file being read, when several are (messages about a row name it); otherwise options.source. */
  private currentSource: string | undefined;
  private columnNumber: number;

  constructor(private readonly options: TargetColumnOptions) {
    this.columnNumber = options.columnNumber;
  }

  /** Rows added from now on come from this file (undefined: back to options.source). */
  useSource(source: string | undefined): void {
    this.currentSource = source;
  }

  /** The target's 1-based position in the file being read. */
  setColumnNumber(columnNumber: number): void {
    this.columnNumber = columnNumber;
  }

  add(cell: string, row: number): void {
    const value = this.options.cells.read(cell);
    if (value !== undefined && value !== value) {
      throw new DataError(
        "MISSING_TARGET",
        `the target value is missing (${cell === "" ? "an empty cell" : quoted(cell)}); every row needs one`,
        this.at(row),
      );
    }
    if (value === undefined) {
      if (this.options.task === "regression") {
        throw new DataError("NOT_A_NUMBER", `${quoted(cell)} is not a number, and a regression target must be numeric`, this.at(row));
      }
      if (this.labelCodes === null) throw this.tooManyLabels(cell, row);
      this.firstNonNumeric ??= { row, value: cell };
      this.values.push(NaN);
    } else {
      if (!this.varies && this.values.length > 0 && value !== this.values.get(0)) this.varies = true;
      this.values.push(value);
      if (this.allIntegers && !Number.isInteger(value)) this.allIntegers = false;
    }
    if (this.labelCodes !== null) this.addLabel(cell, row);
  }

  /**
   * A value read as a number (Parquet), the same as add(String(value)) but without the text once label
   * spellings are no longer tracked (more distinct numbers than any class count). NaN is a missing value.
   */
  addNumber(value: number, row: number): void {
    if (this.labelCodes !== null || value !== value) {
      this.add(value !== value ? "" : Object.is(value, -0) ? "-0" : numericLabel(value), row);
      return;
    }
    if (!this.varies && this.values.length > 0 && value !== this.values.get(0)) this.varies = true;
    this.values.push(value);
    if (this.allIntegers && !Number.isInteger(value)) this.allIntegers = false;
  }

  /** The task (given or inferred), the target as the engine wants it, and the class labels. */
  finish(): TargetValues {
    const n = this.values.length;
    if (this.firstNonNumeric !== null) return this.finishLabels();
    const values = this.values.toArray();
    if (!this.varies) throw this.singleValue(numericLabel(values[0]), n);
    // Counting distinct values stops early: a regression target never needs a full pass or a sort.
    const task =
      this.options.task ??
      (this.allIntegers && distinctValues(values, this.options.maxClasses) !== undefined ? "classification" : "regression");
    if (task === "regression") return { task, target: values };
    const distinct = distinctValues(values, MAX_CLASS_LABELS);
    if (distinct === undefined) {
      throw new DataError(
        "TOO_MANY_CLASSES",
        `classification needs class labels, but the target has more than ${MAX_CLASS_LABELS} distinct values`,
        this.at(),
      );
    }
    const classIndex = new Map<number, number>();
    distinct.forEach((value, c) => classIndex.set(value, c));
    const target = new Float64Array(n);
    for (let i = 0; i < n; i++) target[i] = classIndex.get(values[i])!;
    return { task, target, classes: Array.from(distinct, numericLabel) };
  }

  private finishLabels(): TargetValues {
    // Some label is not a number: every label is a string, sorted by code point.
    if (this.labels.length === 1) throw this.singleValue(this.labels[0], this.values.length);
    const order = this.labels.map((_, id) => id).sort((a, b) => compareCodePoints(this.labels[a], this.labels[b]));
    const rank = new Int32Array(order.length);
    order.forEach((id, position) => (rank[id] = position));
    const codes = this.labelCodes!.toArray();
    const target = new Float64Array(codes.length);
    for (let i = 0; i < codes.length; i++) target[i] = rank[codes[i]];
    return { task: "classification", target, classes: order.map((id) => this.labels[id]) };
  }

  private addLabel(cell: string, row: number): void {
    let id = this.labelIds.get(cell);
    if (id === undefined) {
      id = this.labels.length;
      if (id >= MAX_CLASS_LABELS) {
        if (this.firstNonNumeric !== null) throw this.tooManyLabels(cell, row);
        // All numbers so far: stop tracking spellings, the numbers are enough.
        this.labelCodes = null;
        this.labelIds.clear();
        this.labels.length = 0;
        return;
      }
      this.labelIds.set(cell, id);
      this.labels.push(cell);
    }
    this.labelCodes!.push(id);
  }

  private tooManyLabels(cell: string, row: number): DataError {
    return new DataError(
      "TOO_MANY_CLASSES",
      `${quoted(cell)} is not a number, and the target has more than ${MAX_CLASS_LABELS} distinct values, too many to be class labels`,
      this.at(row),
    );
  }

  private singleValue(value: string, rows: number): DataError {
    return new DataError(
      "SINGLE_TARGET_VALUE",
      `the target has the same value (${quoted(value)}) on all ${rows} rows; there is nothing to learn`,
      this.at(),
    );
  }

  private at(row?: number) {
    const source = this.currentSource ?? this.options.source;
    return { source, row, column: this.options.name, columnNumber: this.columnNumber };
  }
}

/** The distinct values in ascending order, or undefined as soon as there are more than `limit`. */
function distinctValues(values: Float64Array, limit: number): Float64Array | undefined {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    seen.add(values[i]);
    if (seen.size > limit) return undefined;
  }
  return Float64Array.from(seen).sort();
}
