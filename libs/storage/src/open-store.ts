import type { S3Client } from "@aws-sdk/client-s3";
import { FileObjectStore } from "./file-store.js";
import { resolveLocation } from "./location.js";
import type { ObjectStore } from "./object-store.js";
import { LazyS3Store } from "./lazy-s3-store.js";
import type { S3StoreOptions } from "./s3-store.js";

export interface OpenStoreOptions extends S3StoreOptions {
  /** Use this S3 client instead of the shared one built from the environment. */
  readonly s3Client?: S3Client;
}

const files = new FileObjectStore();

/** The store that serves a URL (`s3://…` → S3, anything else → local files). */
export function openStore(url: string, options: OpenStoreOptions = {}): ObjectStore {
  const location = resolveLocation(url);
  if (location.kind === "file") return files;
  return new LazyS3Store(options.s3Client, options);
}
