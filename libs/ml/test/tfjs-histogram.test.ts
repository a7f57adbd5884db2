/**
 * The benchmark-only tfjs histogram kernel (bench/tfjs-histogram.ts) must build the same histograms
 * as the engine's typed-array loop, so the comparison in `npm run bench:kernels` stays meaningful.
 * tfjs is an optional dependency of @canopy/ml: when it cannot load, this test fails and says why.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { histogramInput, nodeRows, syntheticBins } from "../bench/histogram-data.js";
import { TfjsHistogramKernel, loadTfjs, maxRelativeDifference, type LoadedTfjs } from "../bench/tfjs-histogram.js";
import { buildHistogramTyped, histogramLength, type HistogramInput } from "../src/forest/histogram-kernel.js";

const N_ROWS = 20_000;
const N_FEATURES = 7;
// float32 sums against float64 sums of ~1k values of ~20: about 1e-6 relative.
const TOLERANCE = 1e-5;

/** A node in the middle of the row list, as after partitions: rows[start … end) only. */
function middleNode(input: HistogramInput, start: number, end: number): HistogramInput {
  return { ...input, start, end };
}

describe("tfjs histogram kernel", () => {
  let loaded: LoadedTfjs;
  let kernel: TfjsHistogramKernel;

  before(async () => {
    // No skip: tfjs is installed as an optional dependency, and a kernel that cannot load has rotted.
    loaded = await loadTfjs();
    kernel = new TfjsHistogramKernel(loaded.tf);
  });

  after(() => {
    kernel?.dispose();
  });

  for (const nClasses of [0, 3]) {
    const task = nClasses === 0 ? "regression" : `classification (${nClasses} classes)`;
    it(`matches the typed-array kernel: ${task}, resident and copied`, () => {
      const data = syntheticBins(N_ROWS, N_FEATURES, nClasses, 7 + nClasses);
      const rows = nodeRows(N_ROWS, 6_000, 11);
      const input = middleNode(histogramInput(data, nClasses, rows), 1_000, 5_000);
      const expected = new Float64Array(histogramLength(N_FEATURES, nClasses));
      buildHistogramTyped(input, expected);

      kernel.uploadCodes(data.codes, N_FEATURES);
      kernel.uploadTree(input);
      const resident = new Float64Array(expected.length).fill(NaN);
      kernel.buildResident(input, resident);
      const copied = new Float64Array(expected.length).fill(NaN);
      kernel.buildCopied(input, copied);

      for (const [name, actual] of [
        ["resident", resident],
        ["copied", copied],
      ] as const) {
        const diff = maxRelativeDifference(expected, actual);
        assert.ok(
          diff <= TOLERANCE,
          `${loaded.backend} ${name} histogram differs from the typed-array one: max relative difference ${diff}`,
        );
        // Counts are small integers: float32 holds them exactly.
        for (let f = 0; f < N_FEATURES; f++) {
          let rowsSeen = 0;
          for (let b = 0; b < 256; b++) rowsSeen += actual[(f * 256 + b) * (nClasses === 0 ? 3 : 2 + nClasses)];
          assert.equal(rowsSeen, 4_000, `${name}: feature ${f} counts ${rowsSeen} rows, node has 4000`);
        }
      }
      assert.equal(
        loaded.tf.memory().numTensors,
        nClasses === 0 ? 1 + N_FEATURES + 2 : 1 + N_FEATURES + 1 + nClasses,
        "only the resident tensors remain",
      );
    });
  }

  it("notices a histogram that is off (the comparison can fail)", () => {
    const data = syntheticBins(2_000, 3, 0, 1);
    const input = histogramInput(data, 0, nodeRows(2_000, 500, 2));
    const expected = new Float64Array(histogramLength(3, 0));
    buildHistogramTyped(input, expected);
    const copied = new Float64Array(expected.length);
    kernel.buildCopied(input, copied);
    assert.ok(maxRelativeDifference(expected, copied) <= TOLERANCE);
    const firstOccupied = copied.findIndex((v, i) => i % 3 === 2 && v !== 0);
    copied[firstOccupied] *= 1.001;
    assert.ok(maxRelativeDifference(expected, copied) > TOLERANCE);
  });
});
