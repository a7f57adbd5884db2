import { Progress } from "./progress.js";

/**
 * Counted progress of a long command whose total is not known up front (`canopy predict` rows, `canopy export`
 * trees), shown by the shared Progress (a bar with rate on a terminal, plain periodic lines elsewhere).
 * done() clears it: the command's own closing line follows.
 */
export class RateReporter {
  private count = 0;
  private readonly progress: Progress;

  constructor(verb: string, unit: string, total?: number) {
    this.progress = new Progress(verb, { unit });
    if (total !== undefined) this.progress.update(0, total);
  }

  add(count: number): void {
    this.count += count;
    this.progress.update(this.count);
  }

  done(): void {
    this.progress.abandon();
  }
}
