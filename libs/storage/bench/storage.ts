// npm run bench:storage [-- --mb 200]
// Streams a generated object write → read → (read → write copy) through @canopy/storage on S3 (a moto server
// started here, unless AWS_ENDPOINT_URL_S3 points at one) and on local files, printing MB/s per step and the
// process's peak RSS per step. Target: peak RSS under 150 MB with a 200 MB object (it must stream, not buffer).
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { joinUrl, openStore } from "../src/index.js";
import { createS3Client } from "../src/s3.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const mbArg = process.argv.indexOf("--mb");
const megabytes = mbArg >= 0 ? Number(process.argv[mbArg + 1]) : 200;
if (!Number.isInteger(megabytes) || megabytes <= 0) throw new Error(`--mb must be a positive whole number, got ${process.argv[mbArg + 1]}`);
const totalBytes = megabytes * 1024 * 1024;
const onlyArg = process.argv.indexOf("--only");
const only = onlyArg >= 0 ? process.argv[onlyArg + 1] : undefined;
const RSS_TARGET_MB = 150;

/** Pseudo-random bytes made 256 KiB at a time: the object exists only in the store, never in this process. */
function generate(bytes: number): Readable {
  let produced = 0;
  let state = 12345;
  return new Readable({
    read() {
      if (produced >= bytes) return void this.push(null);
      const size = Math.min(256 * 1024, bytes - produced);
      const chunk = Buffer.allocUnsafe(size);
      for (let i = 0; i + 4 <= size; i += 4) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        chunk.writeUInt32LE(state, i);
      }
      produced += size;
      this.push(chunk);
    },
  });
}

interface Step {
  backend: string;
  step: string;
  seconds: number;
  mbPerSecond: number;
  peakRssMb: number;
  sha256: string;
}

async function measure(backend: string, step: string, action: () => Promise<string>): Promise<Step> {
  globalThis.gc?.();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = process.hrtime.bigint();
  const sha256 = await action();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { backend, step, seconds, mbPerSecond: megabytes / seconds, peakRssMb: peak / 1024 / 1024, sha256 };
}

async function hashStream(stream: Readable): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function runBackend(backend: string, root: string): Promise<Step[]> {
  const original = joinUrl(root, "bench/original.bin");
  const copy = joinUrl(root, "bench/copy.bin");
  const store = openStore(root);
  const steps: Step[] = [];
  steps.push(await measure(backend, "write (generated → store)", async () => (await store.write(original, generate(totalBytes))).sha256));
  steps.push(await measure(backend, "read (store → sha256)", async () => hashStream(await store.read(original))));
  steps.push(await measure(backend, "copy (store → store)", async () => (await store.write(copy, await store.read(original))).sha256));
  await store.delete(original);
  await store.delete(copy);
  const hashes = new Set(steps.map((s) => s.sha256));
  if (hashes.size !== 1) throw new Error(`${backend}: the bytes changed on the way: ${[...hashes].join(" vs ")}`);
  return steps;
}

/**
 * The parent starts moto (testkit loads playwright-core, ~60 MB of RSS that is not ours) and creates the bucket;
 * the measuring happens in a child process that loads only @canopy/storage, so its RSS is the library's.
 */
async function parent(): Promise<void> {
  const { startS3 } = await import("@canopy/testkit");
  let server: Awaited<ReturnType<typeof startS3>> | undefined;
  const folder = await mkdtemp(join(tmpdir(), "canopy-bench-"));
  try {
    const env: Record<string, string | undefined> = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
    if (!env.AWS_ENDPOINT_URL_S3 && !env.AWS_ENDPOINT_URL) {
      server = await startS3();
      Object.assign(env, server.env);
    }
    const bucket = env.CANOPY_BENCH_BUCKET ?? "canopy-bench";
    Object.assign(process.env, env);
    const client = createS3Client();
    await client.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: { name?: string }) => {
      if (error.name !== "BucketAlreadyOwnedByYou" && error.name !== "BucketAlreadyExists") throw error;
    });
    client.destroy();
    console.log(
      `storage benchmark: ${megabytes} MB object, node ${process.version}, S3 at ${env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL}`,
    );
    console.log("(the machine is shared: absolute throughput is indicative; moto keeps objects in its own process memory)");
    // One measuring process per backend, so neither inherits the other's heap.
    const results = [];
    for (const backend of ["s3", "file"].filter((b) => only === undefined || only === b)) {
      const args = [
        fileURLToPath(import.meta.url),
        "--child",
        "--mb",
        String(megabytes),
        "--bucket",
        bucket,
        "--folder",
        folder,
        "--only",
        backend,
      ];
      const child = spawnSync(process.execPath, args, { env, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
      if (child.status !== 0) throw new Error(`the measuring process for ${backend} failed (exit ${child.status})`);
      results.push(JSON.parse(child.stdout) as { baselineRssMb: number; steps: Step[] });
    }
    report(results);
  } finally {
    await server?.stop();
    await rm(folder, { recursive: true, force: true });
  }
}

async function child(): Promise<void> {
  const argument = (name: string) => process.argv[process.argv.indexOf(name) + 1];
  const baselineRssMb = process.memoryUsage().rss / 1024 / 1024;
  const steps = [
    ...(only === "file" ? [] : await runBackend("s3", `s3://${argument("--bucket")}/`)),
    ...(only === "s3" ? [] : await runBackend("file", `${argument("--folder")}/`)),
  ];
  process.stdout.write(JSON.stringify({ baselineRssMb, steps }));
}

function report(results: Array<{ baselineRssMb: number; steps: Step[] }>): void {
  const steps = results.flatMap((r) => r.steps);
  const baseline = results.map((r) => `${r.steps[0]?.backend} ${r.baselineRssMb.toFixed(0)} MB`).join(", ");
  console.log(`RSS of each measuring process before its first step (node + AWS SDK loaded): ${baseline}`);
  console.log("");
  console.log("backend  step                          seconds     MB/s   peak RSS (MB)");
  for (const s of steps) {
    console.log(
      `${s.backend.padEnd(8)} ${s.step.padEnd(29)} ${s.seconds.toFixed(2).padStart(7)} ${s.mbPerSecond.toFixed(1).padStart(8)} ${s.peakRssMb.toFixed(0).padStart(15)}`,
    );
  }
  const worst = Math.max(...steps.map((s) => s.peakRssMb));
  console.log("");
  console.log(`sha256 of every step: ${steps[0].sha256}`);
  console.log(`peak RSS ${worst.toFixed(0)} MB: ${worst < RSS_TARGET_MB ? "under" : "OVER"} the ${RSS_TARGET_MB} MB target`);
  if (worst >= RSS_TARGET_MB) process.exitCode = 1;
}

if (process.argv.includes("--child")) await child();
else await parent();
