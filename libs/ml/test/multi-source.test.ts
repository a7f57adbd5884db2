import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { sampleData } from "@canopy/testkit";
import { DataError, fileSource, loadCsv, loadDatasetFrom, type Dataset, type TableSource } from "../src/index.js";

const TARGET = "Petrol_Consumption";

function plain(dataset: Dataset) {
  return { ...dataset, columns: dataset.columns.map((column) => Array.from(column)), target: Array.from(dataset.target) };
}

/** An object in memory, streamed in small chunks, with no ranged reads. */
function memorySource(name: string, bytes: Uint8Array | string): TableSource {
  const data = typeof bytes === "string" ? Buffer.from(bytes) : Buffer.from(bytes);
  return {
    name,
    size: data.length,
    open: async () => Readable.from(Array.from({ length: Math.ceil(data.length / 7) }, (_, i) => data.subarray(i * 7, i * 7 + 7))),
  };
}

/** The sample CSV's data lines cut into `parts` files, each with the header. */
function parts(text: string, count: number): string[] {
  const [header, ...lines] = text.trimEnd().split("\n");
  const size = Math.ceil(lines.length / count);
  return Array.from({ length: count }, (_, i) => [header, ...lines.slice(i * size, (i + 1) * size)].join("\n") + "\n");
}

async function rejectsWith(promise: Promise<unknown>, code: DataError["code"], message: RegExp): Promise<DataError> {
  let caught: unknown;
  await promise.catch((error: unknown) => (caught = error));
  assert.ok(caught instanceof DataError, `expected a DataError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.message, message);
  return caught;
}

test("one source gives exactly what loadCsv gives, and its lineage", async () => {
  const path = sampleData();
  const expected = plain(await loadCsv(readFileSync(path), { target: TARGET }));
  const { dataset, sources } = await loadDatasetFrom([fileSource(path, "s3://lake/petrol.csv")], { target: TARGET });
  assert.deepEqual(plain(dataset), expected);
  assert.deepEqual(sources, [{ name: "s3://lake/petrol.csv", format: "csv", bytes: readFileSync(path).length, rows: expected.nRows }]);
});

test("gzip part files read as the one CSV holding the same rows in the same order", async () => {
  const text = readFileSync(sampleData(), "utf8");
  const expected = plain(await loadCsv(text, { target: TARGET }));
  const pieces = parts(text, 3).map((part, i) => memorySource(`part-0000${i}.csv.gz`, gzipSync(part)));
  const { dataset, sources } = await loadDatasetFrom(pieces, { target: TARGET });
  assert.deepEqual(plain(dataset), expected);
  assert.deepEqual(
    sources.map((s) => [s.name, s.format, s.rows]),
    [
      ["part-00000.csv.gz", "csv.gz", 16],
      ["part-00001.csv.gz", "csv.gz", 16],
      ["part-00002.csv.gz", "csv.gz", 16],
    ],
  );
  assert.equal(sources[0].bytes, pieces[0].size);
});

test("empty files are skipped with a note; a header-only file adds no rows", async () => {
  const { dataset, sources } = await loadDatasetFrom(
    [
      memorySource("a.csv", "x,y\n1,10\n2,20\n"),
      memorySource("zero.csv", ""),
      memorySource("nothing.csv.gz", gzipSync("")),
      memorySource("header.csv", "x,y\n"),
      memorySource("b.csv", "x,y\n3,30\n"),
    ],
    { target: "y", task: "regression" },
  );
  assert.deepEqual(Array.from(dataset.columns[0]), [1, 2, 3]);
  assert.deepEqual(Array.from(dataset.target), [10, 20, 30]);
  assert.deepEqual(
    sources.map((s) => [s.name, s.format, s.rows, s.skipped]),
    [
      ["a.csv", "csv", 2, undefined],
      ["zero.csv", "csv", 0, "empty"],
      ["nothing.csv.gz", "csv.gz", 0, "empty"],
      ["header.csv", "csv", 0, undefined],
      ["b.csv", "csv", 1, undefined],
    ],
  );
});

test("columns may come in another order, but a file whose columns differ is refused naming it and the column", async () => {
  const { dataset } = await loadDatasetFrom([memorySource("a.csv", "x,z,y\n1,5,10\n2,6,20\n"), memorySource("b.csv", "y,z,x\n30,7,3\n")], {
    target: "y",
  });
  assert.deepEqual(dataset.featureNames, ["x", "z"]);
  assert.deepEqual(Array.from(dataset.columns[0]), [1, 2, 3]);
  assert.deepEqual(Array.from(dataset.columns[1]), [5, 6, 7]);
  const error = await rejectsWith(
    loadDatasetFrom([memorySource("a.csv", "x,z,y\n1,5,10\n"), memorySource("hour-14/b.csv", "x,w,y\n3,7,30\n")], { target: "y" }),
    "COLUMNS_DIFFER",
    /^hour-14\/b\.csv line 1, column "z": the columns differ from those of a\.csv: it lacks "z"; it has "w" in addition; every file must have the same columns$/,
  );
  assert.equal(error.source, "hour-14/b.csv");
});

test("a bad cell in the second file names that file and its own line", async () => {
  const error = await rejectsWith(
    loadDatasetFrom([memorySource("a.csv", "x,y\n1,10\n2,20\n"), memorySource("b.csv.gz", gzipSync("x,y\n3,30\noops,40\n"))], {
      target: "y",
    }),
    "NOT_A_NUMBER",
    /^b\.csv\.gz line 3, column 1 "x": "oops" is not a number/,
  );
  assert.equal(error.row, 3);
  const missing = await rejectsWith(
    loadDatasetFrom([memorySource("a.csv", "x,y\n1,10\n"), memorySource("b.csv", "x,y\n3,\n")], { target: "y" }),
    "MISSING_TARGET",
    /^b\.csv line 2, column 2 "y": the target value is missing/,
  );
  assert.equal(missing.columnNumber, 2);
});

test("the task and class labels are decided over all files, as if they were one", async () => {
  // Each file alone has a single target value; together they are two classes.
  const { dataset } = await loadDatasetFrom([memorySource("a.csv", "x,y\n1,2\n2,2\n"), memorySource("b.csv", "x,y\n3,10\n")], {
    target: "y",
  });
  assert.equal(dataset.task, "classification");
  assert.deepEqual(dataset.classes, ["2", "10"]);
  assert.deepEqual(Array.from(dataset.target), [0, 0, 1]);
  // A label that is not a number in a later file makes every label a string, sorted by code point.
  const strings = await loadDatasetFrom([memorySource("a.csv", "x,y\n1,2\n2,10\n"), memorySource("b.csv", "x,y\n3,b\n")], { target: "y" });
  assert.deepEqual(strings.dataset.classes, ["10", "2", "b"]);
  assert.deepEqual(Array.from(strings.dataset.target), [1, 0, 2]);
});

test("no rows at all is refused as loadCsv refuses it", async () => {
  await rejectsWith(loadDatasetFrom([memorySource("only.csv", "")], { target: "y" }), "EMPTY_FILE", /^only\.csv: the file is empty/);
  await rejectsWith(
    loadDatasetFrom([memorySource("only.csv", "x,y\n")], { target: "y" }),
    "NO_DATA_ROWS",
    /^only\.csv line 2: the file has a header line but no data rows$/,
  );
  await rejectsWith(
    loadDatasetFrom([memorySource("a.csv", ""), memorySource("b.csv.gz", gzipSync(""))], { target: "y" }),
    "EMPTY_FILE",
    /^2 files \(a\.csv … b\.csv\.gz\): all 2 files are empty/,
  );
  await rejectsWith(
    loadDatasetFrom([memorySource("a.csv", "x,y\n"), memorySource("b.csv", "x,y\n")], { target: "y" }),
    "NO_DATA_ROWS",
    /none of the 2 files has data rows/,
  );
});
