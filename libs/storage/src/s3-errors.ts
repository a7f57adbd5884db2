import { StorageError } from "./errors.js";

/** Network failures that mean "the endpoint cannot be reached" rather than "S3 said no". */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "TimeoutError",
]);

const DENIED = new Set([
  "AccessDenied",
  "Forbidden",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "AllAccessDisabled",
  "ExpiredToken",
  "InvalidToken",
]);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export interface S3ErrorContext {
  readonly url: string;
  readonly bucket: string;
  readonly key: string;
  readonly endpoint: string;
}

/** Turns an AWS SDK error into a StorageError naming the URL and what to do about it. */
export function s3Error(error: unknown, context: S3ErrorContext): StorageError {
  if (error instanceof StorageError) return error;
  const sdk = (error ?? {}) as SdkError;
  const name = sdk.name ?? "Error";
  const status = sdk.$metadata?.httpStatusCode;
  const { url, bucket, key, endpoint } = context;
  const networkCode = sdk.code ?? name;
  const make = (code: StorageError["code"], message: string) => new StorageError(code, url, `${url}: ${message}`, { cause: error });

  if (UNREACHABLE_CODES.has(networkCode)) {
    return make("Unreachable", `cannot reach the S3 endpoint ${endpoint} (${networkCode})`);
  }
  if (name === "NoSuchBucket") return make("NoSuchBucket", `no such bucket "${bucket}"`);
  if (name === "NoSuchKey" || (name === "NotFound" && status === 404)) {
    return make("NoSuchKey", `no such key "${key}" in bucket "${bucket}"`);
  }
  if (name === "NoSuchVersion") return make("NoSuchKey", `no such version of key "${key}" in bucket "${bucket}"`);
  if (DENIED.has(name) || status === 403) {
    return make("AccessDenied", `access denied (${name}); check the credentials and the bucket policy`);
  }
  if (name === "PreconditionFailed" || status === 412)
    return make("PreconditionFailed", "a precondition failed (the object changed or exists)");
  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(sdk.message ?? "")) {
    return make("Misconfigured", "no AWS credentials found (environment, ~/.aws, SSO, web identity or instance role)");
  }
  if (/Region is missing/i.test(sdk.message ?? "")) {
    return make("Misconfigured", "no AWS region configured: set AWS_REGION (or a region in ~/.aws/config)");
  }
  if (name === "InvalidBucketName") return make("InvalidUrl", `invalid bucket name "${bucket}"`);
  const detail = status ? `HTTP ${status} ${name}` : name;
  return make("Failed", `S3 request to ${endpoint} failed (${detail}: ${sdk.message ?? "no message"})`);
}
