import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { Readable } from "node:stream";
import { measuredBody, readAllBytes } from "./body-stream.js";
import { existsByHead, StorageError } from "./errors.js";
import { resolveLocation } from "./location.js";
import type { S3Location } from "./location.js";
import type { Body, ListedObject, ObjectInfo, ObjectStore, ReadOptions, WriteOptions, WriteResult } from "./object-store.js";
import { defaultS3Client, describeEndpoint } from "./s3-client.js";
import { s3Error } from "./s3-errors.js";

/**
 * Multipart tuning. The defaults (5 MiB parts, 1 in flight; env CANOPY_S3_PART_SIZE_MB and
 * CANOPY_S3_UPLOAD_CONCURRENCY) keep a streamed 200 MB upload under 150 MB of RSS: lib-storage copies the stream
 * into part buffers, so each part in flight costs about twice its size until the GC runs. With 5 MiB parts a
 * stream of unknown length can reach 10,000 parts ≈ 48 GiB. On real S3, more concurrency buys throughput
 * (measured here on moto: 2 in flight ≈ +50% MB/s but peaks of 120-155 MB RSS instead of 113-130 MB).
 */
export interface S3StoreOptions {
  /** Bytes per multipart part (minimum 5 MiB); bodies smaller than one part go up in a single PutObject. */
  readonly partSize?: number;
  /** Parts uploaded concurrently. */
  readonly queueSize?: number;
}

const MiB = 1024 * 1024;

/** Objects in S3 or an S3-compatible server, through the AWS SDK v3. */
export class S3ObjectStore implements ObjectStore {
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(
    readonly client: S3Client = defaultS3Client(),
    options: S3StoreOptions = {},
  ) {
    this.partSize = Math.max(5 * MiB, options.partSize ?? envNumber("CANOPY_S3_PART_SIZE_MB", 5) * MiB);
    this.queueSize = Math.max(1, options.queueSize ?? envNumber("CANOPY_S3_UPLOAD_CONCURRENCY", 1));
  }

  async read(url: string, options: ReadOptions = {}): Promise<Readable> {
    const at = s3Location(url);
    try {
      const response = await this.client.send(
        new GetObjectCommand({
          Bucket: at.bucket,
          Key: at.key,
          IfMatch: options.ifMatch,
          VersionId: options.versionId,
          Range: options.range === undefined ? undefined : `bytes=${options.range.start}-${options.range.end - 1}`,
        }),
      );
      return response.Body as Readable;
    } catch (error) {
      throw await this.fail(error, url, at);
    }
  }

  async readAll(url: string, options?: ReadOptions): Promise<Buffer> {
    return readAllBytes(await this.read(url, options));
  }

  async write(url: string, body: Body, options: WriteOptions = {}): Promise<WriteResult> {
    const at = s3Location(url);
    if (at.key === "" || at.key.endsWith("/")) {
      throw new StorageError("InvalidUrl", url, `${url}: cannot write an object at a folder URL`);
    }
    const measured = measuredBody(body);
    const upload = new Upload({
      client: this.client,
      partSize: this.partSize,
      queueSize: this.queueSize,
      // An S3 multipart upload is invisible until completed; on failure lib-storage aborts it.
      leavePartsOnError: false,
      params: {
        Bucket: at.bucket,
        Key: at.key,
        Body: measured.stream,
        ContentType: options.contentType,
        // Checked by S3 on PutObject and on CompleteMultipartUpload, so the object appears only if absent.
        IfNoneMatch: options.exclusive ? "*" : undefined,
        IfMatch: options.ifMatch,
      },
    });
    try {
      const result = await upload.done();
      const { size, sha256 } = measured.digest();
      return { url, size, sha256, etag: result.ETag ?? "", versionId: result.VersionId ?? null };
    } catch (error) {
      measured.stream.destroy();
      if (measured.sourceError() !== undefined) throw measured.sourceError();
      const name = (error as { name?: string }).name;
      if (options.exclusive && (name === "PreconditionFailed" || name === "ConditionalRequestConflict")) {
        // 412: the object exists. 409: another conditional write to the key is in flight; one of the two wins.
        throw new StorageError("AlreadyExists", url, `${url}: already exists`, { cause: error });
      }
      if (
        options.ifMatch !== undefined &&
        (name === "PreconditionFailed" || name === "ConditionalRequestConflict" || name === "NoSuchKey")
      ) {
        throw new StorageError("PreconditionFailed", url, `${url}: the object changed (expected ETag ${options.ifMatch})`, {
          cause: error,
        });
      }
      throw await this.fail(error, url, at);
    }
  }

  async head(url: string, options: Pick<ReadOptions, "versionId"> = {}): Promise<ObjectInfo> {
    const at = s3Location(url);
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: at.bucket, Key: at.key, VersionId: options.versionId }));
      return {
        url,
        size: response.ContentLength ?? 0,
        etag: response.ETag ?? "",
        versionId: response.VersionId ?? null,
        lastModified: response.LastModified ?? new Date(0),
      };
    } catch (error) {
      throw await this.fail(error, url, at);
    }
  }

  exists(url: string): Promise<boolean> {
    return existsByHead(() => this.head(url));
  }

  async list(prefixUrl: string): Promise<ListedObject[]> {
    const at = s3Location(prefixUrl);
    const found: ListedObject[] = [];
    try {
      for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: at.bucket, Prefix: at.key })) {
        for (const object of page.Contents ?? []) {
          if (object.Key === undefined) continue;
          found.push({
            url: `s3://${at.bucket}/${object.Key}`,
            size: object.Size ?? 0,
            lastModified: object.LastModified ?? new Date(0),
          });
        }
      }
    } catch (error) {
      throw await this.fail(error, prefixUrl, at);
    }
    return found;
  }

  async discardUnfinished(folderUrl: string): Promise<number> {
    const at = s3Location(folderUrl);
    let removed = 0;
    try {
      let keyMarker: string | undefined;
      let uploadIdMarker: string | undefined;
      do {
        const page = await this.client.send(
          new ListMultipartUploadsCommand({ Bucket: at.bucket, Prefix: at.key, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
        );
        for (const upload of page.Uploads ?? []) {
          if (upload.Key === undefined || upload.UploadId === undefined) continue;
          if (upload.Key.slice(at.key.length).includes("/")) continue; // only directly under the folder
          await this.client.send(new AbortMultipartUploadCommand({ Bucket: at.bucket, Key: upload.Key, UploadId: upload.UploadId }));
          removed++;
        }
        keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
      } while (keyMarker !== undefined);
    } catch (error) {
      throw await this.fail(error, folderUrl, at);
    }
    return removed;
  }

  async delete(url: string): Promise<void> {
    const at = s3Location(url);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: at.bucket, Key: at.key }));
    } catch (error) {
      throw await this.fail(error, url, at);
    }
  }

  private async fail(error: unknown, url: string, at: S3Location): Promise<StorageError> {
    const endpoint = await describeEndpoint(this.client);
    const mapped = s3Error(error, { url, bucket: at.bucket, key: at.key, endpoint });
    // HEAD answers carry no body, so a 404 does not say whether the bucket or the key is missing: ask.
    if (mapped.code === "NoSuchKey" && (error as { name?: string }).name === "NotFound") {
      const bucketMissing = await this.client
        .send(new HeadBucketCommand({ Bucket: at.bucket }))
        .then(() => false)
        .catch((probe: { $metadata?: { httpStatusCode?: number } }) => probe.$metadata?.httpStatusCode === 404);
      if (bucketMissing) {
        return new StorageError("NoSuchBucket", url, `${url}: no such bucket "${at.bucket}"`, { cause: error });
      }
    }
    return mapped;
  }
}

function s3Location(url: string): S3Location {
  const location = resolveLocation(url);
  if (location.kind !== "s3") throw new StorageError("InvalidUrl", url, `${url}: not an s3:// URL`);
  return location;
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new StorageError("Misconfigured", "", `${name}=${JSON.stringify(raw)} must be a positive number`);
  }
  return value;
}
