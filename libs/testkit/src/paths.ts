import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The workspace root: the nearest ancestor holding nx.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "nx.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the workspace root (no nx.json above testkit)");
    dir = parent;
  }
  return dir;
}

/** Where tests keep what a person may want to look at afterwards (screenshots, reports). */
export function artifactsDir(...parts: string[]): string {
  const dir = resolve(repoRoot(), ".artifacts", ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A program inside one of the project-local Python virtualenvs made by scripts/setup.sh. */
export function venvBin(venv: string, program: string): string {
  const path = join(repoRoot(), ".venvs", venv, "bin", program);
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run "npm run setup" to create the project virtualenvs`);
  }
  return path;
}

/** The bundled sample data set. */
export function sampleData(name = "petrol_consumption.csv"): string {
  return join(repoRoot(), "data", name);
}
