/**
 * bench:onnx — the ONNX export of a forest of the issue's size: 100 trees on 100,000 × 10 Friedman #1 rows.
 * Prints the ONNX file's bytes and bytes per node beside canopy.forest/2's, the export time, and onnxruntime
 * (Python) session load + predict of 25,000 rows beside Canopy's own predictor, with the largest relative gap.
 * Usage: node libs/onnx/dist/bench/onnx-export.js [rows=100000] [trees=100] [--keep <dir>]
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { compactForestOf, encodeBinaryModel, predictForest, Random, trainForest, type Dataset } from "@canopy/ml";
import { repoRoot, venvBin } from "@canopy/testkit";
import { forestToOnnxPieces } from "../src/index.js";

function friedman(nRows: number, seed: number): Dataset {
  const random = new Random(seed);
  const columns = Array.from({ length: 10 }, () => new Float64Array(nRows));
  const target = new Float64Array(nRows);
  for (let r = 0; r < nRows; r++) {
    for (const column of columns) column[r] = random.nextFloat();
    const x = columns.map((column) => column[r]);
    target[r] = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) ** 2 + 10 * x[3] + 5 * x[4] + (random.nextFloat() - 0.5);
  }
  return { featureNames: columns.map((_, f) => `x${f}`), columns, nRows, task: "regression", targetName: "y", target };
}

async function writePieces(path: string, pieces: Iterable<Uint8Array>): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  for (const piece of pieces) {
    bytes += piece.length;
    if (!out.write(piece)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return bytes;
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const keepAt = args.indexOf("--keep");
  const keep = keepAt >= 0 ? args.splice(keepAt, 2)[1] : null;
  const nRows = Number(args[0] ?? 100_000);
  const nTrees = Number(args[1] ?? 100);
  const dir = keep ?? mkdtempSync(join(tmpdir(), "canopy-bench-onnx-"));
  mkdirSync(dir, { recursive: true });
  try {
    console.log(`training ${nTrees} trees on ${nRows} × 10 Friedman #1 rows…`);
    let start = process.hrtime.bigint();
    const model = await trainForest(friedman(nRows, 1), { nEstimators: nTrees, seed: 0 }, { threads: 2 });
    console.log(`  trained in ${seconds(start).toFixed(1)} s`);
    const nodes = model.trees.reduce((sum, tree) => sum + tree.nodeCount, 0);
    const canopyBytes = await writePieces(join(dir, "model.canopy"), encodeBinaryModel(model));
    const forest = compactForestOf(model);

    start = process.hrtime.bigint();
    const onnx = forestToOnnxPieces(forest);
    const exportSeconds = seconds(start);
    const onnxPath = join(dir, "model.onnx");
    await writePieces(onnxPath, onnx.pieces);
    const onnxBytes = statSync(onnxPath).size;

    const test = friedman(25_000, 2);
    const rows = new Float64Array(test.nRows * 10);
    test.columns.forEach((column, f) => column.forEach((x, r) => (rows[r * 10 + f] = x)));
    writeFileSync(join(dir, "x.f64"), rows);
    start = process.hrtime.bigint();
    const canopyPrediction = predictForest(forest, test.columns);
    const canopyPredictSeconds = seconds(start);

    const script = join(repoRoot(), "libs/onnx/bench/python/ort_predict.py");
    const outPath = join(dir, "ort.f64");
    start = process.hrtime.bigint();
    const result = spawnSync(venvBin("onnx", "python"), [script, onnxPath, join(dir, "x.f64"), String(test.nRows), "10", outPath], {
      encoding: "utf8",
    });
    const processSeconds = seconds(start);
    if (result.status !== 0) throw new Error(`ort_predict.py failed:\n${result.stderr}`);
    const ort = JSON.parse(result.stdout) as { loadSeconds: number; predictSeconds: number; peakRssBytes: number };
    const ortPrediction = new Float64Array(readFileSync(outPath).buffer.slice(0));
    let gap = 0;
    canopyPrediction.forEach((a, r) => (gap = Math.max(gap, Math.abs(a - ortPrediction[r]) / Math.max(Math.abs(a), 1e-300))));

    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
    console.log(`forest: ${nTrees} trees, ${nodes} nodes`);
    console.log(`| file | bytes | bytes/node |`);
    console.log(`|---|---|---|`);
    console.log(`| canopy.forest/2 (model.canopy) | ${canopyBytes} (${mb(canopyBytes)}) | ${(canopyBytes / nodes).toFixed(2)} |`);
    console.log(`| ONNX TreeEnsemble (model.onnx) | ${onnxBytes} (${mb(onnxBytes)}) | ${(onnxBytes / nodes).toFixed(2)} |`);
    console.log(`ONNX / canopy.forest/2 size: ${(onnxBytes / canopyBytes).toFixed(2)}×; export (in memory): ${exportSeconds.toFixed(2)} s`);
    console.log(`predict 25,000 rows:`);
    console.log(
      `  onnxruntime 1.31.1 (Python): session load ${ort.loadSeconds.toFixed(2)} s + run ${ort.predictSeconds.toFixed(3)} s; ` +
        `whole process ${processSeconds.toFixed(2)} s, peak RSS ${mb(ort.peakRssBytes)}`,
    );
    console.log(`  Canopy predictForest (in process, model already loaded): ${canopyPredictSeconds.toFixed(3)} s`);
    console.log(`  largest relative gap onnxruntime vs Canopy: ${gap.toExponential(2)}`);
  } finally {
    if (keep === null) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
