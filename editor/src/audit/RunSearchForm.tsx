import { useId, useState, type FormEvent } from 'react';
import type { Directory } from '../inbox/useDirectory';
import { STATUS_LABELS } from './eventKinds';
import { EMPTY_FILTERS, type AttemptFilters } from './types';
import type { SearchOptions } from './useSearchOptions';

interface Props {
  initial: AttemptFilters;
  onSearch: (filters: AttemptFilters) => void;
  searching: boolean;
  options: SearchOptions;
  directory: Directory;
}

export function RunSearchForm({ initial, onSearch, searching, options, directory }: Props) {
  const [f, setF] = useState<AttemptFilters>(initial);
  const { playbooks, customers } = options;
  const id = useId();
  const set = (key: keyof AttemptFilters) => (e: { target: { value: string } }) => setF((old) => ({ ...old, [key]: e.target.value }));
  const rangeBad = f.from !== '' && f.to !== '' && f.to < f.from;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!rangeBad) onSearch(f);
  };
  const clear = () => {
    setF(EMPTY_FILTERS);
    onSearch(EMPTY_FILTERS);
  };

  return (
    <form className="card audit-filters" onSubmit={submit} aria-label="Find recovery attempts">
      <div className="audit-filters__grid">
        <div className="field">
          <label htmlFor={`${id}-customer`}>Customer</label>
          <input id={`${id}-customer`} list={`${id}-customers`} value={f.customerId} onChange={set('customerId')} placeholder="Customer id" />
        </div>
        <datalist id={`${id}-customers`}>
          {customers.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </datalist>
        <div className="field">
          <label htmlFor={`${id}-playbook`}>Playbook</label>
          <select id={`${id}-playbook`} value={f.playbook} onChange={set('playbook')}>
            <option value="">Any playbook</option>
            {playbooks.map((p) => (
              <option key={p.key} value={p.key}>
                {p.name}
              </option>
            ))}
            {f.playbook && !playbooks.some((p) => p.key === f.playbook) && <option value={f.playbook}>{f.playbook}</option>}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-version`}>Version</label>
          <input id={`${id}-version`} type="number" min={1} step={1} value={f.version} onChange={set('version')} placeholder="Any" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select id={`${id}-status`} value={f.status} onChange={set('status')}>
            <option value="">Any status</option>
            {Object.entries(STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-outcome`}>Outcome</label>
          <input id={`${id}-outcome`} value={f.outcome} onChange={set('outcome')} placeholder="e.g. won_back" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-from`}>Started from</label>
          <input id={`${id}-from`} type="date" value={f.from} onChange={set('from')} max={f.to || undefined} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>Started to</label>
          <input id={`${id}-to`} type="date" value={f.to} onChange={set('to')} min={f.from || undefined} aria-invalid={rangeBad || undefined} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-actor`}>Person involved</label>
          <select id={`${id}-actor`} value={f.actor} onChange={set('actor')}>
            <option value="">Anyone</option>
            {directory.list.map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName} ({u.username})
              </option>
            ))}
            {f.actor && !directory.byId.has(f.actor) && <option value={f.actor}>{f.actor}</option>}
          </select>
        </div>
      </div>
      <div className="audit-filters__actions">
        {rangeBad && <span className="field__error">The end date is before the start date.</span>}
        <button type="button" className="btn btn--ghost" onClick={clear}>
          Clear
        </button>
        <button type="submit" className="btn btn--primary" disabled={searching || rangeBad}>
          {searching ? 'Searching…' : 'Search'}
        </button>
      </div>
    </form>
  );
}
