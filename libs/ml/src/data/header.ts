import { quoted, quotedList } from "./quoted.js";
import { DataError } from "./data-error.js";

/**
 * The header line's column names. An empty name becomes `Unnamed: <0-based index>`, as pandas
 * names the index column of a DataFrame written with to_csv().
 */
export function readHeader(record: readonly string[], source: string | undefined): string[] {
  const names = record.map((name, index) => (name === "" ? `Unnamed: ${index}` : name));
  const firstSeen = new Map<string, number>();
  names.forEach((name, index) => {
    const earlier = firstSeen.get(name);
    if (earlier !== undefined) {
      throw new DataError(
        "DUPLICATE_HEADER",
        `the header names ${quoted(name)} twice (columns ${earlier + 1} and ${index + 1}); column names must be unique`,
        { source, row: 1, column: name, columnNumber: index + 1 },
      );
    }
    firstSeen.set(name, index);
  });
  return names;
}

/** The position of a named column, or a DataError that lists the columns there are. */
export function findColumn(header: readonly string[], name: string, role: "target" | "feature", source: string | undefined): number {
  const index = header.indexOf(name);
  if (index >= 0) return index;
  const near = header.find((candidate) => candidate.trim().toLowerCase() === name.trim().toLowerCase());
  const hint = near !== undefined ? ` (did you mean ${quoted(near)}?)` : "";
  throw new DataError(
    role === "target" ? "TARGET_NOT_IN_HEADER" : "FEATURE_NOT_IN_HEADER",
    `the ${role} column ${quoted(name)} is not in the header${hint}; the columns are: ${quotedList(header)}`,
    { source, row: 1, column: name },
  );
}

/** Header positions of the feature columns: the given list, or every column but the target. */
export function resolveFeatures(
  header: readonly string[],
  features: readonly string[] | null | undefined,
  targetIndex: number,
  source: string | undefined,
): number[] {
  if (features === null || features === undefined) {
    const all = header.map((_, index) => index).filter((index) => index !== targetIndex);
    if (all.length === 0) {
      throw new DataError("BAD_SCHEMA", "the file has only the target column; there are no features to learn from", {
        source,
        row: 1,
      });
    }
    return all;
  }
  if (features.length === 0) throw new DataError("BAD_SCHEMA", "the feature list is empty", { source });
  const seen = new Set<string>();
  return features.map((name) => {
    if (seen.has(name)) throw new DataError("BAD_SCHEMA", `the feature list names ${quoted(name)} twice`, { source });
    seen.add(name);
    const index = findColumn(header, name, "feature", source);
    if (index === targetIndex) {
      throw new DataError("BAD_SCHEMA", `${quoted(name)} is the target; it cannot also be a feature`, {
        source,
        column: name,
      });
    }
    return index;
  });
}
