import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "@canopy/testkit";
import {
  LEGACY_MODEL_ARTIFACT,
  MANIFEST_ARTIFACT,
  MODEL_ARTIFACT,
  RUN_ID_PATTERN,
  STAGING_FOLDER,
  StorageError,
  contentTypeOf,
  modelUrlOf,
  runLayout,
  runLayoutOfFolder,
  shardLabel,
} from "../src/index.js";

const contract = JSON.parse(readFileSync(join(repoRoot(), "contracts", "run-layout.json"), "utf8")) as {
  artifacts: Record<string, string>;
  legacyModel: string;
  staging: { folder: string; publishClaim: string };
};

describe("the run layout", () => {
  it("takes every name from contracts/run-layout.json", () => {
    assert.equal(MODEL_ARTIFACT, contract.artifacts.model);
    assert.equal(MANIFEST_ARTIFACT, contract.artifacts.manifest);
    assert.equal(LEGACY_MODEL_ARTIFACT, contract.legacyModel);
    assert.equal(STAGING_FOLDER, contract.staging.folder);
  });

  it("places a run's folder, artifacts, staging, shards and claim under the output root", () => {
    const layout = runLayout("s3://bucket/models", "2026-03-04T07:30+02:00");
    assert.equal(layout.runId, "2026030405");
    assert.equal(layout.root, "s3://bucket/models/");
    assert.equal(layout.url, "s3://bucket/models/2026/03/04/05/");
    assert.equal(layout.modelUrl, `s3://bucket/models/2026/03/04/05/${contract.artifacts.model}`);
    assert.equal(layout.metricsUrl, `s3://bucket/models/2026/03/04/05/${contract.artifacts.metrics}`);
    assert.equal(layout.reportUrl, `s3://bucket/models/2026/03/04/05/${contract.artifacts.report}`);
    assert.equal(layout.manifestUrl, `s3://bucket/models/2026/03/04/05/${contract.artifacts.manifest}`);
    assert.equal(layout.stagingUrl, `s3://bucket/models/${contract.staging.folder}/2026030405/`);
    assert.equal(layout.claimUrl, `s3://bucket/models/${contract.staging.folder}/2026030405/${contract.staging.publishClaim}`);
    assert.equal(layout.shardUrl(3, 4), `s3://bucket/models/${contract.staging.folder}/2026030405/shard-03.canopy`);
    assert.equal(layout.evaluationUrl(3, 4), `s3://bucket/models/${contract.staging.folder}/2026030405/shard-03.evaluation.json`);
  });

  it("pads shard indexes to two digits, wider when there are more than 100 shards", () => {
    assert.equal(shardLabel(0, 1), "00");
    assert.equal(shardLabel(9, 100), "09");
    assert.equal(shardLabel(7, 101), "007");
    assert.equal(shardLabel(1234, 2000), "1234");
  });

  it("reads a run folder URL back into the same layout, and names a URL that is not one", () => {
    const layout = runLayout("file:///tmp/out/", "2026-03-04T05Z");
    const again = runLayoutOfFolder(layout.url);
    assert.deepEqual(
      { ...again, artifactUrl: 0, shardUrl: 0, evaluationUrl: 0 },
      { ...layout, artifactUrl: 0, shardUrl: 0, evaluationUrl: 0 },
    );
    assert.equal(again.shardUrl(0, 2), layout.shardUrl(0, 2));
    assert.throws(
      () => runLayoutOfFolder("s3://b/models/2026/03/04/"),
      (error: unknown) => {
        assert.ok(error instanceof StorageError && error.code === "InvalidUrl");
        assert.match(error.message, /ends in \/YYYY\/MM\/DD\/HH\//);
        return true;
      },
    );
  });

  it("accepts run ids of ten digits only", () => {
    assert.ok(RUN_ID_PATTERN.test("2026030405"));
    assert.ok(!RUN_ID_PATTERN.test("202603040"));
    assert.ok(!RUN_ID_PATTERN.test("run-2026030405"));
  });

  it("finds the model of a run folder, falling back to the legacy name only when that is what the folder holds", async () => {
    const folder = "s3://b/m/2026/03/04/05/";
    const none = async () => false;
    assert.equal(await modelUrlOf(`${folder}custom.bin`, none), `${folder}custom.bin`);
    assert.equal(await modelUrlOf(folder, none), `${folder}${MODEL_ARTIFACT}`);
    assert.equal(await modelUrlOf("s3://b/m/2026/03/04/05", async (url) => url.endsWith(MODEL_ARTIFACT)), `${folder}${MODEL_ARTIFACT}`);
    const onlyLegacy = async (url: string) => url.endsWith(`/${LEGACY_MODEL_ARTIFACT}`);
    assert.equal(await modelUrlOf(folder, onlyLegacy), `${folder}${LEGACY_MODEL_ARTIFACT}`);
  });

  it("stores artifacts with their content type", () => {
    assert.equal(contentTypeOf("report.html"), "text/html; charset=utf-8");
    assert.equal(contentTypeOf("metrics.json"), "application/json; charset=utf-8");
    assert.equal(contentTypeOf("model.canopy"), "application/octet-stream");
  });
});
