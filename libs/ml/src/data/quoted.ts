/** How much of a value taken from the user's data an error message quotes. */
export const EXCERPT_CHARACTERS = 80;
/** How many names a message lists before it says how many more there are. */
export const LISTED_NAMES = 20;

/**
 * A value from the data, quoted for a message: in full when short, else its first 80 characters and its length
 * (`"xxxx…"… (1,048,576 characters)`), so that one bad cell or header cannot make a message of megabytes — messages
 * end up in terminals, in job failure reasons in Redis and in Airflow logs.
 */
export function quoted(value: string): string {
  if (value.length <= EXCERPT_CHARACTERS) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, EXCERPT_CHARACTERS))}… (${value.length.toLocaleString("en-US")} characters)`;
}

/** Names quoted and joined, at most 20 of them, then how many more. */
export function quotedList(names: readonly string[]): string {
  const shown = names.slice(0, LISTED_NAMES).map(quoted).join(", ");
  const more = names.length - LISTED_NAMES;
  return more > 0 ? `${shown} and ${more.toLocaleString("en-US")} more` : shown;
}
