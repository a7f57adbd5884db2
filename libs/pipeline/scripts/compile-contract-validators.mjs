#!/usr/bin/env node
// Writes src/contract-validators.generated.ts: the contracts/ JSON Schemas compiled ahead of time by Ajv
// (standalone code), so a process checks a contract without loading Ajv and compiling the schema at start
// (≈ 110 ms of every `canopy` command and worker). Run after changing a schema:
//   node libs/pipeline/scripts/compile-contract-validators.mjs
// libs/pipeline/test/contract-validators.test.ts fails while the generated file is out of date.
import { writeFileSync } from "node:fs";
import { contractValidatorsSource } from "./contract-validators-source.mjs";

const out = new URL("../src/contract-validators.generated.ts", import.meta.url);
writeFileSync(out, contractValidatorsSource());
console.log(`wrote ${out.pathname}`);
