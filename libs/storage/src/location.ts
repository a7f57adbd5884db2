import { resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { StorageError } from "./errors.js";

/**
 * Where an object lives. Accepted forms:
 *
 * - `s3://bucket/key/with/slashes` (the key may be empty for a bucket root; keys are taken verbatim,
 *   no percent-decoding);
 * - `file:///absolute/path` (a standard file URL, percent-encoded);
 * - `file:relative/path`, `file:./relative`, `file:/absolute` (a path after `file:`, taken verbatim and
 *   resolved against the current directory);
 * - a plain path, relative or absolute (`models`, `./out`, `/data/x.csv`).
 *
 * A trailing `/` is kept: it marks a folder prefix (`list`, `joinUrl`).
 */
export type Location = S3Location | FileLocation;

export interface S3Location {
  readonly kind: "s3";
  readonly bucket: string;
  readonly key: string;
  /** Canonical form: `s3://bucket/key`. */
  readonly url: string;
}

export interface FileLocation {
  readonly kind: "file";
  /** Absolute path, with a trailing separator when the URL had a trailing `/`. */
  readonly path: string;
  /** Canonical form: `file:///abs/path`. */
  readonly url: string;
}

const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function resolveLocation(url: string): Location {
  if (typeof url !== "string" || url.trim() === "") {
    throw new StorageError("InvalidUrl", String(url), `invalid storage URL ${JSON.stringify(url)}: it is empty`);
  }
  if (/^s3:/i.test(url)) return parseS3(url);
  if (/^file:/i.test(url)) return parseFile(url);
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(url)) {
    const scheme = url.slice(0, url.indexOf(":"));
    throw new StorageError(
      "InvalidUrl",
      url,
      `${url}: unsupported storage scheme "${scheme}:" (use s3://bucket/key, file:path or a plain path)`,
    );
  }
  return fileLocation(resolve(url), url.endsWith("/"));
}

function parseS3(url: string): S3Location {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/i.exec(url);
  if (!match) {
    throw new StorageError("InvalidUrl", url, `${url}: an S3 URL looks like s3://bucket/key`);
  }
  const bucket = match[1];
  const key = match[2] ?? "";
  if (!S3_BUCKET.test(bucket)) {
    throw new StorageError(
      "InvalidUrl",
      url,
      `${url}: invalid bucket name ${JSON.stringify(bucket)} (3-63 lowercase letters, digits, dots and hyphens)`,
    );
  }
  return { kind: "s3", bucket, key, url: `s3://${bucket}/${key}` };
}

function parseFile(url: string): FileLocation {
  const trailing = url.endsWith("/");
  if (/^file:\/\//i.test(url)) {
    let path: string;
    try {
      path = fileURLToPath(url);
    } catch (error) {
      throw new StorageError("InvalidUrl", url, `${url}: invalid file URL (${(error as Error).message})`, { cause: error });
    }
    return fileLocation(path, trailing);
  }
  const rest = url.slice("file:".length);
  if (rest === "") throw new StorageError("InvalidUrl", url, `${url}: a file URL needs a path, e.g. file:models`);
  return fileLocation(resolve(rest), trailing);
}

function fileLocation(absolute: string, trailing: boolean): FileLocation {
  const path = trailing && !absolute.endsWith(sep) ? absolute + sep : absolute;
  let href = pathToFileURL(path).href;
  if (trailing && !href.endsWith("/")) href += "/";
  return { kind: "file", path, url: href };
}

/**
 * Appends path segments to a root URL with exactly one `/` between them, keeping the root's form:
 * `joinUrl("s3://b/models", "2026/03", "model.json")` → `s3://b/models/2026/03/model.json`,
 * `joinUrl("file:models/", "x")` → `file:models/x`. A last part ending in `/` yields a folder URL.
 */
export function joinUrl(root: string, ...parts: string[]): string {
  let url = root;
  for (const part of parts) {
    const trimmed = part.replace(/^\/+/, "");
    if (trimmed === "") continue;
    if (url.endsWith("/") || url.endsWith(":")) url += trimmed;
    else url += `/${trimmed}`;
  }
  return url;
}

/** The URL with exactly one trailing `/`: how a folder prefix is written. */
export function asFolderUrl(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

/**
 * The part of a prefix URL, as the caller wrote it, that listed objects' URLs start with: everything up to
 * the last `/` (or `file:` / `s3://bucket/`), so `list("file:models/2026")` yields `file:models/2026/...`.
 */
export function listingBase(url: string): string {
  if (/^s3:/i.test(url)) {
    const { bucket, key } = parseS3(url);
    return `s3://${bucket}/${key.slice(0, key.lastIndexOf("/") + 1)}`;
  }
  const scheme = /^file:/i.test(url) ? 5 : 0;
  return url.slice(0, Math.max(url.lastIndexOf("/") + 1, scheme));
}

/** Appends a `/`-separated relative path to a listing base, percent-encoding it for `file://` URLs. */
export function appendRelative(base: string, relative: string): string {
  if (/^file:\/\//i.test(base)) return base + relative.split("/").map(encodeURIComponent).join("/");
  return base + relative;
}
