import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LATEST_FORMAT, advanceLatest, openStore, readLatest } from "../src/index.js";
import type { LatestPointer, ObjectStore } from "../src/index.js";
import { startS3Fixture } from "./support/s3.js";
import type { S3Fixture } from "./support/s3.js";

function pointer(runId: string, root: string): LatestPointer {
  return {
    format: LATEST_FORMAT,
    runId,
    runFolder: `${root}${runId.slice(0, 4)}/${runId.slice(4, 6)}/${runId.slice(6, 8)}/${runId.slice(8)}/`,
    modelUrl: `${root}${runId}/model.canopy`,
    modelSha256: runId.repeat(6).slice(0, 64),
    metrics: { r2: Number(`0.${runId.slice(8)}`) },
    promotedAt: new Date(0).toISOString(),
  };
}

function latestContract(backend: string, open: () => Promise<{ store: ObjectStore; root: string; dispose: () => Promise<unknown> }>): void {
  describe(`latest.json on ${backend}`, () => {
    let store: ObjectStore;
    let root: string;
    let dispose: () => Promise<unknown>;
    before(async () => ({ store, root, dispose } = await open()));
    after(async () => dispose?.());

    it("is absent before the first promotion, then names the promoted run", async () => {
      const at = `${root}first/`;
      assert.equal(await readLatest(store, at), null);
      const outcome = await advanceLatest(store, at, pointer("2026120300", at));
      assert.deepEqual(outcome, { moved: true, previous: null });
      assert.equal((await readLatest(store, at))?.pointer.runId, "2026120300");
    });

    it("only moves forward: a backfill of an older hour leaves it, a later hour and a re-run of the same hour move it", async () => {
      const at = `${root}forward/`;
      await advanceLatest(store, at, pointer("2026120310", at));
      const backfill = await advanceLatest(store, at, pointer("2026120307", at));
      assert.equal(backfill.moved, false);
      assert.match((backfill as { reason: string }).reason, /later hour \(2026120310\)/);
      assert.equal((await readLatest(store, at))?.pointer.runId, "2026120310");
      const rerun = { ...pointer("2026120310", at), modelSha256: "f".repeat(64) };
      assert.equal((await advanceLatest(store, at, rerun)).moved, true);
      assert.equal((await readLatest(store, at))?.pointer.modelSha256, "f".repeat(64));
      const later = await advanceLatest(store, at, pointer("2026120311", at));
      assert.equal(later.moved, true);
      assert.equal((later as { previous: LatestPointer }).previous.runId, "2026120310");
    });

    it("ends on the latest hour when many publishers race, whatever their order", async () => {
      const at = `${root}race/`;
      const hours = ["2026120305", "2026120301", "2026120309", "2026120303", "2026120308", "2026120302", "2026120306", "2026120304"];
      const outcomes = await Promise.all(hours.map((hour) => advanceLatest(store, at, pointer(hour, at))));
      assert.equal((await readLatest(store, at))?.pointer.runId, "2026120309");
      assert.equal(outcomes[hours.indexOf("2026120309")].moved, true);
      const listed = await store.list(at);
      assert.deepEqual(
        listed.map((o) => o.url),
        [`${at}latest.json`],
        "no lock or temporary object stays behind",
      );
    });
  });
}

latestContract("local files", async () => {
  const dir = await mkdtemp(join(tmpdir(), "canopy-latest-"));
  return {
    store: openStore(`${dir}/`),
    root: `${dir}/`,
    dispose: async () => {
      assert.deepEqual((await readdir(dir)).sort(), ["first", "forward", "race"]);
      await rm(dir, { recursive: true, force: true });
    },
  };
});

latestContract("S3 (moto server)", async () => {
  const s3: S3Fixture = await startS3Fixture();
  const bucket = await s3.bucket("latest");
  return { store: openStore(`s3://${bucket}/`), root: `s3://${bucket}/models/`, dispose: () => s3.dispose() };
});
