import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import { FileObjectStore, StorageError, openStore } from "../src/index.js";
import { objectStoreContract } from "./support/store-contract.js";

objectStoreContract("local files (file:///abs/ URLs)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "canopy-store-"));
  return { store: new FileObjectStore(), root: `${pathToFileURL(dir).href}/`, dispose: () => rm(dir, { recursive: true, force: true }) };
});

objectStoreContract("local files (plain paths)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "canopy store plain-"));
  return { store: openStore(dir), root: `${dir}/`, dispose: () => rm(dir, { recursive: true, force: true }) };
});

describe("file store specifics", () => {
  it("leaves no temporary files behind after writes, failed exclusive creates included", async () => {
    const dir = await mkdtemp(join(tmpdir(), "canopy-store-"));
    try {
      const store = new FileObjectStore();
      const url = join(dir, "a.json");
      await store.write(url, "1");
      await store.write(url, "2");
      await assert.rejects(store.write(url, "3", { exclusive: true }), (e: unknown) => (e as StorageError).code === "AlreadyExists");
      assert.deepEqual(await readdir(dir), ["a.json"]);
      assert.equal((await store.readAll(url)).toString(), "2");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a durable write larger than its flushes while writing keeps every byte in order", async () => {
    const dir = await mkdtemp(join(tmpdir(), "canopy-store-"));
    try {
      const store = new FileObjectStore();
      const url = join(dir, "model.canopy");
      // 75 MiB in 1 MiB chunks of distinct bytes: flushed (fdatasync) in the background twice on the way.
      const chunk = (k: number) => Buffer.alloc(1 << 20, k % 251);
      async function* body(): AsyncGenerator<Uint8Array> {
        for (let k = 0; k < 75; k++) yield chunk(k);
      }
      const expected = createHash("sha256");
      for (let k = 0; k < 75; k++) expected.update(chunk(k));
      const written = await store.write(url, body());
      assert.equal(written.size, 75 << 20);
      assert.equal(written.sha256, expected.digest("hex"));
      assert.equal(
        createHash("sha256")
          .update(await store.readAll(url))
          .digest("hex"),
        written.sha256,
      );
      assert.deepEqual(await readdir(dir), ["model.canopy"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("changes the ETag when the file is edited in place, without rewriting through the store", async () => {
    const dir = await mkdtemp(join(tmpdir(), "canopy-store-"));
    try {
      const store = new FileObjectStore();
      const path = join(dir, "data.csv");
      await writeFile(path, "a,b\n1,2\n");
      const before = await store.head(path);
      await new Promise((r) => setTimeout(r, 5));
      await writeFile(path, "a,b\n1,3\n"); // same size, same inode
      const after = await store.head(path);
      assert.notEqual(after.etag, before.etag);
      assert.equal(after.size, before.size);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("names the path when a folder is read as an object", async () => {
    const dir = await mkdtemp(join(tmpdir(), "canopy-store-"));
    try {
      await assert.rejects(new FileObjectStore().readAll(dir), (error: unknown) => {
        assert.ok(error instanceof StorageError);
        assert.equal(error.code, "NoSuchKey");
        assert.match(error.message, /is a folder, not a file/);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
