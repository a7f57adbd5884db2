import type { Dataset, Task } from "../dataset.js";

/** Per-feature statistics over the present (non-missing) values; null when every value is missing. */
export interface FeatureSummary {
  readonly name: string;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  readonly missing: number;
}

export interface RegressionTargetSummary {
  readonly name: string;
  readonly task: "regression";
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Population standard deviation (numpy's default, ddof = 0). */
  readonly std: number;
  /** 25th, 50th and 75th percentiles, linear interpolation (numpy's default). */
  readonly quartiles: readonly [number, number, number];
  /** Equal-width bins from min to max: counts[i] holds values in [edges[i], edges[i+1]), the last bin closed. */
  readonly histogram: { readonly edges: number[]; readonly counts: number[] };
}

export interface ClassificationTargetSummary {
  readonly name: string;
  readonly task: "classification";
  readonly classes: { readonly label: string; readonly count: number; readonly share: number }[];
}

/** What a report says about the data a model learned from; plain JSON (no NaN, no typed arrays). */
export interface DatasetSummary {
  readonly rows: number;
  readonly task: Task;
  readonly features: FeatureSummary[];
  readonly target: RegressionTargetSummary | ClassificationTargetSummary;
}

const HISTOGRAM_BINS = 10;

export function summarizeDataset(dataset: Dataset): DatasetSummary {
  return {
    rows: dataset.nRows,
    task: dataset.task,
    features: dataset.featureNames.map((name, f) => summarizeFeature(name, dataset.columns[f])),
    target: dataset.task === "classification" ? summarizeClasses(dataset) : summarizeRegressionTarget(dataset),
  };
}

function summarizeFeature(name: string, column: Float64Array): FeatureSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let missing = 0;
  for (let i = 0; i < column.length; i++) {
    const value = column[i];
    if (value !== value) {
      missing++;
      continue;
    }
    if (value < min) min = value;
    if (value > max) max = value;
    sum += value;
  }
  const present = column.length - missing;
  if (present === 0) return { name, min: null, max: null, mean: null, missing };
  return { name, min, max, mean: sum / present, missing };
}

function summarizeClasses(dataset: Dataset): ClassificationTargetSummary {
  const classes = dataset.classes ?? [];
  const counts = new Array<number>(classes.length).fill(0);
  for (let i = 0; i < dataset.nRows; i++) counts[dataset.target[i]]++;
  return {
    name: dataset.targetName,
    task: "classification",
    classes: classes.map((label, c) => ({ label, count: counts[c], share: counts[c] / dataset.nRows })),
  };
}

function summarizeRegressionTarget(dataset: Dataset): RegressionTargetSummary {
  const sorted = dataset.target.slice().sort();
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (sorted[i] - mean) ** 2;
  const min = sorted[0];
  const max = sorted[n - 1];
  return {
    name: dataset.targetName,
    task: "regression",
    min,
    max,
    mean,
    std: Math.sqrt(squares / n),
    quartiles: [quantile(sorted, 0.25), quantile(sorted, 0.5), quantile(sorted, 0.75)],
    histogram: histogram(sorted, min, max),
  };
}

/** numpy.quantile's default ("linear") on sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

function histogram(values: Float64Array, min: number, max: number): { edges: number[]; counts: number[] } {
  const bins = min === max ? 1 : HISTOGRAM_BINS;
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const bin = width === 0 ? 0 : Math.min(bins - 1, Math.floor((values[i] - min) / width));
    counts[bin]++;
  }
  return { edges, counts };
}
