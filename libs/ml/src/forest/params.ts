import type { Task } from "../dataset.js";

/** How many features each split may look at, as scikit-learn's `max_features`. */
export type MaxFeatures = number | "sqrt" | "log2" | null;

/** Training parameters, named and defaulted as scikit-learn's RandomForestRegressor/Classifier. */
export interface ForestParams {
  readonly nEstimators: number;
  /** A fraction in (0, 1] (a non-integer or 1.0), an integer count ≥ 1, "sqrt", "log2" or null (all). */
  readonly maxFeatures: MaxFeatures;
  readonly maxDepth: number | null;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  readonly bootstrap: boolean;
  /** Bootstrap sample size: a fraction in (0, 1], an integer count, or null (= the number of rows). */
  readonly maxSamples: number | null;
  readonly seed: number;
}

const defaults = {
  nEstimators: 100,
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  bootstrap: true,
  maxSamples: null,
  seed: 0,
} as const;

/**
 * Fills in scikit-learn's defaults and checks every value, so a bad setting fails before any work
 * starts with a message naming the parameter. `maxFeatures` null/absent becomes 1.0 for regression and
 * "sqrt" for classification, as scikit-learn.
 */
export function resolveForestParams(partial: Partial<ForestParams> | null | undefined, task: Task): ForestParams {
  const given = partial ?? {};
  const pick = <K extends keyof ForestParams>(key: K, fallback: ForestParams[K]): ForestParams[K] =>
    given[key] === undefined ? fallback : (given[key] as ForestParams[K]);
  const params: ForestParams = {
    nEstimators: pick("nEstimators", defaults.nEstimators),
    maxFeatures: pick("maxFeatures", null) ?? (task === "regression" ? 1.0 : "sqrt"),
    maxDepth: pick("maxDepth", defaults.maxDepth),
    minSamplesSplit: pick("minSamplesSplit", defaults.minSamplesSplit),
    minSamplesLeaf: pick("minSamplesLeaf", defaults.minSamplesLeaf),
    bootstrap: pick("bootstrap", defaults.bootstrap),
    maxSamples: pick("maxSamples", defaults.maxSamples),
    seed: pick("seed", defaults.seed),
  };
  for (const key of Object.keys(given)) {
    if (!(key in params)) throw new Error(`unknown forest parameter "${key}"`);
  }
  const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
  if (!isInt(params.nEstimators) || params.nEstimators < 1) {
    throw new Error(`nEstimators must be an integer ≥ 1, got ${JSON.stringify(params.nEstimators)}`);
  }
  const mf = params.maxFeatures;
  if (!(mf === "sqrt" || mf === "log2" || (typeof mf === "number" && Number.isFinite(mf) && mf > 0))) {
    throw new Error(`maxFeatures must be a fraction in (0, 1], an integer ≥ 1, "sqrt", "log2" or null, got ${JSON.stringify(mf)}`);
  }
  if (typeof mf === "number" && !Number.isInteger(mf) && mf > 1) {
    throw new Error(`maxFeatures as a fraction must be in (0, 1], got ${mf}`);
  }
  if (params.maxDepth !== null && (!isInt(params.maxDepth) || params.maxDepth < 1)) {
    throw new Error(`maxDepth must be an integer ≥ 1 or null, got ${JSON.stringify(params.maxDepth)}`);
  }
  if (!isInt(params.minSamplesSplit) || params.minSamplesSplit < 2) {
    throw new Error(`minSamplesSplit must be an integer ≥ 2, got ${JSON.stringify(params.minSamplesSplit)}`);
  }
  if (!isInt(params.minSamplesLeaf) || params.minSamplesLeaf < 1) {
    throw new Error(`minSamplesLeaf must be an integer ≥ 1, got ${JSON.stringify(params.minSamplesLeaf)}`);
  }
  if (typeof params.bootstrap !== "boolean") {
    throw new Error(`bootstrap must be true or false, got ${JSON.stringify(params.bootstrap)}`);
  }
  const ms = params.maxSamples;
  if (ms !== null && !(typeof ms === "number" && Number.isFinite(ms) && ms > 0 && (ms <= 1 || Number.isInteger(ms)))) {
    throw new Error(`maxSamples must be a fraction in (0, 1], an integer ≥ 1 or null, got ${JSON.stringify(ms)}`);
  }
  if (!isInt(params.seed) || params.seed < 0 || params.seed > 0xffffffff) {
    throw new Error(`seed must be an integer in [0, 2^32), got ${JSON.stringify(params.seed)}`);
  }
  return params;
}

/** The number of features a split looks at, as scikit-learn rounds it. */
export function featuresPerSplit(maxFeatures: MaxFeatures, nFeatures: number): number {
  let count: number;
  if (maxFeatures === null) count = nFeatures;
  else if (maxFeatures === "sqrt") count = Math.floor(Math.sqrt(nFeatures));
  else if (maxFeatures === "log2") count = Math.floor(Math.log2(nFeatures));
  else if (Number.isInteger(maxFeatures) && maxFeatures > 1) count = maxFeatures;
  else count = Math.floor(maxFeatures * nFeatures);
  return Math.min(nFeatures, Math.max(1, count));
}

/** The bootstrap sample size for n rows, as scikit-learn's `_get_n_samples_bootstrap`. */
export function bootstrapSize(maxSamples: number | null, nRows: number): number {
  if (maxSamples === null) return nRows;
  if (Number.isInteger(maxSamples) && maxSamples > 1) {
    if (maxSamples > nRows) throw new Error(`maxSamples (${maxSamples}) is larger than the number of rows (${nRows})`);
    return maxSamples;
  }
  return Math.max(1, Math.round(nRows * maxSamples));
}
