import fc from 'fast-check';
import { compilePlaybook } from '../../playbooks/compile';
import { MAX_CONFIG_KEY, MAX_CONFIG_TEXT, PlaybookGraph } from '../../playbooks/graph';
import { readWellFormedGraph } from '../../playbooks/graphFastRead';
import { TEMPLATES } from '../../playbooks/templates';
import { benchGraph } from '../../scripts/bench/compile';
import { validGraphArb } from '../support/validGraphs';

/**
 * The compiler reads well-formed graphs without zod (playbooks/graphFastRead.ts). It must never
 * accept what the schema refuses, and what it returns must equal the schema's output exactly
 * (key order included: parsed graphs are serialized); when it gives up, zod decides and words it.
 */
function agrees(input: unknown): void {
  const fast = readWellFormedGraph(input);
  const zod = PlaybookGraph.safeParse(input);
  if (fast !== null) {
    expect(zod.success).toBe(true);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
    expect(fast).toStrictEqual(zod.data);
  }
}

const identifierLike = fc.oneof(
  { arbitrary: fc.constantFrom('a', 'b', 'step_1'), weight: 6 },
  fc.constantFrom('a', 'step_1', 'x.y:z-2', '', '__proto__', 'constructor', 'toString', 'has space', 'é', 'a'.repeat(64), 'a'.repeat(65)),
  fc.string({ maxLength: 8 }),
);
const configValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('x'.repeat(MAX_CONFIG_TEXT), 'x'.repeat(MAX_CONFIG_TEXT + 1)),
  fc.constant({ ['k'.repeat(MAX_CONFIG_KEY + 1)]: 1 }),
  fc.constant({ ['k'.repeat(MAX_CONFIG_KEY)]: 1 }),
  fc.constant(JSON.parse('{"__proto__": {"a": 1}}')),
  fc.constant([1, undefined, 'a']),
  fc.constant({ a: undefined }),
  fc.constant(Object.create(null)),
  fc.constant({ a: { b: [{ c: { d: 'x'.repeat(MAX_CONFIG_TEXT + 1) } }] } }),
  // Past the walk's depth both stop looking (the compiler refuses such nesting itself).
  fc.constant(nested(90, 'x'.repeat(MAX_CONFIG_TEXT + 1))),
);

function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { v: value };
  return value;
}
const nodeArb = fc.record(
  {
    id: identifierLike,
    kind: fc.oneof(fc.constantFrom('task', 'end', '', 'k'.repeat(65)), fc.string({ maxLength: 4 })),
    name: fc.oneof(fc.string({ maxLength: 5 }), fc.constant('n'.repeat(201)), fc.constant(undefined), fc.integer()),
    position: fc.oneof(
      fc.record({ x: fc.double(), y: fc.double() }),
      fc.record({ x: fc.integer(), y: fc.integer(), z: fc.integer() }),
      fc.constant(undefined),
      fc.constant(null),
      fc.constant({ x: 1 }),
    ),
    config: fc.oneof(fc.dictionary(fc.string({ maxLength: 4 }), configValue, { maxKeys: 3 }), configValue, fc.constant(undefined)),
    extra: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: ['id', 'kind'] },
);
const edgeArb = fc.record(
  {
    id: identifierLike,
    source: identifierLike,
    sourceHandle: fc.oneof(fc.constantFrom('next', '', 'h'.repeat(65)), fc.string({ maxLength: 4 }), fc.integer()),
    target: identifierLike,
    label: fc.string({ maxLength: 3 }),
  },
  { requiredKeys: ['id', 'source', 'target'] },
);

describe('reading a well-formed graph without zod', () => {
  it('takes the fast path for every template and the benchmark graph, with the schema output', () => {
    for (const graph of [...TEMPLATES.map((t) => t.graph), benchGraph(200)]) {
      expect(readWellFormedGraph(graph)).not.toBeNull();
      agrees(graph);
    }
  });

  it('agrees with the schema on generated valid playbooks', () => {
    fc.assert(
      fc.property(validGraphArb, ({ graph }) => {
        expect(readWellFormedGraph(graph)).not.toBeNull();
        agrees(graph);
      }),
      { numRuns: 200, seed: 20261204 },
    );
  });

  it('never accepts what the schema refuses, and returns the schema output when it accepts', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record(
            { nodes: fc.array(nodeArb, { maxLength: 4 }), edges: fc.array(edgeArb, { maxLength: 4 }), other: fc.anything() },
            { requiredKeys: ['nodes', 'edges'] },
          ),
          // One node and nothing else to go wrong: each odd member is then the only thing to judge.
          fc.record({ nodes: fc.tuple(nodeArb), edges: fc.constant([]) }),
          fc.anything(),
        ),
        (input) => agrees(input),
      ),
      { numRuns: 5000, seed: 20261205 },
    );
  });

  it('gives every problem through zod when the graph is not well formed', () => {
    const result = compilePlaybook({ nodes: [{ id: 'toString', kind: 'end', config: { note: 'x'.repeat(MAX_CONFIG_TEXT + 1) } }], edges: 'none' });
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.path.join('.')).sort()).toEqual(['edges', 'nodes.0.config.note', 'nodes.0.id']);
  });
});
