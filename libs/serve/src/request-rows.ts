import { Readable } from "node:stream";
import { DataError, loadFeatureTable } from "@canopy/ml";

/**
 * The rows of a /predict request as one column per model feature (NaN = missing), or a message for the 400.
 * JSON: `{"rows": [{"feature": 1.5, ...}, ...]}` or the bare array; `null` or an absent feature is missing.
 * CSV (`text/csv`): a header naming the features (extra columns are ignored), read as training data is read.
 */
export class RowsError extends Error {
  override readonly name = "RowsError";
}

export function columnsFromJson(text: string, featureNames: readonly string[]): Float64Array[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new RowsError(`the body is not JSON: ${(error as Error).message.slice(0, 120)}`);
  }
  const rows = Array.isArray(body) ? body : (body as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows)) throw new RowsError('send {"rows": [{"<feature>": <number>, ...}, ...]} or a JSON array of such objects');
  if (rows.length === 0) throw new RowsError("no rows to predict");
  const columns = featureNames.map(() => new Float64Array(rows.length));
  rows.forEach((row: unknown, r) => {
    if (typeof row !== "object" || row === null || Array.isArray(row)) throw new RowsError(`row ${r} is not an object of feature values`);
    const record = row as Record<string, unknown>;
    featureNames.forEach((name, f) => {
      const value = record[name];
      if (value === undefined || value === null) columns[f][r] = NaN;
      else if (typeof value === "number" && Number.isFinite(value)) columns[f][r] = value;
      else
        throw new RowsError(
          `row ${r}, feature "${name}": ${excerpt(JSON.stringify(value))} is not a finite number (use null for a missing value)`,
        );
    });
  });
  return columns;
}

/** CSV rows through the training loader (quotes, missing-value spellings and its messages), extra columns ignored. */
export async function columnsFromCsv(text: string, featureNames: readonly string[]): Promise<Float64Array[]> {
  try {
    const table = await loadFeatureTable(Readable.from([Buffer.from(text)]), { features: featureNames, source: "the request body" });
    if (table.nRows === 0) throw new RowsError("no rows to predict");
    return table.columns.map((column) => Float64Array.from(column));
  } catch (error) {
    if (error instanceof DataError) throw new RowsError(error.message);
    throw error;
  }
}

function excerpt(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 40)}… (${text.length} characters)`;
}
