import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { StorageError, joinUrl, openPinned, openStore, pinInput, readPinned, resolveLocation } from "../src/index.js";
import { fileBackend, s3Backend } from "./support/backends.js";
import type { Backend } from "./support/backends.js";

function isChanged(url: string, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof StorageError, String(error));
    assert.equal(error.code, "Changed");
    assert.equal(error.url, url);
    assert.match(error.message, pattern);
    return true;
  };
}

for (const makeBackend of [fileBackend, s3Backend]) {
  describe(`input pinning: ${makeBackend === fileBackend ? "local files" : "S3 (moto server)"}`, () => {
    let backend: Backend;
    before(async () => {
      backend = await makeBackend();
    });
    after(async () => backend?.dispose());

    it("records the input's identity and reads exactly it while unchanged", async () => {
      const url = joinUrl(await backend.root(), "data/petrol.csv");
      const written = await openStore(url).write(url, "a,b\n1,2\n");
      const pin = await pinInput(url);
      assert.deepEqual(pin, { url, etag: written.etag, versionId: null, size: 8 });
      assert.equal((await readPinned(pin)).toString(), "a,b\n1,2\n");
    });

    it("detects an input replaced since the run started, showing both ETags", async () => {
      const url = joinUrl(await backend.root(), "data/petrol.csv");
      await openStore(url).write(url, "a,b\n1,2\n");
      const pin = await pinInput(url);
      const replaced = await openStore(url).write(url, "a,b\n9,9\n");
      const expected = `${url} changed since the run started (ETag ${pin.etag} → ${replaced.etag})`;
      await assert.rejects(readPinned(pin), isChanged(url, new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`)));
      await assert.rejects(openPinned(pin), isChanged(url, /changed since the run started/));
    });

    it("detects a deleted input", async () => {
      const url = joinUrl(await backend.root(), "data/gone.csv");
      await openStore(url).write(url, "x\n");
      const pin = await pinInput(url);
      await openStore(url).delete(url);
      await assert.rejects(readPinned(pin), isChanged(url, /was deleted since the run started/));
    });
  });
}

describe("input pinning: a file edited in place (same size) is detected", () => {
  it("fails the pinned read", async () => {
    const backend = await fileBackend();
    try {
      const url = joinUrl(await backend.root(), "data/edited.csv");
      await openStore(url).write(url, "a,b\n1,2\n");
      const pin = await pinInput(url);
      await new Promise((r) => setTimeout(r, 5));
      const location = resolveLocation(url);
      assert.equal(location.kind, "file");
      await writeFile(location.path, "a,b\n3,4\n");
      await assert.rejects(readPinned(pin), isChanged(url, /changed since the run started/));
    } finally {
      await backend.dispose();
    }
  });
});

describe("input pinning: a versioned S3 bucket", () => {
  it("keeps reading the pinned version after the object is overwritten", async () => {
    const backend = await s3Backend({ versioned: true });
    try {
      const url = joinUrl(await backend.root(), "data/petrol.csv");
      await openStore(url).write(url, "old\n");
      const pin = await pinInput(url);
      assert.ok(pin.versionId, "a versioned bucket reports a VersionId");
      await openStore(url).write(url, "new\n");
      assert.equal((await readPinned(pin)).toString(), "old\n");
      assert.equal((await openStore(url).readAll(url)).toString(), "new\n");
    } finally {
      await backend.dispose();
    }
  });
});
