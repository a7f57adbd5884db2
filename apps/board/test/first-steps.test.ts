import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { freePort, repoRoot, startProcess, type RunningProcess } from "@canopy/testkit";

/**
 * The README's first steps, as a new user follows them: `npm run dev`, then the board command from the README's
 * Board section (with the Redis address dev printed), one after the other.
 */
const PASSWORD = "correct horse battery staple";
let dev: RunningProcess;
let devPort: number;
let redisUrl: string;
const state = mkdtempSync(join(tmpdir(), "canopy-dev-"));

/** The shell block the README marks as the board command. */
function readmeBoardCommand(): string {
  const readme = readFileSync(join(repoRoot(), "README.md"), "utf8");
  const block = /<!-- board-command[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, "README.md has a board command block");
  return block[1];
}

/** Runs a shell script in its own process group, so stopping it stops npx and the board it started too. */
function runShell(script: string, input: string): RunningProcess & { interrupt(): Promise<void> } {
  const shell = startProcess("bash", ["-c", script], {
    cwd: repoRoot(),
    env: process.env,
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  shell.child.stdin?.end(input);
  return {
    ...shell,
    async interrupt() {
      if (shell.child.exitCode === null && shell.child.pid) process.kill(-shell.child.pid, "SIGINT");
      await shell.exited();
    },
  };
}

before(async () => {
  devPort = await freePort();
  dev = startProcess("npm", ["run", "dev"], {
    cwd: repoRoot(),
    env: { ...process.env, CANOPY_BOARD_PORT: String(devPort), CANOPY_DEV_STATE: state },
    detached: true,
  });
  await dev.waitForOutput(/A board with its own login[\s\S]*npm run airflow/, 240_000);
  const printed = /Redis +(redis:\/\/127\.0\.0\.1:\d+)/.exec(dev.output());
  assert.ok(printed, dev.output());
  redisUrl = printed[1];
});

after(async () => {
  // npm runs dev.sh in its own process group: SIGINT the group, as Ctrl-C would.
  if (dev && dev.child.exitCode === null && dev.child.pid) process.kill(-dev.child.pid, "SIGINT");
  await dev?.exited();
});

test("npm run dev says what it started and where, and prints the board and Airflow commands", () => {
  const output = dev.output();
  assert.match(output, new RegExp(`board +http://127\\.0\\.0\\.1:${devPort}/ +no login`));
  assert.match(output, /workers +2, logs in /);
  assert.match(output, new RegExp(`export REDIS_URL=${redisUrl.replace(/[.]/g, "\\.")}\\n`));
  assert.match(output, /export CANOPY_BOARD_PASSWORD_HASH="\$\(npx canopy board hash-password\)"/);
  assert.match(output, /npm run airflow/);
});

test("the README's board command, after npm run dev, serves a board with a login on dev's Redis", async () => {
  const boardPort = await freePort();
  const script = readmeBoardCommand()
    .replace("redis://127.0.0.1:PORT", redisUrl)
    .replace(/--port \d+/, `--port ${boardPort}`);
  const board = runShell(script, `${PASSWORD}\n`);
  try {
    await board.waitForOutput(/ready at http:\/\/127\.0\.0\.1:\d+\//, 60_000);
    const origin = `http://127.0.0.1:${boardPort}`;
    const health = await fetch(`${origin}/healthz`);
    assert.equal(health.status, 200, board.output());
    assert.deepEqual(await health.json(), { redis: "up" });
    assert.equal((await fetch(`${origin}/api/queues`, { redirect: "manual" })).status, 401, "a login is required");
    const login = await fetch(`${origin}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin },
      body: new URLSearchParams({ user: "operator", password: PASSWORD }).toString(),
    });
    assert.equal(login.status, 303, board.output());
    const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
    const queues = await fetch(`${origin}/api/queues`, { headers: { cookie } });
    assert.equal(queues.status, 200);
    assert.ok(!/ECONNREFUSED/.test(board.output()), board.output());
  } finally {
    await board.interrupt();
  }
});

test("port collisions say which flag or variable to change: the board, and npm run dev", async () => {
  const script = readmeBoardCommand()
    .replace("redis://127.0.0.1:PORT", redisUrl)
    .replace(/--port \d+/, `--port ${devPort}`);
  const board = runShell(script, `${PASSWORD}\n`);
  assert.equal(await board.exited(), 1);
  assert.match(
    board.output(),
    new RegExp(
      `cannot listen on 127\\.0\\.0\\.1:${devPort}: the port is already in use.*--port ${devPort + 1} or CANOPY_BOARD_PORT=${devPort + 1}`,
    ),
  );

  const second = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn("bash", ["scripts/dev.sh"], { cwd: repoRoot(), env: { ...process.env, CANOPY_BOARD_PORT: String(devPort) } });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("exit", (code) => resolve({ code, stderr }));
  });
  assert.equal(second.code, 1);
  assert.match(
    second.stderr,
    new RegExp(`port ${devPort} on 127\\.0\\.0\\.1 is already in use[\\s\\S]*CANOPY_BOARD_PORT=${devPort + 10} npm run dev`),
  );
});
