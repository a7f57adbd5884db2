/**
 * Escapes text for HTML element content and quoted attribute values (SVG inside HTML is parsed
 * by the HTML parser, so the same rules hold there). Every string that comes from data —
 * column names, class labels, URLs, parameter values — goes through this.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
