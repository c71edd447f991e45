/**
 * An ILIKE pattern matching `text` anywhere, with `%`, `_` and the escape character taken
 * literally: a search for "10%" finds "10%", not every name with "10" in it.
 */
export function containsLiterally(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
