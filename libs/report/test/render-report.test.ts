import assert from "node:assert/strict";
import { test } from "node:test";
import { ReportInputError, classScores, renderReport, type ReportInput } from "../src/index.js";
import { classificationInput, regressionInput } from "./fixtures.js";

function count(html: string, needle: string): number {
  return html.split(needle).length - 1;
}

/** The markup of the element carrying data-chart="<name>" (charts are <svg> elements). */
function chart(html: string, name: string): string {
  const start = html.indexOf(`data-chart="${name}"`);
  assert.ok(start >= 0, `chart ${name} is missing`);
  const open = html.lastIndexOf("<svg", start);
  return html.slice(open, html.indexOf("</svg>", start) + "</svg>".length);
}

test("a regression report has the importances bar chart and a scatter of every held-out row", () => {
  const input = regressionInput();
  const html = renderReport(input);
  assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
  assert.equal(count(html, "data-chart="), 2);
  const bars = chart(html, "importances");
  assert.equal(count(bars, 'data-role="bar"'), Object.keys(input.importances).length);
  const scatter = chart(html, "scatter");
  assert.equal(count(scatter, 'data-role="point"'), input.heldOut.actual.length);
  assert.equal(count(scatter, 'data-role="diagonal"'), 1);
  assert.ok(count(scatter, 'data-role="x-tick"') >= 3, "the x axis has ticks");
  assert.ok(count(scatter, 'data-role="y-tick"') >= 3, "the y axis has ticks");
  assert.match(scatter, /<title id="scatter-title">Predicted vs actual Petrol_Consumption<\/title>/);
  assert.doesNotMatch(html, /data-chart="confusion"/);
});

test("importance bars are sorted largest first and carry their values", () => {
  const input = regressionInput();
  const bars = [...chart(renderReport(input), "importances").matchAll(/data-feature="([^"]*)" data-value="([^"]*)"/g)];
  const expected = Object.entries(input.importances).sort((a, b) => b[1] - a[1]);
  assert.deepEqual(
    bars.map((m) => [m[1], Number(m[2])]),
    expected,
  );
});

test("importance bar widths are proportional to the importances", () => {
  const html = renderReport(regressionInput());
  const widths = [...chart(html, "importances").matchAll(/data-value="([^"]*)" x="[^"]*" y="[^"]*" width="([^"]*)"/g)].map((m) => ({
    value: Number(m[1]),
    width: Number(m[2]),
  }));
  const ratio = widths[0].width / widths[0].value;
  for (const { value, width } of widths) assert.ok(Math.abs(width - value * ratio) < 0.02, `bar for ${value} is ${width}px`);
});

test("the scatter puts a perfect prediction on the y = x diagonal", () => {
  const input = regressionInput();
  const perfect = { ...input, heldOut: { actual: [400, 500, 900], predicted: [400, 500, 900] } };
  const scatter = chart(renderReport(perfect), "scatter");
  const diagonal = scatter.match(/data-role="diagonal" x1="([^"]*)" y1="([^"]*)" x2="([^"]*)" y2="([^"]*)"/);
  assert.ok(diagonal);
  const [x1, y1, x2, y2] = diagonal.slice(1).map(Number);
  for (const m of scatter.matchAll(/data-role="point" cx="([^"]*)" cy="([^"]*)"/g)) {
    const [cx, cy] = [Number(m[1]), Number(m[2])];
    // Cross product of (p - p1) and (p2 - p1) is zero for a point on the line.
    const cross = (cx - x1) * (y2 - y1) - (cy - y1) * (x2 - x1);
    assert.ok(Math.abs(cross) / Math.hypot(x2 - x1, y2 - y1) < 0.05, `point ${cx},${cy} is off the diagonal`);
  }
});

test("a classification report has a confusion heat map with one cell per class pair, with counts", () => {
  const input = classificationInput();
  const html = renderReport(input);
  assert.equal(count(html, "data-chart="), 2);
  assert.doesNotMatch(html, /data-chart="scatter"/);
  const matrix = chart(html, "confusion");
  const cells = [...matrix.matchAll(/data-role="cell" data-actual="([^"]*)" data-predicted="([^"]*)" data-count="(\d+)"/g)];
  assert.equal(cells.length, 9);
  const { labels, counts } = input.metrics.confusion;
  for (const [, actual, predicted, n] of cells) {
    assert.equal(Number(n), counts[labels.indexOf(actual)][labels.indexOf(predicted)]);
  }
  assert.equal(count(chart(html, "importances"), 'data-role="bar"'), 4);
  assert.match(html, /data-metric="accuracy">\s*<div class="name">Accuracy<\/div>\s*<div class="value">0\.900<\/div>/);
  assert.match(
    html,
    /<tr data-class="versicolor"><td class="name">versicolor<\/td><td class="num">0\.889<\/td><td class="num">0\.800<\/td>/,
  );
});

test("per-class scores match the definitions of precision and recall", () => {
  const scores = classScores({
    labels: ["a", "b"],
    counts: [
      [3, 1],
      [0, 0],
    ],
  });
  assert.deepEqual(scores, [
    { label: "a", precision: 1, recall: 0.75, f1: (2 * 0.75) / 1.75, support: 4 },
    { label: "b", precision: 0, recall: 0, f1: 0, support: 0 },
  ]);
});

test("numbers are formatted for reading: metrics, data summary, timings, input", () => {
  const input = regressionInput();
  const html = renderReport(input);
  const r2 = input.metrics.r2 as number;
  assert.match(
    html,
    new RegExp(
      `data-metric="r2">\\s*<div class="name">R²</div>\\s*<div class="value">${r2.toPrecision(4).replace(/0+$/, "").replace(".", "\\.")}</div>`,
    ),
  );
  assert.match(
    html,
    /<tr data-feature="Average_income"><td class="name">Average_income<\/td><td class="num">3,063<\/td><td class="num">5,342<\/td>/,
  );
  assert.match(html, /<tr data-phase="grow"><td class="name">grow<\/td><td class="num">413 ms<\/td>/);
  assert.match(html, /Total \(wall time\)<\/td><td class="num">561 ms<\/td>/);
  assert.match(html, /<dt>Size<\/dt><dd>1\.4 KiB<\/dd>/);
  assert.match(html, /<dt>Split<\/dt><dd>38 training · 10 held out \(20\.8%\)<\/dd>/);
  assert.match(html, /hour 2026-03-04 05:00–06:00 UTC/);
  assert.match(
    html,
    /<tr data-param="maxFeatures"><td class="name"><code>maxFeatures<\/code><\/td><td><code>null<\/code> <span class="param-note">default for the task<\/span><\/td><\/tr>/,
  );
  assert.doesNotMatch(html, /\d\.\d{6,}/, "no raw long floats leak into the page");
});

test("missing values are counted and highlighted, undefined metrics (null, NaN) read n/a", () => {
  const input = classificationInput();
  const html = renderReport({ ...input, metrics: { ...input.metrics, logLoss: null, macroF1: Number.NaN } });
  assert.match(html, /data-metric="macroF1">\s*<div class="name">Macro F1<\/div>\s*<div class="value">n\/a<\/div>/);
  assert.match(html, /<td class="num missing-some">3 \(2\.0%\)<\/td>/);
  assert.match(html, /data-metric="logLoss">\s*<div class="name">Log loss<\/div>\s*<div class="value">n\/a<\/div>/);
});

test("the page is self-contained: no scripts, no external references, a strict content policy", () => {
  for (const html of [renderReport(regressionInput()), renderReport(classificationInput())]) {
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<link|<img|<iframe|@import|url\(/i);
    assert.doesNotMatch(html, /\b(src|href)=/i);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  }
});

test("charts are accessible: role=img with a title", () => {
  const html = renderReport(classificationInput());
  for (const name of ["importances", "confusion"]) {
    const svg = chart(html, name);
    assert.match(svg, /role="img"/);
    assert.match(svg, new RegExp(`aria-labelledby="${name}-title`));
    assert.match(svg, new RegExp(`<title id="${name}-title">[^<]+</title>`));
  }
});

test("rendering is deterministic", () => {
  assert.equal(renderReport(regressionInput()), renderReport(regressionInput()));
});

test("many features and many held-out rows are capped, and the page says so", () => {
  const input = regressionInput();
  const importances = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`f${String(i).padStart(2, "0")}`, (i + 1) / 1035]));
  const n = 5000;
  const actual = Array.from({ length: n }, (_, i) => i);
  const html = renderReport({ ...input, importances, heldOut: { actual, predicted: actual.map((v) => v + 1) } });
  assert.equal(count(chart(html, "importances"), 'data-role="bar"'), 30);
  assert.match(html, /15 more features not shown/);
  assert.equal(count(chart(html, "scatter"), 'data-role="point"'), 2000);
  assert.match(html, /Showing 2,000 of 5,000 held-out rows/);
});

test("bad input fails with an error naming the field", () => {
  const regression = regressionInput();
  const classification = classificationInput();
  const cases: [ReportInput, RegExp][] = [
    [{ ...regression, heldOut: { actual: [1, 2], predicted: [1] } }, /heldOut: actual has 2 values but predicted has 1/],
    [{ ...regression, heldOut: { actual: [1, Number.NaN], predicted: [1, 2] } }, /heldOut\.actual\[1\]: expected a finite number, got NaN/],
    [{ ...regression, importances: { a: -0.1 } }, /importances\["a"\]: must not be negative/],
    [
      { ...regression, metrics: { ...regression.metrics, r2: "0.5" as unknown as number } },
      /metrics\.r2: expected a number or null, got "0\.5"/,
    ],
    [{ ...regression, runDate: "yesterday" }, /runDate: not an ISO timestamp: "yesterday"/],
    [
      { ...classification, metrics: { ...classification.metrics, confusion: { labels: ["a", "b"], counts: [[1, 0], [2]] } } },
      /metrics\.confusion\.counts\[1\]: expected 2 counts \(one per label\), found 1/,
    ],
    [
      { ...classification, metrics: { ...classification.metrics, confusion: { labels: ["a"], counts: [[1.5]] } } },
      /metrics\.confusion\.counts\[0\]\[0\]: expected a non-negative whole number, got 1\.5/,
    ],
    [{ ...regression, task: "clustering" } as unknown as ReportInput, /task: expected "regression" or "classification", got "clustering"/],
    [
      { ...regression, data: { ...regression.data, features: [{ name: "x", min: 0, max: 1, mean: 0.5, missing: -1 }] } },
      /data\.features\[0\]\.missing/,
    ],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => renderReport(input),
      (error: unknown) => error instanceof ReportInputError && message.test(error.message),
      `expected ${message}`,
    );
  }
});

test("maxFeatures 1 reads as all features, not one; a count and a fraction say what they are", () => {
  const input = regressionInput();
  const note = (maxFeatures: number | string) =>
    /data-param="maxFeatures">.*?<span class="param-note">([^<]*)<\/span>/.exec(
      renderReport({ ...input, params: { ...input.params, maxFeatures } }),
    )?.[1];
  assert.equal(note(1), "all features at each split (1.0)");
  assert.equal(note(3), "3 features at each split");
  assert.equal(note(0.5), "50% of the features at each split");
  assert.equal(note("sqrt"), "√ of the features at each split");
});

test("importance labels share one precision; accuracy and macro-F1 one format", () => {
  const input = classificationInput();
  const html = renderReport({ ...input, importances: { a: 0.5436, b: 0.09494, c: 0.005505, d: 0.0000042 } });
  const labels = [...chart(html, "importances").matchAll(/class="value">([^<]*)</g)].map((m) => m[1]);
  assert.deepEqual(labels, ["54.4%", "9.5%", "0.6%", "&lt;0.1%"]);
  const perfect = renderReport({ ...input, metrics: { ...input.metrics, accuracy: 1, macroF1: 1 } });
  assert.match(perfect, /data-metric="accuracy">\s*<div class="name">Accuracy<\/div>\s*<div class="value">1\.000<\/div>/);
  assert.match(perfect, /data-metric="macroF1">\s*<div class="name">Macro F1<\/div>\s*<div class="value">1\.000<\/div>/);
});

test("the data summary leads with the target: its range for regression, its classes for classification", () => {
  const regression = regressionInput();
  const html = renderReport({
    ...regression,
    data: { ...regression.data, target: { name: "Petrol_Consumption", min: 344, max: 968, mean: 576.77 } },
  });
  assert.match(
    html,
    /<tr data-target="Petrol_Consumption"><td class="name">Petrol_Consumption <span class="tag">target<\/span><\/td><td class="num">344<\/td><td class="num">968<\/td><td class="num">576\.8<\/td>/,
  );
  assert.ok(html.indexOf('data-target="Petrol_Consumption"') < html.indexOf("<tr data-feature="), "target first");
  const classification = classificationInput();
  const classes = renderReport({
    ...classification,
    data: {
      ...classification.data,
      target: {
        name: "species",
        classes: [
          { label: "a", count: 50 },
          { label: "b", count: 1200 },
        ],
      },
    },
  });
  assert.match(classes, /<tr data-target="species">.*2 classes: a 50 · b 1,200/);
});

test("timings list every phase and the wall-time total, in the order the run gives them", () => {
  const input = regressionInput();
  const html = renderReport({ ...input, timings: { reading: 164, growing: 2860, evaluating: 21, publishing: 131, total: 3180 } });
  const phases = [...html.matchAll(/<tr data-phase="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual(phases, ["reading", "growing", "evaluating", "publishing"]);
  assert.match(html, /Total \(wall time\)<\/td><td class="num">3\.18 s<\/td>/);
});

test("the scatter's axes leave room beyond the data, and its y = x label sits above the plot, off the points", () => {
  const input = regressionInput();
  const svg = chart(renderReport({ ...input, heldOut: { actual: [0, 10, 20, 30, 40], predicted: [1, 11, 19, 31, 40] } }), "scatter");
  const frame = /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(svg);
  assert.ok(frame);
  const [left, top, width, height] = frame.slice(1).map(Number);
  for (const point of svg.matchAll(/<circle data-role="point" cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"/g)) {
    const [cx, cy, r] = point.slice(1).map(Number);
    assert.ok(cx - r >= left && cx + r <= left + width && cy - r >= top && cy + r <= top + height, `point ${cx},${cy} inside the frame`);
  }
  const legend = /<g data-role="legend" transform="translate\(([\d.]+) ([\d.]+)\)">/.exec(svg);
  assert.ok(legend && Number(legend[2]) < top, "legend above the plot");
});

test("a set input lists every file with its format, size, rows and version, the hours covered and what was left out", () => {
  const files = Array.from({ length: 203 }, (_, i) => ({
    url: `s3://lake/events/2026/12/03/${String(12 + (i % 3)).padStart(2, "0")}/part-${String(i).padStart(5, "0")}.csv.gz`,
    size: 2048,
    rows: i === 1 ? 0 : 10,
    format: i === 1 ? "csv" : "csv.gz",
    etag: `"etag-${i}"`,
    versionId: i === 2 ? "v-2" : null,
    ...(i === 1 ? { skipped: "empty" } : {}),
  }));
  const inputs = {
    data: "s3://lake/events/%Y/%m/%d/%H/",
    count: files.length,
    bytes: files.length * 2048,
    rows: 2020,
    hours: [
      { hour: "2026-12-03T12:00:00.000Z", url: "s3://lake/events/2026/12/03/12/", files: 68 },
      { hour: "2026-12-03T13:00:00.000Z", url: "s3://lake/events/2026/12/03/13/", files: 0, missing: true },
      { hour: "2026-12-03T14:00:00.000Z", url: "s3://lake/events/2026/12/03/14/", files: 135 },
    ],
    files,
    skipped: ["s3://lake/events/2026/12/03/12/_SUCCESS"],
  };
  const html = renderReport({ ...regressionInput(), inputs });
  const card = html.slice(html.indexOf('data-section="input-files"'));
  assert.match(card, /203 files · 406\.0 KiB · 2,020 rows · hours 2026-12-03 12:00 to 2026-12-03 14:00 UTC/);
  assert.equal(count(card, "data-input-file="), 200, "the first 200 files are listed");
  assert.match(card, /… and 3 more files \(manifest\.json lists every one\)/);
  assert.match(card, /part-00001\.csv\.gz<\/code><\/td><td>csv<\/td><td class="num">2\.0 KiB<\/td><td class="num">skipped \(empty\)/);
  assert.match(card, /<code>version v-2<\/code>/);
  assert.match(card, /<code>&quot;etag-0&quot;<\/code>/);
  assert.match(card, /Missing hours skipped: 2026-12-03 13:00 \(<code>s3:\/\/lake\/events\/2026\/12\/03\/13\/<\/code>\)/);
  assert.match(card, /1 non-data object\(s\) left out: <code>s3:\/\/lake\/events\/2026\/12\/03\/12\/_SUCCESS<\/code>/);
  assert.doesNotMatch(renderReport(regressionInput()), /data-section="input-files"/, "one object: no file list");
});
