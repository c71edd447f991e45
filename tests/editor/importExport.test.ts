import { TEMPLATES } from '../../playbooks/templates';
import { exportFile, parseImport } from '../../editor/src/designer/importExport';
import type { PlaybookGraph } from '../../editor/src/types';

describe('import / export', () => {
  const graph = TEMPLATES[0].graph as PlaybookGraph;

  it('an exported file imports back to the same graph, with its name', () => {
    expect(parseImport(exportFile('Call-back', graph))).toEqual({ ok: true, graph, name: 'Call-back' });
  });

  it('a bare graph is accepted too', () => {
    expect(parseImport(JSON.stringify(graph))).toMatchObject({ ok: true, graph });
  });

  it('a file that is not a playbook graph is refused with every problem and its path', () => {
    const bad = parseImport(JSON.stringify({ graph: { nodes: [{ id: 'has space', kind: 'task' }], edges: 'none' } }));
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.map((p) => p.path.join('.'))).toEqual(expect.arrayContaining(['graph.nodes.0.id', 'graph.edges']));
    expect(parseImport('{not json').ok).toBe(false);
  });
});
