import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitForPort } from "./ports.js";
import { startProcess, type RunningProcess } from "./process.js";

/** A real redis-server of our own on a free loopback port, never a system Redis. */
export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** Stops the server (its data is kept in memory only, so a restart starts empty). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Stops the server and removes its working folder. */
  dispose(): Promise<void>;
}

function redisServerPath(): string {
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("redis-server is not installed: run \"npm run setup\" (it installs Debian's redis-server)");
  }
}

export async function startRedis(): Promise<TestRedis> {
  const binary = redisServerPath();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "canopy-redis-"));
  let server: RunningProcess | undefined;

  const start = async () => {
    server = startProcess(binary, [
      "--port", String(port),
      "--bind", "127.0.0.1",
      "--save", "",
      "--appendonly", "no",
      "--dir", dir,
      "--maxmemory-policy", "noeviction",
    ]);
    await waitForPort(port);
  };
  const stop = async () => {
    if (server) await server.stop("SIGTERM");
    server = undefined;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
