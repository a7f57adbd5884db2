import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { BOARD_COMMAND } from "./config.js";

// Stored as `scrypt$N$r$p$<salt base64url>$<key base64url>` so the cost can be raised later
// without breaking hashes made today.
const SCHEME = "scrypt";
const DEFAULT_COST = { N: 1 << 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

export interface ParsedPasswordHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }, length: number): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is exactly N=2^15, r=8, so leave headroom.
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes a password for CANOPY_BOARD_PASSWORD_HASH (async scrypt: runs off the event loop). */
export async function hashPassword(password: string): Promise<string> {
  if (password.length === 0) throw new Error("the password is empty");
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, DEFAULT_COST, KEY_LENGTH);
  const { N, r, p } = DEFAULT_COST;
  return [SCHEME, N, r, p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** Parses a stored hash, throwing an error that says what is wrong with it (never echoing it). */
export function parsePasswordHash(stored: string): ParsedPasswordHash {
  const parts = stored.trim().split("$");
  const usage = `expected "scrypt$N$r$p$salt$key" as printed by "${BOARD_COMMAND} hash-password"`;
  if (parts.length !== 6 || parts[0] !== SCHEME) throw new Error(`the password hash is malformed: ${usage}`);
  const [N, r, p] = parts.slice(1, 4).map((part) => Number(part));
  const isPowerOfTwo = Number.isInteger(N) && N >= 1024 && (N & (N - 1)) === 0;
  if (!isPowerOfTwo || N > 1 << 20) throw new Error(`the password hash has an invalid cost N=${parts[1]}: ${usage}`);
  if (!Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) {
    throw new Error(`the password hash has invalid parameters r=${parts[2]} p=${parts[3]}: ${usage}`);
  }
  const salt = Buffer.from(parts[4], "base64url");
  const key = Buffer.from(parts[5], "base64url");
  if (salt.length < 8 || key.length < 16) throw new Error(`the password hash has a too short salt or key: ${usage}`);
  return { N, r, p, salt, key };
}

/** True when the password matches; the comparison takes the same time wherever the bytes differ. */
export async function verifyPassword(password: string, hash: ParsedPasswordHash): Promise<boolean> {
  const candidate = await derive(password, hash.salt, hash, hash.key.length);
  return timingSafeEqual(candidate, hash.key);
}
