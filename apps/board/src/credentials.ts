import { createHash, timingSafeEqual } from "node:crypto";
import { parsePasswordHash, verifyPassword, type ParsedPasswordHash } from "./password-hash.js";

export type CredentialCheck = "ok" | "wrong" | "busy";

// Each scrypt check holds ~32 MiB for ~100 ms: bound how many run at once so a burst of logins
// cannot exhaust memory, and answer "busy" instead of queueing without end.
const MAX_CONCURRENT_CHECKS = 2;
const MAX_WAITING_CHECKS = 8;

function digest(text: string): Buffer {
  return createHash("sha256").update(text.normalize("NFC")).digest();
}

/** The one account allowed into the board, checked in constant time. */
export class Credentials {
  readonly user: string;
  readonly #userDigest: Buffer;
  readonly #hash: ParsedPasswordHash;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(user: string, passwordHash: string) {
    if (user.length === 0) throw new Error("the board user name is empty (CANOPY_BOARD_USER)");
    this.user = user;
    this.#userDigest = digest(user);
    this.#hash = parsePasswordHash(passwordHash);
  }

  async check(user: string, password: string): Promise<CredentialCheck> {
    if (this.#running >= MAX_CONCURRENT_CHECKS) {
      if (this.#waiting.length >= MAX_WAITING_CHECKS) return "busy";
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    this.#running += 1;
    try {
      // Hash the password even when the user is wrong, so timing does not reveal valid user names.
      const userMatches = timingSafeEqual(digest(user), this.#userDigest);
      const passwordMatches = await verifyPassword(password, this.#hash);
      return userMatches && passwordMatches ? "ok" : "wrong";
    } finally {
      this.#running -= 1;
      this.#waiting.shift()?.();
    }
  }
}
