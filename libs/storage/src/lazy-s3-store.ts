import type { S3Client } from "@aws-sdk/client-s3";
import type { Readable } from "node:stream";
import type { Body, ListedObject, ObjectInfo, ObjectStore, ReadOptions, WriteOptions, WriteResult } from "./object-store.js";
import type { S3ObjectStore, S3StoreOptions } from "./s3-store.js";

/**
 * An S3 store whose module (and the AWS SDK, ~0.1 s to load) is imported on its first call, so a process that only
 * touches local folders — `canopy train` on the embedded default — never loads it.
 */
export class LazyS3Store implements ObjectStore {
  private store: Promise<S3ObjectStore> | undefined;

  constructor(
    private readonly client: S3Client | undefined,
    private readonly options: S3StoreOptions,
  ) {}

  private open(): Promise<S3ObjectStore> {
    this.store ??= import("./s3-store.js").then(({ S3ObjectStore }) => new S3ObjectStore(this.client, this.options));
    return this.store;
  }

  async read(url: string, options?: ReadOptions): Promise<Readable> {
    return (await this.open()).read(url, options);
  }

  async readAll(url: string, options?: ReadOptions): Promise<Buffer> {
    return (await this.open()).readAll(url, options);
  }

  async write(url: string, body: Body, options?: WriteOptions): Promise<WriteResult> {
    return (await this.open()).write(url, body, options);
  }

  async head(url: string, options?: Pick<ReadOptions, "versionId">): Promise<ObjectInfo> {
    return (await this.open()).head(url, options);
  }

  async exists(url: string): Promise<boolean> {
    return (await this.open()).exists(url);
  }

  async list(prefixUrl: string): Promise<ListedObject[]> {
    return (await this.open()).list(prefixUrl);
  }

  async delete(url: string): Promise<void> {
    return (await this.open()).delete(url);
  }

  async discardUnfinished(folderUrl: string): Promise<number> {
    return (await this.open()).discardUnfinished(folderUrl);
  }
}
