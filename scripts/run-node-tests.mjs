#!/usr/bin/env node
// Runs a project's compiled tests (dist/test/**/*.test.js) with Node's test runner,
// printing the spec report and writing JUnit XML for the workspace summary.
// Usage (from a project folder): node ../../scripts/run-node-tests.mjs [name-filter]
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";

const projectDir = process.cwd();
const root = resolve(import.meta.dirname, "..");
const testDir = join(projectDir, "dist", "test");
const filter = process.argv[2] ?? process.env.TEST_FILTER ?? "";

function findTests(dir) {
  let found = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return found;
  }
  for (const entry of entries) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found = found.concat(findTests(path));
    else if (entry.endsWith(".test.js") && path.includes(filter)) found.push(path);
  }
  return found.sort();
}

const files = findTests(testDir);
if (files.length === 0) {
  console.error(`no compiled tests under ${relative(root, testDir)} (did the build run?)`);
  process.exit(1);
}
const junitDir = join(root, ".artifacts", "junit");
mkdirSync(junitDir, { recursive: true });
const project = basename(projectDir);
const result = spawnSync(
  process.execPath,
  [
    "--test",
    "--test-concurrency=1",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=junit",
    `--test-reporter-destination=${join(junitDir, `node-${project}.xml`)}`,
    ...files,
  ],
  { stdio: "inherit", env: { ...process.env, CANOPY_ROOT: root } },
);
process.exit(result.status ?? 1);
