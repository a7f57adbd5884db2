import { regressionMetrics, type Dataset } from "@canopy/ml";
import { LATEST_FORMAT, advanceLatest, openStore, readLatest, type LatestPointer } from "@canopy/storage";
import { judgeRun, type GateBaseline, type GateRule } from "./quality-gate.js";

/**
 * What became of a published run: `promoted` (latest.json names it), `held back` (the quality gate kept it out),
 * `superseded` (a later hour was already promoted: a backfill is published but never moves latest.json back).
 * Recorded in the run's manifest and returned in its result.
 */
export interface Promotion {
  readonly state: "promoted" | "held back" | "superseded";
  /** Why it was held back or superseded; null when promoted. */
  readonly reason: string | null;
  /** What the gate checked, as people read it. */
  readonly checks: readonly string[];
}

/**
 * Predicts the held-out rows with the model at a URL (the current latest), for the gate's maxRegression: values for
 * regression, class labels for classification (labels, not indexes: the two models may know different classes).
 */
export type HeldOutScorer = (modelUrl: string, test: Dataset) => Promise<Float64Array | readonly string[]>;

/**
 * Decides before publishing what the run's promotion will be: the gate's verdict on its held-out metrics (scoring
 * the current latest model on the same rows when `maxRegression` asks for it), then whether a later hour holds
 * latest.json already. `promote` then moves the pointer for a run decided `promoted`.
 */
export async function decidePromotion(options: {
  readonly root: string;
  readonly runId: string;
  readonly rule: GateRule | null;
  readonly task: "regression" | "classification";
  readonly metrics: Readonly<Record<string, unknown>>;
  readonly test: Dataset;
  readonly score: HeldOutScorer;
}): Promise<Promotion> {
  const { root, runId, rule, task, metrics, test } = options;
  const latest = await readLatest(openStore(root), root);
  let baseline: GateBaseline | null = null;
  if (rule?.maxRegression !== undefined && latest !== null && latest.pointer.runId !== runId) {
    const predicted = await options.score(latest.pointer.modelUrl, test);
    baseline = { runId: latest.pointer.runId, value: headlineOf(task, test, predicted) };
  }
  const verdict = rule === null ? null : judgeRun(rule, task, metrics, baseline);
  const checks = verdict?.checks.map((check) => `${check.passed ? "passed" : "failed"}: ${check.text}`) ?? [];
  if (verdict !== null && !verdict.promote) return { state: "held back", reason: verdict.reason, checks };
  if (latest !== null && latest.pointer.runId > runId) {
    return {
      state: "superseded",
      reason: `a later hour (${latest.pointer.runId}) is already the latest model; this backfill does not replace it`,
      checks,
    };
  }
  return { state: "promoted", reason: null, checks };
}

/** Moves latest.json to a published run decided `promoted`; a later hour promoted meanwhile makes it `superseded`. */
export async function promote(root: string, run: Omit<LatestPointer, "format" | "promotedAt">, decided: Promotion): Promise<Promotion> {
  if (decided.state !== "promoted") return decided;
  const outcome = await advanceLatest(openStore(root), root, { format: LATEST_FORMAT, ...run, promotedAt: new Date().toISOString() });
  return outcome.moved ? decided : { ...decided, state: "superseded", reason: outcome.reason };
}

/** The gate's headline metric (R² or accuracy, headlineMetric) of another model's predictions of the held-out rows. */
function headlineOf(task: "regression" | "classification", test: Dataset, predicted: Float64Array | readonly string[]): number {
  if (task === "regression") return regressionMetrics(test.target, predicted as Float64Array).r2;
  const classes = test.classes ?? [];
  let right = 0;
  for (let row = 0; row < test.nRows; row++) if (predicted[row] === classes[test.target[row]]) right++;
  return right / test.nRows;
}
