import type { ReportInput } from "./report-input.js";

/** The report input is malformed; `path` names the offending field, e.g. `heldOut.predicted[3]`. */
export class ReportInputError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`report input: ${path}: ${problem}`);
    this.name = "ReportInputError";
  }
}

/**
 * Checks the parts the page computes with (chart coordinates, sums, matrix shape), so a bad
 * input fails with a message naming the field instead of drawing a broken chart.
 * The input usually comes from JSON, so nothing here trusts the static type.
 */
export function validateReportInput(input: ReportInput): void {
  const raw = input as unknown;
  if (typeof raw !== "object" || raw === null) throw new ReportInputError("(input)", "expected an object");
  requireString(input.runId, "runId");
  requireString(input.runDate, "runDate");
  if (Number.isNaN(Date.parse(input.runDate))) {
    throw new ReportInputError("runDate", `not an ISO timestamp: ${JSON.stringify(input.runDate)}`);
  }
  requireString(input.target, "target");
  requireObject(input.input, "input");
  requireString(input.input.url, "input.url");
  requireCount(input.input.rows, "input.rows");
  requireObject(input.params, "params");
  requireObject(input.data, "data");
  requireCount(input.data.rows, "data.rows");
  requireArray(input.data.features, "data.features");
  input.data.features.forEach((feature, i) => {
    const path = `data.features[${i}]`;
    requireObject(feature, path);
    requireString(feature.name, `${path}.name`);
    for (const key of ["min", "max", "mean"] as const) {
      if (feature[key] !== null) requireFinite(feature[key], `${path}.${key}`);
    }
    requireCount(feature.missing, `${path}.missing`);
  });
  const target = input.data.target;
  if (target !== undefined && target !== null) {
    requireObject(target, "data.target");
    requireString(target.name, "data.target.name");
    if ("classes" in target) {
      requireArray(target.classes, "data.target.classes");
      target.classes.forEach((c, i) => {
        requireString(c.label, `data.target.classes[${i}].label`);
        requireCount(c.count, `data.target.classes[${i}].count`);
      });
    } else for (const key of ["min", "max", "mean"] as const) requireFinite(target[key], `data.target.${key}`);
  }
  requireObject(input.importances, "importances");
  for (const [name, value] of Object.entries(input.importances)) {
    requireFinite(value, `importances[${JSON.stringify(name)}]`);
    if (value < 0) throw new ReportInputError(`importances[${JSON.stringify(name)}]`, `must not be negative, got ${value}`);
  }
  requireObject(input.timings, "timings");
  for (const [phase, ms] of Object.entries(input.timings)) {
    requireFinite(ms, `timings[${JSON.stringify(phase)}]`);
    if (ms < 0) throw new ReportInputError(`timings[${JSON.stringify(phase)}]`, `must not be negative, got ${ms}`);
  }
  requireObject(input.metrics, "metrics");
  if (input.task === "regression") validateRegression(input);
  else if (input.task === "classification") validateClassification(input);
  else throw new ReportInputError("task", `expected "regression" or "classification", got ${describe((raw as { task?: unknown }).task)}`);
}

function validateRegression(input: Extract<ReportInput, { task: "regression" }>): void {
  for (const key of ["mae", "mse", "rmse", "r2"] as const) requireMetric(input.metrics[key], `metrics.${key}`);
  requireObject(input.heldOut, "heldOut");
  requireArray(input.heldOut.actual, "heldOut.actual");
  requireArray(input.heldOut.predicted, "heldOut.predicted");
  if (input.heldOut.actual.length !== input.heldOut.predicted.length) {
    throw new ReportInputError(
      "heldOut",
      `actual has ${input.heldOut.actual.length} values but predicted has ${input.heldOut.predicted.length}`,
    );
  }
  input.heldOut.actual.forEach((v, i) => requireFinite(v, `heldOut.actual[${i}]`));
  input.heldOut.predicted.forEach((v, i) => requireFinite(v, `heldOut.predicted[${i}]`));
}

function validateClassification(input: Extract<ReportInput, { task: "classification" }>): void {
  for (const key of ["accuracy", "logLoss", "macroF1"] as const) requireMetric(input.metrics[key], `metrics.${key}`);
  const confusion = input.metrics.confusion;
  requireObject(confusion, "metrics.confusion");
  requireArray(confusion.labels, "metrics.confusion.labels");
  if (confusion.labels.length === 0) throw new ReportInputError("metrics.confusion.labels", "has no classes");
  confusion.labels.forEach((label, i) => requireString(label, `metrics.confusion.labels[${i}]`));
  requireArray(confusion.counts, "metrics.confusion.counts");
  const n = confusion.labels.length;
  if (confusion.counts.length !== n) {
    throw new ReportInputError("metrics.confusion.counts", `expected ${n} rows (one per label), found ${confusion.counts.length}`);
  }
  confusion.counts.forEach((row, i) => {
    requireArray(row, `metrics.confusion.counts[${i}]`);
    if (row.length !== n) {
      throw new ReportInputError(`metrics.confusion.counts[${i}]`, `expected ${n} counts (one per label), found ${row.length}`);
    }
    row.forEach((count, j) => requireCount(count, `metrics.confusion.counts[${i}][${j}]`));
  });
}

function requireString(value: unknown, path: string): asserts value is string {
  if (typeof value !== "string") throw new ReportInputError(path, `expected a string, got ${describe(value)}`);
}

function requireObject(value: unknown, path: string): asserts value is object {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ReportInputError(path, `expected an object, got ${describe(value)}`);
  }
}

function requireArray(value: unknown, path: string): asserts value is readonly unknown[] {
  if (!Array.isArray(value)) throw new ReportInputError(path, `expected an array, got ${describe(value)}`);
}

function requireFinite(value: unknown, path: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ReportInputError(path, `expected a finite number, got ${describe(value)}`);
  }
}

/** A metric may be undefined for a held-out set (NaN, or null after JSON): it is shown as n/a, not rejected. */
function requireMetric(value: unknown, path: string): void {
  if (value !== null && typeof value !== "number") throw new ReportInputError(path, `expected a number or null, got ${describe(value)}`);
}

function requireCount(value: unknown, path: string): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new ReportInputError(path, `expected a non-negative whole number, got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "number") return String(value);
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
