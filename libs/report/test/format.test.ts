import assert from "node:assert/strict";
import { test } from "node:test";
import { niceAxis } from "../src/charts/scale.js";
import { formatBytes, formatDuration, formatNumber, formatPercent, formatRunHour, formatUtc } from "../src/format.js";

test("formatNumber keeps 4 significant digits, groups thousands and never prints a tiny value as 0", () => {
  assert.equal(formatNumber(48.29999999), "48.3");
  assert.equal(formatNumber(0.123456), "0.1235");
  assert.equal(formatNumber(3494.2345), "3,494.2");
  assert.equal(formatNumber(-0.5), "-0.5");
  assert.equal(formatNumber(0), "0");
  assert.equal(formatNumber(1.2e-7), "1.20e-7");
  assert.equal(formatNumber(null), "n/a");
  assert.equal(formatNumber(Number.NaN), "n/a");
});

test("formatPercent, formatDuration and formatBytes pick readable units", () => {
  assert.equal(formatPercent(0.9), "90.0%");
  assert.equal(formatPercent(null), "n/a");
  assert.equal(formatDuration(412.6), "413 ms");
  assert.equal(formatDuration(1840), "1.84 s");
  assert.equal(formatDuration(42_000), "42.0 s");
  assert.equal(formatDuration(125_000), "2 min 05 s");
  assert.equal(formatDuration(3_720_000), "1 h 02 min");
  assert.equal(formatBytes(812), "812 B");
  assert.equal(formatBytes(1429), "1.4 KiB");
  assert.equal(formatBytes(5 * 1024 * 1024), "5.0 MiB");
});

test("run hours and timestamps are shown in UTC whatever the offset given", () => {
  assert.equal(formatRunHour("2026-03-04T07:00+02:00"), "2026-03-04 05:00–06:00 UTC");
  assert.equal(formatRunHour("2026-12-31T23:00:00Z"), "2026-12-31 23:00–00:00 UTC");
  assert.equal(formatUtc("2026-03-04T06:00:41.112Z"), "2026-03-04 06:00:41 UTC");
  assert.equal(formatUtc("2026-03-04T06:00:00Z"), "2026-03-04 06:00 UTC");
});

test("niceAxis covers the data with 1-2-5 steps and formats ticks at the step's precision", () => {
  const axis = niceAxis(344, 968);
  assert.ok(axis.min <= 344 && axis.max >= 968);
  assert.deepEqual(axis.ticks, [300, 400, 500, 600, 700, 800, 900, 1000]);
  assert.equal(axis.format(1000), "1,000");

  const small = niceAxis(0, 0.577, 4);
  assert.deepEqual(small.ticks, [0, 0.2, 0.4, 0.6]);
  assert.equal(small.format(0.2), "0.2");

  const flat = niceAxis(5, 5);
  assert.ok(flat.min < 5 && flat.max > 5, "a single value sits inside the axis, not on its edge");
});
