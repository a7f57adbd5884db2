import { randomBytes } from "node:crypto";
import type { BigIntStats, Dirent } from "node:fs";
import { link, mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import type { Readable } from "node:stream";
import { measuredBody, readAllBytes } from "./body-stream.js";
import { existsByHead, StorageError } from "./errors.js";
import { writeSyncingBehind } from "./sync-behind.js";
import { appendRelative, listingBase, resolveLocation } from "./location.js";
import type { FileLocation } from "./location.js";
import type { Body, ListedObject, ObjectInfo, ObjectStore, ReadOptions, WriteOptions, WriteResult } from "./object-store.js";

/** Temporary files live next to their target (so rename/link stay on one filesystem) and are never listed. */
const TEMP_SUFFIX = ".canopy-tmp";
/** Reads in 1 MiB pieces: 64 KiB (Node's default) costs a thread-pool round trip per 64 KiB of a 500 MB model. */
const READ_CHUNK_BYTES = 1 << 20;

/**
 * Objects as files under local folders. Writes go to a temporary file in the target's folder, are fsynced (unless
 * the write is not `durable`) and then renamed into place (plain write) or hard-linked into place (exclusive create: link fails with EEXIST
 * atomically, and the object appears complete or not at all). ETags come from the inode, size and mtime in
 * nanoseconds, so any replacement or edit changes them without reading the content.
 */
export class FileObjectStore implements ObjectStore {
  async read(url: string, options: ReadOptions = {}): Promise<Readable> {
    const { path } = fileLocation(url);
    rejectVersion(url, options.versionId);
    const handle = await open(path, "r").catch((error: unknown) => {
      throw fileError(error, url, path);
    });
    try {
      const info = await handle.stat({ bigint: true });
      if (info.isDirectory()) throw new StorageError("NoSuchKey", url, `${url}: ${path} is a folder, not a file`);
      // The etag is checked on the open descriptor, so the bytes streamed are the version that was checked.
      const etag = fileEtag(info);
      if (options.ifMatch !== undefined && options.ifMatch !== etag) {
        throw new StorageError("PreconditionFailed", url, `${url}: the file changed (ETag ${options.ifMatch} → ${etag})`);
      }
      const range = options.range === undefined ? {} : { start: options.range.start, end: options.range.end - 1 };
      return handle.createReadStream({ autoClose: true, highWaterMark: READ_CHUNK_BYTES, ...range });
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async readAll(url: string, options?: ReadOptions): Promise<Buffer> {
    return readAllBytes(await this.read(url, options));
  }

  async write(url: string, body: Body, options: WriteOptions = {}): Promise<WriteResult> {
    const { path } = fileLocation(url);
    if (path.endsWith(sep)) throw new StorageError("InvalidUrl", url, `${url}: cannot write an object at a folder URL`);
    const folder = dirname(path);
    await mkdir(folder, { recursive: true }).catch((error: unknown) => {
      throw fileError(error, url, folder);
    });
    const temp = join(folder, `.${basename(path)}.${randomBytes(6).toString("hex")}${TEMP_SUFFIX}`);
    const measured = measuredBody(body);
    let info: BigIntStats;
    try {
      const handle = await open(temp, "wx");
      try {
        await writeSyncingBehind(handle, measured.stream, options.durable !== false);
        info = await handle.stat({ bigint: true });
      } finally {
        await handle.close();
      }
      if (options.ifMatch !== undefined) {
        await replaceIfMatch(temp, path, url, options.ifMatch);
      } else if (options.exclusive) {
        await link(temp, path).catch((error: unknown) => {
          if ((error as NodeJS.ErrnoException).code === "EEXIST") {
            throw new StorageError("AlreadyExists", url, `${url}: already exists`, { cause: error });
          }
          throw error;
        });
        await unlink(temp);
      } else {
        await rename(temp, path);
      }
    } catch (error) {
      await unlink(temp).catch(() => {});
      measured.stream.destroy();
      if (measured.sourceError() !== undefined) throw measured.sourceError();
      throw error instanceof StorageError ? error : fileError(error, url, path);
    }
    if (options.durable !== false) await syncFolder(folder);
    const { size, sha256 } = measured.digest();
    return { url, size, sha256, etag: fileEtag(info), versionId: null };
  }

  async head(url: string, options: Pick<ReadOptions, "versionId"> = {}): Promise<ObjectInfo> {
    const { path } = fileLocation(url);
    rejectVersion(url, options.versionId);
    const info = await stat(path, { bigint: true }).catch((error: unknown) => {
      throw fileError(error, url, path);
    });
    if (info.isDirectory()) throw new StorageError("NoSuchKey", url, `${url}: ${path} is a folder, not a file`);
    return {
      url,
      size: Number(info.size),
      etag: fileEtag(info),
      versionId: null,
      lastModified: new Date(Number(info.mtimeMs)),
    };
  }

  exists(url: string): Promise<boolean> {
    return existsByHead(() => this.head(url));
  }

  async list(prefixUrl: string): Promise<ListedObject[]> {
    const { path } = fileLocation(prefixUrl);
    const folder = path.endsWith(sep) ? path : dirname(path);
    const namePrefix = path.endsWith(sep) ? "" : basename(path);
    const base = listingBase(prefixUrl);
    const found: ListedObject[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "ENOTDIR") return;
        throw fileError(error, prefixUrl, dir);
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        const rel = relative(folder, full).split(sep).join("/");
        if (dir === folder && !entry.name.startsWith(namePrefix)) continue;
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile() && !entry.name.endsWith(TEMP_SUFFIX)) {
          const info = await stat(full).catch(() => undefined);
          if (info) found.push({ url: appendRelative(base, rel), size: info.size, lastModified: info.mtime });
        }
      }
    };
    await walk(folder);
    return found.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  }

  async discardUnfinished(folderUrl: string): Promise<number> {
    const { path } = fileLocation(folderUrl);
    const entries = await readdir(path, { withFileTypes: true }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw fileError(error, folderUrl, path);
    });
    let removed = 0;
    for (const entry of entries) {
      if (!entry.isFile() || !entry.name.endsWith(TEMP_SUFFIX)) continue;
      await unlink(join(path, entry.name)).then(
        () => removed++,
        () => undefined,
      );
    }
    return removed;
  }

  async delete(url: string): Promise<void> {
    const { path } = fileLocation(url);
    await unlink(path).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw fileError(error, url, path);
    });
  }
}

/** A lock older than this was left by a dead writer (a compare-and-rename takes milliseconds). */
const STALE_LOCK_MS = 10_000;
const LOCK_WAIT_MS = 10_000;

/**
 * Compare-and-swap for files: holds `.<name>.lock<TEMP_SUFFIX>` (created exclusively) while it compares the target's
 * ETag with `etag` and renames the new file into place, so two writers that read the same version cannot both
 * replace it.
 */
async function replaceIfMatch(temp: string, path: string, url: string, etag: string): Promise<void> {
  const lock = join(dirname(path), `.${basename(path)}.lock${TEMP_SUFFIX}`);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await (await open(lock, "wx")).close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const held = await stat(lock).catch(() => undefined);
      if (held !== undefined && Date.now() - held.mtimeMs > STALE_LOCK_MS) await unlink(lock).catch(() => {});
      else if (Date.now() > deadline)
        throw new StorageError("Failed", url, `${url}: could not take the lock ${lock} within ${LOCK_WAIT_MS / 1000} s`);
      else await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
  }
  try {
    const current = await stat(path, { bigint: true }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    });
    const found = current === undefined ? "none (no object)" : fileEtag(current);
    if (found !== etag)
      throw new StorageError("PreconditionFailed", url, `${url}: the file changed (expected ETag ${etag}, found ${found})`);
    await rename(temp, path);
  } finally {
    await unlink(lock).catch(() => {});
  }
}

function fileLocation(url: string): FileLocation {
  const location = resolveLocation(url);
  if (location.kind !== "file") throw new StorageError("InvalidUrl", url, `${url}: not a file URL or path`);
  return location;
}

function fileEtag(info: BigIntStats): string {
  return `"${info.ino.toString(16)}-${info.size.toString(16)}-${info.mtimeNs.toString(16)}"`;
}

function rejectVersion(url: string, versionId: string | undefined): void {
  if (versionId !== undefined && versionId !== null) {
    throw new StorageError("Failed", url, `${url}: local files have no versions (asked for version ${versionId})`);
  }
}

async function syncFolder(folder: string): Promise<void> {
  // Makes the rename durable; some filesystems refuse fsync on folders, which is harmless here.
  try {
    const handle = await open(folder, "r");
    await handle.sync().finally(() => handle.close());
  } catch {
    /* best effort */
  }
}

function fileError(error: unknown, url: string, path: string): StorageError {
  if (error instanceof StorageError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
    case "ENOTDIR":
      return new StorageError("NoSuchKey", url, `${url}: no such file ${path}`, { cause: error });
    case "EACCES":
    case "EPERM":
      return new StorageError("AccessDenied", url, `${url}: permission denied on ${path}`, { cause: error });
    case "EISDIR":
      return new StorageError("Failed", url, `${url}: ${path} is a folder, not a file`, { cause: error });
    case "ENOSPC":
    case "EDQUOT":
      return new StorageError("Failed", url, `${url}: no space left on the disk holding ${path} (${code})`, { cause: error });
    default:
      return new StorageError("Failed", url, `${url}: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
}
