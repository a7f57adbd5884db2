/**
 * SVG text does not wrap or truncate by itself, so long labels (column names can be anything)
 * are shortened with an ellipsis; the full label stays in the element's <title>.
 */
export function truncateLabel(label: string, maxChars: number): string {
  const chars = Array.from(label);
  return chars.length <= maxChars ? label : `${chars.slice(0, Math.max(1, maxChars - 1)).join("")}…`;
}

/** A rough width in pixels for a label at the page's chart font size (about 0.6 em per glyph at 12 px). */
export function estimateTextWidth(label: string, fontSize = 12): number {
  return Array.from(label).length * fontSize * 0.6;
}
