import assert from "node:assert/strict";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import { StorageError, joinUrl, resolveLocation } from "../src/index.js";

describe("storage URLs", () => {
  it("parses s3://bucket/key, keeping the key verbatim", () => {
    assert.deepEqual(resolveLocation("s3://my-bucket/models/2026/a b.json"), {
      kind: "s3",
      bucket: "my-bucket",
      key: "models/2026/a b.json",
      url: "s3://my-bucket/models/2026/a b.json",
    });
    assert.deepEqual(resolveLocation("s3://my-bucket"), { kind: "s3", bucket: "my-bucket", key: "", url: "s3://my-bucket/" });
  });

  it("resolves every file form to an absolute path", () => {
    const cwd = process.cwd();
    const pathOf = (url: string) => {
      const location = resolveLocation(url);
      assert.equal(location.kind, "file");
      return location.path;
    };
    assert.equal(pathOf("file:models/x.json"), resolve(cwd, "models/x.json"));
    assert.equal(pathOf("file:./x"), resolve(cwd, "x"));
    assert.equal(pathOf("file:///srv/data/a%20b.csv"), "/srv/data/a b.csv");
    assert.equal(pathOf("file:/srv/data/x.csv"), "/srv/data/x.csv");
    assert.equal(pathOf("models"), resolve(cwd, "models"));
    assert.equal(pathOf("/srv/data/x.csv"), "/srv/data/x.csv");
    assert.equal(pathOf("models/"), `${resolve(cwd, "models")}/`);
    assert.equal(resolveLocation("/srv/a b.csv").url, pathToFileURL("/srv/a b.csv").href);
  });

  it("rejects what it cannot serve, naming the URL", () => {
    const cases: Array<[string, RegExp]> = [
      ["https://example.com/x.csv", /unsupported storage scheme "https:"/],
      ["s3://", /invalid bucket name ""/],
      ["s3://Bad_Bucket/x", /invalid bucket name "Bad_Bucket"/],
      ["s3:bucket/x", /an S3 URL looks like s3:\/\/bucket\/key/],
      ["", /it is empty/],
      ["file:", /a file URL needs a path/],
    ];
    for (const [url, message] of cases) {
      assert.throws(
        () => resolveLocation(url),
        (error: unknown) => {
          assert.ok(error instanceof StorageError);
          assert.equal(error.code, "InvalidUrl");
          assert.match(error.message, message);
          return true;
        },
      );
    }
  });

  it("joins with exactly one slash and keeps the root's form", () => {
    assert.equal(joinUrl("s3://b/models", "2026/03", "model.json"), "s3://b/models/2026/03/model.json");
    assert.equal(joinUrl("s3://b/models/", "/x"), "s3://b/models/x");
    assert.equal(joinUrl("file:models", "a", "b/"), "file:models/a/b/");
    assert.equal(joinUrl("file:", "models"), "file:models");
    assert.equal(joinUrl("/srv/out/", "", "m.json"), "/srv/out/m.json");
  });
});
