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
    // Several hours, one after the other: the race between producers is a matter of milliseconds.
    for (const hour of ["08", "09", "10", "11", "12"]) {
      const args = [
        "enqueue",
        "--data",
        data,
        "--target",
        "y",
        "--out",
        join(dir, "models"),
        "--run-date",
        `2026-01-04T${hour}:00Z`,
        "--trees",
        "4",
      ];
      const results = await Promise.all(Array.from({ length: 8 }, () => canopy(args, { REDIS_URL: redis.url, CANOPY_QUEUE: "q-race" })));
      for (const result of results) assert.equal(result.code, 0, result.stderr);
      const said = results.map((result) => result.stdout + result.stderr);
      assert.equal(said.filter((text) => text.includes(`enqueued as job run-20260104${hour}`)).length, 1, said.join("\n---\n"));
      assert.equal(said.filter((text) => text.includes(`already in the queue (job run-20260104${hour}`)).length, 7, said.join("\n---\n"));
    }
  } finally {
    await redis.dispose();
  }
});
