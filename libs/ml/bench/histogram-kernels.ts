/**
 * `npm run bench:kernels`: one node's histogram (every feature × 256 bins × [count, Σw, Σw·y]) built
 * by the engine's typed-array loop and by tfjs (wasm backend; tfjs-node when importable), for the
 * same node rows, checked equal (float32 tolerance), timed side by side. Options: --quick (up to 100k).
 *
 * tfjs "resident": codes uploaded once per data set and weights once per tree (shown separately),
 * per node only the row ids go in and the histogram comes back. tfjs "copied": the node's codes and
 * weights gathered in JS and uploaded per node. "bincount only": the node already on the backend (a
 * lower bound, not something the engine could do). All include reading the result back into the
 * engine's Float64Array layout, which the split search needs.
 */
import { histogramInput, nodeRows, syntheticBins } from "./histogram-data.js";
import { TfjsHistogramKernel, loadTfjsNode, loadTfjsWasm, maxRelativeDifference, type LoadedTfjs } from "./tfjs-histogram.js";
import { buildHistogramTyped, histogramLength, type HistogramInput } from "../src/forest/histogram-kernel.js";

const quick = process.argv.includes("--quick");
const N_FEATURES = 10;
const TOLERANCE = 1e-4;
const SIZES = quick ? [1_000, 10_000, 100_000] : [1_000, 10_000, 100_000, 1_000_000];
const N_ROWS = SIZES[SIZES.length - 1];

interface Case {
  readonly label: string;
  readonly nClasses: number;
  readonly size: number;
}
const cases: Case[] = [
  ...SIZES.map((size) => ({ label: "regression", nClasses: 0, size })),
  { label: "3 classes", nClasses: 3, size: 100_000 },
];

/**
 * Median ms per call of each run, measured in rounds (one call of each per round, after a warm-up
 * round) until ~1.5 s or 200 rounds (at least 5): on a machine shared with other work, every kernel
 * then sees the same background load, so the ratios hold up better than the absolute times.
 */
function timeInterleaved(runs: (() => void)[]): number[] {
  for (const run of runs) run();
  const times = runs.map((): number[] => []);
  const budgetEnd = performance.now() + 1_500;
  for (let round = 0; round < 5 || (round < 200 && performance.now() < budgetEnd); round++) {
    runs.forEach((run, i) => {
      const t0 = performance.now();
      run();
      times[i].push(performance.now() - t0);
    });
  }
  return times.map((t) => t.sort((a, b) => a - b)[t.length >> 1]);
}

function once(run: () => void): number {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
}

interface Backend {
  readonly name: string;
  readonly loaded: LoadedTfjs | null;
  readonly why: string;
}

async function backends(): Promise<Backend[]> {
  const list: Backend[] = [];
  // tfjs-node first: loading it registers its backend; the wasm loader switches backends afterwards.
  const native = await loadTfjsNode();
  list.push("tf" in native ? { name: "tfjs-node", loaded: native, why: "" } : { name: "tfjs-node", loaded: null, why: native.error });
  const wasm = await loadTfjsWasm();
  list.push("tf" in wasm ? { name: "tfjs-wasm", loaded: wasm, why: "" } : { name: "tfjs-wasm", loaded: null, why: wasm.error });
  return list;
}

const fmt = (ms: number): string => (ms < 10 ? ms.toFixed(3) : ms < 100 ? ms.toFixed(2) : ms.toFixed(1));
const ratio = (theirs: number, ours: number): string => `${(theirs / ours).toFixed(2)}×`;

async function main(): Promise<void> {
  const all = await backends();
  for (const b of all) if (b.loaded === null) console.log(`${b.name}: not used (${b.why})`);
  const usable = all.filter((b) => b.loaded !== null);
  console.log(`data: ${N_ROWS.toLocaleString("en")} rows × ${N_FEATURES} features, 255 bins + missing; node = a row sample of that size`);
  console.log(
    `tfjs backends: ${usable.map((b) => b.name).join(", ") || "none"}; ratio = tfjs ms / typed-array ms (> 1: typed arrays faster)\n`,
  );

  const header = ["task", "node rows", "typed ms"];
  for (const b of usable) {
    header.push(`${b.name} bincount only ms`, "ratio", `${b.name} resident ms`, "ratio", `${b.name} copied ms`, "ratio", "max rel diff");
  }
  const table: string[][] = [header];
  const oneTime: string[] = [];
  let failed = false;

  const dataByClasses = new Map<number, ReturnType<typeof syntheticBins>>();
  for (const c of cases) {
    let data = dataByClasses.get(c.nClasses);
    if (data === undefined) {
      data = syntheticBins(N_ROWS, N_FEATURES, c.nClasses, 42 + c.nClasses);
      dataByClasses.set(c.nClasses, data);
    }
    const input: HistogramInput = histogramInput(data, c.nClasses, nodeRows(N_ROWS, c.size, c.size));
    const expected = new Float64Array(histogramLength(N_FEATURES, c.nClasses));
    const typed = (): void => buildHistogramTyped(input, expected);
    typed();
    const row = [c.label, c.size.toLocaleString("en")];
    if (usable.length === 0) row.push(fmt(timeInterleaved([typed])[0]));
    for (const b of usable) {
      const tf = b.loaded!.tf;
      await tf.setBackend(b.loaded!.backend);
      const kernel = new TfjsHistogramKernel(tf);
      const uploadCodesMs = once(() => kernel.uploadCodes(data.codes, N_FEATURES));
      const uploadTreeMs = once(() => kernel.uploadTree(input));
      if (c === cases[0] || c.nClasses !== cases[0].nClasses) {
        oneTime.push(
          `${b.name} (${c.label}): codes upload ${fmt(uploadCodesMs)} ms per data set, weights upload ${fmt(uploadTreeMs)} ms per tree (${N_ROWS.toLocaleString("en")} rows)`,
        );
      }
      const resident = new Float64Array(expected.length);
      const copied = new Float64Array(expected.length);
      const onDevice = kernel.uploadNode(input);
      const kernelOnly = new Float64Array(expected.length);
      const [typedMs, kernelMs, residentMs, copiedMs] = timeInterleaved([
        typed,
        () => kernel.histogramOf(onDevice, c.nClasses, kernelOnly),
        () => kernel.buildResident(input, resident),
        () => kernel.buildCopied(input, copied),
      ]);
      onDevice.dispose();
      // The typed-array time shown is the one measured alongside the first backend.
      if (row.length === 2) row.push(fmt(typedMs));
      const diff = Math.max(...[resident, copied, kernelOnly].map((h) => maxRelativeDifference(expected, h)));
      if (!(diff <= TOLERANCE)) {
        failed = true;
        console.error(`${b.name} ${c.label} ${c.size} rows: histogram differs from the typed-array one (max relative difference ${diff})`);
      }
      kernel.dispose();
      row.push(
        fmt(kernelMs),
        ratio(kernelMs, typedMs),
        fmt(residentMs),
        ratio(residentMs, typedMs),
        fmt(copiedMs),
        ratio(copiedMs, typedMs),
      );
      row.push(diff.toExponential(1));
      const leaked = tf.memory().numTensors;
      if (leaked > 0) console.error(`${b.name}: ${leaked} tensors left undisposed`);
    }
    table.push(row);
  }

  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i].length)));
  const line = (r: string[]): string =>
    `| ${r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(" | ")} |`;
  console.log(line(table[0]));
  console.log(`|${widths.map((w, i) => (i < 2 ? `${"-".repeat(w + 1)}-` : `${"-".repeat(w + 1)}:`)).join("|")}|`);
  for (const r of table.slice(1)) console.log(line(r));
  console.log("");
  for (const note of oneTime) console.log(note);
  if (usable.length === 0) {
    console.error("no tfjs backend could load: nothing to compare (install the optional dependencies of @canopy/ml)");
    process.exit(1);
  }
  if (failed) process.exit(1);
}

await main();
