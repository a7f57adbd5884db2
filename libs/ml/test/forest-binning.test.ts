import assert from "node:assert/strict";
import { test } from "node:test";
import { MISSING_BIN, binColumns, binOf, computeBins, midpoint } from "../src/forest/binning.js";

test("few distinct values: one bin per value, edges at midpoints of adjacent values", () => {
  const [bins] = computeBins([Float64Array.of(3, 1, 2, 2, NaN, 10, 1)]);
  assert.equal(bins.nBins, 4);
  assert.deepEqual(Array.from(bins.edges), [1.5, 2.5, 6.5]);
  assert.deepEqual(Array.from(bins.lower), [1, 2, 3, 10]);
  assert.deepEqual(Array.from(bins.upper), [1, 2, 3, 10]);
  assert.deepEqual(
    [1, 1.5, 1.6, 2, 3, 6.5, 7, 10, 99, -5].map((v) => binOf(bins, v)),
    [0, 0, 1, 1, 2, 2, 3, 3, 3, 0],
  );
  assert.equal(binOf(bins, NaN), MISSING_BIN);
});

test("many distinct values: at most 255 bins holding about equal numbers of rows", () => {
  const n = 10_000;
  const column = Float64Array.from({ length: n }, (_, i) => (i * 7919) % n); // a permutation of 0 … n-1
  const [bins] = computeBins([column]);
  assert.equal(bins.nBins, 255);
  const codes = new Uint8Array(n);
  binColumns([column], [bins], codes);
  const counts = new Array(255).fill(0);
  for (const code of codes) counts[code]++;
  const expected = n / 255;
  for (const count of counts) assert.ok(Math.abs(count - expected) <= 2, `bin holds ${count} rows, expected about ${expected}`);
  // Edges separate the values in each bin from the next bin's.
  for (let b = 0; b + 1 < bins.nBins; b++) {
    assert.ok(bins.upper[b] < bins.edges[b] && bins.edges[b] < bins.lower[b + 1]);
  }
});

test("a heavily repeated value keeps its own bin and never straddles an edge", () => {
  const column = Float64Array.from({ length: 5000 }, (_, i) => (i < 2500 ? 0 : i));
  const [bins] = computeBins([column]);
  assert.ok(bins.nBins <= 255);
  assert.equal(binOf(bins, 0), 0);
  assert.equal(bins.upper[0], 0);
  assert.ok(binOf(bins, 2500) > 0);
});

test("constant and all-missing features get a single bin", () => {
  const [constant, missing] = computeBins([Float64Array.of(4, 4, 4), Float64Array.of(NaN, NaN, NaN)]);
  assert.equal(constant.nBins, 1);
  assert.equal(missing.nBins, 1);
  assert.equal(binOf(missing, NaN), MISSING_BIN);
});

test("binning depends on the values only, not their order", () => {
  const values = Float64Array.from({ length: 3000 }, (_, i) => Math.sin(i) * 100);
  const reversed = values.slice().reverse();
  const [a] = computeBins([values]);
  const [b] = computeBins([reversed]);
  assert.deepEqual(a, b);
});

test("midpoint falls back to the lower value for adjacent floats (as scikit-learn)", () => {
  assert.equal(midpoint(1, 2), 1.5);
  const a = 1;
  const b = 1 + Number.EPSILON;
  assert.equal(midpoint(a, b), a);
  assert.equal(midpoint(1e308, 1.7e308), 1.35e308);
});

test("binColumns gives every value binOf's bin: edges themselves, values between, beyond both ends, missing", () => {
  const values = Float64Array.from({ length: 4000 }, (_, i) => Math.round(Math.sin(i) * 1000) / 7);
  const [many, few] = computeBins([values, Float64Array.of(1, 2, 3)]);
  for (const bins of [many, few]) {
    const probes = Float64Array.from([
      ...bins.edges,
      ...bins.lower,
      ...bins.upper,
      ...Array.from(bins.edges, (edge) => edge + 1e-9),
      -Infinity,
      Infinity,
      -1e300,
      1e300,
      NaN,
      0,
      -0,
    ]);
    const codes = new Uint8Array(probes.length);
    binColumns([probes], [bins], codes);
    probes.forEach((value, i) => assert.equal(codes[i], binOf(bins, value), `value ${value}`));
  }
});
