export { StorageError, isStorageError, type StorageErrorCode } from "./errors.js";
export { resolveLocation, joinUrl, asFolderUrl, type Location, type S3Location, type FileLocation } from "./location.js";
export type { ObjectStore, ObjectInfo, Body, ReadOptions, WriteOptions, WriteResult, ListedObject, ByteRange } from "./object-store.js";
export { FileObjectStore } from "./file-store.js";
export type { S3StoreOptions } from "./s3-store.js";
export { openStore, type OpenStoreOptions } from "./open-store.js";
export { parseRunDate, parseRunId, runIdOf, runPathOf, runFolder, RunDateError, type RunFolder } from "./run-folder.js";
export { MANIFEST_FORMAT, modelArtifactOf, parseManifest, type Manifest, type ManifestArtifact } from "./manifest.js";
export { publishRun, type PublishRunOptions, type PublishedRun, type ManifestFields } from "./publish-run.js";
export { readManifest, verifyRun } from "./published-run.js";
export {
  runLayout,
  runLayoutOfFolder,
  shardLabel,
  modelUrlOf,
  contentTypeOf,
  MODEL_ARTIFACT,
  LEGACY_MODEL_ARTIFACT,
  METRICS_ARTIFACT,
  REPORT_ARTIFACT,
  MANIFEST_ARTIFACT,
  ONNX_ARTIFACT,
  ARTIFACT_NAMES,
  STAGING_FOLDER,
  LATEST_POINTER,
  RUN_ID_PATTERN,
  type RunLayout,
  type ArtifactRole,
} from "./run-layout.js";
export { pinInput, openPinned, readPinned, readPinnedRange, type InputPin } from "./input-pin.js";
export { pinObjects } from "./pin-objects.js";
export { dataUrlKind, listDataObjects, type DataUrlKind, type DataListing } from "./data-listing.js";
export {
  LATEST_FORMAT,
  readLatest,
  advanceLatest,
  parseLatest,
  type LatestPointer,
  type LatestRead,
  type AdvanceOutcome,
} from "./latest-pointer.js";
