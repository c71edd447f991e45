import fc from 'fast-check';
import { compilePlaybook, type CompileResult } from '../../playbooks/compile';
import { mutatedGraphArb, validGraphArb } from '../support/validGraphs';

/**
 * The compiler takes whatever an editor, a script or an attacker sends: it must never throw, and it
 * must always answer with problems shaped for the editor and the API ({code, message, path}).
 */

function expectStructured(result: CompileResult): void {
  expect(typeof result.ok).toBe('boolean');
  expect(Array.isArray(result.problems)).toBe(true);
  for (const p of result.problems) {
    expect(typeof p.code).toBe('string');
    expect(p.code.length).toBeGreaterThan(0);
    expect(typeof p.message).toBe('string');
    expect(Array.isArray(p.path)).toBe(true);
    for (const segment of p.path) expect(['string', 'number']).toContain(typeof segment);
    if (p.nodeId !== undefined) expect(typeof p.nodeId).toBe('string');
    if (p.edgeId !== undefined) expect(typeof p.edgeId).toBe('string');
  }
  // Either a plan and no problems, or problems and no plan: never both, never neither.
  if (result.ok) {
    expect(result.problems).toEqual([]);
    expect(result.plan).not.toBeNull();
  } else {
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.plan).toBeNull();
    expect(result.worstCaseDurationMs).toBeNull();
  }
  // What the API sends back must survive JSON.
  expect(() => JSON.stringify(result)).not.toThrow();
}

const options = { numRuns: 200, seed: 20250106, includeErrorInReport: true };

describe('compiler fuzz', () => {
  it('arbitrary JSON never makes it throw', () => {
    fc.assert(
      fc.property(
        fc.anything({ maxDepth: 4, withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true, withSparseArray: true, stringUnit: 'binary' }),
        (input) => {
          expectStructured(compilePlaybook(input));
        },
      ),
      options,
    );
  });

  it('graph-shaped junk never makes it throw', () => {
    const junkNode = fc.record(
      {
        id: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 's')),
        kind: fc.oneof(fc.constantFrom('start', 'task', 'decision', 'end', 'join', 'parallel', 'offer'), fc.string()),
        config: fc.anything({ maxDepth: 3 }),
      },
      { requiredKeys: [] },
    );
    const junkEdge = fc.record(
      {
        id: fc.string(),
        source: fc.constantFrom('s', 'x', '__proto__'),
        sourceHandle: fc.oneof(fc.constantFrom('next', 'default', 'constructor'), fc.string()),
        target: fc.constantFrom('s', 'x', '__proto__'),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.record({ nodes: fc.array(junkNode, { maxLength: 8 }), edges: fc.array(junkEdge, { maxLength: 8 }) }), (input) => {
        expectStructured(compilePlaybook(input));
      }),
      options,
    );
  });

  it('mutated valid graphs (dropped edges, renamed handles, wrong types, duplicate ids, huge strings, deep nesting) never make it throw', () => {
    let refused = 0;
    fc.assert(
      fc.property(mutatedGraphArb, (input) => {
        const result = compilePlaybook(input);
        expectStructured(result);
        if (!result.ok) refused += 1;
      }),
      options,
    );
    // The mutations really break graphs (most of them): the test is not fuzzing valid input only.
    expect(refused).toBeGreaterThan(options.numRuns / 2);
  });

  it('a valid graph missing any one edge is refused, with the handle that lost it named', () => {
    fc.assert(
      fc.property(validGraphArb, fc.nat(), ({ graph }, n) => {
        const dropped = graph.edges[n % graph.edges.length];
        const result = compilePlaybook({ ...graph, edges: graph.edges.filter((e) => e !== dropped) });
        expectStructured(result);
        expect(result.problems).toContainEqual(
          expect.objectContaining({ code: 'handle_unconnected', nodeId: dropped.source, message: expect.stringContaining(`"${dropped.sourceHandle}"`) }),
        );
      }),
      { ...options, numRuns: 100 },
    );
  });
});
