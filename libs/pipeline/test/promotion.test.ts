import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { MODEL_ARTIFACT, openStore, readLatest } from "@canopy/storage";
import { sampleData } from "@canopy/testkit";
import { createRunSteps, parseRunRequest, runInProcess, RunRequestError } from "../src/index.js";

const TARGET = "Petrol_Consumption";
const steps = createRunSteps({ threads: 1 });

function request(out: string, runDate: string, extra: Record<string, unknown> = {}) {
  return parseRunRequest({ version: 1, runDate, data: sampleData(), target: TARGET, out, params: { nEstimators: 20, seed: 4 }, ...extra });
}

function manifest(out: string, path: string) {
  return JSON.parse(readFileSync(join(out, path, "manifest.json"), "utf8"));
}

const latestOf = async (out: string) => (await readLatest(openStore(`${out}/`), `${out}/`))?.pointer;

test("latest.json follows promoted runs forward in time; a backfill is published but superseded", async () => {
  const out = mkdtempSync(join(tmpdir(), "canopy-promote-"));
  const first = await runInProcess(steps, "2026030410", request(out, "2026-03-04T10:00Z"));
  assert.deepEqual(first.promotion, { state: "promoted", reason: null });
  const pointer = await latestOf(out);
  assert.equal(pointer?.runId, "2026030410");
  assert.equal(pointer?.modelUrl, first.modelUrl);
  assert.equal(
    pointer?.modelSha256,
    manifest(out, "2026/03/04/10").artifacts.find((a: { name: string }) => a.name === MODEL_ARTIFACT).sha256,
  );
  assert.deepEqual(pointer?.metrics, first.metrics);

  const backfill = await runInProcess(steps, "2026030408", request(out, "2026-03-04T08:00Z"));
  assert.equal(backfill.promotion?.state, "superseded");
  assert.match(String(backfill.promotion?.reason), /a later hour \(2026030410\) is already the latest model/);
  assert.equal(manifest(out, "2026/03/04/08").promotion.state, "superseded");
  assert.equal((await latestOf(out))?.runId, "2026030410");

  const later = await runInProcess(steps, "2026030411", request(out, "2026-03-04T11:00Z"));
  assert.equal(later.promotion?.state, "promoted");
  assert.equal((await latestOf(out))?.runId, "2026030411");
});

test("the gate keeps a worse model out of latest.json, publishes it for inspection and says why", async () => {
  const out = mkdtempSync(join(tmpdir(), "canopy-gate-"));
  await runInProcess(steps, "2026030412", request(out, "2026-03-04T12:00Z"));
  // A forest of one stump is worse than 20 full trees on the same held-out rows.
  const worse = await runInProcess(
    steps,
    "2026030413",
    request(out, "2026-03-04T13:00Z", { params: { nEstimators: 1, maxDepth: 1, seed: 4 }, gate: { maxRegression: 0.01 } }),
  );
  assert.equal(worse.promotion?.state, "held back");
  assert.match(String(worse.promotion?.reason), /^r2 -?[\d.]+ vs latest [\d.]+ \(2026030412\) on the same rows: fell [\d.]+ > 0\.01$/);
  const written = manifest(out, "2026/03/04/13");
  assert.equal(written.promotion.state, "held back");
  assert.deepEqual(written.gate, { maxRegression: 0.01 });
  assert.ok(written.promotion.checks.some((check: string) => check.startsWith("failed: r2")));
  assert.equal((await latestOf(out))?.runId, "2026030412", "latest.json did not move");

  const threshold = await runInProcess(steps, "2026030414", request(out, "2026-03-04T14:00Z", { gate: { promoteIf: "r2 >= 0.999" } }));
  assert.equal(threshold.promotion?.state, "held back");
  assert.match(String(threshold.promotion?.reason), /^r2 [\d.-]+ >= 0\.999$/);

  const good = await runInProcess(
    steps,
    "2026030415",
    request(out, "2026-03-04T15:00Z", { gate: { promoteIf: "r2 > -100 and mae < 1000", maxRegression: 1 } }),
  );
  assert.equal(good.promotion?.state, "promoted");
  assert.equal((await latestOf(out))?.runId, "2026030415");
});

test("a gate on a metric the task does not measure fails the run when it is planned", async () => {
  const out = mkdtempSync(join(tmpdir(), "canopy-gate-bad-"));
  await assert.rejects(
    runInProcess(steps, "2026030416", request(out, "2026-03-04T16:00Z", { gate: { promoteIf: "accuracy > 0.5" } })),
    (error: unknown) =>
      error instanceof RunRequestError &&
      /gate: the promotion rule uses "accuracy", which a regression run does not measure/.test(error.message),
  );
  assert.throws(() => request(out, "2026-03-04T16:00Z", { gate: { promoteIf: "r2 => 1" } }), /gate/);
});
