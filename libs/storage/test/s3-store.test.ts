import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { StorageError, openStore } from "../src/index.js";
import { S3ObjectStore, createS3Client } from "../src/s3.js";
import { objectStoreContract } from "./support/store-contract.js";
import { startS3Fixture } from "./support/s3.js";
import type { S3Fixture } from "./support/s3.js";

objectStoreContract("S3 (moto server)", async () => {
  const s3 = await startS3Fixture();
  const bucket = await s3.bucket("contract");
  return { store: openStore(`s3://${bucket}/`), root: `s3://${bucket}/root/`, dispose: () => s3.dispose() };
});

/** Deterministic pseudo-random bytes, generated chunk by chunk so nothing large is held in memory. */
function generated(totalBytes: number, seed: number): { stream: Readable; sha256: () => string } {
  const hash = createHash("sha256");
  let produced = 0;
  let state = seed;
  const stream = new Readable({
    read() {
      if (produced >= totalBytes) {
        this.push(null);
        return;
      }
      const size = Math.min(1 << 20, totalBytes - produced);
      const chunk = Buffer.allocUnsafe(size);
      for (let i = 0; i < size; i += 4) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        chunk.writeUInt32LE(state, i);
      }
      hash.update(chunk);
      produced += size;
      this.push(chunk);
    },
  });
  return { stream, sha256: () => hash.digest("hex") };
}

describe("S3 store against a real S3 HTTP API (moto)", () => {
  let s3: S3Fixture;
  let bucket: string;
  before(async () => {
    s3 = await startS3Fixture();
    bucket = await s3.bucket("s3-store");
  });
  after(async () => s3?.dispose());

  it("round-trips 50 MB through a multipart upload with a matching sha256", async () => {
    const url = `s3://${bucket}/big/fifty.bin`;
    const store = openStore(url);
    const source = generated(50 * 1024 * 1024, 42);
    const written = await store.write(url, source.stream);
    const expected = source.sha256();
    assert.equal(written.size, 50 * 1024 * 1024);
    assert.equal(written.sha256, expected);
    // S3 gives multipart objects an ETag "<md5 of part md5s>-<parts>": proof it really went in parts.
    assert.match(written.etag, /-\d+"$/);
    const head = await store.head(url);
    assert.equal(head.size, 50 * 1024 * 1024);
    assert.equal(head.etag, written.etag);
    const hash = createHash("sha256");
    let size = 0;
    for await (const chunk of await store.read(url)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    assert.equal(size, 50 * 1024 * 1024);
    assert.equal(hash.digest("hex"), expected);
  });

  it("enforces exclusive create on a multipart upload (If-None-Match on CompleteMultipartUpload)", async () => {
    const url = `s3://${bucket}/big/once.bin`;
    const store = openStore(url);
    const first = await store.write(url, generated(12 * 1024 * 1024, 1).stream, { exclusive: true });
    assert.match(first.etag, /-\d+"$/, "went up in parts");
    await assert.rejects(store.write(url, generated(12 * 1024 * 1024, 2).stream, { exclusive: true }), (error: unknown) => {
      assert.ok(error instanceof StorageError);
      assert.equal(error.code, "AlreadyExists");
      return true;
    });
    assert.equal((await store.head(url)).etag, first.etag);
  });

  it("names a missing bucket for every operation, HEAD included", async () => {
    const url = "s3://no-such-bucket-here/data/petrol.csv";
    const store = openStore(url);
    const actions = [
      () => store.readAll(url),
      () => store.head(url),
      () => store.list("s3://no-such-bucket-here/data/"),
      () => store.write(url, "x"),
    ];
    for (const action of actions) {
      await assert.rejects(action, (error: unknown) => {
        assert.ok(error instanceof StorageError, String(error));
        assert.equal(error.code, "NoSuchBucket");
        assert.match(error.message, /^s3:\/\/no-such-bucket-here\/data\/.*: no such bucket "no-such-bucket-here"$/);
        return true;
      });
    }
  });

  it("names a missing key", async () => {
    const url = `s3://${bucket}/nope/missing.csv`;
    await assert.rejects(openStore(url).readAll(url), (error: unknown) => {
      assert.ok(error instanceof StorageError);
      assert.equal(error.code, "NoSuchKey");
      assert.equal(error.message, `${url}: no such key "nope/missing.csv" in bucket "${bucket}"`);
      return true;
    });
  });

  it("reports an unreachable endpoint with its address and the network error, after the SDK's retries", async () => {
    const client = createS3Client({ endpoint: "http://127.0.0.1:1", maxAttempts: 2 });
    try {
      const store = new S3ObjectStore(client);
      await assert.rejects(store.head("s3://some-bucket/key.csv"), (error: unknown) => {
        assert.ok(error instanceof StorageError);
        assert.equal(error.code, "Unreachable");
        assert.equal(error.message, "s3://some-bucket/key.csv: cannot reach the S3 endpoint http://127.0.0.1:1 (ECONNREFUSED)");
        const attempts = (error.cause as { $metadata?: { attempts?: number } }).$metadata?.attempts;
        assert.equal(attempts, 2, "a network error is transient: the SDK retries it");
        return true;
      });
    } finally {
      client.destroy();
    }
  });

  it("does not retry a permanent error", async () => {
    const url = `s3://${bucket}/nope/permanent.csv`;
    await assert.rejects(openStore(url).readAll(url), (error: unknown) => {
      const attempts = ((error as StorageError).cause as { $metadata?: { attempts?: number } }).$metadata?.attempts;
      assert.equal(attempts, 1);
      return true;
    });
  });

  it("reports VersionId in a versioned bucket and reads an older version by id", async () => {
    const versioned = await s3.bucket("versioned", { versioned: true });
    const url = `s3://${versioned}/data.csv`;
    const store = openStore(url);
    const one = await store.write(url, "one");
    const two = await store.write(url, "two");
    assert.ok(one.versionId && two.versionId && one.versionId !== two.versionId);
    assert.equal((await store.head(url)).versionId, two.versionId);
    assert.equal((await store.readAll(url, { versionId: one.versionId })).toString(), "one");
  });
});
