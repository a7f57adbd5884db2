import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { venvBin } from "@canopy/testkit";
import { expandDataTemplate, hasPlaceholders, hourRangeLabel, parseRunRequest, windowHours } from "../src/index.js";

const hour = (iso: string) => new Date(iso);
const TEMPLATE = "s3://lake/events/%Y/%m/%d/%H/part-*.csv.gz";

test("placeholders are the UTC year, month, day and hour; %% is a literal %; any other % stays as written", () => {
  assert.equal(expandDataTemplate(TEMPLATE, hour("2026-12-03T14:00Z")), "s3://lake/events/2026/12/03/14/part-*.csv.gz");
  assert.equal(expandDataTemplate("s3://b/dt=%Y-%m-%d/hr=%H/", hour("2026-01-09T05:00Z")), "s3://b/dt=2026-01-09/hr=05/");
  assert.equal(expandDataTemplate("file:///data/100%%/%H.csv", hour("2026-01-09T05:00Z")), "file:///data/100%/05.csv");
  assert.equal(expandDataTemplate("file:///data/my%20file%y.csv", hour("2026-01-09T05:00Z")), "file:///data/my%20file%y.csv");
  assert.equal(expandDataTemplate("s3://b/%%Y/%Y", hour("2026-01-09T05:00Z")), "s3://b/%Y/2026", "%% is read before the Y after it");
  assert.ok(hasPlaceholders(TEMPLATE));
  assert.ok(!hasPlaceholders("s3://b/100%%/x.csv"));
  assert.ok(!hasPlaceholders("file:///data/my%20file.csv"));
});

test("an hour is UTC whatever the offset it was given in", () => {
  assert.equal(expandDataTemplate(TEMPLATE, hour("2026-03-29T01:30+02:00")), "s3://lake/events/2026/03/28/23/part-*.csv.gz");
});

test("a window is the run's hour and the hours before it, oldest first, across day, month, leap-day and year ends", () => {
  const iso = (dates: Date[]) => dates.map((date) => date.toISOString().slice(0, 13));
  assert.deepEqual(iso(windowHours(hour("2026-12-03T14:00Z"), 3)), ["2026-12-03T12", "2026-12-03T13", "2026-12-03T14"]);
  assert.deepEqual(iso(windowHours(hour("2027-01-01T01:00Z"), 3)), ["2026-12-31T23", "2027-01-01T00", "2027-01-01T01"]);
  assert.deepEqual(iso(windowHours(hour("2028-03-01T00:00Z"), 2)), ["2028-02-29T23", "2028-03-01T00"]);
  assert.deepEqual(iso(windowHours(hour("2026-05-01T00:00Z"), 2)), ["2026-04-30T23", "2026-05-01T00"]);
  assert.deepEqual(iso(windowHours(hour("2026-12-03T14:00Z"), 1)), ["2026-12-03T14"]);
  assert.equal(windowHours(hour("2026-12-03T14:00Z"), 24).length, 24);
  assert.deepEqual(
    windowHours(hour("2027-01-01T00:00Z"), 2).map((date) => expandDataTemplate("%Y/%m/%d/%H/", date)),
    ["2026/12/31/23/", "2027/01/01/00/"],
  );
  // UTC has no daylight saving: the night Europe moves its clocks still has 24 distinct hours.
  const night = windowHours(hour("2026-10-25T23:00Z"), 24).map((date) => expandDataTemplate("%d/%H", date));
  assert.equal(new Set(night).size, 24);
  assert.equal(night[0], "25/00");
});

test("hour ranges read short within a day and in full across days", () => {
  assert.equal(hourRangeLabel("2026-12-03T12:00:00.000Z", "2026-12-03T14:00:00.000Z"), "2026-12-03T12..14");
  assert.equal(hourRangeLabel("2026-12-31T23:00:00.000Z", "2027-01-01T01:00:00.000Z"), "2026-12-31T23..2027-01-01T01");
  assert.equal(hourRangeLabel("2026-12-03T12:00:00.000Z", "2026-12-03T12:00:00.000Z"), "2026-12-03T12");
});

test("the run request keeps the template as written, with the window and the missing-partitions mode", () => {
  const request = parseRunRequest({
    version: 1,
    runDate: "2026-12-03T14:00Z",
    data: TEMPLATE,
    target: "y",
    out: "s3://b/models",
    windowHours: 24,
    missingPartitions: "skip",
  });
  assert.equal(request.data, TEMPLATE);
  assert.equal(request.windowHours, 24);
  assert.equal(request.missingPartitions, "skip");
});

test("the DAG's Python expansion (canopy_airflow.data_url) gives the same URL as the workers' for every case", () => {
  const templates = [
    "s3://lake/events/%Y/%m/%d/%H/",
    "file:///data/100%%/%H.csv",
    "s3://b/%%Y/%Y/my%20file%y.csv",
    "dt=%Y-%m-%d/hr=%H/part-*.gz",
  ];
  const hours = windowHours(hour("2028-03-01T01:00Z"), 30);
  const cases = templates.flatMap((template) => hours.map((at) => ({ template, hour: at.toISOString() })));
  const script = `
import json, sys
from datetime import datetime
from canopy_airflow.data_url import expand_data_url
print(json.dumps([expand_data_url(c["template"], datetime.fromisoformat(c["hour"].replace("Z", "+00:00"))) for c in json.load(sys.stdin)]))
`;
  const python = JSON.parse(
    execFileSync(venvBin("airflow", "python"), ["-c", script], { input: JSON.stringify(cases) }).toString(),
  ) as string[];
  assert.deepEqual(
    python,
    cases.map((c) => expandDataTemplate(c.template, new Date(c.hour))),
  );
});
