import { StorageError } from "./errors.js";
import type { ListedObject } from "./object-store.js";
import { openStore, type OpenStoreOptions } from "./open-store.js";

/**
 * How a data URL names its objects: one object; every object under a folder prefix (a URL ending in `/`, listed
 * recursively); or the objects of one folder whose names match a glob (`*`, `?` in the last path segment).
 */
export type DataUrlKind = "object" | "prefix" | "glob";

/** The data objects a prefix or glob names, and the objects beside them that are not data. */
export interface DataListing {
  /** In a stable order: by key, byte-wise (UTF-8), as S3 lists them. */
  readonly objects: readonly ListedObject[];
  /** Markers and hidden files left out (`_SUCCESS`, `.crc` checksums, `_temporary/…`, `.hidden`, folder markers). */
  readonly skipped: readonly ListedObject[];
}

const GLOB_CHARACTERS = /[*?]/;

export function dataUrlKind(url: string): DataUrlKind {
  if (url.endsWith("/")) return "prefix";
  return GLOB_CHARACTERS.test(lastSegment(url)) ? "glob" : "object";
}

/**
 * Lists the data objects under a prefix or matching a glob. Nothing found is an empty listing, not an error: the
 * caller says what a missing partition means. Works the same on files and S3 (the store's `list`).
 */
export async function listDataObjects(url: string, options: OpenStoreOptions = {}): Promise<DataListing> {
  const kind = dataUrlKind(url);
  if (kind === "object") throw new StorageError("InvalidUrl", url, `${url}: names one object, not a prefix or a glob`);
  const folder = url.slice(0, url.length - lastSegment(url).length);
  const pattern = kind === "glob" ? globPattern(lastSegment(url)) : null;
  // S3 lists by string prefix: everything up to the glob's first wildcard narrows the listing.
  const listed = await openStore(folder, options).list(pattern === null ? folder : folder + literalHead(lastSegment(url)));
  const objects: { object: ListedObject; name: string }[] = [];
  const skipped: { object: ListedObject; name: string }[] = [];
  for (const object of listed) {
    if (!object.url.startsWith(folder)) continue;
    const name = relativeName(object.url.slice(folder.length), folder);
    if (pattern !== null && !pattern.test(name)) continue;
    (isDataName(name) ? objects : skipped).push({ object, name });
  }
  return { objects: byteOrder(objects), skipped: byteOrder(skipped) };
}

/** Not data: a folder marker (`key/`), a checksum (`.crc`), or any path part starting with `_` or `.` below the prefix. */
function isDataName(name: string): boolean {
  if (name === "" || name.endsWith("/")) return false;
  const parts = name.split("/");
  if (parts.some((part) => part.startsWith("_") || part.startsWith("."))) return false;
  return !name.endsWith(".crc");
}

/** The key below the listed folder, as stored: `file://` URLs are percent-encoded, keys are not. */
function relativeName(encoded: string, folder: string): string {
  if (!/^file:\/\//i.test(folder)) return encoded;
  return encoded.split("/").map(decodeURIComponent).join("/");
}

function byteOrder(entries: { object: ListedObject; name: string }[]): ListedObject[] {
  return entries
    .map((entry) => ({ ...entry, key: Buffer.from(entry.name, "utf8") }))
    .sort((a, b) => Buffer.compare(a.key, b.key))
    .map((entry) => entry.object);
}

function lastSegment(url: string): string {
  return url.slice(url.lastIndexOf("/") + 1);
}

function literalHead(segment: string): string {
  const at = segment.search(GLOB_CHARACTERS);
  return at < 0 ? segment : segment.slice(0, at);
}

/** `*` any run of characters, `?` exactly one, neither crossing a `/`; everything else literal. */
function globPattern(segment: string): RegExp {
  const source = [...segment]
    .map((character) => (character === "*" ? "[^/]*" : character === "?" ? "[^/]" : character.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "u");
}
