import { NODE_KINDS } from '../../../playbooks/nodes';
import { NODE_STEPS, nodeStep } from '../../../playbooks/nodes/runtime';

/**
 * A kind is two lists: its description in playbooks/nodes/index.ts (compiler, editor) and its step
 * in playbooks/nodes/runtime/index.ts (the step machine, without zod). A kind in one and not the
 * other would compile and then fail in every run, or run a plan nothing can draw.
 */
describe('the node kinds and the steps the runtime runs', () => {
  it('list the same kinds, in the same order', () => {
    expect(NODE_STEPS.map((s) => s.kind)).toEqual(NODE_KINDS.map((k) => k.kind));
  });

  it('give each kind the same runtime hooks in its description as in its step', () => {
    for (const kind of NODE_KINDS) {
      const step = nodeStep(kind.kind);
      const hooks = (o: object) => ['enter', 'on', 'settle', 'cancel'].filter((h) => typeof (o as Record<string, unknown>)[h] === 'function');
      expect({ kind: kind.kind, hooks: hooks(kind) }).toEqual({ kind: kind.kind, hooks: hooks(step) });
    }
  });

  it('refuses a kind no plan can hold', () => {
    expect(() => nodeStep('teleport')).toThrow('unknown node kind "teleport"');
  });
});
