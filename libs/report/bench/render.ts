// Render cost and page size of report.html, for the sample run and for a large one
// (200 features, 10,000 held-out rows, 20 classes). Run: npx nx run report:build && node dist/bench/render.js
import { renderReport, type ReportInput } from "../src/index.js";
import { classificationInput, regressionInput } from "../test/fixtures.js";

function large(): ReportInput[] {
  const base = regressionInput();
  const features = Array.from({ length: 200 }, (_, i) => ({ name: `feature_${i}`, min: 0, max: i + 1, mean: (i + 1) / 2, missing: i % 7 }));
  const importances = Object.fromEntries(features.map((f, i) => [f.name, (i + 1) / 20100]));
  const actual = Array.from({ length: 10_000 }, (_, i) => Math.sin(i) * 100 + 500);
  const regression: ReportInput = {
    ...base,
    data: { ...base.data, rows: 50_000, trainRows: 40_000, testRows: 10_000, features },
    importances,
    heldOut: { actual, predicted: actual.map((v, i) => v + Math.cos(i * 7) * 20) },
  };
  const cls = classificationInput();
  const labels = Array.from({ length: 20 }, (_, i) => `class_${i}`);
  const counts = labels.map((_, i) => labels.map((__, j) => (i === j ? 400 : (i * 31 + j * 17) % 11)));
  const classification: ReportInput = {
    ...cls,
    data: regression.data,
    importances,
    metrics: { ...cls.metrics, confusion: { labels, counts } },
  };
  return [regression, classification];
}

function measure(name: string, input: ReportInput): void {
  renderReport(input); // warm-up
  const runs = 20;
  const times: number[] = [];
  let html = "";
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    html = renderReport(input);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(runs / 2)];
  console.log(
    `${name.padEnd(28)} median ${median.toFixed(2).padStart(7)} ms over ${runs} renders, page ${(Buffer.byteLength(html) / 1024).toFixed(1).padStart(7)} KiB`,
  );
}

const [bigRegression, bigClassification] = large();
measure("sample regression (48 rows)", regressionInput());
measure("sample classification", classificationInput());
measure("large regression", bigRegression);
measure("large classification", bigClassification);
