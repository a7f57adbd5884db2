/**
 * The split criteria, written over one "stats vector" per group of rows so regression and
 * classification share the split search:
 *
 *   [count, weight, v_0 … v_{V-1}]   regression: V = 1, v_0 = Σ w·y;   classification: V = K, v_k = Σ w·[y = k]
 *
 * Both criteria then pick the split maximising the same proxy, Σ_v v_L² / w_L + Σ_v v_R² / w_R: for
 * squared error it is the between-groups sum of squares, for Gini it is W − (w_L·gini_L + w_R·gini_R).
 * This is scikit-learn's `proxy_impurity_improvement`; the true impurities are only computed per node.
 */

/** Offsets inside a stats vector. */
export const COUNT = 0;
export const WEIGHT = 1;
export const VALUES = 2;

/** Σ_v (a_v + sign·b_v)² / (w_a + sign·w_b) for stats vectors a and b at offsets ia and ib. */
export function proxyOf(a: Float64Array, ia: number, b: Float64Array | null, ib: number, sign: number, width: number): number {
  let weight = a[ia + WEIGHT];
  if (b !== null) weight += sign * b[ib + WEIGHT];
  if (weight <= 0) return 0;
  let sum = 0;
  for (let v = 0; v < width; v++) {
    const value = b === null ? a[ia + VALUES + v] : a[ia + VALUES + v] + sign * b[ib + VALUES + v];
    sum += value * value;
  }
  return sum / weight;
}

/**
 * A node's impurity: weighted variance of y (regression; `sumWY2` = Σ w·y²) or Gini (classification).
 */
export function impurityOf(stats: Float64Array, width: number, regression: boolean, sumWY2: number): number {
  const weight = stats[WEIGHT];
  if (weight <= 0) return 0;
  if (regression) {
    const mean = stats[VALUES] / weight;
    return Math.max(0, sumWY2 / weight - mean * mean);
  }
  let sumSquares = 0;
  for (let k = 0; k < width; k++) {
    const p = stats[VALUES + k] / weight;
    sumSquares += p * p;
  }
  return Math.max(0, 1 - sumSquares);
}
