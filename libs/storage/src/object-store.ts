import type { Readable } from "node:stream";

/** Bytes to store: whole (Buffer, Uint8Array, string as UTF-8) or streamed. */
export type Body = Uint8Array | string | Readable | AsyncIterable<Uint8Array>;

export interface ObjectInfo {
  readonly url: string;
  readonly size: number;
  /**
   * An opaque version tag, quoted like an HTTP ETag. S3: the object's ETag. Files: `"<inode>-<size>-<mtime ns>"`
   * in hex, which changes whenever the file is replaced (our writes rename a new inode into place) or edited.
   */
  readonly etag: string;
  /** S3 VersionId when the bucket is versioned; null otherwise and for files. */
  readonly versionId: string | null;
  readonly lastModified: Date;
}

export interface WriteResult {
  readonly url: string;
  readonly size: number;
  /** Hex SHA-256 of the bytes written, computed while streaming. */
  readonly sha256: string;
  readonly etag: string;
  readonly versionId: string | null;
}

export interface ReadOptions {
  /** Read only if the object still has this ETag; otherwise fail with code `PreconditionFailed`. */
  readonly ifMatch?: string;
  /** S3 only: read this version of the object. */
  readonly versionId?: string;
  /** Only the bytes [start, end) (S3 `Range`; files read from an offset); the object must be at least `end` bytes. */
  readonly range?: ByteRange;
}

/** Bytes [start, end) of an object. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface WriteOptions {
  /**
   * Create only: fail with code `AlreadyExists` if the object exists. S3 sends `If-None-Match: *`
   * (PutObject and CompleteMultipartUpload); files are linked into place, which fails atomically on EEXIST.
   */
  readonly exclusive?: boolean;
  /**
   * Replace only: fail with code `PreconditionFailed` unless the object exists with this ETag (compare-and-swap, for
   * pointers such as `latest.json`). S3 sends `If-Match`; files hold a lock file beside the target while they
   * compare and rename. Not combined with `exclusive`.
   */
  readonly ifMatch?: string;
  readonly contentType?: string;
  /**
   * Files: false skips the fsyncs, for scratch objects whose loss a reader detects (a run's staging shards,
   * checked against their sha256 when published): still all-or-nothing while the host is up, but a power
   * loss may take the object. Default true. S3 acknowledges only durable writes either way.
   */
  readonly durable?: boolean;
}

export interface ListedObject {
  readonly url: string;
  readonly size: number;
  readonly lastModified: Date;
}

/**
 * Object storage addressed by URL. A write is all-or-nothing: a reader sees the old object, the new object or
 * nothing, never part of one (S3 by nature; files through a temporary file renamed or linked into place).
 */
export interface ObjectStore {
  /** Streams the object. Errors (missing object, changed version) are raised before the stream is returned. */
  read(url: string, options?: ReadOptions): Promise<Readable>;
  readAll(url: string, options?: ReadOptions): Promise<Buffer>;
  write(url: string, body: Body, options?: WriteOptions): Promise<WriteResult>;
  /** Size, ETag and version of the object; `NoSuchKey` if it is missing. */
  head(url: string, options?: Pick<ReadOptions, "versionId">): Promise<ObjectInfo>;
  exists(url: string): Promise<boolean>;
  /** Every object whose URL starts with the prefix (a string prefix, as in S3), sorted by key. */
  list(prefixUrl: string): Promise<ListedObject[]>;
  /** Removes the object; removing a missing object is not an error. */
  delete(url: string): Promise<void>;
  /**
   * Removes what unfinished writes left directly under the folder (a writer that died mid-write): temporary files on
   * disk, incomplete multipart uploads on S3. Returns how many were removed. Only for a folder no one else writes now.
   */
  discardUnfinished(folderUrl: string): Promise<number>;
}
