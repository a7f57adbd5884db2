import type { Task } from "../dataset.js";

/** How to read a CSV into a Dataset. Field names follow the run request (`contracts/run-request.schema.json`). */
export interface CsvSchema {
  /** The target column's header name. */
  readonly target: string;
  /** Feature columns by header name, in this order; null or absent = every column but the target, in file order. */
  readonly features?: readonly string[] | null;
  /** null or absent = inferred (see inferTask in the README: integer target with ≤ maxClasses values → classification). */
  readonly task?: Task | null;
  /** Task inference: an integer target with at most this many distinct values is a classification target. Default 20. */
  readonly maxClasses?: number;
  /** Cell texts read as missing values (after trimming spaces). Default DEFAULT_MISSING_VALUES. */
  readonly missingValues?: readonly string[];
  /** Field separator, default ",". */
  readonly delimiter?: string;
  /** A name for the input (path or URL) that error messages start with. */
  readonly source?: string;
}

/** Reading a table to predict on: the model's feature columns, no target. */
export interface FeatureTableSchema {
  readonly features: readonly string[];
  readonly missingValues?: readonly string[];
  readonly delimiter?: string;
  readonly source?: string;
}

export const DEFAULT_MAX_CLASSES = 20;
