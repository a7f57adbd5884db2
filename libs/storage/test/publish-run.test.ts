import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { startProcess } from "@canopy/testkit";
import { StorageError, joinUrl, openStore, publishRun, readManifest, runFolder, verifyRun } from "../src/index.js";
import { fileBackend, s3Backend } from "./support/backends.js";
import type { Backend } from "./support/backends.js";

const child = fileURLToPath(new URL("./support/publish-child.js", import.meta.url));

for (const makeBackend of [fileBackend, s3Backend]) {
  describe(`publishing a run: ${makeBackend === fileBackend ? "local files" : "S3 (moto server)"}`, () => {
    let backend: Backend;
    before(async () => {
      backend = await makeBackend();
    });
    after(async () => backend?.dispose());

    it("writes artifacts and a manifest listing their sizes and sha256, then reads and verifies it", async () => {
      const root = await backend.root();
      const folder = runFolder(root, "2026-03-04T07:30+02:00");
      assert.equal(await readManifest(folder.url), null, "an unpublished folder has no manifest");
      const published = await publishRun({
        folder,
        artifacts: { "model.json": '{"trees":[]}', "metrics.json": Buffer.from('{"r2":0.5}') },
        fields: {
          input: { url: "s3://b/data.csv", etag: '"abc"', versionId: null, size: 10 },
          params: { nEstimators: 10 },
          code: { version: "0.1.0", commit: "deadbeef" },
          timings: { growMs: 12 },
        },
        now: () => new Date("2026-03-04T06:00:41.112Z"),
      });
      assert.equal(published.runId, "2026030405");
      assert.equal(published.manifestUrl, joinUrl(root, "2026/03/04/05/manifest.json"));
      const manifest = await readManifest(folder.url);
      assert.ok(manifest);
      assert.equal(manifest.format, "canopy.manifest/1");
      assert.equal(manifest.runId, "2026030405");
      assert.equal(manifest.runDate, "2026-03-04T05:00:00.000Z");
      assert.equal(manifest.createdAt, "2026-03-04T06:00:41.112Z");
      assert.deepEqual(manifest.params, { nEstimators: 10 });
      assert.deepEqual(manifest.input, { url: "s3://b/data.csv", etag: '"abc"', versionId: null, size: 10 });
      const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
      assert.deepEqual(manifest.artifacts, [
        { name: "model.json", size: 12, sha256: sha256('{"trees":[]}') },
        { name: "metrics.json", size: 10, sha256: sha256('{"r2":0.5}') },
      ]);
      await verifyRun(folder.url);
      // The claim is gone: the folder holds exactly the artifacts and the manifest.
      const listed = (await openStore(root).list(root)).map((o) => o.url);
      assert.deepEqual(
        listed,
        ["2026/03/04/05/manifest.json", "2026/03/04/05/metrics.json", "2026/03/04/05/model.json"].map((p) => joinUrl(root, p)),
      );
    });

    it("refuses to publish an hour twice without force, before touching its artifacts", async () => {
      const root = await backend.root();
      const folder = runFolder(root, "2026-03-04T05Z");
      await publishRun({ folder, artifacts: { "model.json": "first" } });
      await assert.rejects(publishRun({ folder, artifacts: { "model.json": "second" } }), (error: unknown) => {
        assert.ok(error instanceof StorageError);
        assert.equal(error.code, "AlreadyExists");
        assert.equal(error.message, `run 2026030405 is already published at ${folder.url}`);
        return true;
      });
      assert.equal((await openStore(root).readAll(joinUrl(folder.url, "model.json"))).toString(), "first");
      await verifyRun(folder.url);
    });

    it("replaces a published run with force", async () => {
      const root = await backend.root();
      const folder = runFolder(root, "2026-03-04T05Z");
      await publishRun({ folder, artifacts: { "model.json": "first" }, fields: { params: { n: 1 } } });
      await publishRun({ folder, artifacts: { "model.json": "second!" }, fields: { params: { n: 2 } }, force: true });
      const manifest = await verifyRun(folder.url);
      assert.deepEqual(manifest.params, { n: 2 });
      assert.equal(manifest.artifacts[0].size, 7);
    });

    it("a forced publish whose first artifact fails while it streams leaves the published run as it was", async () => {
      const root = await backend.root();
      const folder = runFolder(root, "2026-03-04T07Z");
      await publishRun({ folder, artifacts: { "model.json": "first", "report.html": "<p>1</p>" }, fields: { params: { n: 1 } } });
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield Buffer.from("sec");
        throw new Error("the last shard failed");
      }
      await assert.rejects(
        publishRun({
          folder,
          artifacts: { "model.json": failing(), "report.html": "<p>2</p>" },
          fields: { params: { n: 2 } },
          force: true,
        }),
        /the last shard failed/,
      );
      const manifest = await verifyRun(folder.url);
      assert.deepEqual(manifest.params, { n: 1 });
      assert.equal((await openStore(root).readAll(joinUrl(folder.url, "model.json"))).toString(), "first");
      assert.equal((await openStore(root).readAll(joinUrl(folder.url, "report.html"))).toString(), "<p>1</p>");
      // A streamed first artifact that succeeds replaces the run.
      async function* second(): AsyncGenerator<Uint8Array> {
        yield Buffer.from("sec");
        yield Buffer.from("ond");
      }
      await publishRun({
        folder,
        artifacts: { "model.json": second(), "report.html": "<p>2</p>" },
        fields: { params: { n: 2 } },
        force: true,
      });
      assert.deepEqual((await verifyRun(folder.url)).params, { n: 2 });
      assert.equal((await openStore(root).readAll(joinUrl(folder.url, "model.json"))).toString(), "second");
    });

    it("detects an artifact that no longer matches its manifest", async () => {
      const root = await backend.root();
      const folder = runFolder(root, "2026-03-04T06Z");
      await publishRun({ folder, artifacts: { "model.json": "good", "report.html": "<p>ok</p>" } });
      await openStore(root).write(joinUrl(folder.url, "model.json"), "evil");
      await openStore(root).delete(joinUrl(folder.url, "report.html"));
      await assert.rejects(verifyRun(folder.url), (error: unknown) => {
        assert.ok(error instanceof StorageError);
        assert.equal(error.code, "IntegrityMismatch");
        assert.match(error.message, /model\.json: sha256 [0-9a-f]{64}, manifest says [0-9a-f]{64}; report\.html: missing$/);
        return true;
      });
    });

    it("rejects unsafe artifact names and folder URLs that are not run folders", async () => {
      const root = await backend.root();
      const folder = runFolder(root, "2026-03-04T06Z");
      for (const name of ["../x", "a/b.json", "manifest.json", ".hidden", ""]) {
        await assert.rejects(publishRun({ folder, artifacts: { [name]: "x" } }), /invalid artifact name/);
      }
      await assert.rejects(
        publishRun({ folder: joinUrl(root, "not-a-run/"), artifacts: {} }),
        /a run folder URL ends in \/YYYY\/MM\/DD\/HH\//,
      );
      assert.deepEqual(await openStore(root).list(root), []);
    });

    it("publishes from a run folder URL", async () => {
      const root = await backend.root();
      const published = await publishRun({ folder: joinUrl(root, "2026/03/04/05"), artifacts: { "model.json": "m" } });
      assert.equal(published.runId, "2026030405");
      assert.equal((await readManifest(joinUrl(root, "2026/03/04/05/")))?.runDate, "2026-03-04T05:00:00.000Z");
    });

    it("two processes publishing one hour at once leave exactly one manifest and one clear loser", async () => {
      const root = await backend.root();
      const folder = runFolder(root, "2026-03-04T05Z");
      const env = { ...process.env, ...backend.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
      const publishers = ["alpha", "beta"].map((label) =>
        startProcess(process.execPath, [child, folder.url, label], { env, stdio: ["pipe", "pipe", "pipe"] }),
      );
      try {
        await Promise.all(publishers.map((p) => p.waitForOutput(/READY/)));
        for (const p of publishers) p.child.stdin?.end("go\n");
        const codes = await Promise.all(publishers.map((p) => p.exited()));
        const outputs = publishers.map((p) => p.output());
        assert.deepEqual([...codes].sort(), [0, 3], outputs.join("\n---\n"));
        const winner = codes.indexOf(0);
        const loser = codes.indexOf(3);
        assert.match(outputs[winner], /PUBLISHED .*manifest\.json/);
        assert.ok(outputs[loser].includes(`LOST run 2026030405 is already published at ${folder.url}`), outputs[loser]);
        const manifests = (await openStore(root).list(root)).filter((o) => o.url.endsWith("/manifest.json"));
        assert.equal(manifests.length, 1);
        // The artifacts are the winner's, untouched by the loser.
        const manifest = await verifyRun(folder.url);
        assert.deepEqual(manifest.params, { label: winner === 0 ? "alpha" : "beta" });
      } finally {
        await Promise.all(publishers.map((p) => p.stop("SIGKILL")));
      }
    });
  });
}
