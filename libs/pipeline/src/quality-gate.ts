/**
 * The quality gate a run must pass before `latest.json` moves to it (docs/contracts.md, "Quality gate").
 *
 * - `promoteIf`: comparisons of held-out metrics with numbers, joined by `and`: `"r2 >= 0.8 and mae < 3"`.
 * - `maxRegression`: how much the run's headline metric (R² for regression, accuracy for classification) may fall
 *   below the current latest model's, both measured on this run's held-out rows (the same rows, so the numbers
 *   compare), in the metric's own units.
 */
export interface GateRule {
  readonly promoteIf?: string;
  readonly maxRegression?: number;
}

export interface GateCheck {
  /** The check as a person reads it: `r2 0.912 >= 0.8` or `r2 0.871 vs latest 0.934 (2026120306): fell 0.063 > 0.05`. */
  readonly text: string;
  readonly passed: boolean;
}

export interface GateVerdict {
  readonly promote: boolean;
  readonly checks: readonly GateCheck[];
  /** Why the run was held back (the failed checks), or null when it is promoted. */
  readonly reason: string | null;
}

/** The latest model's headline metric on this run's held-out rows, for `maxRegression`. */
export interface GateBaseline {
  readonly runId: string;
  readonly value: number;
}

const OPERATORS = {
  ">=": (a: number, b: number) => a >= b,
  ">": (a: number, b: number) => a > b,
  "<=": (a: number, b: number) => a <= b,
  "<": (a: number, b: number) => a < b,
} as const;
type Operator = keyof typeof OPERATORS;

export interface Comparison {
  readonly metric: string;
  readonly operator: Operator;
  readonly bound: number;
}

export const REGRESSION_METRICS = ["r2", "mae", "mse", "rmse"] as const;
export const CLASSIFICATION_METRICS = ["accuracy", "macroF1", "logLoss"] as const;
const METRICS: readonly string[] = [...REGRESSION_METRICS, ...CLASSIFICATION_METRICS];
const COMPARISON = /^\s*([A-Za-z][A-Za-z0-9]*)\s*(>=|<=|>|<)\s*(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

export class GateRuleError extends Error {
  override readonly name = "GateRuleError";
}

/** Parses `promoteIf`; throws GateRuleError naming the part it cannot read. */
export function parsePromoteIf(rule: string): Comparison[] {
  const parts = rule.split(/\s+and\s+/i);
  return parts.map((part) => {
    const match = COMPARISON.exec(part);
    if (match === null) {
      throw new GateRuleError(
        `cannot read "${part.trim().slice(0, 80)}" in the promotion rule: write comparisons like "r2 >= 0.8", joined by "and"`,
      );
    }
    const [, metric, operator, bound] = match;
    if (!METRICS.includes(metric))
      throw new GateRuleError(`unknown metric "${metric}" in the promotion rule; known: ${METRICS.join(", ")}`);
    return { metric, operator: operator as Operator, bound: Number(bound) };
  });
}

/** Checks a rule against the task before training, so a rule that can never apply fails the run at once. */
export function validateGateRule(rule: GateRule, task: "regression" | "classification"): void {
  const own: readonly string[] = task === "regression" ? REGRESSION_METRICS : CLASSIFICATION_METRICS;
  for (const { metric } of rule.promoteIf === undefined ? [] : parsePromoteIf(rule.promoteIf)) {
    if (!own.includes(metric))
      throw new GateRuleError(`the promotion rule uses "${metric}", which a ${task} run does not measure (it has ${own.join(", ")})`);
  }
  if (rule.maxRegression !== undefined && !(rule.maxRegression >= 0 && Number.isFinite(rule.maxRegression))) {
    throw new GateRuleError(`maxRegression must be a number ≥ 0, got ${rule.maxRegression}`);
  }
}

/** The metric `maxRegression` compares: higher is better for both. */
export function headlineMetric(task: "regression" | "classification"): "r2" | "accuracy" {
  return task === "regression" ? "r2" : "accuracy";
}

/**
 * The gate's verdict on a run's held-out metrics. `baseline` is the current latest model scored on the same rows,
 * or null when there is no latest model yet (then `maxRegression` passes: there is nothing to regress from).
 */
export function judgeRun(
  rule: GateRule,
  task: "regression" | "classification",
  metrics: Readonly<Record<string, unknown>>,
  baseline: GateBaseline | null,
): GateVerdict {
  const checks: GateCheck[] = [];
  for (const { metric, operator, bound } of rule.promoteIf === undefined ? [] : parsePromoteIf(rule.promoteIf)) {
    const value = metrics[metric];
    if (typeof value !== "number") {
      checks.push({ text: `${metric} was not measured`, passed: false });
      continue;
    }
    checks.push({ text: `${metric} ${formatMetric(value)} ${operator} ${bound}`, passed: OPERATORS[operator](value, bound) });
  }
  if (rule.maxRegression !== undefined) {
    const metric = headlineMetric(task);
    const value = metrics[metric];
    if (baseline === null) {
      checks.push({ text: `no latest model to compare ${metric} with`, passed: true });
    } else if (typeof value !== "number") {
      checks.push({ text: `${metric} was not measured`, passed: false });
    } else {
      const fall = baseline.value - value;
      const passed = fall <= rule.maxRegression;
      const verb = fall > 0 ? `fell ${formatMetric(fall)}` : `rose ${formatMetric(-fall)}`;
      checks.push({
        text: `${metric} ${formatMetric(value)} vs latest ${formatMetric(baseline.value)} (${baseline.runId}) on the same rows: ${verb}${passed ? "" : ` > ${rule.maxRegression}`}`,
        passed,
      });
    }
  }
  const failed = checks.filter((check) => !check.passed);
  return { promote: failed.length === 0, checks, reason: failed.length === 0 ? null : failed.map((check) => check.text).join("; ") };
}

/** Metrics to 4 significant digits: enough to see why a rule passed or failed, never 0.8300000000000001. */
export function formatMetric(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}
