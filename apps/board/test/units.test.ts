import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BOARD_OPTIONS,
  BoardConfigError,
  USAGE,
  hashPassword,
  parseBoardCommand,
  parsePasswordHash,
  resolveBoardOptions,
  verifyPassword,
} from "../src/index.js";
import { LoginThrottle } from "../src/login-throttle.js";
import { isLoopbackHost } from "../src/loopback.js";
import { SessionStore } from "../src/sessions.js";

test("the login throttle delays one client exponentially and forgets it later", () => {
  let now = 0;
  const throttle = new LoginThrottle({ freeAttempts: 2, baseDelayMs: 1_000, maxDelayMs: 8_000, forgetAfterMs: 60_000 }, () => now);
  throttle.recordFailure("a");
  assert.equal(throttle.waitMs("a"), 0);
  throttle.recordFailure("a");
  assert.equal(throttle.waitMs("a"), 1_000);
  assert.equal(throttle.waitMs("b"), 0, "other clients are not affected");
  now = 1_000;
  throttle.recordFailure("a");
  assert.equal(throttle.waitMs("a"), 2_000);
  for (let i = 0; i < 10; i += 1) throttle.recordFailure("a");
  assert.equal(throttle.waitMs("a"), 8_000, "capped");
  now += 8_000 + 60_001;
  assert.equal(throttle.waitMs("a"), 0);
  throttle.recordFailure("a");
  assert.equal(throttle.waitMs("a"), 0, "forgotten: free attempts again");
});

test("the throttle keeps a bounded number of clients", () => {
  const throttle = new LoginThrottle({ freeAttempts: 1, baseDelayMs: 1_000, maxClients: 3 }, () => 0);
  for (const client of ["a", "b", "c", "d"]) throttle.recordFailure(client);
  assert.equal(throttle.waitMs("a"), 0, "the oldest client was dropped");
  assert.equal(throttle.waitMs("d"), 1_000);
});

test("sessions expire when idle and at their maximum age", () => {
  let now = 0;
  const sessions = new SessionStore({ idleTimeoutMs: 100, maxAgeMs: 250 }, () => now);
  const id = sessions.create("operator");
  now = 90;
  assert.equal(sessions.user(id), "operator");
  now = 180;
  assert.equal(sessions.user(id), "operator", "activity keeps it alive");
  now = 260;
  assert.equal(sessions.user(id), undefined, "too old");
  const idle = sessions.create("operator");
  now += 101;
  assert.equal(sessions.user(idle), undefined, "idle too long");
  assert.equal(sessions.user("forged"), undefined);
});

test("password hashes verify only the right password and reject malformed input clearly", async () => {
  const hash = await hashPassword("s3cret passphrase");
  assert.notEqual(hash, await hashPassword("s3cret passphrase"), "salted");
  assert.equal(await verifyPassword("s3cret passphrase", parsePasswordHash(hash)), true);
  assert.equal(await verifyPassword("s3cret passphrasE", parsePasswordHash(hash)), false);
  assert.throws(() => parsePasswordHash("plain-text"), /malformed/);
  assert.throws(() => parsePasswordHash("scrypt$1000$8$1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5"), /invalid cost N=1000/);
});

test("loopback detection", () => {
  for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]) assert.equal(isLoopbackHost(host), true, host);
  for (const host of ["0.0.0.0", "::", "10.0.0.5", "example.com", "128.0.0.1"]) assert.equal(isLoopbackHost(host), false, host);
});

test("flags win over the environment, and bad values are named", () => {
  const command = parseBoardCommand(["--port", "8080", "--read-only"], {
    CANOPY_BOARD_PORT: "9000",
    CANOPY_BOARD_BASE_PATH: "/board/",
    CANOPY_BOARD_HOST: "",
  });
  assert.equal(command.kind, "serve");
  const options = command.kind === "serve" ? resolveBoardOptions({ ...command.options, insecureLocal: true }) : undefined;
  assert.equal(options?.port, 8080);
  assert.equal(options?.basePath, "/board");
  assert.equal(options?.host, "127.0.0.1", "an empty variable means the default");
  assert.equal(options?.readOnly, true);
  assert.equal(options?.queueName, "canopy-training");
  assert.throws(() => parseBoardCommand(["--port", "80a"]), /invalid port "80a"/);
  assert.throws(() => parseBoardCommand(["--colour"]), BoardConfigError);
  assert.throws(() => resolveBoardOptions({ basePath: "board", insecureLocal: true }), /invalid base path "board"/);
  assert.throws(() => resolveBoardOptions({ basePath: "/a/../b", insecureLocal: true }), /invalid base path/);
  assert.equal(parseBoardCommand(["hash-password"]).kind, "hash-password");
});

test("every option is declared once: its flag and variable are in the usage, and the variable is read", () => {
  for (const spec of Object.values(BOARD_OPTIONS)) {
    assert.match(USAGE, new RegExp(`--${spec.flag}\\b`), spec.flag);
    if ("env" in spec) assert.ok(USAGE.includes(spec.env), spec.env);
  }
  assert.match(USAGE, /^Usage: canopy board \[serve\] \[options\]/);
  assert.doesNotMatch(USAGE, /canopy-board/);
  const command = parseBoardCommand([], {
    CANOPY_BOARD_READ_ONLY: "yes",
    CANOPY_BOARD_TRUST_PROXY: "2",
    CANOPY_QUEUE: "q",
    CANOPY_BOARD_USER: "u",
  });
  assert.equal(command.kind, "serve");
  if (command.kind !== "serve") return;
  assert.deepEqual(command.options, { readOnly: true, trustProxy: 2, queueName: "q", user: "u" });
  assert.throws(
    () => resolveBoardOptions(command.options),
    /CANOPY_BOARD_USER is set but CANOPY_BOARD_PASSWORD_HASH is not: create the hash with `canopy board hash-password`/,
  );
});
