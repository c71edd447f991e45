import fc from 'fast-check';
import { contentHash, canonicalJson } from '../../playbooks/canonical';
import { compilePlaybook } from '../../playbooks/compile';
import { canonicalPlanJson, planContentHash } from '../../playbooks/compile/planHash';
import { TEMPLATES } from '../../playbooks/templates';
import { validGraphArb } from '../support/validGraphs';

/**
 * The compiler hashes plans with its own, faster canonical JSON (compile/planHash.ts). Published
 * versions and the replay corpus store plan hashes, so it must give exactly what the general
 * canonicalJson gives.
 */
const withoutHash = (plan: { hash: string }) => {
  const { hash: _hash, ...body } = plan;
  return body;
};

describe('plan hash', () => {
  it('is sha256 of canonicalJson on every template', () => {
    for (const template of TEMPLATES) {
      const plan = compilePlaybook(template.graph).plan!;
      expect(canonicalPlanJson(withoutHash(plan))).toBe(canonicalJson(withoutHash(plan)));
      expect(plan.hash).toBe(contentHash(withoutHash(plan)));
    }
  });

  it('is sha256 of canonicalJson on generated playbooks', () => {
    fc.assert(
      fc.property(validGraphArb, ({ graph }) => {
        const plan = compilePlaybook(graph).plan!;
        expect(plan.hash).toBe(contentHash(withoutHash(plan)));
      }),
      { numRuns: 200, seed: 20261202 },
    );
  });

  it('writes the same bytes as canonicalJson for any JSON-like value, undefined, holes and odd keys included', () => {
    const odd = { b: [undefined, 'x', 1], a: { '\u2028"': 'é\n', __proto_: null, '10': [], '9': ['a', 'b'] }, c: undefined, '': [[], {}] };
    // eslint-disable-next-line no-sparse-arrays
    const sparse = ['a', , 'c'];
    for (const value of [odd, sparse, [], {}, 'text', 3.5, null, undefined, [null], ['only', 'strings'], [1, 'mixed']]) {
      expect(canonicalPlanJson(value)).toBe(canonicalJson(value));
      expect(planContentHash(value)).toBe(contentHash(value));
    }
    fc.assert(
      fc.property(fc.anything({ withSparseArray: true, withNullPrototype: true, withUnicodeString: true }), (value) => {
        expect(canonicalPlanJson(value)).toBe(canonicalJson(value));
      }),
      { numRuns: 500, seed: 20261203 },
    );
  });
});
