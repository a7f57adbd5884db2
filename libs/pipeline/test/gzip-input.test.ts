import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { sampleData } from "@canopy/testkit";
import { checkInputs, createRunSteps, parseRunRequest, runInProcess } from "../src/index.js";

const TARGET = "Petrol_Consumption";

function request(data: string, out: string, extra: Record<string, unknown> = {}) {
  return parseRunRequest({
    version: 1,
    runDate: "2026-03-04T07:00Z",
    data,
    target: TARGET,
    out,
    params: { nEstimators: 12, seed: 9 },
    treesPerShard: 5,
    ...extra,
  });
}

test("a gzip input (no .gz in its name) trains the byte-identical model of its plain CSV", async () => {
  const dir = mkdtempSync(join(tmpdir(), "canopy-gzip-run-"));
  const compressed = join(dir, "part-00000");
  writeFileSync(compressed, gzipSync(readFileSync(sampleData())));
  const models: Buffer[] = [];
  for (const data of [sampleData(), compressed]) {
    const out = mkdtempSync(join(dir, "out-"));
    await runInProcess(createRunSteps({ threads: 1 }), "2026030407", request(data, out));
    models.push(readFileSync(join(out, "2026/03/04/07/model.canopy")));
  }
  assert.ok(models[0].length > 0);
  assert.ok(models[0].equals(models[1]), "the gzip input's model differs from the CSV's");
});

test("the enqueue check reads a gzip input's header, and names a gzip file whose header lacks the target", async () => {
  const dir = mkdtempSync(join(tmpdir(), "canopy-gzip-check-"));
  const good = join(dir, "hour.csv.gz");
  writeFileSync(good, gzipSync(readFileSync(sampleData())));
  await checkInputs(request(good, dir));
  const wrong = join(dir, "wrong.csv.gz");
  writeFileSync(wrong, gzipSync("a,b,c\n1,2,3\n"));
  await assert.rejects(checkInputs(request(wrong, dir)), (error: unknown) => {
    assert.match(
      String((error as Error).message),
      /wrong\.csv\.gz line 1, .*the target column "Petrol_Consumption" is not in the header; the columns are: "a", "b", "c"$/,
    );
    return true;
  });
});
