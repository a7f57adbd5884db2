/**
 * npm run bench:serve — `canopy serve` against a scikit-learn forest behind uvicorn, side by side in one run:
 * p50/p99 latency of 1-row and 1,000-row requests (one client, sequential) and requests per second of 1-row
 * requests from concurrent clients. Both servers are single processes on this machine's cores, trained on the
 * same make_friedman1 table with the same forest parameters; the load comes from this process over loopback.
 *
 * Flags: --rows N (training rows, default 20000) --trees N (100) --seconds S (throughput window, 5) --clients N (8)
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { freePort, repoRoot, venvBin, waitForPort } from "@canopy/testkit";
import { LATEST_FORMAT, advanceLatest, openStore, readLatest } from "@canopy/storage";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "20000" },
    trees: { type: "string", default: "100" },
    seconds: { type: "string", default: "5" },
    clients: { type: "string", default: "8" },
  },
});
const rows = Number(values.rows);
const trees = Number(values.trees);
const seconds = Number(values.seconds);
const clients = Number(values.clients);
const here = fileURLToPath(new URL("../../bench/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "canopy-bench-serve-"));
const children: ChildProcess[] = [];

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stderr}`);
  return result.stdout;
}

function start(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "inherit"] });
  children.push(child);
  return child;
}

interface Side {
  readonly name: string;
  readonly url: string;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function timed(url: string, body: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/predict`, { method: "POST", body, headers: { "content-type": "application/json" } });
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
  return performance.now() - started;
}

async function latency(url: string, body: string, count: number): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < Math.min(50, count); i++) await timed(url, body);
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await timed(url, body));
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

async function throughput(url: string, body: string): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  // Bounded: each client stops at the deadline (or after 200,000 requests).
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < 200_000 && performance.now() < until; i++) {
        await timed(url, body);
        done++;
      }
    }),
  );
  return done / seconds;
}

function rowsBody(csv: string, count: number): string {
  const lines = csv.split("\n").slice(1, count + 1);
  const objects = lines.map((line) =>
    Object.fromEntries(
      line
        .split(",")
        .slice(0, 10)
        .map((cell, i) => [`x${i}`, Number(cell)]),
    ),
  );
  return JSON.stringify({ rows: objects });
}

async function main(): Promise<void> {
  const csv = join(dir, "friedman.csv");
  const pickle = join(dir, "forest.pickle");
  const root = join(dir, "models");
  console.log(
    `bench:serve — ${rows.toLocaleString("en-US")} training rows × 10 features, ${trees} trees; load: 1 client for latency, ${clients} for throughput (${seconds} s)`,
  );
  const sklearnFit = run(venvBin("serve", "python"), [join(here, "fit_sklearn.py"), String(rows), String(trees), "1", csv, pickle]).trim();
  const canopyBin = join(repoRoot(), "apps", "worker", "bin", "canopy.js");
  const trainStarted = performance.now();
  run(process.execPath, [
    canopyBin,
    "train",
    "--data",
    csv,
    "--target",
    "y",
    "--out",
    root,
    "--run-date",
    "2026-12-03T10:00Z",
    "--trees",
    String(trees),
  ]);
  const canopyTrain = (performance.now() - trainStarted) / 1000;
  await ensureLatest(root, "2026120310");

  const canopyPort = await freePort();
  const sklearnPort = await freePort();
  start(process.execPath, [canopyBin, "serve", "--models", root, "--port", String(canopyPort)]);
  start(venvBin("serve", "python"), [join(here, "sklearn_server.py"), pickle, String(sklearnPort)]);
  await Promise.all([waitForPort(canopyPort, "127.0.0.1", 120_000), waitForPort(sklearnPort, "127.0.0.1", 120_000)]);
  const sides: Side[] = [
    { name: "canopy serve (Node)", url: `http://127.0.0.1:${canopyPort}` },
    { name: "scikit-learn + uvicorn", url: `http://127.0.0.1:${sklearnPort}` },
  ];
  const table = readFileSync(csv, "utf8");
  const one = rowsBody(table, 1);
  const thousand = rowsBody(table, 1000);
  const results = [];
  for (const side of sides) {
    const single = await latency(side.url, one, 1000);
    const batch = await latency(side.url, thousand, 100);
    const rps = await throughput(side.url, one);
    results.push({ side, single, batch, rps });
  }
  console.log(`training: canopy train ${canopyTrain.toFixed(1)} s (whole process) · scikit-learn fit ${sklearnFit} s`);
  const [canopy, sklearn] = results;
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  const lines = [
    ["", ...results.map((r) => r.side.name), "ratio (scikit-learn / canopy)"],
    ["1 row, p50", ms(canopy.single.p50), ms(sklearn.single.p50), (sklearn.single.p50 / canopy.single.p50).toFixed(2)],
    ["1 row, p99", ms(canopy.single.p99), ms(sklearn.single.p99), (sklearn.single.p99 / canopy.single.p99).toFixed(2)],
    ["1,000 rows, p50", ms(canopy.batch.p50), ms(sklearn.batch.p50), (sklearn.batch.p50 / canopy.batch.p50).toFixed(2)],
    ["1,000 rows, p99", ms(canopy.batch.p99), ms(sklearn.batch.p99), (sklearn.batch.p99 / canopy.batch.p99).toFixed(2)],
    [`1 row, requests/s (${clients} clients)`, canopy.rps.toFixed(0), sklearn.rps.toFixed(0), (canopy.rps / sklearn.rps).toFixed(2)],
  ];
  console.log(lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n"));
  console.log("(ratios above 1 favour canopy serve; requests/s ratio is canopy / scikit-learn)");
}

/** `canopy train` moves latest.json itself once runs promote; a tree without that step gets it written here. */
async function ensureLatest(root: string, runId: string): Promise<void> {
  const store = openStore(`${root}/`);
  if ((await readLatest(store, `${root}/`)) !== null) return;
  const folder = `${root}/${runId.slice(0, 4)}/${runId.slice(4, 6)}/${runId.slice(6, 8)}/${runId.slice(8)}/`;
  const manifest = JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8")) as { artifacts: { name: string; sha256: string }[] };
  const model = manifest.artifacts.find((a) => a.name.startsWith("model."));
  if (model === undefined) throw new Error(`${folder}: the manifest lists no model`);
  await advanceLatest(store, `${root}/`, {
    format: LATEST_FORMAT,
    runId,
    runFolder: folder,
    modelUrl: join(folder, model.name),
    modelSha256: model.sha256,
    metrics: {},
    promotedAt: new Date().toISOString(),
  });
}

try {
  await main();
} finally {
  for (const child of children) child.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
