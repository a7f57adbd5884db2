import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { startRedis } from "@canopy/testkit";
import { canopy, tempDir } from "./helpers.js";
import { friedmanCsv } from "./synthetic-data.js";

test("8 concurrent `canopy enqueue` of one hour: exactly one says it enqueued the job, the others that it was already queued", async () => {
  const redis = await startRedis();
  try {
    const dir = tempDir("canopy-race-");
    const data = join(dir, "friedman.csv");
    writeFileSync(data, friedmanCsv(200));
    const args = [
      "enqueue",
      "--data",
      data,
      "--target",
      "y",
      "--out",
      join(dir, "models"),
      "--run-date",
      "2026-01-04T08:00Z",
      "--trees",
      "4",
    ];
    const results = await Promise.all(Array.from({ length: 8 }, () => canopy(args, { REDIS_URL: redis.url, CANOPY_QUEUE: "q-race" })));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    const said = results.map((result) => result.stdout + result.stderr);
    assert.equal(said.filter((text) => /enqueued as job run-2026010408/.test(text)).length, 1, said.join("\n---\n"));
    assert.equal(said.filter((text) => /already in the queue \(job run-2026010408/.test(text)).length, 7, said.join("\n---\n"));
  } finally {
    await redis.dispose();
  }
});
