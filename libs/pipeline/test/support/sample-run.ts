import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sampleData } from "@canopy/testkit";
import { parseRunRequest } from "../../src/index.js";

/** A run of 24 trees in four shards on the sample data set, for the hour 2026-03-05T07 (folderOf), published under `out`. */
export function sampleRunRequest(out: string, extra: Record<string, unknown> = {}) {
  return parseRunRequest({
    version: 1,
    runDate: "2026-03-05T07:00Z",
    data: sampleData(),
    target: "Petrol_Consumption",
    out,
    params: { nEstimators: 24, seed: 9 },
    treesPerShard: 6,
    ...extra,
  });
}

/** The sample run's folder under `out`. */
export const folderOf = (out: string) => join(out, "2026/03/05/07");

export const sha256Of = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
