import fc from 'fast-check';
import { z } from 'zod';
import { compilePlaybook } from '../../playbooks/compile';
import { NODE_KINDS } from '../../playbooks/nodes';
import { TEMPLATES } from '../../playbooks/templates';
import { validGraphArb } from '../support/validGraphs';

/**
 * Every node kind's config, fuzzed through the compiler: configs are generated from the kind's own
 * schema (its JSON Schema: keys, enums, nested lists and objects, recursive conditions), with
 * hostile values mixed in at every level (NUL, huge and out-of-range durations, system names,
 * prototype keys, deep nesting, wrong types). Whatever comes out, the compiler answers with a plan or
 * with problems pinned to paths; it never throws. Fixed seed per kind; PROPERTY_SEED explores.
 */
type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  $ref?: string;
  $defs?: Record<string, Schema>;
  default?: unknown;
};

const hostileText = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z_]{1,10}$/), weight: 3 },
  { arbitrary: fc.constantFrom('rep', 'department_head', 'customer', 'P1D', 'PT4H', 'done', 'next'), weight: 3 },
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    '',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '__proto__',
    'constructor',
    'customer.value',
    'visits.x',
    'P100000W',
    'PT9007199254740993S',
    'P99999999999999999999W',
    'PT0S',
    'P3653D',
    'P1D',
    'x'.repeat(5000),
    'rep',
    'department_head',
    'customer',
    'after_sales',
    'next',
    'default',
  ),
);
const hostileNumber = fc.oneof(fc.integer(), fc.double({ noNaN: false }), fc.constantFrom(0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31));
const junk = fc.oneof(hostileText, hostileNumber, fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));

function arbitraryFor(schema: Schema, defs: Record<string, Schema>, depth: number): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const target = defs[schema.$ref.split('/').pop()!];
    return depth > 6 || !target ? junk : arbitraryFor(target, defs, depth + 1);
  }
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((v) => arbitraryFor(v, defs, depth + 1)), junk);
  if (schema.enum) return fc.oneof({ arbitrary: fc.constantFrom(...schema.enum), weight: 20 }, { arbitrary: junk, weight: 1 });
  if (schema.const !== undefined) return fc.oneof({ arbitrary: fc.constant(schema.const), weight: 20 }, { arbitrary: junk, weight: 1 });
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const own: fc.Arbitrary<unknown> =
    type === 'object'
      ? fc.record(Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, arbitraryFor(s, defs, depth + 1)])), {
          requiredKeys: Object.keys(schema.properties ?? {}).filter(() => depth === 0),
        })
      : type === 'array'
        ? fc.array(depth > 6 ? junk : arbitraryFor(schema.items ?? {}, defs, depth + 1), { maxLength: 4 })
        : type === 'string'
          ? hostileText
          : type === 'number' || type === 'integer'
            ? hostileNumber
            : type === 'boolean'
              ? fc.boolean()
              : junk;
  return fc.oneof({ arbitrary: own, weight: 20 }, { arbitrary: junk, weight: 1 });
}

const seed = Number(process.env.PROPERTY_SEED ?? 20250611);

/** Valid configs of each kind, from the seeded templates and generated valid graphs. */
const validConfigs = new Map<string, unknown[]>();
for (const graph of [...TEMPLATES.map((t) => t.graph), ...fc.sample(validGraphArb, { numRuns: 40, seed }).map((b) => b.graph)]) {
  for (const node of graph.nodes) validConfigs.set(node.kind, [...(validConfigs.get(node.kind) ?? []), node.config]);
}

/** A valid config with one place in it replaced by a hostile value (or removed), or left alone. */
function mutatedValid(kind: string): fc.Arbitrary<unknown> {
  const bases = validConfigs.get(kind) ?? [];
  if (!bases.length) return junk;
  return fc.tuple(fc.constantFrom(...bases), fc.nat(), fc.option(junk, { freq: 4 })).map(([base, pick, value]) => {
    const copy = JSON.parse(JSON.stringify(base)) as unknown;
    const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
    const walk = (v: unknown) => {
      if (!v || typeof v !== 'object') return;
      for (const [k, child] of Object.entries(v)) {
        slots.push({ parent: v as Record<string, unknown>, key: Array.isArray(v) ? Number(k) : k });
        walk(child);
      }
    };
    walk(copy);
    if (!slots.length || pick % 5 === 0) return copy;
    const { parent, key } = slots[pick % slots.length];
    if (value === null && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key as string];
    else (parent as Record<string | number, unknown>)[key] = value;
    return copy;
  });
}

describe('every node kind config through the compiler', () => {
  it.each(NODE_KINDS.map((k) => [k.kind, k] as const))('%s: fuzzed configs never make the compiler throw', (kind, nodeKind) => {
    const schema = z.toJSONSchema(nodeKind.config, { io: 'input', unrepresentable: 'any' }) as Schema;
    const config = fc.oneof(arbitraryFor(schema, schema.$defs ?? {}, 0), mutatedValid(kind));
    let compiled = 0;
    fc.assert(
      fc.property(config, (cfg) => {
        // Wire the node up as far as its own handles go, so a valid config reaches the checks and the plan.
        const parsed = nodeKind.config.safeParse(cfg);
        const handles = parsed.success ? nodeKind.handles(parsed.data as never) : ['next'];
        const graph = {
          nodes: [
            { id: 's', kind: 'start', config: {} },
            { id: 'n', kind, config: cfg },
            // A terminal kind (end) is the end itself.
            ...(handles.length ? [{ id: 'e', kind: 'end', config: { outcome: 'closed' } }] : []),
          ],
          edges: [
            { id: 'e0', source: 's', sourceHandle: 'next', target: 'n' },
            ...handles.map((h, i) => ({ id: `e${i + 1}`, source: 'n', sourceHandle: h, target: 'e' })),
          ],
        };
        const result = compilePlaybook(
          kind === 'start'
            ? {
                ...graph,
                nodes: [{ ...graph.nodes[1], id: 's' }, graph.nodes[2]],
                edges: handles.map((h, i) => ({ id: `e${i}`, source: 's', sourceHandle: h, target: 'e' })),
              }
            : graph,
        );
        expect(result.ok).toBe(result.problems.length === 0);
        for (const p of result.problems) expect(Array.isArray(p.path) && typeof p.code === 'string').toBe(true);
        if (result.ok) compiled += 1;
      }),
      { numRuns: 150, seed, includeErrorInReport: true },
    );
    // Some generated configs are valid, so the kind's checks and the plan were exercised too.
    // Some cases were valid, so the kind's checks and its part of the plan were exercised too.
    expect(compiled).toBeGreaterThan(0);
  });
});
