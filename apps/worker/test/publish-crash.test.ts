import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync, type Dirent } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startRedis, type TestRedis } from "@canopy/testkit";
import { canopy, startWorker, tempDir } from "./helpers.js";
import { friedmanCsv } from "./synthetic-data.js";

/** Every file under root, relative paths, hidden temporaries included. */
function allFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1));
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

async function until(what: string, check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("publishing after a crash", () => {
  let redis: TestRedis;
  const dir = tempDir("canopy-publish-");
  const data = join(dir, "friedman.csv");
  const fast = { CANOPY_LOCK_DURATION_MS: "2000", CANOPY_STALLED_INTERVAL_MS: "500" };

  before(async () => {
    redis = await startRedis();
    writeFileSync(data, friedmanCsv(6_000));
  });
  after(async () => {
    await redis?.dispose();
  });

  const runArgs = (out: string, hour: string) => [
    "--data",
    data,
    "--target",
    "y",
    "--out",
    out,
    "--run-date",
    hour,
    "--trees",
    "12",
    "--trees-per-shard",
    "4",
    "--seed",
    "7",
  ];

  test("a worker SIGKILLed mid-publish: the stalled job is taken over and publishes the same model, without --force, no temporary file left", async () => {
    const out = join(dir, "killed");
    const env = { REDIS_URL: redis.url, CANOPY_QUEUE: "q-publish-kill", ...fast };
    // Test hook: the victim pauses after the first bytes of model.canopy, so it dies mid-write.
    const victim = await startWorker({ ...env, CANOPY_TEST_PUBLISH_PAUSE_MS: "600000" });
    const run = canopy(["enqueue", ...runArgs(out, "2026-01-03T10:00Z"), "--wait"], env);
    const folder = join(out, "2026", "01", "03", "10");
    await until("model.canopy's temporary file", () => allFiles(out).some((file) => /\.model\.canopy\.[0-9a-f]+\.canopy-tmp$/.test(file)));
    await victim.stop("SIGKILL");
    const survivor = await startWorker(env);
    const result = await run;
    assert.equal(result.code, 0, `${result.stderr}\n${survivor.output()}`);
    await survivor.stop();

    const reference = await canopy(["train", ...runArgs(join(dir, "reference"), "2026-01-03T10:00Z")]);
    assert.equal(reference.code, 0, reference.stderr);
    const model = sha256(join(folder, "model.canopy"));
    assert.equal(model, sha256(join(dir, "reference", "2026", "01", "03", "10", "model.canopy")), "the same model as an uninterrupted run");
    const manifest = JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8")) as { artifacts: { name: string; sha256: string }[] };
    assert.equal(manifest.artifacts.find((artifact) => artifact.name === "model.canopy")?.sha256, model);
    assert.deepEqual(
      allFiles(out).filter((file) => file.includes("canopy-tmp") || file.startsWith("_staging")),
      [],
      "no temporary file and no staging left",
    );
  });

  test("disk full mid-publish: the run fails saying so, and no staging or temporary file is left on the disk", async (t) => {
    const mount = join(dir, "small-disk");
    mkdirSync(mount);
    // Big enough for the run's shards in staging, too small for the model beside them.
    const probe = await canopy(["train", ...runArgs(join(dir, "probe"), "2026-01-03T11:00Z")]);
    assert.equal(probe.code, 0, probe.stderr);
    const modelSize = readFileSync(join(dir, "probe", "2026", "01", "03", "11", "model.canopy")).length;
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${Math.ceil((modelSize * 1.5) / 4096) * 4096}`, "tmpfs", mount]);
    t.after(() => execFileSync("umount", [mount]));
    const env = { REDIS_URL: redis.url, CANOPY_QUEUE: "q-publish-full", ...fast };
    const worker = await startWorker(env);
    const result = await canopy(["enqueue", ...runArgs(mount, "2026-01-03T11:00Z"), "--wait"], env);
    await worker.stop();
    assert.notEqual(result.code, 0, result.stdout);
    assert.match(result.stderr, /no space left on the disk/, result.stderr);
    assert.deepEqual(allFiles(mount), [], "nothing left on the full disk");
  });
});
