import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot, venvBin } from "@canopy/testkit";

export type ReferenceRequest = { kind: string } & Record<string, unknown>;

/**
 * Asks scikit-learn / numpy (the project venv .venvs/py) for reference numbers, one answer per
 * request, in one Python process; see test/python/reference.py.
 */
export function pythonReference<T>(requests: readonly ReferenceRequest[]): T[] {
  const script = join(repoRoot(), "libs", "ml", "test", "python", "reference.py");
  const result = spawnSync(venvBin("py", "python"), [script], {
    input: JSON.stringify(requests),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`reference.py failed (${result.status}): ${result.stderr}${result.error?.message ?? ""}`);
  }
  return JSON.parse(result.stdout) as T[];
}
