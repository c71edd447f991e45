import { KNOWN_VARIABLES, type Comparison, type Condition } from '../../../../playbooks/nodes/decision';
import type { PlaybookGraph } from '../../types';
import { knownValues, variableOptions } from './options';
import { NumberInput, SelectInput, TextInput } from './widgets';

/**
 * A decision rule's condition: a comparison of a known variable, or all/any/not of conditions.
 * Variables come from a list built from the graph, and the value input follows the variable
 * (its known values, a number, yes/no), so a rule cannot compare a grade to "hgih".
 */
type Mode = 'compare' | 'all' | 'any' | 'not';

const MODES: { value: Mode; label: string }[] = [
  { value: 'compare', label: 'Compare a variable' },
  { value: 'all', label: 'All of' },
  { value: 'any', label: 'Any of' },
  { value: 'not', label: 'Not' },
];

const OPS: { value: Comparison['op']; label: string }[] = [
  { value: 'eq', label: 'is' },
  { value: 'neq', label: 'is not' },
  { value: 'gt', label: '>' },
  { value: 'gte', label: '≥' },
  { value: 'lt', label: '<' },
  { value: 'lte', label: '≤' },
  { value: 'in', label: 'is one of' },
  { value: 'exists', label: 'is set' },
];

const NEW_COMPARISON: Comparison = { var: 'customer.grade', op: 'eq', value: 'core' };

function modeOf(c: Condition | undefined): Mode {
  if (!c || typeof c !== 'object') return 'compare';
  if ('all' in c) return 'all';
  if ('any' in c) return 'any';
  if ('not' in c) return 'not';
  return 'compare';
}

function switchMode(current: Condition | undefined, mode: Mode): Condition {
  const base = current && modeOf(current) === 'compare' ? current : NEW_COMPARISON;
  if (mode === 'all') return { all: [base] };
  if (mode === 'any') return { any: [base] };
  if (mode === 'not') return { not: base };
  return base;
}

function isBooleanVar(name: string): boolean {
  return name === 'agreement_signed' || name.endsWith('.exhausted');
}

function isNumberVar(name: string): boolean {
  return KNOWN_VARIABLES[name]?.type === 'number' || name.startsWith('visits.') || name.startsWith('responses.') || name.endsWith('.tier');
}

function ValueInput({ cmp, onChange, graph }: { cmp: Comparison; onChange: (v: Comparison['value']) => void; graph: PlaybookGraph }) {
  const known = knownValues(graph, cmp.var);
  if (cmp.op === 'exists') return null;
  if (cmp.op === 'in') {
    const text = Array.isArray(cmp.value) ? cmp.value.join(', ') : '';
    const parse = (t: string) =>
      t
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => (isNumberVar(cmp.var) && !Number.isNaN(Number(s)) ? Number(s) : s));
    return (
      <TextInput label="Values, separated by commas" value={text} placeholder={known ? known.join(', ') : 'A, B'} onChange={(t) => onChange(parse(t ?? ''))} />
    );
  }
  const ordering = ['gt', 'gte', 'lt', 'lte'].includes(cmp.op);
  if (ordering || isNumberVar(cmp.var))
    return <NumberInput label="Value" value={typeof cmp.value === 'number' ? cmp.value : undefined} onChange={(n) => onChange(n)} />;
  if (known)
    return (
      <SelectInput
        label="Value"
        value={typeof cmp.value === 'string' ? cmp.value : undefined}
        options={known.map((v) => ({ value: v, label: v.replace(/_/g, ' ') }))}
        onChange={(v) => onChange(v)}
      />
    );
  if (isBooleanVar(cmp.var)) {
    return (
      <SelectInput
        label="Value"
        value={cmp.value === undefined ? undefined : String(cmp.value)}
        options={[
          { value: 'true', label: 'yes' },
          { value: 'false', label: 'no' },
        ]}
        onChange={(v) => onChange(v === undefined ? undefined : v === 'true')}
      />
    );
  }
  return <TextInput label="Value" value={cmp.value === undefined ? undefined : String(cmp.value)} onChange={(v) => onChange(v)} />;
}

interface Props {
  value: Condition | undefined;
  onChange: (value: Condition) => void;
  graph: PlaybookGraph;
  depth?: number;
}

export function ConditionEditor({ value, onChange, graph, depth = 0 }: Props) {
  const mode = modeOf(value);
  return (
    <div className={`condition condition--depth${Math.min(depth, 3)}`}>
      <SelectInput label="Condition type" value={mode} options={MODES} onChange={(m) => onChange(switchMode(value, (m as Mode | undefined) ?? 'compare'))} />
      {mode === 'compare' && <Compare cmp={(value as Comparison | undefined) ?? NEW_COMPARISON} onChange={onChange} graph={graph} />}
      {(mode === 'all' || mode === 'any') && (
        <Group value={value as { all: Condition[] } | { any: Condition[] }} mode={mode} onChange={onChange} graph={graph} depth={depth} />
      )}
      {mode === 'not' && <ConditionEditor value={(value as { not: Condition }).not} onChange={(c) => onChange({ not: c })} graph={graph} depth={depth + 1} />}
    </div>
  );
}

function Compare({ cmp, onChange, graph }: { cmp: Comparison; onChange: (c: Condition) => void; graph: PlaybookGraph }) {
  return (
    <div className="compare">
      <SelectInput label="Variable" value={cmp.var} options={variableOptions(graph)} onChange={(v) => onChange({ ...cmp, var: v ?? '' })} />
      <SelectInput
        label="Operator"
        value={cmp.op}
        options={OPS}
        onChange={(op) => onChange({ ...cmp, op: (op as Comparison['op'] | undefined) ?? 'eq', ...(op === 'exists' ? { value: undefined } : {}) })}
      />
      <ValueInput cmp={cmp} onChange={(v) => onChange({ ...cmp, value: v })} graph={graph} />
    </div>
  );
}

function Group({
  value,
  mode,
  onChange,
  graph,
  depth,
}: {
  value: { all: Condition[] } | { any: Condition[] };
  mode: 'all' | 'any';
  onChange: (c: Condition) => void;
  graph: PlaybookGraph;
  depth: number;
}) {
  const items = ('all' in value ? value.all : value.any) ?? [];
  const set = (list: Condition[]) => onChange(mode === 'all' ? { all: list } : { any: list });
  return (
    <div className="condition__group">
      {items.map((c, i) => (
        <div key={i} className="condition__item">
          <ConditionEditor value={c} onChange={(next) => set(items.map((x, j) => (j === i ? next : x)))} graph={graph} depth={depth + 1} />
          <button type="button" className="icon-btn" aria-label={`Remove condition ${i + 1}`} onClick={() => set(items.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="btn btn--small btn--ghost add-btn" onClick={() => set([...items, NEW_COMPARISON])}>
        + Add condition
      </button>
    </div>
  );
}
