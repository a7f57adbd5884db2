import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startProcess, type RunningProcess } from "@canopy/testkit";

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

export function tempDir(prefix = "canopy-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
