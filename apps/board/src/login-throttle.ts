/**
 * Slows down wrong logins per client (IP address): the first few are free, then each client has
 * to wait an exponentially growing delay before its next attempt is even looked at. Only that
 * client waits; everyone else (and /healthz, and logged-in users) is unaffected, so an attacker
 * cannot lock the board. Memory is bounded: the oldest clients are forgotten first.
 */
export interface LoginThrottleOptions {
  /** Wrong logins checked without delay; after the last of them each further one waits. */
  readonly freeAttempts: number;
  /** First delay, doubled for every further wrong login. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A client's record is dropped after this long without a wrong login. */
  readonly forgetAfterMs: number;
  readonly maxClients: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  freeAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  forgetAfterMs: 15 * 60_000,
  maxClients: 10_000,
};

interface ClientRecord {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export class LoginThrottle {
  readonly #options: LoginThrottleOptions;
  readonly #clients = new Map<string, ClientRecord>();
  readonly #now: () => number;

  constructor(options: Partial<LoginThrottleOptions> = {}, now: () => number = Date.now) {
    this.#options = { ...DEFAULT_LOGIN_THROTTLE, ...options };
    this.#now = now;
  }

  /** Milliseconds this client must still wait before a login attempt is evaluated (0 = go ahead). */
  waitMs(client: string): number {
    const record = this.#current(client);
    return record ? Math.max(0, record.blockedUntil - this.#now()) : 0;
  }

  recordFailure(client: string): void {
    const now = this.#now();
    const record = this.#current(client) ?? { failures: 0, lastFailureAt: now, blockedUntil: 0 };
    record.failures += 1;
    record.lastFailureAt = now;
    const over = record.failures - this.#options.freeAttempts;
    if (over >= 0) {
      record.blockedUntil = now + Math.min(this.#options.maxDelayMs, this.#options.baseDelayMs * 2 ** Math.min(over, 30));
    }
    // Re-insert so the Map's insertion order is least-recently-failed first.
    this.#clients.delete(client);
    this.#clients.set(client, record);
    while (this.#clients.size > this.#options.maxClients) {
      const oldest = this.#clients.keys().next().value;
      if (oldest === undefined) break;
      this.#clients.delete(oldest);
    }
  }

  recordSuccess(client: string): void {
    this.#clients.delete(client);
  }

  #current(client: string): ClientRecord | undefined {
    const record = this.#clients.get(client);
    if (record && this.#now() - record.lastFailureAt > this.#options.forgetAfterMs && this.#now() >= record.blockedUntil) {
      this.#clients.delete(client);
      return undefined;
    }
    return record;
  }
}
