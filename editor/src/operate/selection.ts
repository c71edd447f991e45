/**
 * The attempts ticked on the list, handed to the migration page (`scope=selection`): a few thousand
 * ids do not fit a link, and the tab's session storage keeps them across a reload of that page.
 */
const KEY = 'operate.selection';

export function keepSelection(ids: readonly string[]): void {
  sessionStorage.setItem(KEY, JSON.stringify(ids));
}

export function readSelection(): string[] {
  try {
    const v: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
