/**
 * One ml-random-forest training run for the benchmark (the parent kills it after 60 s).
 * Usage: node forest-ml-random-forest-run.js <data dir> <task> <features> <trees>
 */
import { RandomForestClassifier, RandomForestRegression } from "ml-random-forest";
import type { Task } from "../src/dataset.js";
import { loadBenchData, score } from "./bench-data.js";

const [dir, task, features, trees] = process.argv.slice(2);
const data = loadBenchData(dir, task as Task, Number(features));
const options = { nEstimators: Number(trees), maxFeatures: 1.0, replacement: true, useSampleBagging: true, noOOB: true, seed: 0 };
const forest = task === "regression" ? new RandomForestRegression(options) : new RandomForestClassifier(options);
const start = performance.now();
forest.train(data.trainRows, Array.from(data.train.target));
const seconds = (performance.now() - start) / 1000;
const predicted = forest.predict(data.testRows) as number[];
console.log(JSON.stringify({ seconds, score: score(task as Task, data.testTarget, predicted) }));
