import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeHtml, renderReport } from "../src/index.js";
import { HOSTILE, hostileInput } from "./fixtures.js";

test("escapeHtml neutralises the five HTML-significant characters", () => {
  assert.equal(escapeHtml(`<a href="x">Tom & 'Jerry'</a>`), "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
});

test("column names, labels, URLs, parameters and phases cannot inject markup", () => {
  const html = renderReport(hostileInput());
  for (const [field, value] of Object.entries(HOSTILE)) {
    assert.ok(!html.includes(value), `${field} appears unescaped`);
    assert.ok(html.includes(escapeHtml(value)), `${field} is shown (escaped)`);
  }
  assert.doesNotMatch(html, /<(script|img|iframe)\b|<svg onload/i, "no injected elements");
  assert.doesNotMatch(html, /\bon\w+="/i, "no event-handler attributes anywhere");
  assert.ok(html.includes("virginica &amp; &lt;co&gt;"));
});
