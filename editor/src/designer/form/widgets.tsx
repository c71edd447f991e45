import type { Option } from './options';

/** Leaf inputs: controlled value/onChange, reused by the generated fields, lists and the condition editor. */

interface Common<T> {
  id?: string;
  value: T | undefined;
  onChange: (value: T | undefined) => void;
  invalid?: boolean;
  label?: string;
}

export function TextInput({
  id,
  value,
  onChange,
  invalid,
  label,
  multiline,
  required,
  placeholder,
}: Common<string> & { multiline?: boolean; required?: boolean; placeholder?: string }) {
  const props = {
    id,
    value: value ?? '',
    'aria-invalid': invalid || undefined,
    'aria-label': id ? undefined : label,
    placeholder,
    // An emptied optional field is left out of the config rather than saved as "".
    onChange: (e: { target: { value: string } }) => onChange(e.target.value === '' && !required ? undefined : e.target.value),
  };
  return multiline ? <textarea rows={3} {...props} /> : <input type="text" {...props} />;
}

export function NumberInput({ id, value, onChange, invalid, label, min, max, integer }: Common<number> & { min?: number; max?: number; integer?: boolean }) {
  return (
    <input
      id={id}
      type="number"
      inputMode={integer ? 'numeric' : 'decimal'}
      step={integer ? 1 : 'any'}
      min={min}
      max={max}
      aria-label={id ? undefined : label}
      aria-invalid={invalid || undefined}
      value={typeof value === 'number' && Number.isFinite(value) ? value : ''}
      onChange={(e) => {
        const n = e.target.valueAsNumber;
        onChange(e.target.value === '' || Number.isNaN(n) ? undefined : n);
      }}
    />
  );
}

export function Checkbox({ id, value, onChange, label }: Common<boolean> & { label: string }) {
  return (
    <label className="check">
      <input id={id} type="checkbox" checked={!!value} onChange={(e) => onChange(e.target.checked)} />
      <span>{label}</span>
    </label>
  );
}

/** A select; the current value stays listed (marked) even when the list does not know it. */
export function SelectInput({ id, value, onChange, invalid, label, options, noneLabel }: Common<string> & { options: readonly Option[]; noneLabel?: string }) {
  const known = value === undefined || value === '' || options.some((o) => o.value === value);
  const groups = new Map<string, Option[]>();
  for (const o of options) groups.set(o.group ?? '', [...(groups.get(o.group ?? '') ?? []), o]);
  return (
    <select
      id={id}
      aria-label={id ? undefined : label}
      aria-invalid={invalid || !known || undefined}
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
    >
      {(noneLabel !== undefined || value === undefined || value === '') && <option value="">{noneLabel ?? 'Choose…'}</option>}
      {!known && <option value={value}>{value} (unknown)</option>}
      {[...groups].map(([group, opts]) =>
        group ? (
          <optgroup key={group} label={group}>
            {opts.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </optgroup>
        ) : (
          opts.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))
        ),
      )}
    </select>
  );
}

/** Several values from a list (the answers a wait step listens for); values the list lacks stay shown. */
export function MultiCheck({ id, value, onChange, options }: Common<string[]> & { options: readonly Option[] }) {
  const current = Array.isArray(value) ? value : [];
  const all = [...options, ...current.filter((v) => !options.some((o) => o.value === v)).map((v) => ({ value: v, label: v }))];
  const toggle = (v: string, on: boolean) => onChange(on ? [...current, v] : current.filter((x) => x !== v));
  return (
    <div className="multi" id={id} role="group">
      {all.map((o) => (
        <label key={o.value} className="check">
          <input type="checkbox" checked={current.includes(o.value)} onChange={(e) => toggle(o.value, e.target.checked)} />
          <span>{o.label}</span>
        </label>
      ))}
    </div>
  );
}

/** Key → text pairs (template values). */
export function RecordEditor({ value, onChange }: Common<Record<string, string>>) {
  const entries = Object.entries(value ?? {});
  const set = (list: [string, string][]) => onChange(Object.fromEntries(list));
  return (
    <div className="rows">
      {entries.map(([k, v], i) => (
        <div className="row" key={i}>
          <input type="text" aria-label="Name" value={k} onChange={(e) => set(entries.map((en, j) => (j === i ? [e.target.value, en[1]] : en)))} />
          <input type="text" aria-label="Value" value={v} onChange={(e) => set(entries.map((en, j) => (j === i ? [en[0], e.target.value] : en)))} />
          <button type="button" className="icon-btn" aria-label="Remove value" onClick={() => set(entries.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="btn btn--small btn--ghost add-btn" onClick={() => set([...entries, [`value_${entries.length + 1}`, '']])}>
        + Add value
      </button>
    </div>
  );
}
