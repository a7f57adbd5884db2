import { S3Client } from "@aws-sdk/client-s3";
import type { S3ClientConfig } from "@aws-sdk/client-s3";

/**
 * An S3 client configured only from the environment, the way the AWS CLI is:
 * - credentials and region: the SDK's standard chains (env vars, ~/.aws files, SSO, web identity, ECS/EC2 roles);
 *   nothing is read, stored or logged by this library;
 * - endpoint: the SDK's own `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL` (S3-compatible servers such as moto, MinIO);
 * - `CANOPY_S3_FORCE_PATH_STYLE=true`: path-style addressing (`http://host/bucket/key`), which most
 *   S3-compatible servers need;
 * - retries: the SDK's standard strategy (3 attempts with exponential backoff and jitter for throttling,
 *   5xx and network errors; 4xx answers are final). `AWS_MAX_ATTEMPTS` / `AWS_RETRY_MODE` change it.
 * Checksums use the SDK default (CRC32 when supported); `AWS_REQUEST_CHECKSUM_CALCULATION=WHEN_REQUIRED`
 * turns them off for servers that reject them (moto 5.2 accepts them).
 */
export function createS3Client(overrides: S3ClientConfig = {}): S3Client {
  return new S3Client({ forcePathStyle: forcePathStyleFromEnv(), ...overrides });
}

function forcePathStyleFromEnv(): boolean {
  const value = (process.env.CANOPY_S3_FORCE_PATH_STYLE ?? "").trim().toLowerCase();
  return value === "true" || value === "1" || value === "yes";
}

let shared: { signature: string; client: S3Client } | undefined;

/**
 * One client per process, rebuilt if the endpoint/region/path-style environment changed (tests start servers
 * on new ports), so every store shares one connection pool.
 */
export function defaultS3Client(): S3Client {
  const signature = JSON.stringify([
    process.env.AWS_ENDPOINT_URL_S3,
    process.env.AWS_ENDPOINT_URL,
    process.env.AWS_REGION,
    process.env.AWS_DEFAULT_REGION,
    process.env.AWS_PROFILE,
    process.env.AWS_ACCESS_KEY_ID,
    process.env.CANOPY_S3_FORCE_PATH_STYLE,
  ]);
  if (shared?.signature !== signature) {
    shared?.client.destroy();
    shared = { signature, client: createS3Client() };
  }
  return shared.client;
}

/** The endpoint a client talks to, for error messages (never includes credentials). */
export async function describeEndpoint(client: S3Client): Promise<string> {
  const configured = client.config.endpoint ? await client.config.endpoint() : undefined;
  if (configured) {
    const port = configured.port ? `:${configured.port}` : "";
    return `${configured.protocol}//${configured.hostname}${port}${configured.path === "/" ? "" : configured.path}`;
  }
  const fromEnv = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  if (fromEnv) return fromEnv;
  const region = await client.config.region().catch(() => "<no region>");
  return `https://s3.${region}.amazonaws.com`;
}
