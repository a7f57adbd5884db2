/**
 * Progress of a long command on standard error: a live bar with rate and ETA on a terminal, a plain line
 * every few seconds otherwise (logs, CI, pipes). Standard output stays for results, so
 * `canopy train … > result.txt` keeps the bar on screen and the result in the file.
 */

export type ProgressStyle = "bar" | "lines" | "off";

/** Where progress goes: process.stderr, or anything with write() and, for a bar, columns. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressOptions {
  /** What is counted, plural: "trees", "rows". */
  readonly unit: string;
  readonly stream?: ProgressStream;
  /** Default: CANOPY_PROGRESS (bar | lines | off), else a bar on a terminal and lines elsewhere. */
  readonly style?: ProgressStyle;
  /** Milliseconds between plain lines (default 5000). */
  readonly lineIntervalMs?: number;
  /** Milliseconds between bar redraws (default 100). */
  readonly redrawMs?: number;
  /** The clock, for tests. */
  readonly now?: () => number;
  /** Lines: also write on a timer, between updates (default true; tests call tick()). */
  readonly timer?: boolean;
}

const RATE_WINDOW_MS = 10_000;
const BAR_WIDTH = 24;

/** The style progress takes on this stream: CANOPY_PROGRESS wins, else what the stream is. */
export function progressStyle(stream: ProgressStream, env: NodeJS.ProcessEnv = process.env): ProgressStyle {
  const asked = env.CANOPY_PROGRESS?.trim().toLowerCase();
  if (asked === "bar" || asked === "lines" || asked === "off") return asked;
  return stream.isTTY ? "bar" : "lines";
}

/**
 * One long task's progress. Call update() as often as you like (it draws at most every redrawMs, or writes a
 * line every lineIntervalMs, also while no update comes), phase() when the work changes kind ("reading data",
 * "publishing"), and finish() once, which clears the bar and writes the closing line. A command that fails
 * quickly writes nothing but its error: lines start only after lineIntervalMs.
 */
export class Progress {
  private readonly stream: ProgressStream;
  private readonly style: ProgressStyle;
  private readonly now: () => number;
  private readonly lineIntervalMs: number;
  private readonly redrawMs: number;
  private readonly startedAt: number;
  private samples: { at: number; done: number }[] = [];
  private done = 0;
  private total: number | null = null;
  private label: string;
  private lastDrawAt = -Infinity;
  private lastLineAt: number;
  private barShown = false;
  private finished = false;
  private readonly timer: NodeJS.Timeout | null = null;

  constructor(
    label: string,
    private readonly options: ProgressOptions,
  ) {
    this.label = label;
    this.stream = options.stream ?? process.stderr;
    this.style = options.style ?? progressStyle(this.stream);
    this.now = options.now ?? Date.now;
    this.lineIntervalMs = options.lineIntervalMs ?? 5000;
    this.redrawMs = options.redrawMs ?? 100;
    this.startedAt = this.now();
    this.lastLineAt = this.startedAt;
    if (this.style === "lines" && options.timer !== false) {
      this.timer = setInterval(() => this.tick(), this.lineIntervalMs);
      this.timer.unref();
    }
  }

  /** Writes the periodic line when one is due (the timer calls this). */
  tick(): void {
    if (this.finished || this.style !== "lines") return;
    const at = this.now();
    if (at - this.lastLineAt < this.lineIntervalMs) return;
    this.lastLineAt = at;
    this.writeLine(this.describe());
  }

  /** Work of another kind begins (a bar shows it as its label; lines print it at once). */
  phase(label: string): void {
    if (this.finished || (label === this.label && this.barShown)) return;
    this.label = label;
    this.draw(true);
  }

  update(done: number, total?: number): void {
    if (this.finished) return;
    if (total !== undefined) this.total = total;
    this.done = done;
    const at = this.now();
    this.samples.push({ at, done });
    while (this.samples.length > 2 && at - this.samples[0].at > RATE_WINDOW_MS) this.samples.shift();
    if (this.style === "lines") this.tick();
    else this.draw(this.total !== null && done >= this.total);
  }

  /** Ends the progress: clears the bar and writes `summary` (default: the final count and elapsed time). */
  finish(summary?: string): void {
    if (this.finished) return;
    this.stop();
    if (this.style === "off") return;
    this.clearBar();
    const elapsed = formatSeconds((this.now() - this.startedAt) / 1000);
    const count = this.total !== null ? `${this.done}/${this.total} ${this.options.unit}` : `${this.done} ${this.options.unit}`;
    this.writeLine(summary ?? `${this.label}: ${count} in ${elapsed}`);
  }

  /** A message between updates (a Redis outage, say): printed on its own line, the bar redrawn below it. */
  note(line: string): void {
    this.clearBar();
    this.writeLine(line);
    if (!this.finished) this.draw(true);
  }

  /** Removes the bar without a closing line (before printing an error, say). */
  abandon(): void {
    if (this.finished) return;
    this.stop();
    this.clearBar();
  }

  private stop(): void {
    this.finished = true;
    if (this.timer) clearInterval(this.timer);
  }

  /** Items per second over the last few seconds, or null before two distinct samples. */
  rate(): number | null {
    if (this.samples.length < 2) return null;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = (last.at - first.at) / 1000;
    if (seconds <= 0 || last.done <= first.done) return null;
    return (last.done - first.done) / seconds;
  }

  /** Seconds left at the current rate, or null when unknown. */
  etaSeconds(): number | null {
    const rate = this.rate();
    if (rate === null || this.total === null) return null;
    return Math.max(0, (this.total - this.done) / rate);
  }

  /** "growing: 45/100 trees (45%), 12.3 trees/s, ETA 4 s" */
  describe(): string {
    const parts: string[] = [];
    if (this.total !== null && this.total > 0) {
      parts.push(`${this.done}/${this.total} ${this.options.unit} (${Math.floor((100 * this.done) / this.total)}%)`);
    } else if (this.done > 0) parts.push(`${this.done} ${this.options.unit}`);
    const rate = this.rate();
    if (rate !== null) parts.push(`${formatRate(rate)} ${this.options.unit}/s`);
    const eta = this.etaSeconds();
    if (eta !== null && this.total !== null && this.done < this.total) parts.push(`ETA ${formatSeconds(eta)}`);
    return parts.length > 0 ? `${this.label}: ${parts.join(", ")}` : `${this.label}…`;
  }

  private draw(force: boolean): void {
    if (this.style !== "bar") return;
    const at = this.now();
    if (!force && at - this.lastDrawAt < this.redrawMs) return;
    this.lastDrawAt = at;
    const fraction = this.total ? Math.min(1, this.done / this.total) : 0;
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = this.total ? `[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}] ` : "";
    const text = `${bar}${this.describe()}`;
    // A pseudo-terminal without a size (script, some CI runners) reports 0 columns.
    const columns = this.stream.columns || Number(process.env.COLUMNS) || 80;
    // \r + erase-line redraws in place; never wider than the terminal, or the line wraps and piles up.
    this.stream.write(`\r\x1b[2K${text.length >= columns ? text.slice(0, Math.max(0, columns - 2)) + "…" : text}`);
    this.barShown = true;
  }

  private clearBar(): void {
    if (this.barShown) this.stream.write("\r\x1b[2K");
    this.barShown = false;
  }

  private writeLine(text: string): void {
    this.clearBar();
    this.stream.write(`${text}\n`);
  }
}

function formatRate(rate: number): string {
  return rate >= 100 ? String(Math.round(rate)) : rate >= 10 ? rate.toFixed(1) : rate.toFixed(2);
}

/** "4 s", "1 min 05 s", "1 h 02 min". */
export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, "0")} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.round((whole % 3600) / 60)).padStart(2, "0")} min`;
}
