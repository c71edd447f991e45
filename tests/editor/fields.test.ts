import { z } from 'zod';
import { NODE_KINDS } from '../../playbooks/nodes';
import { defaultValue, fieldsFor, type Field } from '../../editor/src/designer/form/fields';
import { knownValues, variableOptions } from '../../editor/src/designer/form/options';
import { starterConfig } from '../../editor/src/designer/starters';
import { TEMPLATES } from '../../playbooks/templates';
import type { PlaybookGraph } from '../../editor/src/types';

/** Every field in the tree with its dotted path ('*' for list items, 'variant:x' inside a union). */
function flatten(fields: readonly Field[], prefix = ''): [string, Field][] {
  return fields.flatMap((f): [string, Field][] => {
    const path = prefix ? `${prefix}.${f.key}` : f.key;
    const self: [string, Field] = [path, f];
    if (f.type === 'object') return [self, ...flatten(f.fields, path)];
    if (f.type === 'list') return [self, [`${path}.*`, f.item], ...(f.item.type === 'object' ? flatten(f.item.fields, `${path}.*`) : [])];
    if (f.type === 'union') return [self, ...f.variants.flatMap((v) => flatten(v.fields, `${path}.${v.value}`))];
    return [self];
  });
}

const byPath = (kind: string) => new Map(flatten(fieldsFor(kind)));
const typeAt = (kind: string, path: string) => byPath(kind).get(path)?.type;
const sourceAt = (kind: string, path: string) => {
  const f = byPath(kind).get(path);
  return f && (f.type === 'select' || f.type === 'multiselect') ? f.source : undefined;
};

describe('fieldsFor', () => {
  it.each(NODE_KINDS.map((k) => [k.kind, k] as const))('%s: a usable field for every config key', (_name, kind) => {
    const schema = z.toJSONSchema(kind.config, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
    const fields = fieldsFor(kind);
    expect(fields.map((f) => f.key).sort()).toEqual(Object.keys(schema.properties ?? {}).sort());
    for (const [path, field] of flatten(fields)) {
      expect([path, field.type]).not.toEqual([path, 'json']);
      expect(field.label.length).toBeGreaterThan(0);
    }
  });

  it('durations get the number + unit picker, wherever they are', () => {
    for (const [kind, path] of [
      ['task', 'sla'],
      ['task', 'escalation.*.after'],
      ['wait_response', 'timeout'],
      ['wait_response', 'reminders.*.after'],
      ['delay', 'duration'],
      ['offer', 'tiers.*.validity'],
      ['commitment', 'signatureTimeout'],
      ['commitment', 'checkInEvery'],
      ['commitment', 'reminders.*'],
      ['escalate', 'sla'],
    ]) {
      expect([kind, path, typeAt(kind, path)]).toEqual([kind, path, 'duration']);
    }
  });

  it('roles, departments, templates and variables are chosen from lists', () => {
    expect(sourceAt('task', 'assignee.role.role')).toBe('roles');
    expect(sourceAt('task', 'assignee.role.department')).toBe('departments');
    expect(sourceAt('task', 'assignee.variable.fallbackRole')).toBe('roles');
    expect(sourceAt('task', 'assignee.variable.variable')).toBe('variables');
    expect(sourceAt('task', 'escalation.*.role')).toBe('roles');
    expect(sourceAt('escalate', 'role')).toBe('roles');
    expect(sourceAt('notify', 'to.role.role')).toBe('roles');
    expect(sourceAt('notify', 'template')).toBe('templates');
    expect(sourceAt('offer', 'template')).toBe('templates');
    expect(sourceAt('wait_response', 'reminders.*.template')).toBe('templates');
    expect(sourceAt('wait_response', 'kinds')).toBe('responseKinds');
    expect(sourceAt('update_customer', 'churnReasonFrom')).toBe('variables');
    expect(typeAt('decision', 'rules.*.when')).toBe('condition');
  });

  it('enums become selects and discriminated unions a type select', () => {
    const outcome = byPath('end').get('outcome');
    expect(outcome?.type === 'enum' && outcome.options.map((o) => o.value)).toEqual(['won_back', 'retained', 'resolved', 'lost', 'closed']);
    const assignee = byPath('task').get('assignee');
    expect(assignee?.type === 'union' && [assignee.discriminator, assignee.variants.map((v) => v.value)]).toEqual(['type', ['role', 'variable']]);
    const to = byPath('notify').get('to');
    expect(to?.type === 'union' && to.variants.map((v) => v.value)).toEqual(['customer', 'role', 'account_manager', 'user']);
    expect(typeAt('task', 'outcomes')).toBe('list');
    expect(typeAt('task', 'instructions')).toBe('text');
    expect(byPath('task').get('instructions')).toMatchObject({ multiline: true });
    expect(typeAt('notify', 'vars')).toBe('record');
    expect(typeAt('commitment', 'termMonths')).toBe('number');
    expect(byPath('commitment').get('termMonths')).toMatchObject({ integer: true, min: 1, max: 60 });
  });

  it.each(NODE_KINDS.map((k) => [k.kind, k] as const))('%s: the palette starter config is valid', (_name, kind) => {
    expect(kind.config.safeParse(starterConfig(kind.kind)).success).toBe(true);
  });

  it('a new union variant starts from its own defaults', () => {
    const assignee = byPath('task').get('assignee');
    expect(assignee && defaultValue(assignee)).toEqual({ type: 'role', role: 'rep', department: 'customer' });
  });

  it('a value that may come from a run variable gets a fixed-or-variable choice over the literal’s own input', () => {
    const churnType = byPath('update_customer').get('churnType');
    expect(churnType).toMatchObject({ type: 'valueSource', label: 'Churn type', literal: { type: 'enum', label: 'Churn type' } });
    const value = byPath('offer').get('tiers.*.incentive.value');
    expect(value).toMatchObject({ type: 'valueSource', literal: { type: 'number', min: 0 } });
    expect(value && defaultValue(value)).toBe(0);
    expect(byPath('notify').get('to.user.userId')).toMatchObject({ type: 'valueSource', literal: { type: 'text' } });
  });

  it('the variable picker offers an experiment’s arm and the credit file where the playbook has them', () => {
    const triage = TEMPLATES.find((t) => t.key === 'natural-churn-triage')!.graph as PlaybookGraph;
    const options = new Map(variableOptions(triage).map((o) => [o.value, o.group]));
    expect(options.get('natural_split.arm')).toBe('Step results');
    expect(options.get('credit.rating')).toBe('Credit file');
    expect(options.get('churn_type')).toBeDefined();
    const callBack = TEMPLATES.find((t) => t.key === 'call-back')!.graph as PlaybookGraph;
    expect(variableOptions(callBack).map((o) => o.value)).not.toContain('credit.rating');
    // The value input of a rule then offers what the variable can be: the arms, the start variable's list, the ratings.
    expect(knownValues(triage, 'natural_split.arm')).toEqual(['new_line', 'record_only']);
    expect(knownValues(triage, 'churn_type')).toEqual(['natural', 'malicious', 'competitive', 'fault']);
    expect(knownValues(triage, 'credit.rating')).toEqual(['good', 'fair', 'poor']);
    expect(knownValues(triage, 'visit_notes')).toBeUndefined();
  });
});
