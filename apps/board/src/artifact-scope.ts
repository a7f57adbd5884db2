import { realpath } from "node:fs/promises";
import { resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import {
  ARTIFACT_NAMES,
  LEGACY_MODEL_ARTIFACT,
  asFolderUrl,
  parseRunId,
  resolveLocation,
  runLayout,
  type ArtifactRole,
  type Location,
} from "@canopy/storage";

/** Where the board may read a run's artifact, or why it may not. */
export type ScopedArtifact = { readonly url: string } | { readonly refused: string };

/**
 * The board opens only what it owns. A job's return value comes from Redis, which every producer can write, so the
 * URL it names is never opened as given: it must be, once normalised (`..`, `%2e`, `//`, a trailing slash, the
 * scheme's case), exactly the file the run layout puts there — `<root>/YYYY/MM/DD/HH/<artifact name>` for one of the
 * configured output roots and the run's own hour. A file on disk must also resolve (symlinks followed) inside the
 * root's real folder. The URL returned is the board's own spelling of that file, not the stored one.
 */
export class ArtifactScope {
  readonly #roots: readonly { readonly url: string; readonly location: Location }[];

  constructor(roots: readonly string[]) {
    this.#roots = roots.map((root) => {
      const url = asFolderUrl(root);
      return { url, location: canonical(url) };
    });
  }

  /** The output roots, as folder URLs. */
  get roots(): readonly string[] {
    return this.#roots.map((root) => root.url);
  }

  /** The checks that need no storage access: the stored URL names this run's artifact in a configured root. */
  match(runId: string, role: ArtifactRole, storedUrl: string): ScopedArtifact {
    let stored: Location;
    try {
      stored = canonical(storedUrl);
    } catch {
      return { refused: "not a storage URL the board reads" };
    }
    if (this.#roots.length === 0) return { refused: "no output root is configured (CANOPY_BOARD_OUTPUT_ROOTS)" };
    const names = role === "model" ? [ARTIFACT_NAMES.model, LEGACY_MODEL_ARTIFACT] : [ARTIFACT_NAMES[role]];
    const runDate = parseRunId(runId);
    let insideRoot = false;
    for (const root of this.#roots) {
      if (stored.kind !== root.location.kind) continue;
      if (stored.url.startsWith(root.location.url)) insideRoot = true;
      const layout = runLayout(root.url, runDate);
      for (const name of names) {
        const expected = canonical(layout.artifactUrl(name));
        if (expected.url === stored.url) return { url: expected.url };
      }
    }
    return {
      refused: insideRoot
        ? `not run ${runId}'s ${names.join(" or ")} (expected in its run folder)`
        : `outside the output roots (${this.roots.join(", ")})`,
    };
  }

  /** match(), then for a file on disk: its real path (symlinks followed) must lie inside the root's real folder. */
  async resolve(runId: string, role: ArtifactRole, storedUrl: string): Promise<ScopedArtifact> {
    const matched = this.match(runId, role, storedUrl);
    if ("refused" in matched) return matched;
    const location = canonical(matched.url);
    if (location.kind !== "file") return matched;
    const root = this.#roots.find((candidate) => candidate.location.kind === "file" && location.url.startsWith(candidate.location.url));
    if (root === undefined || root.location.kind !== "file") return { refused: "outside the output roots" };
    const realFile = await realpath(location.path).catch((error: NodeJS.ErrnoException) => {
      // Missing: the opener says "does not exist" for the path the layout names.
      if (error.code === "ENOENT") return null;
      throw error;
    });
    if (realFile === null) return matched;
    const realRoot = await realpath(root.location.path).catch(() => null);
    if (realRoot === null || !realFile.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) {
      return { refused: `a link that leads outside the output root ${root.url}` };
    }
    return { url: pathToFileURL(realFile).href };
  }
}

/** A location in one spelling: S3 keys verbatim (`a//b` is another key), file paths resolved (`..`, `//`) and re-encoded. */
function canonical(url: string): Location {
  const location = resolveLocation(url);
  if (location.kind === "s3") return location;
  const trailing = location.path.endsWith(sep);
  const path = resolve(location.path) + (trailing ? sep : "");
  const href = pathToFileURL(path).href;
  return { kind: "file", path, url: trailing && !href.endsWith("/") ? `${href}/` : href };
}
