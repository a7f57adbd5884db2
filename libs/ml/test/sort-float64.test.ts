import assert from "node:assert/strict";
import { test } from "node:test";
import { Random } from "../src/random.js";
import { sortFloat64 } from "../src/forest/sort-float64.js";

/** The sort binning relied on before: V8's typed-array sort (−0 before +0). */
function nativeSorted(values: Float64Array): Float64Array {
  return values.slice().sort();
}

function assertSameBits(actual: Float64Array, expected: Float64Array, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) assert.fail(`${what}: at ${i}, ${actual[i]} where the native sort has ${expected[i]}`);
  }
}

const random = new Random(7);
const uniform = (n: number, draw: () => number) => Float64Array.from({ length: n }, draw);

const cases: Record<string, Float64Array> = {
  "uniform in [0, 1)": uniform(10_000, () => random.nextFloat()),
  "both signs over 600 orders of magnitude": uniform(10_000, () => (random.nextFloat() - 0.5) * 10 ** (random.nextInt(600) - 300)),
  "many repeats, −0 and +0 mixed": uniform(10_000, () => [0, -0, 1, -1, 2.5, -2.5][random.nextInt(6)]),
  "infinities, subnormals and the extremes": uniform(
    10_000,
    () =>
      [Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, random.nextFloat()][random.nextInt(8)],
  ),
  "integers already sorted": Float64Array.from({ length: 10_000 }, (_, i) => i),
  "integers reversed": Float64Array.from({ length: 10_000 }, (_, i) => 10_000 - i),
  "one value (every pass skipped)": new Float64Array(5000).fill(3.25),
  "below the radix size": uniform(100, () => random.nextFloat() - 0.5),
};

for (const [name, values] of Object.entries(cases)) {
  test(`sortFloat64 orders as the native sort: ${name}`, () => {
    const sorted = values.slice();
    sortFloat64(sorted);
    assertSameBits(sorted, nativeSorted(values), name);
  });
}

test("sortFloat64 sorts a view in place, leaving the rest of its buffer and using given scratch", () => {
  const buffer = Float64Array.from({ length: 6000 }, () => random.nextFloat() * 100 - 50);
  const before = buffer.slice();
  const view = buffer.subarray(1000, 5000);
  sortFloat64(view, new Uint32Array(2 * view.length));
  assertSameBits(view, nativeSorted(before.subarray(1000, 5000)), "the view");
  assertSameBits(buffer.subarray(0, 1000), before.subarray(0, 1000), "before the view");
  assertSameBits(buffer.subarray(5000), before.subarray(5000), "after the view");
  assert.throws(() => sortFloat64(view, new Uint32Array(10)), /scratch/);
});
