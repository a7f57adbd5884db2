/**
 * `npm run bench:forest`: the same data trained by Canopy, scikit-learn (n_jobs=2), LightGBM in
 * random-forest mode and ml-random-forest (given 60 s per size), one table at the end. Every engine
 * runs in its own process, one after the other. Options: --quick (1k and 10k only), --threads N.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..", "..", "..");
const python = join(root, ".venvs", "py", "bin", "python");
const pythonScript = join(root, "libs", "ml", "bench", "python", "forest_bench.py");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const threadsAt = args.indexOf("--threads");
const threads = threadsAt >= 0 ? Number(args[threadsAt + 1]) : availableParallelism();
const ML_RANDOM_FOREST_LIMIT_MS = 60_000;
// LightGBM grown out to scikit-learn's depth is slow on big sets; the table says so rather than waiting.
const LIGHTGBM_LIMIT_MS = 300_000;

interface Case {
  task: "regression" | "classification";
  name: string;
  rows: number;
  features: number;
  trees: number;
}
const cases: Case[] = [
  { task: "regression", name: "friedman1", rows: 1_000, features: 10, trees: 100 },
  { task: "regression", name: "friedman1", rows: 10_000, features: 10, trees: 100 },
  ...(quick ? [] : [{ task: "regression", name: "friedman1", rows: 100_000, features: 10, trees: 100 } as Case]),
  { task: "classification", name: "make_classification (3 classes)", rows: quick ? 5_000 : 20_000, features: 10, trees: 100 },
];

interface Timed {
  seconds: number;
  score: number;
  peakRssMB?: number;
}

function runJson(command: string, commandArgs: string[], timeoutMs?: number, env?: NodeJS.ProcessEnv): Timed | string {
  const result = spawnSync(command, commandArgs, {
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
    timeout: timeoutMs,
    env: env ?? process.env,
  });
  if (result.signal !== null) return timeoutMs ? `> ${timeoutMs / 1000} s` : `killed (${result.signal})`;
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(" ")} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").pop() ?? "") as Timed;
}

// numpy's OpenBLAS must pick its own kernels for a fair scikit-learn timing.
const pythonEnv = { ...process.env };
delete pythonEnv.OPENBLAS_CORETYPE;
delete pythonEnv.OPENBLAS_L2_SIZE;

const rows: string[][] = [];
const header = [
  "task",
  "rows",
  "features",
  "trees",
  "Canopy s",
  "sklearn s",
  "LightGBM rf s",
  "ml-random-forest s",
  "sklearn/Canopy",
  "Canopy score",
  "sklearn score",
  "LightGBM score",
  "ml-rf score",
  "Canopy peak RSS MB",
];
const metric = (c: Case) => (c.task === "regression" ? "R²" : "accuracy");
const fmt = (v: number | undefined, digits = 2) => (v === undefined ? "—" : v.toFixed(digits));

for (const c of cases) {
  const dir = mkdtempSync(join(tmpdir(), "canopy-bench-"));
  try {
    const testRows = Math.max(2_000, Math.round(c.rows * 0.2));
    const pythonArgs = (engine: string) => [
      pythonScript,
      engine,
      c.task,
      String(c.rows),
      String(testRows),
      String(c.features),
      String(c.trees),
      dir,
    ];
    console.error(`[bench] ${c.task} ${c.rows} × ${c.features}, ${c.trees} trees: scikit-learn …`);
    const sklearn = runJson(python, pythonArgs("sklearn"), undefined, pythonEnv);
    if (typeof sklearn === "string") throw new Error(sklearn);
    console.error(`[bench]   LightGBM rf (at most ${LIGHTGBM_LIMIT_MS / 1000} s) …`);
    const lightgbm = runJson(python, pythonArgs("lightgbm"), LIGHTGBM_LIMIT_MS, pythonEnv);
    console.error(`[bench]   Canopy (${threads} threads) …`);
    const canopy = runJson(process.execPath, [
      join(here, "forest-canopy-run.js"),
      dir,
      c.task,
      String(c.features),
      String(c.trees),
      String(threads),
    ]);
    if (typeof canopy === "string") throw new Error(canopy);
    console.error(`[bench]   ml-random-forest (at most ${ML_RANDOM_FOREST_LIMIT_MS / 1000} s) …`);
    const mlrf = runJson(
      process.execPath,
      [join(here, "forest-ml-random-forest-run.js"), dir, c.task, String(c.features), String(c.trees)],
      ML_RANDOM_FOREST_LIMIT_MS,
    );
    const line = [
      `${c.task} (${c.name}, ${metric(c)})`,
      String(c.rows),
      String(c.features),
      String(c.trees),
      fmt(canopy.seconds),
      fmt(sklearn.seconds),
      typeof lightgbm === "string" ? lightgbm : fmt(lightgbm.seconds),
      typeof mlrf === "string" ? mlrf : fmt(mlrf.seconds),
      `${fmt(sklearn.seconds / canopy.seconds, 1)}×`,
      fmt(canopy.score, 3),
      fmt(sklearn.score, 3),
      typeof lightgbm === "string" ? "—" : fmt(lightgbm.score, 3),
      typeof mlrf === "string" ? "—" : fmt(mlrf.score, 3),
      fmt(canopy.peakRssMB, 0),
    ];
    rows.push(line);
    console.error(`[bench]   ${line.join(" | ")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `\nForest benchmark (${threads} Canopy threads; scikit-learn and LightGBM n_jobs=2; held-out ${"R²/accuracy"} on 20% extra rows, at least 2,000)\n`,
);
console.log(`| ${header.join(" | ")} |`);
console.log(`|${header.map(() => "---").join("|")}|`);
for (const line of rows) console.log(`| ${line.join(" | ")} |`);
