/**
 * One Canopy training run for the benchmark, in its own process so its peak RSS is its own.
 * Usage: node forest-canopy-run.js <data dir> <task> <features> <trees> <threads>
 */
import type { Task } from "../src/dataset.js";
import { trainForest } from "../src/forest/forest.js";
import { predict } from "../src/model/predict.js";
import { loadBenchData, score } from "./bench-data.js";

const [dir, task, features, trees, threads] = process.argv.slice(2);
const data = loadBenchData(dir, task as Task, Number(features));
const start = performance.now();
const model = await trainForest(data.train, { nEstimators: Number(trees), seed: 0 }, { threads: Number(threads) });
const seconds = (performance.now() - start) / 1000;
const predicted = predict(model, { rows: data.testRows });
console.log(
  JSON.stringify({
    seconds,
    score: score(task as Task, data.testTarget, predicted),
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
