import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, test } from "node:test";
import { gzipSync } from "node:zlib";
import { sampleData } from "@canopy/testkit";
import {
  DataError,
  encodeBinaryModel,
  fileSource,
  loadDatasetFrom,
  trainForest,
  type CsvSchema,
  type Dataset,
  type TableSource,
} from "../src/index.js";
import { Random } from "../src/random.js";
import { writeParquet, type ParquetRequest } from "./parquet-fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "canopy-parquet-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

function plain(dataset: Dataset) {
  return { ...dataset, columns: dataset.columns.map((column) => Array.from(column)), target: Array.from(dataset.target) };
}

/** A local file read as a stream only (no ranged reads): the in-memory Parquet path. */
function streamOnly(path: string, name = path): TableSource {
  const bytes = readFileSync(path);
  return { name, size: bytes.length, open: async () => Readable.from([bytes.subarray(0, 3), bytes.subarray(3)]) };
}

/** fileSource that records every ranged read. */
function recorded(path: string, name = path): { source: TableSource; reads: [number, number][] } {
  const inner = fileSource(path, name);
  const reads: [number, number][] = [];
  return {
    reads,
    source: {
      ...inner,
      readRange: (start, end) => {
        reads.push([start, end]);
        return inner.readRange!(start, end);
      },
    },
  };
}

/** A table with what real exports have: ints, floats, empty cells (missing), string class labels. */
function writeMixedCsv(path: string, rows: number): void {
  const random = new Random(7);
  const lines = ["count,ratio,level,score,label,grade"];
  const labels = ["cat", "dog", "bird", "Émile"];
  for (let r = 0; r < rows; r++) {
    const count = random.nextInt(1000) - 300;
    const ratio = random.nextInt(20) === 0 ? "" : String(Math.round(random.nextFloat() * 1e6) / 1e5);
    const level = random.nextInt(15) === 0 ? "" : String(random.nextInt(9));
    const score = (count / 7 + random.nextFloat()).toFixed(4);
    lines.push([count, ratio, level, score, labels[(count + 300 + random.nextInt(3)) % 4], random.nextInt(5) * 2].join(","));
  }
  writeFileSync(path, lines.join("\n") + "\n");
}

async function modelHash(dataset: Dataset, seed: number): Promise<string> {
  const model = await trainForest(dataset, { nEstimators: 5, seed }, { threads: 1 });
  const hash = createHash("sha256");
  for (const piece of encodeBinaryModel(model)) hash.update(piece);
  return hash.digest("hex");
}

async function load(sources: TableSource[], schema: CsvSchema) {
  return loadDatasetFrom(sources, schema);
}

const mixedCsv = at("mixed.csv");
writeMixedCsv(mixedCsv, 3000);
const fixtures: ParquetRequest[] = [
  { csv: sampleData(), out: at("petrol.parquet") },
  { csv: mixedCsv, out: at("mixed.parquet") },
  { csv: mixedCsv, out: at("mixed-groups.parquet"), row_group_size: 500 },
  { csv: mixedCsv, out: at("mixed-gzip.parquet"), compression: "gzip" },
  { csv: mixedCsv, out: at("mixed-zstd.parquet"), compression: "zstd" },
  { csv: mixedCsv, out: at("mixed-plain.parquet"), compression: "none" },
  { csv: mixedCsv, out: at("mixed-brotli.parquet"), compression: "brotli" },
  // Many small pages per column chunk, with and without a dictionary, version 1 and 2 data pages.
  { csv: mixedCsv, out: at("mixed-pages-v2.parquet"), data_page_version: "2.0", data_page_size: 1024, row_group_size: 1200 },
  { csv: mixedCsv, out: at("mixed-pages-plain.parquet"), use_dictionary: false, data_page_size: 1024 },
  { csv: mixedCsv, out: at("mixed-pages-plain-v2.parquet"), use_dictionary: false, data_page_version: "2.0", data_page_size: 512 },
  {
    csv: mixedCsv,
    out: at("mixed-types.parquet"),
    types: { count: "int32", level: "float32", ratio: "decimal128(12,5)" },
  },
  { csv: mixedCsv, out: at("mixed-bool.parquet"), types: { grade: "bool" }, data_page_version: "2.0" },
  { csv: mixedCsv, out: at("mixed-bool-v1.parquet"), types: { grade: "bool" } },
  { csv: mixedCsv, out: at("mixed-timestamp.parquet"), types: { count: "timestamp[ms]" } },
];
writeParquet(fixtures);

test("Parquet and CSV of the same table give the same Dataset and byte-identical models", async () => {
  for (const [csv, parquet, schema] of [
    [sampleData(), at("petrol.parquet"), { target: "Petrol_Consumption" }],
    [mixedCsv, at("mixed.parquet"), { target: "label" }],
    [mixedCsv, at("mixed.parquet"), { target: "score", features: ["count", "ratio", "level"] }],
    [mixedCsv, at("mixed.parquet"), { target: "grade", features: ["ratio", "count", "level"] }],
    [mixedCsv, at("mixed.parquet"), { target: "count", features: ["ratio", "level", "score"] }],
  ] as const) {
    const fromCsv = (await load([fileSource(csv)], schema)).dataset;
    const fromParquet = await load([fileSource(parquet)], schema);
    assert.deepEqual(plain(fromParquet.dataset), plain(fromCsv), `${parquet} → ${schema.target}`);
    assert.deepEqual(fromParquet.sources, [{ name: parquet, format: "parquet", bytes: statSync(parquet).size, rows: fromCsv.nRows }]);
    // Read whole from a stream (no ranged reads), too.
    assert.deepEqual(plain((await load([streamOnly(parquet)], schema)).dataset), plain(fromCsv));
    assert.equal(await modelHash(fromParquet.dataset, 11), await modelHash(fromCsv, 11), `${parquet} → ${schema.target}`);
  }
  const labels = (await load([fileSource(at("mixed.parquet"))], { target: "label" })).dataset;
  assert.equal(labels.task, "classification");
  assert.deepEqual(labels.classes, ["bird", "cat", "dog", "Émile"]);
  const grades = (await load([fileSource(at("mixed.parquet"))], { target: "grade", features: ["count"] })).dataset;
  assert.deepEqual(grades.classes, ["0", "2", "4", "6", "8"]);
});

test("every codec, row-group and page layout pyarrow writes reads the same", async () => {
  const expected = plain((await load([fileSource(mixedCsv)], { target: "label" })).dataset);
  const layouts = ["mixed-groups", "mixed-gzip", "mixed-zstd", "mixed-plain", "mixed-brotli"];
  for (const name of [...layouts, "mixed-pages-v2", "mixed-pages-plain", "mixed-pages-plain-v2"]) {
    assert.deepEqual(plain((await load([fileSource(at(`${name}.parquet`))], { target: "label" })).dataset), expected, name);
  }
});

test("by ranges, a Parquet file is read a row group at a time, never whole", async () => {
  const path = at("mixed-groups.parquet");
  const size = statSync(path).size;
  const { source, reads } = recorded(path);
  const { dataset } = await load([source], { target: "label" });
  assert.equal(dataset.nRows, 3000);
  // The footer first (at most 64 KiB from the end), then column chunks of one row group at a time.
  assert.equal(reads[0][1], size);
  assert.ok(reads[0][1] - reads[0][0] <= 1 << 16);
  const largest = Math.max(...reads.slice(1).map(([start, end]) => end - start));
  assert.ok(largest < size / 6, `largest read ${largest} of ${size} bytes`);
  assert.ok(reads.length > 6 * 5, `${reads.length} reads`);
});

test("narrower numeric types, nullable ints and decimals are features; missing values stay missing", async () => {
  const csv = (await load([fileSource(mixedCsv)], { target: "label" })).dataset;
  const typed = (await load([fileSource(at("mixed-types.parquet"))], { target: "label" })).dataset;
  assert.deepEqual(Array.from(typed.columns[0]), Array.from(csv.columns[0])); // int32
  assert.deepEqual(Array.from(typed.columns[1]), Array.from(csv.columns[1])); // decimal(12,5) of the same values
  // float32 levels are small integers: exact; missing cells are NaN in both.
  assert.deepEqual(Array.from(typed.columns[2]), Array.from(csv.columns[2]));
  assert.ok(csv.columns[2].some((value) => Number.isNaN(value)));
  assert.deepEqual(typed.classes, csv.classes);
  // Booleans are 1 and 0 (the grades 0, 2, …, 8 cast to bool: false for 0), in version 1 and 2 pages.
  const schema = { target: "label", features: ["grade"] };
  const grades = (await load([fileSource(mixedCsv)], schema)).dataset.columns[0];
  for (const name of ["mixed-bool", "mixed-bool-v1"]) {
    const flags = (await load([fileSource(at(`${name}.parquet`))], schema)).dataset.columns[0];
    assert.deepEqual(
      Array.from(flags),
      Array.from(grades, (grade) => (grade === 0 ? 0 : 1)),
      name,
    );
  }
});

test("a column that cannot be a feature is refused naming the file, the column and its type", async () => {
  const error = await rejection(load([fileSource(at("mixed-timestamp.parquet"), "s3://lake/h=14/part-0.parquet")], { target: "label" }));
  assert.equal(error.code, "UNSUPPORTED_COLUMN");
  assert.equal(
    error.message,
    's3://lake/h=14/part-0.parquet, column 1 "count": the Parquet column is a column of type INT64 TIMESTAMP, which cannot be a feature; features must be numeric (integers, floating point, decimals or booleans)',
  );
  const strings = await rejection(load([fileSource(at("mixed.parquet"), "m.parquet")], { target: "score" }));
  assert.equal(strings.code, "UNSUPPORTED_COLUMN");
  assert.match(
    strings.message,
    /^m\.parquet, column 5 "label": the Parquet column is a string column \(BYTE_ARRAY STRING\), which cannot be a feature/,
  );
});

test("Parquet and gzip CSV parts mix; a Parquet part with other columns is named with the difference", async () => {
  const csvText = readFileSync(mixedCsv, "utf8");
  const [header, ...lines] = csvText.trimEnd().split("\n");
  writeFileSync(at("tail.csv.gz"), gzipSync([header, ...lines.slice(0, 100)].join("\n") + "\n"));
  const both = await load([fileSource(at("mixed.parquet")), fileSource(at("tail.csv.gz"))], { target: "label" });
  assert.equal(both.dataset.nRows, 3100);
  assert.deepEqual(
    both.sources.map((s) => [s.format, s.rows]),
    [
      ["parquet", 3000],
      ["csv.gz", 100],
    ],
  );
  const differ = await rejection(
    load([fileSource(at("tail.csv.gz"), "a.csv.gz"), fileSource(at("petrol.parquet"), "b.parquet")], { target: "label" }),
  );
  assert.equal(differ.code, "COLUMNS_DIFFER");
  assert.match(
    differ.message,
    /^b\.parquet line 1, column "count": the columns differ from those of a\.csv\.gz: it lacks "count", "ratio", "level", "score", "label", "grade"; it has "Petrol_tax"/,
  );
});

test("a Parquet file cut short is refused naming it; a null target names the row as the CSV would", async () => {
  const whole = readFileSync(at("mixed.parquet"));
  writeFileSync(at("cut.parquet"), whole.subarray(0, whole.length - 100));
  for (const source of [fileSource(at("cut.parquet"), "cut.parquet"), streamOnly(at("cut.parquet"), "cut.parquet")]) {
    const error = await rejection(load([source], { target: "label" }));
    assert.equal(error.code, "BAD_PARQUET");
    assert.match(error.message, /^cut\.parquet: the file starts like Parquet but cannot be read \(.+\); is it complete\?$/);
  }
  // "level" has empty cells: as a target, the first one is named by the line it has in the CSV.
  const schema = { target: "level", features: ["count", "ratio"] };
  const csvError = await rejection(load([fileSource(mixedCsv, "t")], schema));
  const parquetError = await rejection(load([fileSource(at("mixed.parquet"), "t")], schema));
  assert.equal(csvError.code, "MISSING_TARGET");
  assert.equal(parquetError.message, csvError.message);
});

async function rejection(promise: Promise<unknown>): Promise<DataError> {
  let caught: unknown;
  await promise.catch((error: unknown) => (caught = error));
  assert.ok(caught instanceof DataError, `expected a DataError, got ${String(caught)}`);
  return caught;
}
