import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { test } from "node:test";
import { DataError, loadCsv } from "../src/index.js";
import { quoted, quotedList } from "../src/data/quoted.js";

async function failure(input: string | Uint8Array): Promise<DataError> {
  try {
    await loadCsv(input, { target: "y", source: "data.csv" });
  } catch (error) {
    assert.ok(error instanceof DataError, `expected a DataError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected loadCsv to throw");
}

test("a 1 MiB field is quoted as an excerpt with its length: one line under 1,000 characters", async () => {
  const error = await failure(`a,b,y\n1,${"x".repeat(1 << 20)},3\n2,3,4\n`);
  assert.equal(error.code, "NOT_A_NUMBER");
  assert.ok(error.message.length < 1_000, `${error.message.length} characters`);
  assert.doesNotMatch(error.message, /\n/);
  assert.match(error.message, /^data\.csv line 2, column 2 "b": "x{80}"… \(1,048,576 characters\) is not a number/);
});

test("a header of 20,000 columns lists 20 of them and says how many more", async () => {
  const names = Array.from({ length: 20_000 }, (_, i) => `c${i}`);
  const error = await failure(`${names.join(",")}\n${names.map(() => "1").join(",")}\n`);
  assert.equal(error.code, "TARGET_NOT_IN_HEADER");
  assert.ok(error.message.length < 1_000, `${error.message.length} characters`);
  assert.match(error.message, /the columns are: "c0", "c1", .*"c19" and 19,980 more$/);
});

test("a binary file is named as binary, plain or inside gzip, not read as a giant header", async () => {
  // Bytes that are neither gzip nor Parquet, with random bytes but no NUL before offset 1,000, then one.
  const bytes = randomBytes(65_536).map((byte) => byte | 1);
  bytes[0] = 0x43;
  bytes[1000] = 0;
  for (const [input, what] of [
    [bytes, "file"],
    [gzipSync(bytes), "decompressed file"],
  ] as const) {
    const error = await failure(new Uint8Array(input));
    assert.equal(error.code, "BINARY_INPUT", error.message);
    assert.match(error.message, new RegExp(`^data\\.csv: the ${what} looks binary \\(a NUL byte at offset 1,000\\), not CSV`));
    assert.ok(error.message.length < 200);
  }
});

test("quoted() keeps short values whole and cuts long ones at 80 characters; quotedList() at 20 names", () => {
  assert.equal(quoted("Petrol_tax"), '"Petrol_tax"');
  assert.equal(quoted("a".repeat(80)), JSON.stringify("a".repeat(80)));
  assert.equal(quoted("a".repeat(81)), `${JSON.stringify("a".repeat(80))}… (81 characters)`);
  assert.equal(quotedList(["a", "b"]), '"a", "b"');
  assert.match(quotedList(Array.from({ length: 21 }, (_, i) => `n${i}`)), /"n19" and 1 more$/);
});
