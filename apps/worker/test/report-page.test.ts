import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { artifactsDir, launchChromium, sampleData } from "@canopy/testkit";
import { canopy, tempDir } from "./helpers.js";
import { friedmanCsv } from "./synthetic-data.js";

/** A published run's report.html, opened in real headless Chromium from the run folder. */
describe("report.html of a published run", () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  async function openReport(folder: string, screenshot: string) {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("pageerror", (error) => errors.push(error.message));
    const url = pathToFileURL(join(folder, "report.html")).href;
    await page.goto(url);
    await page.screenshot({ path: join(artifactsDir("worker"), screenshot), fullPage: true });
    assert.deepEqual(requests, [url], "the page loads nothing but itself");
    assert.deepEqual(errors, []);
    return page;
  }

  test("regression: importances and predicted-vs-actual charts", async () => {
    const out = join(tempDir(), "models");
    const result = await canopy([
      "train",
      "--data",
      sampleData(),
      "--target",
      "Petrol_Consumption",
      "--out",
      out,
      "--run-date",
      "2026-03-04T05Z",
      "--trees",
      "50",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const page = await openReport(join(out, "2026/03/04/05"), "report-regression.png");
    assert.equal(await page.locator('[data-chart="importances"] [data-role="bar"]').count(), 4);
    // 48 rows, 20% held out: 10 points.
    assert.equal(await page.locator('[data-chart="scatter"] [data-role="point"]').count(), 10);
    assert.match(await page.locator("body").innerText(), /Petrol_Consumption/);
    await page.close();
  });

  test("classification: importances and confusion matrix", async () => {
    const dir = tempDir();
    const csv = friedmanCsv(600).trim().split("\n");
    const labelled = [
      csv[0].replace(/,y$/, ",level"),
      ...csv.slice(1).map((line) => {
        const y = Number(line.slice(line.lastIndexOf(",") + 1));
        return line.slice(0, line.lastIndexOf(",") + 1) + (y < 12 ? "low" : y < 17 ? "mid" : "high");
      }),
    ];
    const data = join(dir, "levels.csv");
    writeFileSync(data, labelled.join("\n") + "\n");
    const out = join(dir, "models");
    const result = await canopy([
      "train",
      "--data",
      data,
      "--target",
      "level",
      "--out",
      out,
      "--run-date",
      "2026-03-04T06Z",
      "--trees",
      "30",
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /accuracy/);
    const page = await openReport(join(out, "2026/03/04/06"), "report-classification.png");
    assert.equal(await page.locator('[data-chart="importances"] [data-role="bar"]').count(), 10);
    assert.equal(await page.locator('[data-chart="confusion"] [data-role="cell"]').count(), 9);
    await page.close();
  });
});
