import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { StorageError, isStorageError, joinUrl } from "../../src/index.js";
import type { ObjectStore } from "../../src/index.js";

export interface StoreUnderTest {
  readonly store: ObjectStore;
  /** A folder URL (ending in `/`) that is empty at the start. */
  readonly root: string;
  dispose(): Promise<void>;
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** The behaviour every ObjectStore backend must share; run once per backend. */
export function objectStoreContract(backend: string, open: () => Promise<StoreUnderTest>): void {
  describe(`ObjectStore contract: ${backend}`, () => {
    let store: ObjectStore;
    let root: string;
    let subject: StoreUnderTest;
    before(async () => {
      subject = await open();
      store = subject.store;
      root = subject.root;
    });
    after(async () => subject?.dispose());

    it("writes and reads back bytes, whole and streamed, reporting size and sha256", async () => {
      const bytes = randomBytes(100_003);
      const url = joinUrl(root, "rw/blob.bin");
      const written = await store.write(url, bytes);
      assert.equal(written.size, bytes.length);
      assert.equal(written.sha256, sha256(bytes));
      assert.deepEqual(await store.readAll(url), bytes);
      const chunks: Buffer[] = [];
      for await (const chunk of await store.read(url)) chunks.push(chunk as Buffer);
      assert.deepEqual(Buffer.concat(chunks), bytes);
      // A scratch (not durable) write is the same object to every reader while the host is up.
      const scratchUrl = joinUrl(root, "rw/scratch.bin");
      const scratch = await store.write(scratchUrl, Readable.from([bytes.subarray(0, 7), bytes.subarray(7)]), { durable: false });
      assert.equal(scratch.sha256, sha256(bytes));
      assert.deepEqual(await store.readAll(scratchUrl), bytes);
      assert.deepEqual(
        (await store.list(joinUrl(root, "rw/"))).map((object) => object.url),
        [url, scratchUrl],
      );
    });

    it("accepts strings, streams and async iterables as bodies", async () => {
      await store.write(joinUrl(root, "bodies/s.txt"), "héllo");
      assert.equal((await store.readAll(joinUrl(root, "bodies/s.txt"))).toString("utf8"), "héllo");
      await store.write(joinUrl(root, "bodies/r.txt"), Readable.from([Buffer.from("a"), Buffer.from("b")]));
      assert.equal((await store.readAll(joinUrl(root, "bodies/r.txt"))).toString(), "ab");
      async function* generate() {
        yield Buffer.from("x");
        yield new Uint8Array([0x79]);
      }
      await store.write(joinUrl(root, "bodies/g.txt"), generate());
      assert.equal((await store.readAll(joinUrl(root, "bodies/g.txt"))).toString(), "xy");
      await store.write(joinUrl(root, "bodies/empty.txt"), Buffer.alloc(0));
      assert.equal((await store.head(joinUrl(root, "bodies/empty.txt"))).size, 0);
    });

    it("heads an object: size, an ETag that changes when the object is replaced", async () => {
      const url = joinUrl(root, "head/a.txt");
      const first = await store.write(url, "one");
      const info = await store.head(url);
      assert.equal(info.size, 3);
      assert.equal(info.etag, first.etag);
      assert.match(info.etag, /^".+"$/);
      const second = await store.write(url, "three");
      assert.notEqual(second.etag, first.etag);
      assert.equal((await store.head(url)).etag, second.etag);
      assert.equal((await store.head(url)).size, 5);
    });

    it("reports a missing object as NoSuchKey with its URL, for read, readAll and head", async () => {
      const url = joinUrl(root, "missing/nothing.txt");
      for (const action of [() => store.read(url), () => store.readAll(url), () => store.head(url)]) {
        await assert.rejects(action, (error: unknown) => {
          assert.ok(error instanceof StorageError, String(error));
          assert.equal(error.code, "NoSuchKey");
          assert.equal(error.url, url);
          assert.ok(error.message.startsWith(`${url}: `), error.message);
          return true;
        });
      }
      assert.equal(await store.exists(url), false);
    });

    it("lists a prefix: every object below it, sorted, with sizes, and nothing outside it", async () => {
      const base = joinUrl(root, "list/");
      for (const name of ["b/2.txt", "a.txt", "b/1.txt", "ab.txt", "c/deep/er.txt"]) {
        await store.write(joinUrl(base, name), name);
      }
      await store.write(joinUrl(root, "listing-outside.txt"), "no");
      const all = await store.list(base);
      assert.deepEqual(
        all.map((o) => o.url),
        ["a.txt", "ab.txt", "b/1.txt", "b/2.txt", "c/deep/er.txt"].map((n) => joinUrl(base, n)),
      );
      assert.deepEqual(
        all.map((o) => o.size),
        ["a.txt", "ab.txt", "b/1.txt", "b/2.txt", "c/deep/er.txt"].map((n) => n.length),
      );
      // A prefix that is not a folder matches by string prefix, as S3 does.
      assert.deepEqual(
        (await store.list(joinUrl(base, "a"))).map((o) => o.url),
        [joinUrl(base, "a.txt"), joinUrl(base, "ab.txt")],
      );
      assert.deepEqual(await store.list(joinUrl(root, "list-none/")), []);
      // Listed URLs are usable as they are.
      assert.equal((await store.readAll(all[2].url)).toString(), "b/1.txt");
    });

    it("deletes an object; deleting a missing object is not an error", async () => {
      const url = joinUrl(root, "delete/x.txt");
      await store.write(url, "x");
      assert.equal(await store.exists(url), true);
      await store.delete(url);
      assert.equal(await store.exists(url), false);
      await store.delete(url);
    });

    it("creates exclusively: the second create fails with AlreadyExists and the first content stays", async () => {
      const url = joinUrl(root, "exclusive/once.txt");
      await store.write(url, "first", { exclusive: true });
      await assert.rejects(store.write(url, "second", { exclusive: true }), (error: unknown) => {
        assert.ok(error instanceof StorageError);
        assert.equal(error.code, "AlreadyExists");
        assert.equal(error.url, url);
        return true;
      });
      assert.equal((await store.readAll(url)).toString(), "first");
    });

    it("lets exactly one of many concurrent exclusive creates win", async () => {
      const url = joinUrl(root, "exclusive/race.txt");
      const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => store.write(url, `writer ${i}`, { exclusive: true })));
      const winners = results.filter((r) => r.status === "fulfilled");
      assert.equal(winners.length, 1, JSON.stringify(results.map((r) => r.status)));
      for (const loser of results.filter((r) => r.status === "rejected")) {
        assert.equal(((loser as PromiseRejectedResult).reason as StorageError).code, "AlreadyExists");
      }
      assert.match((await store.readAll(url)).toString(), /^writer \d$/);
    });

    it("reads with If-Match: the current ETag reads, a stale one fails with PreconditionFailed", async () => {
      const url = joinUrl(root, "ifmatch/a.txt");
      const first = await store.write(url, "v1");
      assert.equal((await store.readAll(url, { ifMatch: first.etag })).toString(), "v1");
      await store.write(url, "v2 longer");
      await assert.rejects(store.readAll(url, { ifMatch: first.etag }), (error: unknown) => {
        assert.ok(error instanceof StorageError);
        assert.equal(error.code, "PreconditionFailed");
        assert.equal(error.url, url);
        return true;
      });
    });

    it("replaces with If-Match: the current ETag replaces, a stale one or a missing object fails with PreconditionFailed", async () => {
      const url = joinUrl(root, "cas/pointer.json");
      await assert.rejects(store.write(url, "v0", { ifMatch: '"nothing-there"' }), (error: unknown) =>
        isStorageError(error, "PreconditionFailed"),
      );
      const first = await store.write(url, "v1");
      const second = await store.write(url, "v2", { ifMatch: first.etag });
      assert.equal((await store.readAll(url)).toString(), "v2");
      await assert.rejects(store.write(url, "v3", { ifMatch: first.etag }), (error: unknown) =>
        isStorageError(error, "PreconditionFailed"),
      );
      assert.equal((await store.readAll(url)).toString(), "v2");
      assert.equal((await store.head(url)).etag, second.etag);
      assert.deepEqual(
        (await store.list(joinUrl(root, "cas/"))).map((o) => o.url),
        [url],
      );
    });

    it("lets exactly one of many concurrent If-Match replaces of the same version win", async () => {
      const url = joinUrl(root, "cas/race.json");
      const base = await store.write(url, "base");
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => store.write(url, `writer ${i}`, { ifMatch: base.etag })),
      );
      const won = outcomes.filter((o) => o.status === "fulfilled");
      assert.equal(won.length, 1, `outcomes: ${outcomes.map((o) => o.status).join(", ")}`);
      for (const lost of outcomes.filter((o) => o.status === "rejected")) {
        assert.ok(
          isStorageError((lost as PromiseRejectedResult).reason, "PreconditionFailed"),
          String((lost as PromiseRejectedResult).reason),
        );
      }
      const winner = outcomes.indexOf(won[0]);
      assert.equal((await store.readAll(url)).toString(), `writer ${winner}`);
    });

    it("fails a write whose source stream fails, and leaves no object behind", async () => {
      const url = joinUrl(root, "broken/half.bin");
      async function* broken() {
        yield randomBytes(1024);
        throw new Error("source exploded");
      }
      await assert.rejects(store.write(url, broken()), /source exploded/);
      assert.equal(await store.exists(url), false);
      assert.deepEqual(await store.list(joinUrl(root, "broken/")), []);
    });

    it("refuses to write at a folder URL", async () => {
      await assert.rejects(store.write(joinUrl(root, "folder/"), "x"), (error: unknown) => {
        assert.ok(error instanceof StorageError);
        assert.equal(error.code, "InvalidUrl");
        return true;
      });
    });
  });
}
