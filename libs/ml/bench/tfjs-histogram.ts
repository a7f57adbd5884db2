/**
 * A tfjs version of the engine's histogram kernel, for the benchmark only (it lost: see
 * docs/tfjs-histogram.md). tfjs is an optional dependency, so nothing here is imported statically:
 * the packages load at run time (tfjs-node when installed, else tfjs with the wasm backend) and the
 * slice of the tfjs API used is declared below, so Canopy builds and runs without any tfjs package.
 *
 * The wasm backend has no unsortedSegmentSum, so the kernel is weighted bincounts per feature
 * (counts, Σw, Σw·y or Σw per class). tfjs computes in float32; the engine sums in float64.
 */
import { ROW_STATS, ROW_WEIGHT, ROW_Y } from "../src/forest/row-stats.js";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { BINS_PER_FEATURE, histogramStride, type HistogramInput } from "../src/forest/histogram-kernel.js";

/** The parts of a tfjs Tensor this kernel touches. */
export interface TfTensor {
  readonly shape: number[];
  dataSync(): Float32Array | Int32Array;
  dispose(): void;
}

/** The parts of the tfjs namespace this kernel touches (the same functions in tfjs and tfjs-node). */
export interface Tfjs {
  tensor1d(values: Int32Array | Float32Array, dtype?: "int32" | "float32"): TfTensor;
  gather(x: TfTensor, indices: TfTensor): TfTensor;
  bincount(x: TfTensor, weights: TfTensor, size: number): TfTensor;
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  memory(): { numTensors: number };
}

export type TfjsBackendName = "tensorflow" | "wasm";

export interface LoadedTfjs {
  readonly tf: Tfjs;
  readonly backend: TfjsBackendName;
}

// Specifiers in variables: TypeScript then does not try to resolve packages that may be absent.
const TFJS_NODE = "@tensorflow/tfjs-node";
const TFJS = "@tensorflow/tfjs";
const TFJS_WASM = "@tensorflow/tfjs-backend-wasm";

function reason(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0] : String(error);
}

/** tfjs-node's native TensorFlow backend, or null with the reason when it cannot load. */
export async function loadTfjsNode(): Promise<LoadedTfjs | { error: string }> {
  try {
    const tf = (await import(TFJS_NODE)) as Tfjs;
    if (!(await tf.setBackend("tensorflow"))) return { error: `${TFJS_NODE} loaded but its "tensorflow" backend did not start` };
    await tf.ready();
    return { tf, backend: "tensorflow" };
  } catch (error) {
    return { error: `${TFJS_NODE}: ${reason(error)}` };
  }
}

/** tfjs with the wasm backend (the .wasm binaries are read from the installed package folder). */
export async function loadTfjsWasm(): Promise<LoadedTfjs | { error: string }> {
  try {
    const tf = (await import(TFJS)) as Tfjs;
    const wasm = (await import(TFJS_WASM)) as { setWasmPaths(prefix: string): void };
    const folder = dirname(createRequire(import.meta.url).resolve(TFJS_WASM));
    wasm.setWasmPaths(`${folder}/`);
    if (!(await tf.setBackend("wasm"))) return { error: `${TFJS_WASM} loaded but its "wasm" backend did not start` };
    await tf.ready();
    return { tf, backend: "wasm" };
  } catch (error) {
    return { error: `${TFJS} + ${TFJS_WASM}: ${reason(error)}` };
  }
}

/** tfjs-node when it loads, else tfjs-wasm; throws naming both failures when neither does. */
export async function loadTfjs(): Promise<LoadedTfjs> {
  const native = await loadTfjsNode();
  if ("tf" in native) return native;
  const wasm = await loadTfjsWasm();
  if ("tf" in wasm) return wasm;
  throw new Error(
    `tfjs could not load: ${native.error}; ${wasm.error}. ` +
      `Install the optional dependencies: npm install -w @canopy/ml --save-optional --save-exact ${TFJS}@4.22.0 ${TFJS_WASM}@4.22.0`,
  );
}

/** A node's data on the backend: per feature its rows' bin codes, plus per-row weights and values. */
export interface NodeTensors {
  readonly codes: TfTensor[];
  readonly weight: TfTensor;
  /** Regression: [w·y]; classification: [w·[y=0], …, w·[y=K-1]]. */
  readonly values: TfTensor[];
  dispose(): void;
}

function nodeTensors(codes: TfTensor[], weight: TfTensor, values: TfTensor[]): NodeTensors {
  return {
    codes,
    weight,
    values,
    dispose() {
      for (const t of [...codes, weight, ...values]) t.dispose();
    },
  };
}

/** The per-row value columns of the histogram for rows[start … end): w·y, or w·[y=k] per class k. */
function valueColumns(input: HistogramInput, rows: Int32Array, start: number, end: number): Float32Array[] {
  const n = end - start;
  if (input.nClasses === 0) {
    const wy = new Float32Array(n);
    for (let i = 0; i < n; i++)
      wy[i] = input.rowStats[rows[start + i] * ROW_STATS + ROW_WEIGHT] * input.rowStats[rows[start + i] * ROW_STATS + ROW_Y];
    return [wy];
  }
  const columns = Array.from({ length: input.nClasses }, () => new Float32Array(n));
  for (let i = 0; i < n; i++) {
    const row = rows[start + i];
    columns[input.classOf[row]][i] = input.rowStats[row * ROW_STATS + ROW_WEIGHT];
  }
  return columns;
}

/** The bin codes of rows[start … end), one Int32Array per feature (tfjs bincount wants int32). */
function codeColumns(codes: Uint8Array, nFeatures: number, rows: Int32Array, start: number, end: number): Int32Array[] {
  const n = end - start;
  const columns = Array.from({ length: nFeatures }, () => new Int32Array(n));
  for (let i = 0; i < n; i++) {
    const base = rows[start + i] * nFeatures;
    for (let f = 0; f < nFeatures; f++) columns[f][i] = codes[base + f];
  }
  return columns;
}

function weightColumn(rowStats: Float64Array, rows: Int32Array, start: number, end: number): Float32Array {
  const column = new Float32Array(end - start);
  for (let i = start; i < end; i++) column[i - start] = rowStats[rows[i] * ROW_STATS + ROW_WEIGHT];
  return column;
}

/**
 * Builds node histograms with tfjs, in the engine's Float64Array layout, as weighted bincounts of
 * one feature's codes at a time (256 bins): one for counts, one for Σw, one per value column.
 * (A single bincount over feature·256 + bin would need the weights repeated per feature: tfjs-wasm's
 * tile took 1.5 s for 10M cells, and int32 add 16 ms per 1M, so per-feature bincounts it is.)
 * Two ways of feeding it:
 * - resident: the data set's code columns live on the backend (uploaded once per data set), the
 *   tree's weights and values once per tree; per node the row ids go in and tf.gather picks the rows;
 * - copied: the node's code columns, weights and values are gathered in JS and uploaded per node.
 */
export class TfjsHistogramKernel {
  private columns: TfTensor[] = [];
  private tree: NodeTensors | null = null;
  private readonly empty: TfTensor;

  constructor(readonly tf: Tfjs) {
    this.empty = tf.tensor1d(new Float32Array(0), "float32");
  }

  /** Once per data set: the row-major codes as one int32 column tensor per feature. */
  uploadCodes(codes: Uint8Array, nFeatures: number): void {
    for (const t of this.columns) t.dispose();
    const nRows = codes.length / nFeatures;
    const all = Int32Array.from({ length: nRows }, (_, r) => r);
    this.columns = codeColumns(codes, nFeatures, all, 0, nRows).map((c) => this.tf.tensor1d(c, "int32"));
  }

  /** Once per tree: every row's weight and value columns (what the bootstrap changes). */
  uploadTree(input: HistogramInput): void {
    this.tree?.dispose();
    const tf = this.tf;
    const n = input.rowStats.length / ROW_STATS;
    const all = Int32Array.from({ length: n }, (_, r) => r);
    const weight = tf.tensor1d(weightColumn(input.rowStats, all, 0, n), "float32");
    this.tree = nodeTensors(
      [],
      weight,
      valueColumns(input, all, 0, n).map((v) => tf.tensor1d(v, "float32")),
    );
  }

  /** Per node with resident data: uploads rows[start … end), gathers on the backend, fills `hist`. */
  buildResident(input: HistogramInput, hist: Float64Array): void {
    const tree = this.tree;
    if (tree === null || this.columns.length !== input.nFeatures) {
      throw new Error("TfjsHistogramKernel.buildResident needs uploadCodes() and uploadTree() first");
    }
    const tf = this.tf;
    const rows = tf.tensor1d(input.rows.subarray(input.start, input.end), "int32");
    const node = nodeTensors(
      this.columns.map((c) => tf.gather(c, rows)),
      tf.gather(tree.weight, rows),
      tree.values.map((v) => tf.gather(v, rows)),
    );
    rows.dispose();
    this.histogramOf(node, input.nClasses, hist);
    node.dispose();
  }

  /** Per node without device state: gathers the node's columns in JS and uploads them. */
  uploadNode(input: HistogramInput): NodeTensors {
    const { rows, start, end } = input;
    const tf = this.tf;
    return nodeTensors(
      codeColumns(input.codes, input.nFeatures, rows, start, end).map((c) => tf.tensor1d(c, "int32")),
      tf.tensor1d(weightColumn(input.rowStats, rows, start, end), "float32"),
      valueColumns(input, rows, start, end).map((v) => tf.tensor1d(v, "float32")),
    );
  }

  buildCopied(input: HistogramInput, hist: Float64Array): void {
    const node = this.uploadNode(input);
    this.histogramOf(node, input.nClasses, hist);
    node.dispose();
  }

  /** The bincounts of a node already on the backend, read back into the engine's layout. */
  histogramOf(node: NodeTensors, nClasses: number, hist: Float64Array): void {
    const tf = this.tf;
    const stride = histogramStride(nClasses);
    const featureStride = BINS_PER_FEATURE * stride;
    const stats = [this.empty, node.weight, ...node.values];
    if (stats.length !== stride) throw new Error(`expected ${stride - 2} value columns, got ${node.values.length}`);
    node.codes.forEach((codes, f) => {
      stats.forEach((weights, s) => {
        const counts = tf.bincount(codes, weights, BINS_PER_FEATURE);
        const sums = counts.dataSync();
        counts.dispose();
        const base = f * featureStride + s;
        for (let b = 0; b < BINS_PER_FEATURE; b++) hist[base + b * stride] = sums[b];
      });
    });
  }

  dispose(): void {
    for (const t of this.columns) t.dispose();
    this.columns = [];
    this.tree?.dispose();
    this.tree = null;
    this.empty.dispose();
  }
}

/**
 * Largest difference between two histograms relative to the magnitude of the bin (floor 1): tfjs
 * sums in float32, so the kernels agree to about 1e-6 relative, not exactly.
 */
export function maxRelativeDifference(expected: Float64Array, actual: Float64Array): number {
  if (expected.length !== actual.length) throw new Error(`histogram lengths differ: ${expected.length} vs ${actual.length}`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(expected[i] - actual[i]) / Math.max(1, Math.abs(expected[i]));
    if (d > worst || Number.isNaN(d)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}
