import { classificationMetrics, regressionMetrics, type Dataset, type DatasetSummary, type ShardHeader } from "@canopy/ml";
import type { ReportInput } from "@canopy/report";
import type { HeldOutVotes } from "./shard-evaluation.js";

/** What a run learned about its model on the held-out rows. */
export interface Evaluation {
  /** metrics.json, as published. */
  metricsDocument: Record<string, unknown>;
  /** The headline metrics returned to the producer (small: they travel through Redis). */
  headline: Record<string, unknown>;
  /** What report.html needs beyond the manifest. */
  report: Pick<ReportInput, "task" | "metrics" | "importances" | "data"> & { heldOut?: { actual: number[]; predicted: number[] } };
}

/** The run's metrics from the forest's held-out votes (combined from its shards) and the summary of all its rows. */
export function evaluateHeldOut(
  model: Pick<ShardHeader, "task" | "classes" | "featureNames">,
  votes: HeldOutVotes,
  train: Dataset,
  test: Dataset,
  summary: DatasetSummary,
): Evaluation {
  const importances = Object.fromEntries(model.featureNames.map((name, i) => [name, votes.importances[i]]));
  const data = {
    rows: summary.rows,
    trainRows: train.nRows,
    testRows: test.nRows,
    features: summary.features.map((feature) => ({
      name: feature.name,
      min: feature.min,
      max: feature.max,
      mean: feature.mean,
      missing: feature.missing,
    })),
    target:
      summary.target.task === "classification"
        ? { name: summary.target.name, classes: summary.target.classes.map(({ label, count }) => ({ label, count })) }
        : { name: summary.target.name, min: summary.target.min, max: summary.target.max, mean: summary.target.mean },
  };
  if (model.task === "regression") {
    const predicted = votes.values;
    const metrics = regressionMetrics(test.target, predicted);
    return {
      metricsDocument: { task: "regression", heldOutRows: test.nRows, metrics, featureImportances: importances, data: summary },
      headline: { ...metrics },
      report: {
        task: "regression",
        metrics,
        importances,
        data,
        heldOut: { actual: Array.from(test.target), predicted: Array.from(predicted) },
      },
    };
  }
  const { values, width } = votes;
  const proba = Array.from({ length: test.nRows }, (_, r) => values.subarray(r * width, (r + 1) * width));
  const classes = model.classes ?? [];
  const metrics = classificationMetrics(test.target, proba, classes);
  const { accuracy, logLoss, macroF1 } = metrics;
  return {
    metricsDocument: { task: "classification", heldOutRows: test.nRows, metrics, featureImportances: importances, data: summary },
    headline: { task: "classification", accuracy, logLoss, macroF1 },
    report: {
      task: "classification",
      metrics: { accuracy, logLoss, macroF1, confusion: { labels: metrics.classes, counts: metrics.confusionMatrix } },
      importances,
      data,
    },
  };
}
