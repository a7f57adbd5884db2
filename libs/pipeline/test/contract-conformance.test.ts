import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { resolveForestParams } from "@canopy/ml";
import { repoRoot, venvBin } from "@canopy/testkit";
import { RunRequestError, checkRunPlan, checkRunResult, checkShardResult, parseRunRequest } from "../src/index.js";
import { casesFromSchema, type SchemaCase } from "./support/schema-cases.js";

/**
 * The contracts are produced and consumed in two languages. For every schema in contracts/, documents are
 * generated from the schema itself (boundaries, just-outside values, wrong types, missing and extra fields)
 * and each goes through the TypeScript validator (Ajv, the functions the workers call) and the Python one
 * (jsonschema, the functions the DAG calls): both must accept or reject it, and a rejection must name the field.
 */
const contracts = join(repoRoot(), "contracts");
const schemaOf = (file: string) => JSON.parse(readFileSync(join(contracts, file), "utf8")) as Record<string, unknown>;

/** The TypeScript side: null when accepted, else the message. Anything but a contract error fails the test. */
const typescript: Record<string, (document: unknown) => string | null> = {
  "run-request.schema.json": (document) => {
    try {
      parseRunRequest(document);
      return null;
    } catch (error) {
      if (error instanceof RunRequestError) return error.message;
      throw error;
    }
  },
  "run-result.schema.json": checkRunResult,
  "shard-result.schema.json": checkShardResult,
  "run-plan.schema.json": checkRunPlan,
};

/** The Python side, in one process: validate_run_request raising RunRequestError (anything else fails), schema_problem. */
function pythonVerdicts(documents: { schema: string; document: unknown }[]): (string | null)[] {
  const script = `
import json, sys
from canopy_airflow.contract import RunRequestError, validate_run_request
from canopy_airflow.schemas import schema_problem
verdicts = []
for case in json.load(sys.stdin):
    if case["schema"] == "run-request.schema.json":
        try:
            validate_run_request(case["document"])
            verdicts.append(None)
        except RunRequestError as error:
            verdicts.append(str(error))
    else:
        verdicts.append(schema_problem(case["schema"], case["document"]))
print(json.dumps(verdicts))
`;
  const output = execFileSync(venvBin("airflow", "python"), ["-c", script], { input: JSON.stringify(documents), maxBuffer: 64 << 20 });
  return JSON.parse(output.toString()) as (string | null)[];
}

interface Verdict {
  readonly schema: string;
  readonly case: SchemaCase;
  readonly typescript: string | null;
  readonly python: string | null;
}

function judge(schema: string, cases: SchemaCase[]): Verdict[] {
  const python = pythonVerdicts(cases.map((c) => ({ schema, document: c.document })));
  return cases.map((c, i) => ({ schema, case: c, typescript: typescript[schema](c.document), python: python[i] }));
}

const base = schemaOf("run-request.schema.json").examples as Record<string, unknown>[];
const request = (fields: Record<string, unknown>): SchemaCase => ({
  label: JSON.stringify(fields),
  field: Object.keys(fields)[0],
  document: { ...base[0], ...fields },
});

for (const schema of Object.keys(typescript)) {
  test(`${schema}: generated documents get the same verdict from TypeScript (Ajv) and Python (jsonschema)`, (t) => {
    const cases = casesFromSchema(schemaOf(schema));
    const verdicts = judge(schema, cases);
    const accepted = verdicts.filter((v) => v.typescript === null).length;
    t.diagnostic(`${cases.length} documents: ${accepted} accepted, ${cases.length - accepted} rejected by both`);
    assert.ok(accepted >= 5 && cases.length - accepted >= 20, `too few cases either way: ${accepted} of ${cases.length} accepted`);
    for (const v of verdicts) {
      const where = `${v.case.label} → ${JSON.stringify(v.case.document)}`;
      assert.equal(
        v.typescript === null,
        v.python === null,
        `${where}\n  TypeScript: ${v.typescript ?? "accepts"}\n  Python: ${v.python ?? "accepts"}`,
      );
      if (v.typescript !== null && v.python !== null && v.case.field !== "") {
        const leaf = v.case.field.split(".").pop() as string;
        assert.ok(v.typescript.includes(leaf), `${where}: the TypeScript message does not name ${leaf}: ${v.typescript}`);
        assert.ok(v.python.includes(leaf), `${where}: the Python message does not name ${leaf}: ${v.python}`);
      }
    }
  });
}

test("the engine accepts every training parameter set the run request schema accepts", () => {
  const cases = casesFromSchema(schemaOf("run-request.schema.json")).filter(
    (c) => typescript["run-request.schema.json"](c.document) === null,
  );
  let checked = 0;
  for (const c of cases) {
    const params = (c.document as { params?: Record<string, unknown> | null }).params;
    if (params === undefined || params === null) continue;
    for (const task of ["regression", "classification"] as const) resolveForestParams(params, task);
    checked++;
  }
  assert.ok(checked >= 20, `only ${checked} parameter sets checked`);
});

test("the four disagreements of issue 12 now agree, and a date that does not exist is refused by both", () => {
  const [seed, maxSamples, runDate, testSize, february30] = judge("run-request.schema.json", [
    request({ params: { seed: 4294967296 } }),
    request({ params: { maxSamples: 500 } }),
    request({ runDate: "yesterday" }),
    request({ testSize: "0.2" }),
    request({ runDate: "2026-02-30T05:00:00Z" }),
  ]);
  assert.match(seed.typescript ?? "", /params\.seed must be <= 4294967295 \(got 4294967296\)/);
  assert.match(seed.python ?? "", /params\.seed: 4294967296 is greater than the maximum of 4294967295/);
  assert.equal(maxSamples.typescript, null, "a whole number of rows is a count, as in scikit-learn");
  assert.equal(maxSamples.python, null);
  assert.match(runDate.typescript ?? "", /runDate must be a value like "2026-03-04T05:00:00Z"/);
  assert.match(runDate.python ?? "", /runDate must be a value like "2026-03-04T05:00:00Z"/);
  assert.match(testSize.typescript ?? "", /testSize must be number or null \(got "0.2"\)/);
  assert.match(
    testSize.python ?? "",
    /testSize: '0.2' is not of type 'number', 'null'/,
    "a RunRequestError, so Airflow fails the task without retries",
  );
  assert.match(february30.typescript ?? "", /runDate: .*day 30 does not exist in 2026-02/);
  assert.match(february30.python ?? "", /runDate: .*2026-02-30/);
});

test("every run id pattern in the schemas is the run layout's", () => {
  const layout = JSON.parse(readFileSync(join(contracts, "run-layout.json"), "utf8")) as { runId: { pattern: string } };
  for (const file of ["run-result.schema.json", "run-plan.schema.json"]) {
    const { properties } = schemaOf(file) as { properties: { runId: { pattern: string } } };
    assert.equal(properties.runId.pattern, layout.runId.pattern, file);
  }
});

test("every file docs/contracts.md points at exists", () => {
  const doc = readFileSync(join(repoRoot(), "docs", "contracts.md"), "utf8");
  const paths = [...doc.matchAll(/`((?:contracts|libs|apps|python|dags|infra|scripts|docs)\/[\w./-]+)`/g)].map((match) => match[1]);
  assert.ok(paths.length >= 20, `only ${paths.length} paths found`);
  const missing = paths.filter((path) => !existsSync(join(repoRoot(), path)));
  assert.deepEqual(missing, []);
});
