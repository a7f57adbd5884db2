import { RunChangedError, RunPublishedError, type RunResult } from "@canopy/pipeline/in-process";
import { isStorageError } from "@canopy/storage";

/** Prints a finished run the same way for `canopy train` and `canopy enqueue --wait`. */
export function printRunResult(result: RunResult): void {
  console.log(`model:    ${result.modelUrl}`);
  console.log(`report:   ${result.reportUrl}`);
  console.log(`manifest: ${result.manifestUrl}`);
  if (result.replaced) console.log(`replaces: the run published ${result.replaced.createdAt} (${result.replaced.because.join("; ")})`);
  console.log("metrics:");
  for (const [name, value] of Object.entries(result.metrics)) {
    if (typeof value === "number") console.log(`  ${name.padEnd(10)} ${formatNumber(value)}`);
    else if (typeof value === "string") console.log(`  ${name.padEnd(10)} ${value}`);
  }
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(2) : value.toPrecision(4);
}

/** The one line a user sees when a command fails: no stack trace, the reason only. */
export function failureLine(command: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `canopy ${command}: ${message.split("\n")[0]}${hintFor(error)}`;
}

/** What the user can do about a failure, in this command's words (the libraries do not know the flags). */
function hintFor(error: unknown): string {
  if (error instanceof RunPublishedError || isStorageError(error, "AlreadyExists")) return "; use --force to replace it";
  if (error instanceof RunChangedError) return "; use --force (or --on-change retrain) to replace it, or --run-date for another hour";
  return "";
}
