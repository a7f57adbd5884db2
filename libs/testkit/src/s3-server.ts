import { freePort, waitForPort } from "./ports.js";
import { startProcess } from "./process.js";
import { venvBin } from "./paths.js";

/** moto's standalone S3 HTTP server (PyPI moto[server]) on a free loopback port. */
export interface TestS3 {
  readonly endpoint: string;
  /** Environment for a child process (or the AWS SDK) to reach this server with dummy credentials. */
  readonly env: Record<string, string>;
  /** Creates a bucket (a path-style PUT; moto takes it unsigned unless authentication is on). */
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface StartS3Options {
  /**
   * Turn on moto's IAM authentication after this many requests (moto's INITIAL_NO_AUTH_ACTION_COUNT):
   * the first requests set up users and policies, every later one is checked like AWS would.
   */
  authenticateAfter?: number;
}

export async function startS3(options: StartS3Options = {}): Promise<TestS3> {
  const port = await freePort();
  const env = { ...process.env };
  if (options.authenticateAfter !== undefined) env.INITIAL_NO_AUTH_ACTION_COUNT = String(options.authenticateAfter);
  const server = startProcess(venvBin("py", "moto_server"), ["-H", "127.0.0.1", "-p", String(port)], { env });
  await waitForPort(port, "127.0.0.1", 60_000);
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    env: {
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_REGION: "us-east-1",
      CANOPY_S3_FORCE_PATH_STYLE: "true",
    },
    async createBucket(name: string) {
      const response = await fetch(`${endpoint}/${name}`, { method: "PUT" });
      if (!response.ok) throw new Error(`creating bucket ${name} on ${endpoint}: HTTP ${response.status} ${await response.text()}`);
    },
    async stop() {
      await server.stop("SIGTERM");
    },
  };
}
