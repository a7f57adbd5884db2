import { readFileSync } from "node:fs";

/** Which code trained a model: the package version and, when deployed from git, CANOPY_COMMIT. */
export function codeVersion(): { version: string; commit: string | null } {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return { version: pkg.version, commit: process.env.CANOPY_COMMIT ?? null };
}
