/**
 * Turns a client's failed Redis calls and its first successful one after them into two log lines: one when
 * the outage starts, one when it ends. Retries in between are silent.
 */
export class OutageLog {
  #downSince: number | null = null;

  constructor(
    private readonly redactedUrl: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Milliseconds since the outage began; 0 while Redis is reachable. */
  get downForMs(): number {
    return this.#downSince === null ? 0 : Date.now() - this.#downSince;
  }

  /** A call failed because Redis is away; `meanwhile` says what the client does about it. */
  lost(error: unknown, meanwhile: string): void {
    if (this.#downSince !== null) return;
    this.#downSince = Date.now();
    this.log(`lost Redis at ${this.redactedUrl} (${firstLine(error)}); ${meanwhile}`);
  }

  /** A call succeeded. */
  back(): void {
    if (this.#downSince === null) return;
    const seconds = Math.round(this.downForMs / 1000);
    this.#downSince = null;
    this.log(`Redis is back after ${seconds} s`);
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0].slice(0, 200);
}

/** Errors that mean "Redis is not reachable right now", as ioredis phrases them. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTCONN)$/.test(code)) return true;
  return (
    error.name === "MaxRetriesPerRequestError" ||
    /Connection is closed|Stream isn't writeable|enableOfflineQueue|ECONNREFUSED|ECONNRESET|connect ETIMEDOUT|Reached the max retries/.test(
      error.message,
    )
  );
}
