import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { CANOPY_BIN, canopy, queueWithWorker, tempDir, type CommandResult } from "./helpers.js";
import { friedmanCsv } from "./synthetic-data.js";

/** Runs the real `canopy` under a pseudo-terminal (util-linux `script`), as a person at a terminal would. */
function canopyOnTerminal(args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  const quoted = [process.execPath, CANOPY_BIN, ...args].map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(" ");
  return new Promise((resolve, reject) => {
    // stdout to a file: what reaches the terminal is then standard error only.
    const child = spawn("script", ["-qfec", `${quoted} >/dev/null`, "/dev/null"], {
      env: { ...process.env, COLUMNS: "120", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

const ERASE = "\r\x1b[2K";

describe("progress of long commands", () => {
  const dir = tempDir();
  const data = join(dir, "friedman.csv");
  before(() => writeFileSync(data, friedmanCsv(8000, 10, 3)));
  const setup = queueWithWorker({ CANOPY_QUEUE: "canopy-progress" });

  test("canopy train on a terminal: a bar redrawn in place on standard error, with rate and ETA, then one closing line", async () => {
    const out = join(dir, "tty");
    const result = await canopyOnTerminal([
      "train",
      "--data",
      data,
      "--target",
      "y",
      "--out",
      out,
      "--run-date",
      "2026-03-04T05Z",
      "--trees",
      "60",
    ]);
    assert.equal(result.code, 0, result.stdout);
    const frames = result.stdout.split(ERASE).filter((frame) => frame !== "");
    const growing = frames.filter((frame) => frame.startsWith("[") && frame.includes("growing trees: "));
    assert.ok(growing.length >= 2, `bar frames: ${JSON.stringify(frames.slice(0, 5))}`);
    assert.ok(
      growing.some((frame) => /\d+(\.\d+)? trees\/s, ETA \d/.test(frame)),
      JSON.stringify(growing),
    );
    // Redrawn, not scrolled: no line break until the closing line.
    assert.ok(growing.every((frame) => !frame.includes("\n")));
    assert.match(frames.at(-1) ?? "", /^run 2026030405: 60 trees grown and published\r?\n$/);
  });

  test("canopy train into a pipe: no control characters, and the result on standard output", async () => {
    const out = join(dir, "pipe");
    const result = await canopy(["train", "--data", data, "--target", "y", "--out", out, "--run-date", "2026-03-04T06Z", "--trees", "20"]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stderr.includes("\r") && !result.stderr.includes("\x1b"), "no control characters");
    assert.match(result.stderr, /run 2026030406: 20 trees grown and published\n$/);
    assert.match(result.stdout, /^model: /m);
  });

  test("canopy predict on a terminal: the same bar counting rows, cleared before its closing line", async () => {
    const model = join(dir, "pipe", "2026", "03", "04", "06");
    const result = await canopyOnTerminal(["predict", "--model", `${model}/`, "--data", data, "--out", join(dir, "predictions.csv")]);
    assert.equal(result.code, 0, result.stdout);
    const frames = result.stdout.split(ERASE).filter((frame) => frame !== "");
    assert.ok(
      frames.some((frame) => /^predicting: [\d,]+ rows/.test(frame)),
      JSON.stringify(frames.slice(0, 4)),
    );
    assert.match(frames.at(-1) ?? "", /wrote 8,000 predictions to .*predictions\.csv\r?\n$/);
  });

  test("CANOPY_PROGRESS=lines writes plain lines even on a terminal", async () => {
    const result = await canopyOnTerminal(
      ["train", "--data", data, "--target", "y", "--out", join(dir, "lines"), "--run-date", "2026-03-04T07Z", "--trees", "10"],
      { CANOPY_PROGRESS: "lines" },
    );
    assert.equal(result.code, 0, result.stdout);
    assert.ok(!result.stdout.includes("\x1b[2K"), "no bar");
  });

  test("canopy enqueue --wait on a terminal: the same bar, fed by the workers' shards", async () => {
    const out = join(dir, "queued");
    const result = await canopyOnTerminal(
      [
        "enqueue",
        "--data",
        data,
        "--target",
        "y",
        "--out",
        out,
        "--run-date",
        "2026-03-04T08Z",
        "--trees",
        "60",
        "--trees-per-shard",
        "10",
        "--wait",
      ],
      setup.env,
    );
    assert.equal(result.code, 0, result.stdout);
    const frames = result.stdout.split(ERASE).filter((frame) => frame !== "");
    const growing = frames.filter((frame) => frame.includes("growing trees"));
    assert.ok(growing.length >= 1, JSON.stringify(frames));
    const counts = growing.map((frame) => Number(/(\d+)\/60 trees/.exec(frame)?.[1] ?? -1)).filter((n) => n >= 0);
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => a - b),
      "never goes backwards",
    );
    assert.match(frames.at(-1) ?? "", /^run 2026030408: completed\r?\n$/);
  });
});
