import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compilePlaybook } from '../../playbooks/compile';
import { describe as sentence, groupProblems, KNOWN_CODES } from '../../editor/src/designer/problemText';
import type { PlaybookGraph, Problem } from '../../editor/src/types';

const ROOT = path.resolve(__dirname, '..', '..', 'playbooks');

/** Every problem code written in the compiler and the node kinds (`code: 'x'`, and the start check's ternary). */
function emittedCodes(): string[] {
  const files = [
    ...readdirSync(path.join(ROOT, 'compile')).map((f) => path.join(ROOT, 'compile', f)),
    ...readdirSync(path.join(ROOT, 'nodes')).map((f) => path.join(ROOT, 'nodes', f)),
    path.join(ROOT, 'compile.ts'),
  ].filter((f) => f.endsWith('.ts'));
  const codes = new Set<string>();
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/code:\s*'([a-z_]+)'/g)) codes.add(m[1]);
    for (const m of text.matchAll(/code:\s*[^,]*\?\s*'([a-z_]+)'\s*:\s*'([a-z_]+)'/g)) {
      codes.add(m[1]);
      codes.add(m[2]);
    }
  }
  return [...codes].sort();
}

const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', name: 'Start', position: { x: 0, y: 0 }, config: {} },
    {
      id: 'call',
      kind: 'task',
      name: 'Call back',
      position: { x: 300, y: 0 },
      config: {
        title: 'Call',
        assignee: { type: 'role', role: 'rep' },
        outcomes: [
          { key: 'reached', label: 'Reached' },
          { key: 'unreachable', label: 'Could not reach' },
        ],
      },
    },
  ],
  edges: [{ id: 'start.next', source: 'start', sourceHandle: 'next', target: 'call' }],
};

describe('problems in plain language', () => {
  const codes = emittedCodes();

  it('finds the codes in the compiler (the grep itself works)', () => {
    expect(codes).toEqual(expect.arrayContaining(['handle_unconnected', 'unreachable', 'no_start', 'multiple_starts', 'no_end', 'unknown_role']));
  });

  it.each(codes)('%s has its own sentence and fix, without the code', (code) => {
    if (!KNOWN_CODES.has(code)) throw new Error(`compiler code "${code}" has no sentence: add one to editor/src/designer/problemText.ts`);
    const p: Problem = { code, message: `something about node "call" and handle "reached"`, path: ['nodes', 1, 'config'], nodeId: 'call' };
    const s = sentence(code, [p], graph, 'call');
    expect(s.text.length).toBeGreaterThan(10);
    expect(s.fix.length).toBeGreaterThan(5);
    expect(`${s.text} ${s.fix}`).not.toContain(code);
    expect(/^[A-Z“]/.test(s.text)).toBe(true);
  });

  it('an unknown code still reads as a sentence about the step, by its name', () => {
    const s = sentence(
      'brand_new_check',
      [{ code: 'brand_new_check', message: 'the frobnicator of node "call" is off', path: [], nodeId: 'call' }],
      graph,
      'call',
    );
    expect(s.text).toBe('Call back: The frobnicator of “Call back” is off.');
    expect(s.fix).toMatch(/settings/);
  });

  it('zod codes name the field that is missing', () => {
    const s = sentence('invalid_type', [{ code: 'invalid_type', message: 'Invalid input', path: ['nodes', 1, 'config', 'title'] }], graph, 'call');
    expect(s.text).toBe('Call back: title is missing or not valid.');
  });

  it("groups a real compile's problems by step, one line per code, with the outcome labels and the fix", () => {
    const result = compilePlaybook(graph);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    const groups = groupProblems(problems, graph);
    const call = groups.find((g) => g.nodeId === 'call')!;
    expect(call.title).toBe('Call back');
    const open = call.lines.find((l) => l.code === 'handle_unconnected')!;
    // Two open handles, one line: in the outcomes' own labels.
    expect(open.problems).toHaveLength(2);
    expect(open.text).toBe('Call back: nothing is connected to Reached and Could not reach.');
    expect(open.fix).toBe('Connect Reached and Could not reach of Call back to the step that follows.');
    // The missing end is the playbook's own problem and comes first.
    expect(groups[0]).toMatchObject({ nodeId: null, title: 'This playbook' });
    expect(groups[0].lines.map((l) => l.text)).toContain('The playbook has no End step.');
  });

  it('a step with only "next" open says to connect what happens after it', () => {
    const lone: PlaybookGraph = { nodes: [graph.nodes[0]], edges: [] };
    const result = compilePlaybook(lone);
    const groups = groupProblems(result.ok ? [] : result.problems, lone);
    const start = groups.find((g) => g.nodeId === 'start')!;
    expect(start.lines.map((l) => l.fix)).toContain('Connect what happens after Start.');
  });
});
