import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RunDateError, parseRunDate, parseRunId, runFolder, runIdOf } from "../src/index.js";

const iso = (input: string) => parseRunDate(input).toISOString();

describe("run date parsing", () => {
  it("accepts the documented forms and floors to the hour in UTC", () => {
    assert.equal(iso("2026-03-04"), "2026-03-04T00:00:00.000Z");
    assert.equal(iso("2026-03-04T05"), "2026-03-04T05:00:00.000Z");
    assert.equal(iso("2026-03-04T05:59"), "2026-03-04T05:00:00.000Z");
    assert.equal(iso("2026-03-04T05:59:59"), "2026-03-04T05:00:00.000Z");
    assert.equal(iso("2026-03-04T05:59:59.999Z"), "2026-03-04T05:00:00.000Z");
    assert.equal(iso("2026-03-04T05:00:00Z"), "2026-03-04T05:00:00.000Z");
  });

  it("treats a timestamp without an offset as UTC, whatever the machine's time zone", () => {
    assert.equal(iso("2026-03-04T05:30:00"), "2026-03-04T05:00:00.000Z");
  });

  it("converts offsets to UTC instead of ignoring them", () => {
    assert.equal(iso("2026-03-04T07:30+02:00"), "2026-03-04T05:00:00.000Z");
    assert.equal(iso("2026-03-04T07:30:00+0200"), "2026-03-04T05:00:00.000Z");
    assert.equal(iso("2026-03-03T23:30-05:30"), "2026-03-04T05:00:00.000Z");
    // Offsets move the date across day, month and year boundaries.
    assert.equal(iso("2026-01-01T01:00+02:00"), "2025-12-31T23:00:00.000Z");
    assert.equal(iso("2026-02-28T22:15-03:00"), "2026-03-01T01:00:00.000Z");
    // Half-hour offsets can land in the previous hour.
    assert.equal(iso("2026-03-04T05:15+05:30"), "2026-03-03T23:00:00.000Z");
  });

  it("rejects garbage with the message the command line shows", () => {
    assert.throws(() => parseRunDate("tomorrow"), {
      name: "RunDateError",
      message: 'invalid run date "tomorrow": expected an ISO-8601 timestamp such as 2026-03-04T05:00:00Z',
    });
    for (const bad of ["", "2026", "2026-3-4", "2026-03-04T5", "04/03/2026", "2026-03-04T05:00Zjunk", "1772600400", "2026-03-04T05:00+2"]) {
      assert.throws(() => parseRunDate(bad), RunDateError, bad);
    }
  });

  it("rejects dates and times that do not exist, saying which part is wrong", () => {
    assert.throws(() => parseRunDate("2026-02-29"), /day 29 does not exist in 2026-02/);
    assert.equal(iso("2028-02-29T12Z"), "2028-02-29T12:00:00.000Z");
    assert.throws(() => parseRunDate("2026-13-01"), /month 13 is out of range/);
    assert.throws(() => parseRunDate("2026-03-04T24:00Z"), /hour 24 is out of range/);
    assert.throws(() => parseRunDate("2026-03-04T05:60Z"), /minute 60 is out of range/);
    assert.throws(() => parseRunDate("2026-03-04T05:00+25:00"), /offset \+25:00 is out of range/);
  });

  it("accepts a Date and rejects an invalid one", () => {
    assert.equal(parseRunDate(new Date("2026-03-04T05:42:00Z")).toISOString(), "2026-03-04T05:00:00.000Z");
    assert.throws(() => parseRunDate(new Date("nope")), RunDateError);
  });
});

describe("run folders and ids", () => {
  it("maps a run date to YYYY/MM/DD/HH and YYYYMMDDHH under any root", () => {
    const s3 = runFolder("s3://bucket/models", "2026-03-04T07:30+02:00");
    assert.equal(s3.runId, "2026030405");
    assert.equal(s3.path, "2026/03/04/05");
    assert.equal(s3.url, "s3://bucket/models/2026/03/04/05/");
    assert.equal(s3.runDate.toISOString(), "2026-03-04T05:00:00.000Z");
    assert.equal(runFolder("s3://bucket/models/", "2026-03-04T05Z").url, "s3://bucket/models/2026/03/04/05/");
    assert.equal(runFolder("file:models", "2026-12-31T23:59Z").url, "file:models/2026/12/31/23/");
    assert.equal(runFolder("/srv/models", "2026-01-02").url, "/srv/models/2026/01/02/00/");
  });

  it("reads a run id back and rejects malformed ones", () => {
    assert.equal(parseRunId("2026030405").toISOString(), "2026-03-04T05:00:00.000Z");
    assert.equal(runIdOf(parseRunId("2026030405")), "2026030405");
    assert.throws(() => parseRunId("2026-03-04"), /invalid run id "2026-03-04": expected YYYYMMDDHH/);
    assert.throws(() => parseRunId("2026023005"), /not a real hour/);
    assert.throws(() => parseRunId("2026030424"), /not a real hour/);
  });
});
