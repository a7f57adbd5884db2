// Test helper: rewrites a canopy.forest/1 model (model.json) as canopy.forest/2 with @canopy/ml's own writer
// (encodeBinaryModel), so the Python reader is checked against the TypeScript implementation of the spec.
// Usage: node v1_to_v2.mjs <model.json> <model.canopy> [--node-stats]
import { readFileSync, writeFileSync } from "node:fs";
import { encodeBinaryModel, parseModel } from "@canopy/ml";

const [input, output, flag] = process.argv.slice(2);
const model = parseModel(readFileSync(input, "utf8"));
writeFileSync(output, Buffer.concat([...encodeBinaryModel(model, { nodeStats: flag === "--node-stats" })]));
