/**
 * Progress of a long command on standard error: on a terminal a line rewritten in place, otherwise a plain line at
 * most every 10 seconds; nothing for work that ends within the first second.
 */
export class RateReporter {
  private count = 0;
  private readonly started = Date.now();
  private lastPrinted = Date.now();
  private readonly terminal = process.stderr.isTTY === true;

  constructor(
    private readonly verb: string,
    private readonly unit: string,
  ) {}

  add(count: number): void {
    this.count += count;
    const now = Date.now();
    if (now - this.lastPrinted < (this.terminal ? 250 : 10_000)) return;
    this.lastPrinted = now;
    this.print(now);
  }

  done(): void {
    if (this.terminal && Date.now() - this.started >= 250) process.stderr.write("\n");
  }

  private print(now: number): void {
    const seconds = (now - this.started) / 1000;
    const line = `${this.verb} ${this.count.toLocaleString("en-US")} ${this.unit} (${Math.round(this.count / seconds).toLocaleString("en-US")} ${this.unit}/s)`;
    process.stderr.write(this.terminal ? `\r${line}` : `${line}\n`);
  }
}
