import assert from "node:assert/strict";
import { test } from "node:test";
import { launchChromium } from "../src/index.js";

test("launchChromium starts the system Chromium headless and renders a page", async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent("<title>canopy</title><p id=x>hello</p>");
    assert.equal(await page.title(), "canopy");
    assert.equal(await page.textContent("#x"), "hello");
  } finally {
    await browser.close();
  }
});
