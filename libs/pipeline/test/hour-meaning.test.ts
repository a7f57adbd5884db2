import assert from "node:assert/strict";
import { test } from "node:test";
import type { InputPin, Manifest } from "@canopy/storage";
import { differencesFrom, parseRunRequest, type RunRequest } from "../src/index.js";

const PIN: InputPin = { url: "s3://lake/events/part-0.csv", etag: '"a"', versionId: null, size: 100 };

/** A manifest as a worker publishes it for `request` (resolved parameters, lineage of the pins). */
function published(pins = [PIN], extra: Record<string, unknown> = {}): Manifest {
  return {
    format: "canopy.manifest/1",
    runId: "2026030405",
    runDate: "2026-03-04T05:00:00.000Z",
    createdAt: "2026-03-04T05:01:00.000Z",
    inputs: { count: pins.length, files: pins.map((pin) => ({ ...pin, rows: 10, format: "csv" })) },
    task: "regression",
    target: "y",
    features: ["a", "b"],
    params: {
      nEstimators: 100,
      maxFeatures: 1,
      maxDepth: null,
      minSamplesSplit: 2,
      minSamplesLeaf: 1,
      bootstrap: true,
      maxSamples: null,
      seed: 0,
    },
    testSize: 0.2,
    gate: null,
    artifacts: [{ name: "model.canopy", size: 10, sha256: "0".repeat(64) }],
    ...extra,
  } as Manifest;
}

function request(extra: Record<string, unknown> = {}): RunRequest {
  return parseRunRequest({ version: 1, runDate: "2026-03-04T05:00Z", data: "s3://lake/events/", target: "y", out: "s3://m/", ...extra });
}

test("a request with defaults left out means the same as the manifest's resolved parameters", () => {
  assert.deepEqual(differencesFrom(published(), request(), [PIN]), []);
  assert.deepEqual(differencesFrom(published(), request({ params: { nEstimators: 100, maxFeatures: 1.0 }, treesPerShard: 7 }), [PIN]), []);
});

test("changed parameters are named with the flag, the published value and the new one", () => {
  const differences = differencesFrom(published(), request({ params: { nEstimators: 300, maxDepth: 8 }, testSize: 0.3 }), [PIN]);
  assert.deepEqual(differences, ["trees: 100 → 300", "max-depth: none → 8", "test-size: 0.2 → 0.3"]);
  assert.deepEqual(differencesFrom(published(), request({ target: "z", onnx: true }), [PIN]), ["target: y → z", "onnx: false → true"]);
  assert.deepEqual(differencesFrom(published(), request({ features: ["a"] }), [PIN]), ['features: ["a","b"] → ["a"]']);
  assert.deepEqual(differencesFrom(published(), request({ gate: { promoteIf: "r2 >= 0.5" } }), [PIN]), [
    'gate: none → {"promoteIf":"r2 >= 0.5"}',
  ]);
});

test("inputs: a changed, an added and a removed object are each named; many are counted, not listed", () => {
  const changed = { ...PIN, etag: '"b"' };
  assert.deepEqual(differencesFrom(published(), request(), [changed]), [`inputs: ${PIN.url} (ETag "a" → "b") changed`]);
  assert.deepEqual(differencesFrom(published(), request(), [{ ...PIN, size: 120 }]), [`inputs: ${PIN.url} (100 → 120 bytes) changed`]);
  const versioned = { ...PIN, versionId: "v1" };
  assert.deepEqual(differencesFrom(published([versioned]), request(), [{ ...versioned, versionId: "v2" }]), [
    `inputs: ${PIN.url} (version v1 → v2) changed`,
  ]);
  const parts = Array.from({ length: 6 }, (_, i) => ({ ...PIN, url: `s3://lake/events/part-${i + 1}.csv` }));
  assert.deepEqual(differencesFrom(published(), request(), [PIN, ...parts]), [
    "inputs: s3://lake/events/part-1.csv, s3://lake/events/part-2.csv, s3://lake/events/part-3.csv and 3 more added",
  ]);
  assert.deepEqual(differencesFrom(published([PIN, parts[0]]), request(), [parts[0]]), [`inputs: ${PIN.url} no longer read`]);
  assert.deepEqual(differencesFrom(published([PIN, parts[0]]), request(), [parts[0], PIN]), [
    "inputs: the same objects, read in another order",
  ]);
});

test("a manifest of an older worker (one `input`, no lineage) is compared by that object", () => {
  const old = published([], { inputs: undefined, input: PIN });
  assert.deepEqual(differencesFrom(old, request(), [PIN]), []);
  assert.equal(differencesFrom(old, request(), [{ ...PIN, etag: '"c"' }]).length, 1);
});
