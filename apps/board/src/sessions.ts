import { randomBytes } from "node:crypto";

/**
 * Server-side sessions keyed by a random 256-bit id (the cookie carries nothing else).
 * Kept in memory: one board process serves the UI, and a restart simply asks operators to log in again.
 */
export interface SessionOptions {
  readonly idleTimeoutMs: number;
  readonly maxAgeMs: number;
  readonly maxSessions: number;
}

export const DEFAULT_SESSIONS: SessionOptions = {
  idleTimeoutMs: 60 * 60_000,
  maxAgeMs: 12 * 60 * 60_000,
  maxSessions: 1_000,
};

interface Session {
  readonly user: string;
  readonly createdAt: number;
  lastSeenAt: number;
}

export class SessionStore {
  readonly #options: SessionOptions;
  readonly #sessions = new Map<string, Session>();
  readonly #now: () => number;

  constructor(options: Partial<SessionOptions> = {}, now: () => number = Date.now) {
    this.#options = { ...DEFAULT_SESSIONS, ...options };
    this.#now = now;
  }

  get maxAgeMs(): number {
    return this.#options.maxAgeMs;
  }

  create(user: string): string {
    const id = randomBytes(32).toString("base64url");
    const now = this.#now();
    this.#sessions.set(id, { user, createdAt: now, lastSeenAt: now });
    while (this.#sessions.size > this.#options.maxSessions) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    return id;
  }

  /** The session's user, or undefined when the id is unknown or expired (touching it otherwise). */
  user(id: string | undefined): string | undefined {
    if (!id) return undefined;
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    const now = this.#now();
    if (now - session.lastSeenAt > this.#options.idleTimeoutMs || now - session.createdAt > this.#options.maxAgeMs) {
      this.#sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = now;
    return session.user;
  }

  destroy(id: string | undefined): void {
    if (id) this.#sessions.delete(id);
  }
}
