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
  /**
   * Stops the server with SIGTERM, or kills it with SIGKILL (as a crash would). Without appendOnly its data
   * is kept in memory only, so a restart starts empty; with it, a restart replays the append-only file.
   */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Stops the server and removes its working folder. */
  dispose(): Promise<void>;
}

function redisServerPath(): string {
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error('redis-server is not installed: run "npm run setup" (it installs Debian\'s redis-server)');
  }
}

export interface StartRedisOptions {
  /** AOF on, fsync every write: what production runs, so a killed server restarts with its jobs. */
  readonly appendOnly?: boolean;
}

export async function startRedis(options: StartRedisOptions = {}): Promise<TestRedis> {
  const binary = redisServerPath();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "canopy-redis-"));
  let server: RunningProcess | undefined;

  const start = async () => {
    server = startProcess(binary, [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      ...(options.appendOnly ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]),
      "--dir",
      dir,
      "--maxmemory-policy",
      "noeviction",
    ]);
    await waitForPort(port);
  };
  const stop = async (signal: "SIGTERM" | "SIGKILL" = "SIGTERM") => {
    if (server) await server.stop(signal);
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
