import { readFileSync } from "node:fs";
import { sampleData } from "@canopy/testkit";
import type { ClassificationReportInput, FeatureSummary, RegressionReportInput } from "../src/index.js";

/**
 * Report inputs shaped like what a run publishes. The regression one is built from the real
 * sample data (feature summary computed here, held-out rows = the last 10 rows with predictions
 * pulled towards the mean the way a forest's are), so the screenshots look like a real run.
 */
export function regressionInput(): RegressionReportInput {
  const lines = readFileSync(sampleData(), "utf8").trim().split(/\r?\n/);
  const header = lines[0].split(",");
  const rows = lines.slice(1).map((line) => line.split(",").map(Number));
  const targetIndex = header.indexOf("Petrol_Consumption");
  const featureNames = header.filter((_, i) => i !== targetIndex);
  const features: FeatureSummary[] = featureNames.map((name) => {
    const column = rows.map((row) => row[header.indexOf(name)]);
    return {
      name,
      min: Math.min(...column),
      max: Math.max(...column),
      mean: column.reduce((a, b) => a + b, 0) / column.length,
      missing: 0,
    };
  });
  const targets = rows.map((row) => row[targetIndex]);
  const mean = targets.reduce((a, b) => a + b, 0) / targets.length;
  const actual = targets.slice(-10);
  const predicted = actual.map((y, i) => Math.round((mean + 0.55 * (y - mean) + ((i * 37) % 23) - 11) * 10) / 10);
  const errors = actual.map((y, i) => y - predicted[i]);
  const mse = errors.reduce((s, e) => s + e * e, 0) / errors.length;
  const testMean = actual.reduce((a, b) => a + b, 0) / actual.length;
  const variance = actual.reduce((s, y) => s + (y - testMean) ** 2, 0) / actual.length;
  return {
    task: "regression",
    runId: "2026030405",
    runDate: "2026-03-04T05:00:00.000Z",
    createdAt: "2026-03-04T06:00:41.112Z",
    target: "Petrol_Consumption",
    input: {
      url: "s3://canopy-data/data/petrol_consumption.csv",
      etag: '"9b2cf535f27731c974343645a3985328"',
      versionId: null,
      rows: rows.length,
      size: 1429,
    },
    params: {
      nEstimators: 100,
      maxFeatures: null,
      maxDepth: null,
      minSamplesSplit: 2,
      minSamplesLeaf: 1,
      bootstrap: true,
      maxSamples: null,
      seed: 0,
      testSize: 0.2,
      treesPerShard: 25,
    },
    data: { rows: rows.length, trainRows: rows.length - 10, testRows: 10, features },
    importances: {
      Petrol_tax: 0.1203,
      Average_income: 0.2114,
      Paved_Highways: 0.0912,
      "Population_Driver_licence(%)": 0.5771,
    },
    timings: { load: 38, split: 1, grow: 412.6, merge: 9, evaluate: 4, upload: 96, total: 561 },
    code: { version: "0.1.0", commit: "c91daf7e0b1d2a3f4c5b6a7980fedcba01234567" },
    metrics: {
      mae: errors.reduce((s, e) => s + Math.abs(e), 0) / errors.length,
      mse,
      rmse: Math.sqrt(mse),
      r2: 1 - mse / variance,
    },
    heldOut: { actual, predicted },
  };
}

/** Three classes, one of them confused with another now and then; includes a column with missing values. */
export function classificationInput(): ClassificationReportInput {
  const counts = [
    [10, 0, 0],
    [0, 8, 2],
    [0, 1, 9],
  ];
  return {
    task: "classification",
    runId: "2026030406",
    runDate: "2026-03-04T06:00:00.000Z",
    createdAt: "2026-03-04T07:00:12.000Z",
    target: "species",
    input: { url: "file:///srv/canopy/data/iris.csv", etag: null, rows: 150 },
    params: { nEstimators: 200, maxFeatures: "sqrt", maxDepth: null, minSamplesLeaf: 1, bootstrap: true, seed: 7 },
    data: {
      rows: 150,
      trainRows: 120,
      testRows: 30,
      features: [
        { name: "sepal_length", min: 4.3, max: 7.9, mean: 5.843, missing: 0 },
        { name: "sepal_width", min: 2, max: 4.4, mean: 3.057, missing: 3 },
        { name: "petal_length", min: 1, max: 6.9, mean: 3.758, missing: 0 },
        { name: "petal_width", min: 0.1, max: 2.5, mean: 1.199, missing: 0 },
      ],
    },
    importances: { sepal_length: 0.1, sepal_width: 0.025, petal_length: 0.43, petal_width: 0.445 },
    timings: { load: 12, grow: 1840, evaluate: 6, upload: 70 },
    metrics: {
      accuracy: 27 / 30,
      logLoss: 0.2134,
      macroF1: 0.8997,
      confusion: { labels: ["setosa", "versicolor", "virginica"], counts },
    },
  };
}

/** Strings that would inject markup or script if any of them reached the page unescaped. */
export const HOSTILE = {
  column: "<script>window.__pwned = 'column'</script>",
  label: `<img src=x onerror="window.__pwned='label'">`,
  url: `https://example.invalid/a.csv"><script>window.__pwned='url'</script>`,
  param: `</code><svg onload="window.__pwned='param'">`,
  target: `y</title><script>window.__pwned='target'</script>`,
  phase: `<iframe src="https://example.invalid/">`,
} as const;

/** A classification report whose every data-supplied string is hostile. */
export function hostileInput(): ClassificationReportInput {
  const base = classificationInput();
  return {
    ...base,
    target: HOSTILE.target,
    input: { ...base.input, url: HOSTILE.url, etag: `"${HOSTILE.label}"` },
    params: { ...base.params, [HOSTILE.param]: HOSTILE.param, criterion: HOSTILE.column },
    data: {
      ...base.data,
      features: [...base.data.features, { name: HOSTILE.column, min: 0, max: 1, mean: 0.5, missing: 0 }],
    },
    importances: { ...base.importances, [HOSTILE.column]: 0.2 },
    timings: { ...base.timings, [HOSTILE.phase]: 5 },
    metrics: {
      ...base.metrics,
      confusion: { labels: ["setosa", HOSTILE.label, "virginica & <co>"], counts: base.metrics.confusion.counts },
    },
  };
}
