import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { BinaryForestWriter, resolveForestParams, type TreeArrays } from "@canopy/ml";
import { CANOPY_BIN, tempDir } from "./helpers.js";

/**
 * A model over 1 GiB, generated at test time (never stored in the repository): 38 balanced trees of 2²⁰ leaves
 * each, about 80 million nodes. Tree t splits feature t mod 3 at 1, 2, …, 2²⁰ − 1, and leaf k (x in (k, k + 1])
 * holds k + t, so a row's prediction is known exactly: the mean over trees of ⌊x_{t mod 3} − ½⌋ + t for inputs
 * k + ½.
 */
const LEAVES_PER_TREE = 1 << 20;
const TREES = 38;
const FEATURES = ["x0", "x1", "x2"];

test("canopy predict loads and predicts with a model over 1 GiB, exactly, in bounded memory", { timeout: 600_000 }, async (t) => {
  const dir = tempDir("canopy-large-model-");
  const modelPath = join(dir, "model.canopy");
  await writeSyntheticForest(modelPath);
  const modelBytes = statSync(modelPath).size;
  assert.ok(modelBytes > 2 ** 30, `the generated model holds ${modelBytes} bytes, not over 1 GiB`);

  const rows = 3_000;
  const keys = Array.from({ length: rows }, (_, r) => [(r * 7919) % LEAVES_PER_TREE, (r * 104_729 + 13) % LEAVES_PER_TREE, r]);
  const dataPath = join(dir, "rows.csv");
  writeFileSync(dataPath, ["id,x0,x1,x2", ...keys.map((k, r) => `row-${r},${k.map((v) => v + 0.5).join(",")}`)].join("\n") + "\n");

  const { code, stdout, stderr, peakRssBytes } = await canopyWithPeakRss([
    "predict",
    "--model",
    modelPath,
    "--data",
    dataPath,
    "--out",
    "-",
  ]);
  assert.equal(code, 0, stderr);
  const [header, ...lines] = stdout.trim().split("\n");
  assert.equal(header, "id,x0,x1,x2,prediction");
  assert.equal(lines.length, rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let t = 0; t < TREES; t++) sum += keys[r][t % 3] + t;
    const cells = lines[r].split(",");
    assert.equal(cells[0], `row-${r}`);
    assert.equal(Number(cells[4]), sum / TREES, `row ${r}`);
  }
  t.diagnostic(`model ${(modelBytes / 2 ** 20).toFixed(0)} MiB, canopy predict peak RSS ${(peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
  // The model's trees in memory plus one batch: never a second copy of the file (issue 13: model size + 300 MB).
  assert.ok(
    peakRssBytes <= modelBytes + 300 * 2 ** 20,
    `peak RSS ${(peakRssBytes / 2 ** 20).toFixed(0)} MiB for a ${(modelBytes / 2 ** 20).toFixed(0)} MiB model`,
  );
});

/** Streams the synthetic forest to `path` through the same writer training uses, one tree at a time. */
async function writeSyntheticForest(path: string): Promise<void> {
  const shape = balancedTree(LEAVES_PER_TREE);
  const writer = new BinaryForestWriter({
    format: "canopy.forest/1",
    task: "regression",
    targetName: "y",
    featureNames: FEATURES,
    classes: null,
    params: resolveForestParams({ nEstimators: TREES }, "regression"),
    treeStart: 0,
    treeEnd: TREES,
  });
  const file = createWriteStream(path);
  const write = async (bytes: Uint8Array) => {
    if (!file.write(bytes)) await once(file, "drain");
  };
  await write(writer.start());
  for (let t = 0; t < TREES; t++) {
    for (let node = 0; node < shape.nodeCount; node++) {
      const leaf = shape.leafKey[node];
      if (leaf < 0) shape.tree.feature[node] = t % 3;
      else shape.tree.value[node] = leaf + t;
    }
    await write(writer.add(shape.tree));
  }
  await write(writer.finish());
  file.end();
  await once(file, "finish");
}

/** A balanced binary search tree over leaves 0…n−1 in pre-order; leafKey is the leaf's k, or −1 for a split. */
function balancedTree(leaves: number): { nodeCount: number; tree: TreeArrays; leafKey: Int32Array } {
  const nodeCount = 2 * leaves - 1;
  const tree: TreeArrays = {
    nodeCount,
    feature: new Int32Array(nodeCount),
    threshold: new Float64Array(nodeCount),
    missingLeft: new Uint8Array(nodeCount),
    left: new Int32Array(nodeCount),
    right: new Int32Array(nodeCount),
    value: new Float64Array(nodeCount),
    weight: new Float64Array(nodeCount).fill(1),
    impurity: new Float64Array(nodeCount),
  };
  const leafKey = new Int32Array(nodeCount).fill(-1);
  let next = 0;
  const build = (lo: number, hi: number): number => {
    const node = next++;
    if (lo === hi) {
      tree.feature[node] = -1;
      tree.left[node] = -1;
      tree.right[node] = -1;
      leafKey[node] = lo;
      return node;
    }
    const mid = (lo + hi) >> 1;
    tree.threshold[node] = mid + 1;
    tree.left[node] = build(lo, mid);
    tree.right[node] = build(mid + 1, hi);
    return node;
  };
  build(0, leaves - 1);
  return { nodeCount, tree, leafKey };
}

/** Runs `canopy` under GNU time to learn the child's peak resident memory. */
async function canopyWithPeakRss(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; peakRssBytes: number }> {
  const child = spawn("/usr/bin/time", ["-f", "canopy-peak-rss-kib=%M", process.execPath, CANOPY_BIN, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  const peak = /canopy-peak-rss-kib=(\d+)/.exec(stderr);
  assert.ok(peak, `GNU time printed no peak RSS: ${stderr}`);
  return { code, stdout, stderr, peakRssBytes: Number(peak[1]) * 1024 };
}
