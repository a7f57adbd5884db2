import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { test } from "node:test";
import { sampleData } from "@canopy/testkit";
import { DataError, loadCsv, loadCsvFile, loadFeatureTable, type Dataset } from "../src/index.js";
import { Random } from "../src/random.js";
import { pythonReference } from "./python-reference.js";

const PETROL_TARGET = "Petrol_Consumption";

/** A stream that hands out the bytes a few at a time, splitting CRLFs, quotes and UTF-8 sequences. */
function trickle(bytes: Buffer, chunkSize: number): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

function plain(dataset: Dataset) {
  return {
    ...dataset,
    columns: dataset.columns.map((column) => Array.from(column)),
    target: Array.from(dataset.target),
  };
}

test("petrol_consumption.csv loads as a 48-row regression table", async () => {
  const path = sampleData();
  const dataset = await loadCsvFile(path, { target: PETROL_TARGET });
  const lines = readFileSync(path, "utf8").trim().split(/\r?\n/);
  const header = lines[0].split(",");
  const rows = lines.slice(1).map((line) => line.split(",").map(Number));
  assert.equal(dataset.task, "regression");
  assert.equal(dataset.nRows, rows.length);
  assert.equal(dataset.targetName, PETROL_TARGET);
  assert.deepEqual(
    dataset.featureNames,
    header.filter((name) => name !== PETROL_TARGET),
  );
  assert.ok(dataset.featureNames.includes("Population_Driver_licence(%)"));
  const targetIndex = header.indexOf(PETROL_TARGET);
  assert.deepEqual(
    Array.from(dataset.target),
    rows.map((row) => row[targetIndex]),
  );
  dataset.featureNames.forEach((name, f) => {
    assert.deepEqual(
      Array.from(dataset.columns[f]),
      rows.map((row) => row[header.indexOf(name)]),
      name,
    );
  });
  assert.equal(dataset.classes, undefined);
});

test("a UTF-8 BOM, CRLF line ends and a quoted header with (%) read the same as the plain file", async () => {
  const text = readFileSync(sampleData(), "utf8");
  const plainDataset = await loadCsv(text, { target: PETROL_TARGET });
  const lines = text.trim().split(/\r?\n/);
  const quotedHeader = lines[0]
    .split(",")
    .map((name) => `"${name}"`)
    .join(",");
  const windows = "\ufeff" + [quotedHeader, ...lines.slice(1)].join("\r\n") + "\r\n";
  for (const input of [windows, Buffer.from(windows, "utf8"), trickle(Buffer.from(windows, "utf8"), 3)]) {
    const dataset = await loadCsv(input, { target: PETROL_TARGET });
    assert.deepEqual(plain(dataset), plain(plainDataset));
    assert.equal(dataset.featureNames[3], "Population_Driver_licence(%)");
  }
});

test("quoted fields with commas, quotes and line breaks in ignored columns; UTF-8 split across chunks", async () => {
  const text = 'id,comment,x,label\n1,"fine, thanks",0.5,café\n2,"she said ""hi""",1.5,naïve\n3,"two\nlines",2.5,café\n';
  for (const chunkSize of [1, 2, 7, 1000]) {
    const dataset = await loadCsv(trickle(Buffer.from(text, "utf8"), chunkSize), { target: "label", features: ["x"] });
    assert.deepEqual(dataset.featureNames, ["x"]);
    assert.deepEqual(Array.from(dataset.columns[0]), [0.5, 1.5, 2.5]);
    assert.deepEqual(dataset.classes, ["café", "naïve"]);
    assert.deepEqual(Array.from(dataset.target), [0, 1, 0]);
  }
});

test("empty cells and missing-value markers are NaN; other columns still parse", async () => {
  const text = "a,b,y\n1,,1\n ,2,2\nNA,3,3\nNaN,N/A,4\nnull,  5  ,5\n6,1e-3,6\n-7.25,+8,7\n";
  const dataset = await loadCsv(text, { target: "y", task: "regression" });
  const [a, b] = dataset.columns;
  assert.deepEqual(Array.from(a), [1, NaN, NaN, NaN, NaN, 6, -7.25]);
  assert.deepEqual(Array.from(b), [NaN, 2, 3, NaN, 5, 0.001, 8]);
  // A custom list: only "?" is missing; an empty cell is then a bad value.
  const custom = await loadCsv("a,y\n?,1\n2,2\n", { target: "y", missingValues: ["?"] });
  assert.deepEqual(Array.from(custom.columns[0]), [NaN, 2]);
  await assert.rejects(loadCsv("a,y\n,1\n2,2\n", { target: "y", missingValues: ["?"] }), (error: unknown) => {
    return error instanceof DataError && error.code === "NOT_A_NUMBER" && error.row === 2;
  });
});

test("task inference: integers with few distinct values are classes, anything else numeric is regression", async () => {
  const table = (values: (string | number)[]) => "x,y\n" + values.map((v, i) => `${i},${v}`).join("\n");
  const infer = async (values: (string | number)[], maxClasses?: number) =>
    (await loadCsv(table(values), { target: "y", maxClasses })).task;
  assert.equal(await infer([0, 1, 1, 0]), "classification");
  assert.equal(await infer(["1.0", "2.0", "1"]), "classification", "1.0 is an integer value");
  assert.equal(await infer([0.5, 1, 1.5]), "regression", "a non-integer value");
  const twenty = Array.from({ length: 20 }, (_, i) => i);
  const twentyOne = Array.from({ length: 21 }, (_, i) => i);
  assert.equal(await infer(twenty), "classification", "20 distinct integers");
  assert.equal(await infer(twentyOne), "regression", "21 distinct integers");
  assert.equal(await infer(twentyOne, 30), "classification", "maxClasses raised");
  assert.equal(await infer(["yes", "no", "yes"]), "classification");
  // A given task wins over inference.
  const forced = await loadCsv(table([0.5, 1, 1.5, 1]), { target: "y", task: "classification" });
  assert.equal(forced.task, "classification");
  assert.deepEqual(forced.classes, ["0.5", "1", "1.5"]);
  assert.deepEqual(Array.from(forced.target), [0, 1, 2, 1]);
  const regression = await loadCsv(table([0, 1, 1, 0]), { target: "y", task: "regression" });
  assert.deepEqual(Array.from(regression.target), [0, 1, 1, 0]);
});

test("class labels are ordered as scikit-learn orders them", async () => {
  const cases: { labels: string[]; numeric: boolean }[] = [
    { labels: ["10", "9", "2", "10", "-1"], numeric: true },
    { labels: ["b", "B", "a", "10", "9", "Z", "é", "e"], numeric: false },
    { labels: ["2", "10", "x"], numeric: false },
    { labels: ["\u{1F332}", "\uFFFD", "\uE000", "a"], numeric: false },
  ];
  const answers = pythonReference<{ classes: string[] }>(
    cases.map(({ labels, numeric }) => ({ kind: "unique", labels: numeric ? labels.map(Number) : labels })),
  );
  for (const [i, { labels, numeric }] of cases.entries()) {
    const csv = "x,y\n" + labels.map((label, row) => `${row},"${label}"`).join("\n");
    const dataset = await loadCsv(csv, { target: "y", task: "classification" });
    const expected = numeric ? answers[i].classes.map((c) => String(Number(c))) : answers[i].classes;
    assert.deepEqual(dataset.classes, expected, `labels ${JSON.stringify(labels)}`);
    // Each row's class index points at its own label.
    labels.forEach((label, row) => {
      const own = numeric ? String(Number(label)) : label;
      assert.equal(dataset.classes![dataset.target[row]], own);
    });
  }
});

test("a given feature list picks and orders columns; unused columns are not parsed", async () => {
  const text = "name,b,y,a\nalpha,2,1,3\nbeta,4,0,5\n";
  const dataset = await loadCsv(text, { target: "y", features: ["a", "b"] });
  assert.deepEqual(dataset.featureNames, ["a", "b"]);
  assert.deepEqual(
    dataset.columns.map((c) => Array.from(c)),
    [
      [3, 5],
      [2, 4],
    ],
  );
});

test("an empty header name becomes 'Unnamed: <index>' as pandas names it", async () => {
  const dataset = await loadCsv(",x,y\n0,1,0\n1,2,1\n", { target: "y" });
  assert.deepEqual(dataset.featureNames, ["Unnamed: 0", "x"]);
});

test("many rows grow the columns without losing or reordering values", async () => {
  const random = new Random(11);
  const n = 25_000;
  const x = Array.from({ length: n }, () => Math.round(random.nextFloat() * 1e6) / 1e3);
  const labels = ["setosa", "versicolor", "virginica"];
  const y = Array.from({ length: n }, () => labels[random.nextInt(3)]);
  const text = "x,species\n" + x.map((value, i) => `${i % 97 === 0 ? "" : value},${y[i]}`).join("\n");
  const dataset = await loadCsv(trickle(Buffer.from(text), 4096), { target: "species" });
  assert.equal(dataset.nRows, n);
  assert.deepEqual(
    Array.from(dataset.columns[0]),
    x.map((value, i) => (i % 97 === 0 ? NaN : value)),
  );
  assert.deepEqual(
    Array.from(dataset.target, (c) => dataset.classes![c]),
    y,
  );
});

test("loadFeatureTable reads the model's features and ignores the rest, target included", async () => {
  const table = await loadFeatureTable("id,b,a,y\nx,1,2,\nz,3,,1\n", { features: ["a", "b"] });
  assert.equal(table.nRows, 2);
  assert.deepEqual(table.featureNames, ["a", "b"]);
  assert.deepEqual(
    table.columns.map((c) => Array.from(c)),
    [
      [2, NaN],
      [1, 3],
    ],
  );
  await assert.rejects(
    loadFeatureTable("b\n1\n", { features: ["a"], source: "in.csv" }),
    /^DataError: in\.csv line 1, column "a": the feature column "a" is not in the header; the columns are: "b"$/,
  );
});

test("loadCsvFile names the path in its errors", async () => {
  await assert.rejects(loadCsvFile(sampleData(), { target: "nope" }), (error: unknown) => {
    assert.ok(error instanceof DataError);
    assert.ok(error.message.startsWith(`${sampleData()} line 1, column "nope": the target column "nope" is not in the header`));
    assert.equal(error.source, sampleData());
    return true;
  });
});

test("numbers read from the bytes are exactly Number(text), for every spelling the fast path takes or declines", async () => {
  const random = new Random(11);
  const spellings = [
    "0",
    "-0",
    "+0",
    "0.0",
    "-0.0",
    "007",
    "1.",
    ".5",
    "-.5e-3",
    "5.e3",
    "1e22",
    "1e23",
    "1e-22",
    "1e-23",
    "123456789012345",
    "1234567890123456",
    "0.000000000000000000001",
    "9007199254740993",
    "1.7976931348623157e308",
    "4.9e-324",
    "2.2250738585072014e-308",
    "123.456e-7",
    "1E5",
    "1e+5",
    "1e0005",
    "0.1",
    "0.2",
    "0.30000000000000004",
    "99999999999999.9",
    "999999999999999.9",
    // 16 significant digits: taken when the mantissa is below 2^53, declined from it on.
    "9007199254740991",
    "9007199254740992",
    "9007199254740993",
    "0.9007199254740991",
    "0.9007199254740992",
    "0.5488135039273248",
    "17.30046794110124",
    "-8.999999999999999e-5",
    "1.000000000000000",
    "0.00000000000000001234567890123456",
  ];
  for (let i = 0; i < 3000; i++) {
    const digits = 1 + random.nextInt(18);
    let text = Array.from({ length: digits }, () => String(random.nextInt(10))).join("");
    const point = random.nextInt(digits + 1);
    if (random.nextInt(3) > 0) text = `${text.slice(0, point)}.${text.slice(point)}`;
    if (random.nextInt(4) === 0) text += `e${random.nextInt(2) === 0 ? "-" : ""}${random.nextInt(40)}`;
    if (random.nextInt(3) === 0) text = `-${text}`;
    if (Number.isFinite(Number(text))) spellings.push(text);
  }
  const csv = "x,y\n" + spellings.map((text, row) => `${text},${row}`).join("\n") + "\n";
  const dataset = await loadCsv(csv, { target: "y", task: "regression" });
  spellings.forEach((text, row) =>
    assert.ok(Object.is(dataset.columns[0][row], Number(text)), `${text}: ${dataset.columns[0][row]} ≠ ${Number(text)}`),
  );
});

test("CR line ends, a BOM split across chunks, quotes inside unquoted fields and another delimiter", async () => {
  const text = "\ufeffa;b;y\r1;2;3\r4;5;6\r";
  for (const chunkSize of [1, 2, 1000]) {
    const dataset = await loadCsv(trickle(Buffer.from(text, "utf8"), chunkSize), { target: "y", delimiter: ";" });
    assert.deepEqual(dataset.featureNames, ["a", "b"]);
    assert.deepEqual(plain(dataset).columns, [
      [1, 4],
      [2, 5],
    ]);
  }
  // A quote inside an unquoted field is text (as Python's csv reads it), so only a label can hold one.
  const labels = await loadCsv('x,label\n1,a"b\n2,c\n', { target: "label" });
  assert.deepEqual(labels.classes, ['a"b', "c"]);
  // The last record needs no line break; a trailing delimiter is an empty (missing) last field.
  const noBreak = await loadCsv("x,z,y\n1,,2\n3,4,5", { target: "y" });
  assert.deepEqual(plain(noBreak).columns, [
    [1, 3],
    [NaN, 4],
  ]);
  await assert.rejects(loadCsv("a,y\n1,2\n", { target: "y", delimiter: "::" }), /delimiter must be one ASCII character/);
});
