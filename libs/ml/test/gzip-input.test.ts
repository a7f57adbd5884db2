import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { sampleData } from "@canopy/testkit";
import { DataError, loadCsv, loadCsvFile, readFeatureBatches, type Dataset } from "../src/index.js";

const TARGET = "Petrol_Consumption";

function plain(dataset: Dataset) {
  return { ...dataset, columns: dataset.columns.map((column) => Array.from(column)), target: Array.from(dataset.target) };
}

function trickle(bytes: Buffer, chunkSize: number): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

test("a gzip CSV reads as its text, recognised by its bytes whatever its name", async () => {
  const text = readFileSync(sampleData());
  const expected = plain(await loadCsv(text, { target: TARGET }));
  const dir = mkdtempSync(join(tmpdir(), "canopy-gzip-"));
  const named = join(dir, "petrol.csv.gz");
  const unnamed = join(dir, "part-00000");
  writeFileSync(named, gzipSync(text));
  writeFileSync(unnamed, gzipSync(text));
  assert.deepEqual(plain(await loadCsvFile(named, { target: TARGET })), expected);
  assert.deepEqual(plain(await loadCsvFile(unnamed, { target: TARGET })), expected);
  // One byte at a time: the magic bytes arrive in two chunks.
  assert.deepEqual(plain(await loadCsv(trickle(gzipSync(text), 1), { target: TARGET })), expected);
  // Two gzip members one after the other (`cat a.gz b.gz`) are one text.
  const middle = text.indexOf(10, text.length >> 1) + 1;
  const members = Buffer.concat([gzipSync(text.subarray(0, middle)), gzipSync(text.subarray(middle))]);
  assert.deepEqual(plain(await loadCsv(members, { target: TARGET })), expected);
});

test("a plain CSV still reads unchanged, also one byte at a time", async () => {
  const text = readFileSync(sampleData());
  const expected = plain(await loadCsv(text.toString("utf8"), { target: TARGET }));
  assert.deepEqual(plain(await loadCsv(trickle(text, 1), { target: TARGET })), expected);
});

test("the prediction reader reads gzip too, batch by batch", async () => {
  const text = readFileSync(sampleData());
  const features = ["Petrol_tax", "Average_income"];
  const fromText: number[][] = [];
  for await (const batch of readFeatureBatches(text, { features, batchRows: 10 }))
    fromText.push(...batch.columns.map((c) => Array.from(c)));
  const fromGzip: number[][] = [];
  for await (const batch of readFeatureBatches(gzipSync(text), { features, batchRows: 10 }))
    fromGzip.push(...batch.columns.map((c) => Array.from(c)));
  assert.ok(fromText.length >= 2);
  assert.deepEqual(fromGzip, fromText);
});

test("a cut-off gzip file is refused naming the file, not read as a shorter table", async () => {
  const compressed = gzipSync(readFileSync(sampleData()));
  const cut = compressed.subarray(0, compressed.length - 20);
  await assert.rejects(loadCsv(cut, { target: TARGET, source: "s3://lake/events/part-00003.csv.gz" }), (error: unknown) => {
    assert.ok(error instanceof DataError);
    assert.equal(error.code, "BAD_GZIP");
    assert.match(error.message, /^s3:\/\/lake\/events\/part-00003\.csv\.gz: the file starts like gzip but cannot be decompressed/);
    return true;
  });
});

test("a bad cell inside a large gzip file is named by its line, and reading stops there", async () => {
  const lines = ["a,b,y"];
  for (let i = 0; i < 300_000; i++) lines.push(i === 6 ? `${i},oops,${i % 7}` : `${i},${(i * 37) % 101},${i % 7}`);
  const compressed = gzipSync(lines.join("\n") + "\n");
  let chunksRead = 0;
  const chunks: Buffer[] = [];
  for (let i = 0; i < compressed.length; i += 1024) chunks.push(compressed.subarray(i, i + 1024));
  const counted = Readable.from(
    (function* () {
      for (const chunk of chunks) {
        chunksRead++;
        yield chunk;
      }
    })(),
  );
  await assert.rejects(loadCsv(counted, { target: "y", source: "big.csv.gz" }), (error: unknown) => {
    assert.ok(error instanceof DataError);
    assert.equal(error.code, "NOT_A_NUMBER");
    assert.match(error.message, /^big\.csv\.gz line 8, column 2 "b": "oops" is not a number/);
    return true;
  });
  assert.ok(chunksRead < chunks.length / 2, `read ${chunksRead} of ${chunks.length} chunks after the bad line`);
});
