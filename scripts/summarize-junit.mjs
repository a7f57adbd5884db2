#!/usr/bin/env node
// Adds up the JUnit XML files written by every project's tests and prints one closing line.
// Exits non-zero when a test failed or when no test ran at all.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? ".artifacts/junit";
let files = [];
try {
  files = readdirSync(dir).filter((f) => f.endsWith(".xml"));
} catch {
  // no reports at all: counted as zero tests below
}
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  const xml = readFileSync(join(dir, file), "utf8");
  // Each <testcase ...> is either self-closing or closed by </testcase>; look inside for failure/skip markers.
  for (const match of xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = match[2] ?? "";
    if (/<(failure|error)\b/.test(body)) failed += 1;
    else if (/<skipped\b/.test(body)) skipped += 1;
    else passed += 1;
  }
}
console.log(`\nTotal: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
