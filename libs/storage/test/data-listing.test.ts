import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { StorageError, dataUrlKind, joinUrl, listDataObjects, openStore, pinInput, pinObjects, readPinnedRange } from "../src/index.js";
import { fileBackend, s3Backend, type Backend } from "./support/backends.js";

it("tells one object from a prefix and a glob by the URL alone", () => {
  assert.equal(dataUrlKind("s3://lake/events/2026/12/03/14/"), "prefix");
  assert.equal(dataUrlKind("s3://lake/events/2026/12/03/14/part-*.csv.gz"), "glob");
  assert.equal(dataUrlKind("/data/hour-?.csv"), "glob");
  assert.equal(dataUrlKind("s3://lake/events/*/x.csv"), "object", "only the last segment may hold a glob");
  assert.equal(dataUrlKind("file:///data/petrol.csv"), "object");
});

for (const makeBackend of [fileBackend, s3Backend]) {
  describe(`data listing: ${makeBackend === fileBackend ? "local files" : "S3 (moto server)"}`, () => {
    let backend: Backend;
    let root: string;
    const put = (key: string, body = "x\n") => openStore(joinUrl(root, key)).write(joinUrl(root, key), body);
    before(async () => {
      backend = await makeBackend();
      root = await backend.root();
      for (const key of [
        "hour/part-00001.csv.gz",
        "hour/part-00000.csv.gz",
        "hour/_SUCCESS",
        "hour/.part-00000.csv.gz.crc",
        "hour/part-00000.csv.gz.crc",
        "hour/_temporary/0/part-00009.csv.gz",
        "hour/nested/b.csv",
        "hour/nested/B.csv",
        "hour/nested/é.csv",
        "hour/notes.txt",
        "hourly/other.csv",
      ]) {
        await put(key);
      }
    });
    after(async () => backend?.dispose());

    it("a prefix lists every data object under it, recursively, byte-wise by key, and names what it skipped", async () => {
      const listing = await listDataObjects(joinUrl(root, "hour/"));
      assert.deepEqual(
        listing.objects.map((object) => object.url),
        [
          "hour/nested/B.csv",
          "hour/nested/b.csv",
          "hour/nested/é.csv",
          "hour/notes.txt",
          "hour/part-00000.csv.gz",
          "hour/part-00001.csv.gz",
        ].map((key) => joinUrl(root, key)),
      );
      assert.deepEqual(
        listing.skipped.map((object) => object.url),
        ["hour/.part-00000.csv.gz.crc", "hour/_SUCCESS", "hour/_temporary/0/part-00009.csv.gz", "hour/part-00000.csv.gz.crc"].map((key) =>
          joinUrl(root, key),
        ),
      );
      assert.equal(listing.objects[0].size, 2);
    });

    it("a glob filters the objects of its own folder (not below it)", async () => {
      const parts = await listDataObjects(joinUrl(root, "hour/part-*.csv.gz"));
      assert.deepEqual(
        parts.objects.map((object) => object.url),
        [joinUrl(root, "hour/part-00000.csv.gz"), joinUrl(root, "hour/part-00001.csv.gz")],
      );
      const one = await listDataObjects(joinUrl(root, "hour/part-0000?.csv.gz"));
      assert.equal(one.objects.length, 2);
      const csv = await listDataObjects(joinUrl(root, "hour/*.csv"));
      assert.deepEqual(csv.objects, [], "hour/nested/b.csv is one folder down");
    });

    it("a prefix or glob with nothing under it is an empty listing (the caller decides what missing means)", async () => {
      assert.deepEqual(await listDataObjects(joinUrl(root, "nothing/here/")), { objects: [], skipped: [] });
      assert.deepEqual((await listDataObjects(joinUrl(root, "hour/*.parquet"))).objects, []);
    });

    it("pins a set in the order given and reads byte ranges of exactly the pinned version", async () => {
      const urls = [joinUrl(root, "pins/b.csv"), joinUrl(root, "pins/a.csv")];
      await openStore(urls[0]).write(urls[0], "0123456789");
      await openStore(urls[1]).write(urls[1], "abc");
      const pins = await pinObjects(urls);
      assert.deepEqual(
        pins.map((pin) => [pin.url, pin.size]),
        [
          [urls[0], 10],
          [urls[1], 3],
        ],
      );
      assert.equal((await readPinnedRange(pins[0], 3, 7)).toString(), "3456");
      assert.equal((await readPinnedRange(pins[0], 0, 10)).toString(), "0123456789");
      await openStore(urls[0]).write(urls[0], "changed!!!");
      await assert.rejects(readPinnedRange(pins[0], 3, 7), (error: unknown) => {
        assert.ok(error instanceof StorageError);
        assert.equal(error.code, "Changed");
        assert.match(error.message, new RegExp(`^${urls[0].replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} changed since the run started`));
        return true;
      });
      await assert.rejects(pinObjects([joinUrl(root, "pins/gone.csv")]), (error: unknown) => {
        assert.ok(error instanceof StorageError);
        assert.equal(error.code, "NoSuchKey");
        return true;
      });
      assert.equal((await pinInput(urls[1])).size, 3);
    });
  });
}
