import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startS3Fixture } from "./s3.js";

/** A place to put runs: a fresh S3 bucket on a moto server, or a fresh local folder. */
export interface Backend {
  readonly name: string;
  /** An empty root URL (ending in `/`). */
  root(): Promise<string>;
  /** Extra environment a child process needs to reach the same storage. */
  readonly env: Record<string, string>;
  dispose(): Promise<void>;
}

export async function fileBackend(): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), "canopy-runs-"));
  let n = 0;
  return {
    name: "local files",
    root: async () => `file:${dir}/root-${++n}/`,
    env: {},
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function s3Backend(options: { versioned?: boolean } = {}): Promise<Backend> {
  const s3 = await startS3Fixture();
  return {
    name: "S3 (moto server)",
    root: async () => `s3://${await s3.bucket("runs", options)}/models/`,
    env: s3.server.env,
    dispose: () => s3.dispose(),
  };
}
