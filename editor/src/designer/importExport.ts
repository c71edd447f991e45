import { PlaybookGraph as GraphSchema } from '../../../playbooks/graph';
import { problemsFromZod, type Problem } from '../../../playbooks/problems';
import type { PlaybookGraph } from '../types';

/** The file a playbook is exported to and imported from: the graph, plus its name for people. */
export function exportFile(name: string, graph: PlaybookGraph): string {
  return `${JSON.stringify({ name, graph }, null, 2)}\n`;
}

/**
 * A file's text → a graph, checked against the same schema the server uses. Either a bare graph
 * or an exported file (`{name, graph}`) is accepted.
 */
export function parseImport(text: string): { ok: true; graph: PlaybookGraph; name?: string } | { ok: false; problems: Problem[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ code: 'invalid_json', message: `not JSON: ${e instanceof Error ? e.message : String(e)}`, path: [] }] };
  }
  const wrapped = data && typeof data === 'object' && 'graph' in data;
  const candidate = wrapped ? (data as { graph: unknown }).graph : data;
  const parsed = GraphSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error.issues, wrapped ? ['graph'] : []) };
  const name = wrapped && typeof (data as { name?: unknown }).name === 'string' ? (data as { name: string }).name : undefined;
  return { ok: true, graph: parsed.data as PlaybookGraph, ...(name ? { name } : {}) };
}

export function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
