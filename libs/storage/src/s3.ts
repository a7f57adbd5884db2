/**
 * `@canopy/storage/s3`: the S3 store and client themselves, for code that builds them directly (tests, benchmarks).
 * Kept out of the package's main entry so that loading it does not load the AWS SDK; openStore loads them when a
 * URL needs S3.
 */
export { S3ObjectStore, type S3StoreOptions } from "./s3-store.js";
export { createS3Client, defaultS3Client } from "./s3-client.js";
