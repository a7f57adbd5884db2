import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { startProcess, startRedis, type RunningProcess, type TestRedis } from "@canopy/testkit";

export const CANOPY_BIN = fileURLToPath(new URL("../../bin/canopy.js", import.meta.url));
export const WORKER_MAIN = fileURLToPath(new URL("../src/main.js", import.meta.url));

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `canopy` command in a child process. */
export function canopy(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CANOPY_BIN, ...args], {
      env: { ...process.env, ...env },
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts a real worker process (the compiled apps/worker/dist/src/main.js) and waits until it is ready. */
export async function startWorker(env: Record<string, string>): Promise<RunningProcess> {
  const worker = startProcess(process.execPath, [WORKER_MAIN], { env: { ...process.env, ...env } });
  await worker.waitForOutput(/worker ready/, 30_000);
  return worker;
}

/** A real Redis and one real worker on it, for the tests of a describe block; `env` is what the worker and the tests share. */
export interface QueueWithWorker {
  readonly redis: TestRedis;
  readonly worker: RunningProcess;
  readonly env: Record<string, string>;
}

/**
 * Starts a Redis and a worker (with `settings` beside REDIS_URL in its environment) before the describe block's tests
 * and stops them after; the fields are set once its `before` has run.
 */
export function queueWithWorker(settings: Record<string, string>): QueueWithWorker {
  const setup = {} as { redis: TestRedis; worker: RunningProcess; env: Record<string, string> };
  before(async () => {
    setup.redis = await startRedis();
    setup.env = { REDIS_URL: setup.redis.url, ...settings };
    setup.worker = await startWorker(setup.env);
  });
  after(async () => {
    await setup.worker?.stop();
    await setup.redis?.dispose();
  });
  return setup;
}

const tempDirs: string[] = [];

/** A new folder under the system's temporary folder, removed when the test process exits (one test writes 1 GiB). */
export function tempDir(prefix = "canopy-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (tempDirs.push(dir) === 1) {
    process.once("exit", () => {
      for (const made of tempDirs) rmSync(made, { recursive: true, force: true });
    });
  }
  return dir;
}
