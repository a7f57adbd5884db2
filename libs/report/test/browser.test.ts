import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { artifactsDir, launchChromium } from "@canopy/testkit";
import { renderReport, type ReportInput } from "../src/index.js";
import { HOSTILE, classificationInput, hostileInput, regressionInput } from "./fixtures.js";

// Types via testkit, so this package does not depend on playwright-core directly.
type Browser = Awaited<ReturnType<typeof launchChromium>>;
type Page = Awaited<ReturnType<Browser["newPage"]>>;

let browser: Browser;
let workDir: string;

before(async () => {
  browser = await launchChromium();
  workDir = mkdtempSync(join(tmpdir(), "canopy-report-"));
});

after(async () => {
  await browser?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

interface OpenedReport {
  readonly page: Page;
  readonly url: string;
  /** Every URL the page requested, the page itself included. */
  readonly requests: string[];
  /** Console errors and uncaught page errors (a CSP violation would show up here too). */
  readonly errors: string[];
  close(): Promise<void>;
}

/** Opens report.html from a file: URL, as someone who downloaded it would. */
async function openReport(name: string, input: ReportInput, width = 1280): Promise<OpenedReport> {
  const file = join(workDir, `${name}.html`);
  writeFileSync(file, renderReport(input));
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(url, { waitUntil: "load" });
  return { page, url, requests, errors, close: () => context.close() };
}

/** How many elements match, and how many of them the browser actually laid out with a size. */
async function countVisible(page: Page, selector: string): Promise<{ total: number; drawn: number }> {
  return page.$$eval(selector, (elements) => ({
    total: elements.length,
    drawn: elements.filter((element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0;
    }).length,
  }));
}

test("regression report in Chromium: bars, scatter points, diagonal, nothing loaded, no errors; screenshot", async () => {
  const input = regressionInput();
  const report = await openReport("regression", input);
  try {
    const { page } = report;
    assert.equal(await page.title(), "Canopy run 2026030405 · Petrol_Consumption");
    const bars = await countVisible(page, '[data-chart="importances"] [data-role="bar"]');
    assert.deepEqual(bars, { total: 4, drawn: 4 });
    const points = await countVisible(page, '[data-chart="scatter"] [data-role="point"]');
    assert.deepEqual(points, { total: input.heldOut.actual.length, drawn: input.heldOut.actual.length });
    assert.equal((await countVisible(page, '[data-chart="scatter"] [data-role="diagonal"]')).drawn, 1);
    assert.equal(await page.locator('[data-chart="confusion"]').count(), 0);

    // Largest importance draws the longest bar, in the order the page lists them.
    const widths = await page.$$eval('[data-chart="importances"] [data-role="bar"]', (rects) =>
      rects.map((rect) => rect.getBoundingClientRect().width),
    );
    assert.deepEqual(
      [...widths].sort((a, b) => b - a),
      widths,
    );
    assert.ok(widths[0] > widths[widths.length - 1] * 2);

    // Accessible names for the charts.
    const titles = await page.$$eval("svg[data-chart] > title", (nodes) => nodes.map((node) => node.textContent));
    assert.deepEqual(titles, ["Feature importances", "Predicted vs actual Petrol_Consumption"]);

    assert.match((await page.locator('[data-metric="r2"] .value').textContent()) ?? "", /^0\.\d{1,4}$/);
    assert.deepEqual(report.requests, [report.url], "the page loads nothing but itself");
    assert.deepEqual(report.errors, []);

    await page.screenshot({ path: join(artifactsDir("report"), "regression.png"), fullPage: true });
    await page.emulateMedia({ media: "print" });
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    writeFileSync(join(artifactsDir("report"), "regression.pdf"), pdf);
    assert.ok(pdf.subarray(0, 5).toString() === "%PDF-", "prints to PDF");
    assert.deepEqual(report.requests, [report.url], "printing loads nothing either");
  } finally {
    await report.close();
  }
});

test("classification report in Chromium: bars and a confusion cell per class pair with its count; screenshot", async () => {
  const input = classificationInput();
  const report = await openReport("classification", input);
  try {
    const { page } = report;
    const bars = await countVisible(page, '[data-chart="importances"] [data-role="bar"]');
    assert.deepEqual(bars, { total: 4, drawn: 4 });
    const cells = await countVisible(page, '[data-chart="confusion"] [data-role="cell"]');
    assert.deepEqual(cells, { total: 9, drawn: 9 });
    assert.equal(await page.locator('[data-chart="scatter"]').count(), 0);

    const shown = await page.$$eval('[data-chart="confusion"] [data-role="cell"]', (groups) =>
      groups.map((group) => ({
        actual: group.getAttribute("data-actual"),
        predicted: group.getAttribute("data-predicted"),
        text: group.querySelector("text")?.textContent,
      })),
    );
    const { labels, counts } = input.metrics.confusion;
    for (const cell of shown) {
      const expected = counts[labels.indexOf(cell.actual ?? "")][labels.indexOf(cell.predicted ?? "")];
      assert.equal(cell.text, String(expected), `cell ${cell.actual} → ${cell.predicted}`);
    }
    const titles = await page.$$eval("svg[data-chart] > title", (nodes) => nodes.map((node) => node.textContent));
    assert.deepEqual(titles, ["Feature importances", "Confusion matrix"]);
    assert.equal(await page.locator('[data-metric="accuracy"] .value').textContent(), "0.900");
    // Accuracy and macro-F1 read alike: three decimals each.
    assert.match((await page.locator('[data-metric="macroF1"] .value').textContent()) ?? "", /^\d\.\d{3}$/);
    assert.deepEqual(report.requests, [report.url]);
    assert.deepEqual(report.errors, []);
    await page.screenshot({ path: join(artifactsDir("report"), "classification.png"), fullPage: true });
  } finally {
    await report.close();
  }
});

test("hostile column names, labels and URLs render as text: no elements injected, nothing runs or loads", async () => {
  const report = await openReport("hostile", hostileInput());
  try {
    const { page } = report;
    assert.equal(await page.evaluate(() => (globalThis as { __pwned?: string }).__pwned), undefined);
    assert.equal(await page.locator("script, img, iframe, object, embed, link").count(), 0);
    assert.equal(await page.locator("svg[onload], [onerror]").count(), 0);
    const text = (await page.textContent("body")) ?? "";
    assert.ok(text.includes(HOSTILE.url), "the URL is shown literally");
    assert.ok(text.includes(HOSTILE.phase), "the phase name is shown literally");
    assert.equal(await page.title(), `Canopy run 2026030406 · ${HOSTILE.target}`);
    const bar = page.locator('[data-chart="importances"] [data-role="bar"]').nth(2);
    assert.equal(await bar.getAttribute("data-feature"), HOSTILE.column);
    assert.equal(await page.locator('[data-chart="confusion"] [data-role="cell"]').count(), 9);
    assert.deepEqual(report.requests, [report.url]);
    assert.deepEqual(report.errors, []);
    await page.screenshot({ path: join(artifactsDir("report"), "hostile.png"), fullPage: true });
  } finally {
    await report.close();
  }
});

for (const [name, input] of [
  ["regression", regressionInput()],
  ["classification", classificationInput()],
] as const) {
  test(`${name} report at phone width (390 px): nothing wider than the screen, every table column visible; screenshot`, async () => {
    const report = await openReport(`${name}-phone`, input, 390);
    try {
      const { page } = report;
      const widths = await page.$eval("html", (root) => ({ page: root.scrollWidth, screen: root.clientWidth }));
      assert.equal(widths.page, widths.screen, "no horizontal scrolling");
      const clipped = await page.$$eval(".card", (cards) =>
        cards.filter((card) => card.scrollWidth > card.clientWidth + 1).map((card) => card.getAttribute("data-section")),
      );
      assert.deepEqual(clipped, [], "no card scrolls sideways");
      await page.screenshot({ path: join(artifactsDir("report"), `${name}-phone.png`), fullPage: true });
      assert.deepEqual(report.errors, []);
    } finally {
      await report.close();
    }
  });
}
