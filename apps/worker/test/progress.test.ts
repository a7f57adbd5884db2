import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Progress, progressStyle, type ProgressStream } from "../src/cli/progress.js";

class Capture implements ProgressStream {
  text = "";
  constructor(
    readonly isTTY: boolean,
    readonly columns = 100,
  ) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

describe("progress", () => {
  test("on a terminal: one redrawn bar with count, rate and ETA, cleared before the closing line", () => {
    let now = 0;
    const stream = new Capture(true);
    const progress = new Progress("growing trees", { unit: "trees", stream, now: () => now });
    for (let done = 1; done <= 100; done++) {
      now = done * 100;
      progress.update(done, 100);
    }
    progress.finish("done: 100 trees");
    const frames = stream.text.split("\r\x1b[2K").filter((frame) => frame !== "");
    assert.ok(frames.length >= 50, `redrawn in place, ${frames.length} frames`);
    assert.ok(!stream.text.slice(0, stream.text.indexOf("done:")).includes("\n"), "no newline until the end");
    const middle = frames.find((frame) => frame.includes(" 50/100 trees"));
    assert.ok(middle, frames.join("|"));
    assert.match(middle, /^\[█{12}░{12}\] growing trees: 50\/100 trees \(50%\), 10\.0 trees\/s, ETA 5\.0 s$/);
    assert.equal(frames.at(-1), "done: 100 trees\n");
  });

  test("not on a terminal: plain lines every few seconds, no control characters", () => {
    let now = 0;
    const stream = new Capture(false);
    const progress = new Progress("growing trees", { unit: "trees", stream, now: () => now, lineIntervalMs: 5000, timer: false });
    for (let done = 1; done <= 200; done++) {
      now = done * 100;
      progress.update(done, 200);
    }
    progress.finish();
    assert.ok(!stream.text.includes("\r") && !stream.text.includes("\x1b"), "no control characters");
    const lines = stream.text.trim().split("\n");
    assert.deepEqual(lines.slice(0, 3), [
      "growing trees: 50/200 trees (25%), 10.0 trees/s, ETA 15 s",
      "growing trees: 100/200 trees (50%), 10.0 trees/s, ETA 10 s",
      "growing trees: 150/200 trees (75%), 10.0 trees/s, ETA 5.0 s",
    ]);
    assert.equal(lines.at(-1), "growing trees: 200/200 trees in 20 s");
  });

  test("lines keep coming between updates, naming the phase; a command that fails at once writes nothing", () => {
    let now = 0;
    const lines = new Capture(false);
    const plain = new Progress("reading", { unit: "trees", stream: lines, now: () => now, timer: false, lineIntervalMs: 5000 });
    plain.phase("publishing");
    now = 4000;
    plain.tick();
    assert.equal(lines.text, "");
    now = 5000;
    plain.tick();
    assert.equal(lines.text, "publishing…\n");
    const failed = new Capture(false);
    const failing = new Progress("reading", { unit: "trees", stream: failed, now: () => 0, timer: false });
    failing.abandon();
    assert.equal(failed.text, "");
    const bar = new Capture(true);
    const live = new Progress("reading", { unit: "trees", stream: bar, now: () => 0 });
    live.phase("publishing");
    assert.equal(bar.text, "\r\x1b[2Kpublishing…");
  });

  test("the bar never grows wider than the terminal", () => {
    const stream = new Capture(true, 30);
    const progress = new Progress("a rather long description of the work", { unit: "trees", stream, now: () => 0 });
    progress.update(3, 10);
    for (const frame of stream.text.split("\r\x1b[2K").filter(Boolean)) assert.ok(frame.length < 30, frame);
  });

  test("CANOPY_PROGRESS chooses the style; otherwise a terminal gets a bar and anything else lines", () => {
    assert.equal(progressStyle({ isTTY: true, write: () => true }, {}), "bar");
    assert.equal(progressStyle({ isTTY: false, write: () => true }, {}), "lines");
    assert.equal(progressStyle({ isTTY: true, write: () => true }, { CANOPY_PROGRESS: "off" }), "off");
    assert.equal(progressStyle({ isTTY: false, write: () => true }, { CANOPY_PROGRESS: "bar" }), "bar");
  });
});
