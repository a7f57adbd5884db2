import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot, venvBin } from "@canopy/testkit";
import { parseRunRequest } from "../src/index.js";

/**
 * The run request is produced in Python (the DAG) and consumed in TypeScript (the worker). Both sides
 * must agree on what is valid: contracts/run-request.schema.json, checked here by Python's jsonschema,
 * and parseRunRequest must accept and reject the same requests.
 */
const base = { version: 1, runDate: "2026-03-04T05:00:00Z", data: "s3://b/d.csv", target: "y", out: "s3://b/models" };
const cases: Record<string, unknown>[] = [
  base,
  { ...base, runDate: "2026-03-04T07:30+02:00", task: "classification", features: ["a", "b"], testSize: 0.25, treesPerShard: 10, force: true },
  { ...base, task: null, features: null, params: null, testSize: null, treesPerShard: null },
  { ...base, params: { nEstimators: 200, maxFeatures: "sqrt", maxDepth: 8, minSamplesSplit: 4, minSamplesLeaf: 2, bootstrap: false, maxSamples: 0.5, seed: 42 } },
  { ...base, params: { maxFeatures: 0.33, maxDepth: null, maxSamples: null } },
  { ...base, version: 2 },
  { ...base, target: "" },
  { ...base, out: undefined },
  { ...base, task: "ranking" },
  { ...base, features: [] },
  { ...base, params: { nEstimators: 0 } },
  { ...base, params: { minSamplesSplit: 1 } },
  { ...base, params: { trees: 5 } },
  { ...base, params: { bootstrap: "yes" } },
  { ...base, testSize: 1 },
  { ...base, testSize: 0 },
  { ...base, treesPerShard: 0 },
  { ...base, force: "true" },
  { ...base, extra: 1 },
];

test("parseRunRequest and contracts/run-request.schema.json accept and reject the same requests", () => {
  const schema = join(repoRoot(), "contracts", "run-request.schema.json");
  const script = [
    "import json, sys, jsonschema",
    "schema = json.load(open(sys.argv[1]))",
    "validator = jsonschema.Draft202012Validator(schema)",
    "print(json.dumps([validator.is_valid(c) for c in json.load(sys.stdin)]))",
  ].join("\n");
  const documents = cases.map((c) => JSON.parse(JSON.stringify(c)));
  const verdicts = JSON.parse(execFileSync(venvBin("py", "python"), ["-c", script, schema], { input: JSON.stringify(documents) }).toString()) as boolean[];
  assert.equal(verdicts.filter(Boolean).length, 5, "the first five cases are valid by the schema");
  documents.forEach((document, i) => {
    let accepted = true;
    try {
      parseRunRequest(document);
    } catch {
      accepted = false;
    }
    assert.equal(accepted, verdicts[i], `case ${i}: ${JSON.stringify(document)} — schema says ${verdicts[i] ? "valid" : "invalid"}`);
  });
});
