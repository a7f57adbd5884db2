/**
 * Everything report.html shows about one published run. A plain JSON-able object, so the
 * publisher can build it from what it already has (manifest, metrics.json, held-out predictions)
 * and a test can write one by hand.
 */
export type ReportInput = RegressionReportInput | ClassificationReportInput;

export interface RegressionReportInput extends ReportBase {
  readonly task: "regression";
  readonly metrics: RegressionMetrics;
  /** The held-out rows: actual target and the forest's prediction, index i ↔ the same row. */
  readonly heldOut: HeldOutPredictions;
}

export interface ClassificationReportInput extends ReportBase {
  readonly task: "classification";
  readonly metrics: ClassificationMetrics;
}

export interface ReportBase {
  /** `YYYYMMDDHH`, e.g. `2026030405`. */
  readonly runId: string;
  /** The run's hour as an ISO timestamp, e.g. `2026-03-04T05:00:00.000Z`. */
  readonly runDate: string;
  /** When the run was published (ISO). Optional so a report can be rendered deterministically. */
  readonly createdAt?: string | null;
  /** Name of the target column. */
  readonly target: string;
  readonly input: InputIdentity;
  /** The objects read, when the input was a set (a prefix, a glob or a window of hours); absent for one object. */
  readonly inputs?: InputFiles | null;
  /** The resolved training parameters, shown as given (nested values are shown as JSON). */
  readonly params: Readonly<Record<string, JsonValue>>;
  readonly data: DataSummary;
  /** Feature name → importance (scikit-learn style: non-negative, summing to 1). */
  readonly importances: Readonly<Record<string, number>>;
  /** Phase name → milliseconds, in the order the phases ran. */
  readonly timings: Readonly<Record<string, number>>;
  /** The code that trained the model. */
  readonly code?: { readonly version: string; readonly commit?: string | null } | null;
}

/** Which exact input the run read. */
export interface InputIdentity {
  readonly url: string;
  readonly etag: string | null;
  readonly versionId?: string | null;
  /** Data rows in the file (header excluded). */
  readonly rows: number;
  /** Size in bytes, when known. */
  readonly size?: number | null;
}

/** The objects a run read as a set, with what each contributed (the manifest's `inputs`). */
export interface InputFiles {
  /** The run's `data` as requested: a template, a prefix or a glob. */
  readonly data: string;
  readonly count: number;
  readonly bytes: number;
  readonly rows: number;
  /** The hours of a templated window, oldest first; `missing` hours were skipped. */
  readonly hours?: readonly { readonly hour: string; readonly url: string; readonly files: number; readonly missing?: boolean }[];
  readonly files: readonly InputFile[];
  /** Non-data objects left out (markers such as `_SUCCESS`). */
  readonly skipped?: readonly string[];
}

export interface InputFile {
  readonly url: string;
  readonly size: number;
  readonly rows: number;
  readonly format: string;
  readonly etag?: string | null;
  readonly versionId?: string | null;
  /** Present when the file was skipped as empty. */
  readonly skipped?: string;
}

export interface DataSummary {
  /** Rows used for training and evaluation together. */
  readonly rows: number;
  readonly trainRows?: number | null;
  readonly testRows?: number | null;
  readonly features: readonly FeatureSummary[];
  /** The target column: its range (regression) or its classes (classification); absent in older runs. */
  readonly target?: TargetSummary | null;
}

export type TargetSummary =
  | { readonly name: string; readonly min: number; readonly max: number; readonly mean: number }
  | { readonly name: string; readonly classes: readonly { readonly label: string; readonly count: number }[] };

/** One feature column; min/max/mean are null when every value is missing. */
export interface FeatureSummary {
  readonly name: string;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  readonly missing: number;
}

/** A metric may be null when it is undefined for the held-out set (e.g. R² of a constant target). */
export interface RegressionMetrics {
  readonly mae: number | null;
  readonly mse: number | null;
  readonly rmse: number | null;
  readonly r2: number | null;
}

export interface ClassificationMetrics {
  readonly accuracy: number | null;
  readonly logLoss: number | null;
  readonly macroF1: number | null;
  readonly confusion: ConfusionMatrix;
}

/** counts[i][j] = held-out rows whose actual class is labels[i] and predicted class is labels[j]. */
export interface ConfusionMatrix {
  readonly labels: readonly string[];
  readonly counts: readonly (readonly number[])[];
}

export interface HeldOutPredictions {
  readonly actual: readonly number[];
  readonly predicted: readonly number[];
}

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
