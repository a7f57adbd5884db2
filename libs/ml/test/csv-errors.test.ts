import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { test } from "node:test";
import { DataError, loadCsv, type CsvSchema } from "../src/index.js";

/** Loads and expects a DataError with these fields; returns it for message checks. */
async function expectDataError(
  text: string,
  schema: Partial<CsvSchema>,
  expected: { code: DataError["code"]; row?: number; column?: string; columnNumber?: number; message: RegExp | string },
): Promise<DataError> {
  try {
    await loadCsv(text, { target: "y", source: "data.csv", ...schema });
  } catch (error) {
    assert.ok(error instanceof DataError, `expected a DataError, got ${String(error)}`);
    assert.equal(error.code, expected.code, error.message);
    assert.equal(error.row, expected.row, `row of: ${error.message}`);
    assert.equal(error.column, expected.column, `column of: ${error.message}`);
    assert.equal(error.columnNumber, expected.columnNumber, `column number of: ${error.message}`);
    if (typeof expected.message === "string") assert.equal(error.message, expected.message);
    else assert.match(error.message, expected.message);
    return error;
  }
  assert.fail("expected loadCsv to throw");
}

test("a non-numeric feature value names its line and column", async () => {
  await expectDataError(
    "a,b,y\n1,2,3\n4,5,6\n7,abc,9\n",
    {},
    {
      code: "NOT_A_NUMBER",
      row: 4,
      column: "b",
      columnNumber: 2,
      message: 'data.csv line 4, column 2 "b": "abc" is not a number; features must be numeric (leave the cell empty for a missing value)',
    },
  );
});

test("line numbers count blank lines, CRLF and line breaks inside quoted fields, as an editor does", async () => {
  // Line 1 header, 2 data, 3 blank, 4–5 one record with a quoted line break, 6 the bad value.
  const text = 'note,x,y\r\n"a",1,2\r\n\r\n"two\r\nlines",3,4\r\n"c",oops,5\r\n';
  await expectDataError(
    text,
    { features: ["x"] },
    {
      code: "NOT_A_NUMBER",
      row: 6,
      column: "x",
      columnNumber: 2,
      message: /^data\.csv line 6, column 2 "x": "oops" is not a number/,
    },
  );
});

test("JavaScript-only number spellings are not numbers", async () => {
  for (const cell of ["0x1F", "Infinity", "-Infinity", "1,5", "0b11"]) {
    await expectDataError(
      `a,y\n1,1\n"${cell}",2\n`,
      {},
      {
        code: "NOT_A_NUMBER",
        row: 3,
        column: "a",
        columnNumber: 1,
        message: new RegExp(`line 3, column 1 "a": ${JSON.stringify(cell)} is not a number`),
      },
    );
  }
});

test("a row with too few values names the first missing column", async () => {
  await expectDataError(
    "a,b,y\n1,2,3\n4,5\n",
    {},
    {
      code: "RAGGED_ROW",
      row: 3,
      column: "y",
      columnNumber: 3,
      message: 'data.csv line 3, column 3 "y": the row has 2 values, the header has 3 columns (this column and any after it are missing)',
    },
  );
});

test("a row with too many values names the first extra column", async () => {
  await expectDataError(
    "a,b,y\n1,2,3\n\n4,5,6,7\n",
    {},
    {
      code: "RAGGED_ROW",
      row: 4,
      columnNumber: 4,
      message: "data.csv line 4, column 4: the row has 4 values, the header has 3 columns (this column and any after it are extra)",
    },
  );
});

test("duplicate header names", async () => {
  await expectDataError(
    "a,b,a,y\n1,2,3,4\n",
    {},
    {
      code: "DUPLICATE_HEADER",
      row: 1,
      column: "a",
      columnNumber: 3,
      message: 'data.csv line 1, column 3 "a": the header names "a" twice (columns 1 and 3); column names must be unique',
    },
  );
});

test("an empty file, a file of blank lines, a BOM alone", async () => {
  for (const text of ["", "\n\n\n", "\r\n\r\n", "\ufeff"]) {
    await expectDataError(
      text,
      {},
      {
        code: "EMPTY_FILE",
        message: "data.csv: the file is empty; expected a header line and data rows",
      },
    );
  }
});

test("a header-only file", async () => {
  for (const text of ["a,y", "a,y\r\n", "\ufeffa,y\n\n"]) {
    await expectDataError(
      text,
      {},
      {
        code: "NO_DATA_ROWS",
        row: 2,
        message: "data.csv line 2: the file has a header line but no data rows",
      },
    );
  }
});

test("a target with a single value", async () => {
  await expectDataError(
    "a,y\n1,5\n2,5.0\n3,5\n",
    {},
    {
      code: "SINGLE_TARGET_VALUE",
      column: "y",
      columnNumber: 2,
      message: 'data.csv, column 2 "y": the target has the same value ("5") on all 3 rows; there is nothing to learn',
    },
  );
  await expectDataError(
    "a,y\n1,cat\n2,cat\n",
    {},
    {
      code: "SINGLE_TARGET_VALUE",
      column: "y",
      columnNumber: 2,
      message: /the target has the same value \("cat"\) on all 2 rows/,
    },
  );
});

test("a target column not in the header lists the columns there are", async () => {
  await expectDataError(
    "Petrol_tax,Petrol_Consumption\n1,2\n",
    { target: "petrol_consumption" },
    {
      code: "TARGET_NOT_IN_HEADER",
      row: 1,
      column: "petrol_consumption",
      message:
        'data.csv line 1, column "petrol_consumption": the target column "petrol_consumption" is not in the header (did you mean "Petrol_Consumption"?); the columns are: "Petrol_tax", "Petrol_Consumption"',
    },
  );
});

test("a feature not in the header lists the columns there are", async () => {
  await expectDataError(
    "a,b,y\n1,2,3\n",
    { features: ["a", "c"] },
    {
      code: "FEATURE_NOT_IN_HEADER",
      row: 1,
      column: "c",
      message: 'data.csv line 1, column "c": the feature column "c" is not in the header; the columns are: "a", "b", "y"',
    },
  );
});

test("a missing target value names its line", async () => {
  for (const cell of ["", "NA"]) {
    await expectDataError(
      `a,y\n1,2\n3,${cell}\n4,5\n`,
      {},
      {
        code: "MISSING_TARGET",
        row: 3,
        column: "y",
        columnNumber: 2,
        message: new RegExp(`^data\\.csv line 3, column 2 "y": the target value is missing`),
      },
    );
  }
});

test("a non-numeric value in a regression target names its line", async () => {
  await expectDataError(
    "a,y\n1,2.5\n3,high\n",
    { task: "regression" },
    {
      code: "NOT_A_NUMBER",
      row: 3,
      column: "y",
      columnNumber: 2,
      message: 'data.csv line 3, column 2 "y": "high" is not a number, and a regression target must be numeric',
    },
  );
});

test("schema mistakes: the target as a feature, a repeated feature, an empty list, no feature columns", async () => {
  await expectDataError(
    "a,y\n1,2\n",
    { features: ["a", "y"] },
    {
      code: "BAD_SCHEMA",
      column: "y",
      message: 'data.csv, column "y": "y" is the target; it cannot also be a feature',
    },
  );
  await expectDataError(
    "a,y\n1,2\n",
    { features: ["a", "a"] },
    {
      code: "BAD_SCHEMA",
      message: 'data.csv: the feature list names "a" twice',
    },
  );
  await expectDataError("a,y\n1,2\n", { features: [] }, { code: "BAD_SCHEMA", message: "data.csv: the feature list is empty" });
  await expectDataError(
    "y\n1\n2\n",
    {},
    {
      code: "BAD_SCHEMA",
      row: 1,
      message: "data.csv line 1: the file has only the target column; there are no features to learn from",
    },
  );
});

test("malformed quoting is reported with its line", async () => {
  await expectDataError(
    'a,y\n1,2\n"3,4\n',
    {},
    {
      code: "MALFORMED_CSV",
      row: 3,
      message:
        'data.csv line 3: the CSV is malformed: a quoted field starts on this line and is never closed (a quote inside a field is written "")',
    },
  );
  await expectDataError(
    'a,y\n1,2\n"3"x,4\n',
    {},
    {
      code: "MALFORMED_CSV",
      row: 3,
      message: /^data\.csv line 3: the CSV is malformed: a closing quote in field 1 is followed by "x"; a quoted field ends with a quote/,
    },
  );
  // The line is the one the bad quote is on, after line breaks inside the field.
  await expectDataError(
    'a,y\n"1\r\n2\r\n"x,4\n',
    {},
    {
      code: "MALFORMED_CSV",
      row: 4,
      message: /^data\.csv line 4: the CSV is malformed: a closing quote in field 1/,
    },
  );
});

test("a failing input stream rejects with its own error and is not swallowed", async () => {
  const failing = new Readable({
    read() {
      this.push("a,y\n1,2\n");
      this.destroy(new Error("connection reset by peer"));
    },
  });
  await assert.rejects(loadCsv(failing, { target: "y" }), /connection reset by peer/);
});

test("an error stops reading and releases the input stream", async () => {
  let pulls = 0;
  const endless = new Readable({
    read() {
      pulls++;
      this.push(pulls === 1 ? "a,y\nbad,1\n" : "1,2\n".repeat(1000));
    },
  });
  await assert.rejects(loadCsv(endless, { target: "y" }), (error: unknown) => error instanceof DataError && error.row === 2);
  assert.ok(endless.destroyed, "the source stream is destroyed");
});
