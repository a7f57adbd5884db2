import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { encodeBinaryModel, predict, predictProba, serializeModel, trainForest, type Dataset, type ForestModel } from "@canopy/ml";
import { LATEST_FORMAT, advanceLatest, openStore } from "@canopy/storage";
import { PredictionServer } from "../src/index.js";

function dataset(nRows: number, seed: number, task: "regression" | "classification"): Dataset {
  let state = seed;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const columns = [new Float64Array(nRows), new Float64Array(nRows), new Float64Array(nRows)];
  const target = new Float64Array(nRows);
  for (let r = 0; r < nRows; r++) {
    for (const column of columns) column[r] = next();
    const y = 3 * columns[0][r] + columns[1][r] * columns[2][r] + 0.1 * next();
    target[r] = task === "regression" ? y : y < 1.2 ? 0 : y < 2.2 ? 1 : 2;
  }
  const base = { featureNames: ["a", "b", "c"], columns, nRows, targetName: "y", target };
  return task === "regression" ? { ...base, task } : { ...base, task, classes: ["low", "mid", "high"] };
}

interface Published {
  readonly model: ForestModel;
  readonly sha256: string;
}

/**
 * Writes a trained model into its run folder under `root` (canopy.forest/2, or the JSON of older runs) and points
 * latest.json at it.
 */
async function publish(root: string, runId: string, model: ForestModel, format: "binary" | "json" = "binary"): Promise<Published> {
  const bytes = format === "binary" ? Buffer.concat([...encodeBinaryModel(model)]) : Buffer.from(serializeModel(model));
  const name = format === "binary" ? "model.canopy" : "model.json";
  const folder = join(root, runId.slice(0, 4), runId.slice(4, 6), runId.slice(6, 8), runId.slice(8));
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, name), bytes);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const outcome = await advanceLatest(openStore(`${root}/`), `${root}/`, {
    format: LATEST_FORMAT,
    runId,
    runFolder: `${folder}/`,
    modelUrl: join(folder, name),
    modelSha256: sha256,
    metrics: {},
    promotedAt: new Date().toISOString(),
  });
  assert.equal(outcome.moved, true);
  return { model, sha256 };
}

async function post(base: string, body: string, type = "application/json"): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}/predict`, { method: "POST", body, headers: { "content-type": type } });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe("canopy serve: predictions over HTTP from the latest model", () => {
  let root: string;
  let server: PredictionServer;
  let base: string;
  let first: Published;
  const rows = dataset(40, 99, "regression");
  const jsonRows = Array.from({ length: rows.nRows }, (_, r) => ({
    a: rows.columns[0][r],
    b: r === 3 ? null : rows.columns[1][r],
    c: rows.columns[2][r],
  }));
  const expectedColumns = rows.columns.map((column, f) => Float64Array.from(column, (v, r) => (f === 1 && r === 3 ? NaN : v)));

  before(async () => {
    root = await mkdtemp(join(tmpdir(), "canopy-serve-"));
    first = await publish(root, "2026120306", await trainForest(dataset(300, 1, "regression"), { nEstimators: 5, seed: 1 }));
    server = new PredictionServer({ models: `${root}/`, port: 0, reloadMs: 25, maxBodyBytes: 1 << 20 });
    const address = await server.start();
    base = `http://127.0.0.1:${address.port}`;
  });
  after(async () => {
    await server?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it("answers /healthz with the model's hour and sha256", async () => {
    const health = (await (await fetch(`${base}/healthz`)).json()) as Record<string, unknown>;
    assert.equal(health.status, "ok");
    assert.equal(health.runId, "2026120306");
    assert.equal(health.hour, "2026-12-03T06:00:00.000Z");
    assert.equal(health.sha256, first.sha256);
  });

  it("predicts JSON rows by feature name exactly as the library does (null = missing)", async () => {
    const { status, json } = await post(base, JSON.stringify({ rows: jsonRows }));
    assert.equal(status, 200);
    assert.deepEqual(json.predictions, Array.from(predict(first.model, expectedColumns)));
    assert.equal(json.sha256, first.sha256);
  });

  it("predicts CSV with extra columns in any order", async () => {
    const lines = ["id,c,a,b", ...jsonRows.map((row, r) => `"row ${r}, quoted",${row.c},${row.a},${row.b ?? ""}`)];
    const { status, json } = await post(base, lines.join("\n"), "text/csv");
    assert.equal(status, 200);
    assert.deepEqual(json.predictions, Array.from(predict(first.model, expectedColumns)));
  });

  it("refuses malformed rows with 400 and a message naming the problem", async () => {
    const cases: [string, string, RegExp][] = [
      ["{not json", "application/json", /the body is not JSON/],
      [JSON.stringify({ rows: [] }), "application/json", /no rows to predict/],
      [
        JSON.stringify({ rows: [{ a: 1, b: "x".repeat(500), c: 2 }] }),
        "application/json",
        /row 0, feature "b": "x{39}… \(502 characters\) is not a finite number/,
      ],
      [JSON.stringify({ something: 1 }), "application/json", /send \{"rows"/],
      ["a,b\n1,2", "text/csv", /the feature column "c" is not in the header/],
      ["a,b,c\n1,2,three", "text/csv", /line 2, column 3 "c": "three" is not a number/],
    ];
    for (const [body, type, message] of cases) {
      const { status, json } = await post(base, body, type);
      assert.equal(status, 400, body.slice(0, 40));
      assert.match(String(json.error), message);
      assert.deepEqual(json.features, ["a", "b", "c"]);
    }
  });

  it("answers 413 to a body over the limit and 404/405 to other routes", async () => {
    const big = await fetch(`${base}/predict`, {
      method: "POST",
      body: "x".repeat(2 << 20),
      headers: { "content-type": "application/json" },
    });
    assert.equal(big.status, 413);
    assert.equal((await fetch(`${base}/nothing`)).status, 404);
    assert.equal((await fetch(`${base}/predict`)).status, 405);
  });

  it("reloads when latest.json moves, without a failed request under a steady load", async () => {
    const body = JSON.stringify({ rows: jsonRows.slice(0, 10) });
    const seen = new Set<string>();
    let failures = 0;
    let requests = 0;
    let stop = false;
    const client = async (): Promise<void> => {
      // Bounded: at most 400 requests per client, and the loop ends once the reload has been seen.
      for (let i = 0; i < 400 && !stop; i++) {
        const { status, json } = await post(base, body);
        requests++;
        if (status !== 200) failures++;
        else seen.add(String(json.sha256));
      }
    };
    const clients = Array.from({ length: 4 }, client);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await publish(root, "2026120307", await trainForest(dataset(300, 2, "regression"), { nEstimators: 7, seed: 2 }));
    const deadline = Date.now() + 20_000;
    while (!seen.has(second.sha256) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop = true;
    await Promise.all(clients);
    assert.equal(failures, 0, `${failures} of ${requests} requests failed`);
    assert.ok(seen.has(first.sha256) && seen.has(second.sha256), `answers came from ${[...seen].join(", ")}`);
    const health = (await (await fetch(`${base}/healthz`)).json()) as Record<string, unknown>;
    assert.equal(health.runId, "2026120307");
    const { json } = await post(base, JSON.stringify({ rows: jsonRows }));
    assert.deepEqual(json.predictions, Array.from(predict(second.model, expectedColumns)));
  });

  it("exposes the named series on /metrics", async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    for (const series of [
      'canopy_serve_requests_total{route="/predict",status="200"}',
      'canopy_serve_requests_total{route="/predict",status="400"}',
      "canopy_serve_request_duration_seconds_bucket",
      "canopy_serve_rows_predicted_total",
      'canopy_serve_model_reloads_total{outcome="loaded"} 2',
      "canopy_model_age_seconds",
      'canopy_model_info{run_id="2026120307"',
    ]) {
      assert.ok(text.includes(series), `missing ${series}`);
    }
  });
});

describe("canopy serve: classification", () => {
  it("answers labels and class probabilities", async () => {
    const root = await mkdtemp(join(tmpdir(), "canopy-serve-cls-"));
    const model = await trainForest(dataset(300, 5, "classification"), { nEstimators: 5, seed: 3 });
    // A model published before canopy.forest/2 is served as well.
    await publish(root, "2026120308", model, "json");
    const server = new PredictionServer({ models: `${root}/`, port: 0 });
    try {
      const { port } = await server.start();
      const rows = dataset(20, 6, "classification");
      const body = JSON.stringify(
        Array.from({ length: rows.nRows }, (_, r) => ({ a: rows.columns[0][r], b: rows.columns[1][r], c: rows.columns[2][r] })),
      );
      const { status, json } = await post(`http://127.0.0.1:${port}`, body);
      assert.equal(status, 200);
      const proba = predictProba(model, rows.columns);
      const probabilities = json.probabilities as { classes: string[]; values: number[][] };
      assert.deepEqual(probabilities.classes, ["low", "mid", "high"]);
      assert.deepEqual(
        probabilities.values,
        proba.map((p) => Array.from(p)),
      );
      const labels = proba.map((p) => ["low", "mid", "high"][p.indexOf(Math.max(...p))]);
      assert.deepEqual(json.predictions, labels);
    } finally {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    }
  });

  it("refuses to start at an output root with no latest.json, saying so", async () => {
    const root = await mkdtemp(join(tmpdir(), "canopy-serve-empty-"));
    const server = new PredictionServer({ models: `${root}/`, port: 0 });
    await assert.rejects(server.start(), /no latest\.json yet/);
    await rm(root, { recursive: true, force: true });
  });
});
