#!/usr/bin/env node
// Checks the Nx project graph against scripts/module-boundaries.mjs; exits 1 listing every violation.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { boundaryViolations } from "./module-boundaries.mjs";

const root = resolve(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "canopy-graph-"));
try {
  const file = join(dir, "graph.json");
  execFileSync("npx", ["nx", "graph", `--file=${file}`], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NX_DAEMON: "false", NX_NO_CLOUD: "true", NX_TUI: "false" },
  });
  const { graph } = JSON.parse(readFileSync(file, "utf8"));
  const problems = boundaryViolations(graph);
  for (const problem of problems) console.error(`module boundary: ${problem}`);
  if (problems.length > 0) process.exit(1);
  console.log(`module boundaries: ${Object.keys(graph.nodes).length} projects, every dependency allowed by its tags`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
