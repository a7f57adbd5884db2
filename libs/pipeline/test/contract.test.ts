import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { growJobId, parseRunRequest, planShards, resolveRunHour, runIdFromArgument, runIdOfJobId, trainJobId } from "../src/index.js";

describe("job ids", () => {
  test("are derived from the run id, never contain ':' and are never all digits", () => {
    assert.equal(trainJobId("2026030405"), "run-2026030405");
    assert.equal(growJobId("2026030405", 3, 4), "run-2026030405-shard-03");
    assert.equal(growJobId("2026030405", 7, 120), "run-2026030405-shard-007");
    for (const id of [trainJobId("2026030405"), growJobId("2026030405", 0, 1)]) {
      assert.ok(!id.includes(":") && !/^\d+$/.test(id));
    }
    assert.equal(runIdOfJobId("run-2026030405"), "2026030405");
    assert.equal(runIdOfJobId("run-2026030405-shard-01"), null);
    assert.throws(() => trainJobId("2026-03-04"), /invalid run id/);
  });
});

describe("the run's hour", () => {
  test("converts offsets to UTC and floors to the hour", () => {
    assert.deepEqual(resolveRunHour("2026-03-04T07:30:00+02:00"), { runId: "2026030405", runDate: "2026-03-04T05:00:00.000Z" });
    assert.equal(resolveRunHour(undefined, () => new Date("2026-11-25T16:59:59.999Z")).runId, "2026112516");
  });
  test("accepts a run id, a job id or a timestamp as a status argument", () => {
    assert.equal(runIdFromArgument("2026030405"), "2026030405");
    assert.equal(runIdFromArgument("run-2026030405"), "2026030405");
    assert.equal(runIdFromArgument("2026-03-04T05:59Z"), "2026030405");
    assert.throws(() => runIdFromArgument("2026023105"), /not a real hour/);
  });
});

describe("run requests", () => {
  const minimal = { version: 1, runDate: "2026-03-04T05:00:00Z", data: "s3://b/d.csv", target: "y", out: "s3://b/models" };

  test("fill in the documented defaults", () => {
    assert.deepEqual(parseRunRequest(minimal), {
      ...minimal,
      windowHours: 1,
      missingPartitions: "error",
      task: null,
      features: null,
      params: {},
      testSize: 0.2,
      treesPerShard: 25,
      force: false,
      onChange: "refuse",
      onnx: false,
      gate: null,
    });
  });

  const invalid: [string, Record<string, unknown>, RegExp][] = [
    ["a missing target", { target: undefined }, /^invalid run request: target is required$/],
    ["another version", { version: 2 }, /version must be 1 \(got 2\)/],
    ["an unknown task", { task: "ranking" }, /task must be one of "regression", "classification", null \(got "ranking"\)/],
    ["an unknown parameter", { params: { nTrees: 5 } }, /params\.nTrees is not a known field/],
    ["a bad parameter value", { params: { minSamplesLeaf: 0 } }, /params\.minSamplesLeaf must be >= 1 \(got 0\)/],
    ["a test size of 1", { testSize: 1 }, /testSize must be < 1 \(got 1\)/],
    ["an empty feature list", { features: [] }, /features must NOT have fewer than 1 items/],
    ["a window of no hours", { windowHours: 0 }, /windowHours must be >= 1 \(got 0\)/],
    ["a window over 31 days", { windowHours: 745 }, /windowHours must be <= 744 \(got 745\)/],
    ["an unknown missing-partitions mode", { missingPartitions: "ignore" }, /missingPartitions must be one of "error", "skip", null/],
    ["an unknown onChange", { onChange: "replace" }, /onChange must be one of "refuse", "retrain" \(got "replace"\)/],
    ["an hour that does not exist", { runDate: "2026-02-29T05Z" }, /runDate: .*day 29 does not exist in 2026-02/],
  ];
  for (const [what, change, message] of invalid) {
    test(`reject ${what} with a message naming the field`, () => {
      assert.throws(
        () => parseRunRequest({ ...minimal, ...change }),
        (error: Error) => error.name === "RunRequestError" && message.test(error.message),
      );
    });
  }
});

describe("shards", () => {
  test("cover every tree once, in order, as evenly as possible", () => {
    assert.deepEqual(
      planShards(100, 25).map((s) => [s.treeStart, s.treeEnd]),
      [
        [0, 25],
        [25, 50],
        [50, 75],
        [75, 100],
      ],
    );
    const uneven = planShards(100, 30);
    assert.deepEqual(
      uneven.map((s) => s.treeEnd - s.treeStart),
      [25, 25, 25, 25],
    );
    const odd = planShards(10, 3);
    assert.deepEqual(
      odd.map((s) => s.treeEnd - s.treeStart),
      [3, 3, 2, 2],
    );
    assert.equal(odd.at(-1)!.treeEnd, 10);
    assert.deepEqual(
      planShards(5, 100).map((s) => [s.treeStart, s.treeEnd]),
      [[0, 5]],
    );
  });
});

describe("locations in a queued request", () => {
  const base = { version: 1, runDate: "2026-03-04T05:00:00Z", target: "y" };
  test("relative paths are refused, naming the field: a worker would read them from its own folder", () => {
    for (const [field, value] of [
      ["data", "iris.csv"],
      ["data", "file:data/iris.csv"],
      ["data", "./data/%Y/"],
      ["out", "models"],
      ["out", "file:models/"],
    ] as const) {
      const request = { ...base, data: "s3://b/data.csv", out: "s3://b/models", [field]: value };
      assert.throws(
        () => parseRunRequest(request),
        new RegExp(`invalid run request: ${field} "${value.replace(/[.%/]/g, "\\$&")}" is a relative path`),
      );
    }
  });
  test("absolute paths and URLs pass", () => {
    for (const data of ["/srv/data/iris.csv", "file:///srv/data/iris.csv", "file:/srv/data/%Y/", "s3://lake/events/%Y/%m/"]) {
      assert.equal(parseRunRequest({ ...base, data, out: "/srv/models" }).data, data);
    }
  });
});
