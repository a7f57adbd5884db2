import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { repoRoot } from "@canopy/testkit";

/**
 * src/contract-validators.generated.ts is Ajv's code for contracts/*.schema.json, compiled ahead of time. A schema
 * edited without running the script would leave the workers checking documents against the old one: compiling
 * the schemas again here must give the committed file, byte for byte.
 */
test("the committed contract validators are the current schemas compiled (else run scripts/compile-contract-validators.mjs)", async () => {
  const pipeline = join(repoRoot(), "libs", "pipeline");
  const source = (await import(pathToFileURL(join(pipeline, "scripts", "contract-validators-source.mjs")).href)) as {
    contractValidatorsSource: () => string;
  };
  const committed = readFileSync(join(pipeline, "src", "contract-validators.generated.ts"), "utf8");
  assert.ok(committed.includes("export const runRequest"), "the generated file exports no runRequest validator");
  assert.equal(committed, source.contractValidatorsSource());
});
