import {
  classificationMetrics,
  featureImportances,
  predict,
  predictProba,
  regressionMetrics,
  summarizeDataset,
  type Dataset,
  type ForestModel,
} from "@canopy/ml";
import type { ReportInput } from "@canopy/report";

/** What a run learned about its model on the held-out rows. */
export interface Evaluation {
  /** metrics.json, as published. */
  metricsDocument: Record<string, unknown>;
  /** The headline metrics returned to the producer (small: they travel through Redis). */
  headline: Record<string, unknown>;
  /** What report.html needs beyond the manifest. */
  report: Pick<ReportInput, "task" | "metrics" | "importances" | "data"> & { heldOut?: { actual: number[]; predicted: number[] } };
}

export function evaluateModel(model: ForestModel, train: Dataset, test: Dataset, all: Dataset): Evaluation {
  const importanceValues = featureImportances(model);
  const importances = Object.fromEntries(model.featureNames.map((name, i) => [name, importanceValues[i]]));
  const summary = summarizeDataset(all);
  const data = {
    rows: all.nRows,
    trainRows: train.nRows,
    testRows: test.nRows,
    features: summary.features.map((feature) => ({
      name: feature.name,
      min: feature.min,
      max: feature.max,
      mean: feature.mean,
      missing: feature.missing,
    })),
  };
  if (model.task === "regression") {
    const predicted = predict(model, test.columns);
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
  const proba = predictProba(model, test.columns);
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
