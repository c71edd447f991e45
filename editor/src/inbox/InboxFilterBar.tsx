import type { RefObject } from 'react';
import type { PlaybookSummary } from '../types';
import { CHURN_REASON_LABELS, PRIORITY_LABELS, TIER_LABELS } from './format';
import type { InboxFilters } from './types';

interface Props {
  filters: InboxFilters;
  search: string;
  searchRef: RefObject<HTMLInputElement | null>;
  onSearch: (q: string) => void;
  onChange: (patch: Partial<InboxFilters>) => void;
  onClear: () => void;
  filtered: boolean;
  playbooks: PlaybookSummary[];
}

type Option = [value: string, label: string];
const opts = (labels: Record<string, string>): Option[] => Object.entries(labels);

const DUE: Option[] = [
  ['overdue', 'Overdue'],
  ['today', 'Due today'],
  ['week', 'Due this week'],
];
const STATUS: Option[] = [
  ['open', 'Open'],
  ['completed', 'Completed'],
  ['cancelled', 'Cancelled'],
];
const SORT: Option[] = [
  ['due', 'Sort: due'],
  ['priority', 'Sort: priority'],
  ['created', 'Sort: created'],
];

export function InboxFilterBar({ filters, search, searchRef, onSearch, onChange, onClear, filtered, playbooks }: Props) {
  return (
    <div className="filters">
      <div className="filters__search">
        <label htmlFor="inbox-search" className="sr-only">
          Search tasks
        </label>
        <input
          id="inbox-search"
          ref={searchRef}
          type="search"
          placeholder="Search title or customer  ( / )"
          value={search}
          onChange={(e) => onSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') e.currentTarget.blur();
          }}
          maxLength={100}
        />
      </div>
      <div className="filters__row">
        <Select id="f-due" label="Due" value={filters.due} options={DUE} any="Due" onChange={(v) => onChange({ due: v as InboxFilters['due'] })} />
        <Select
          id="f-priority"
          label="Priority"
          value={filters.priority}
          options={opts(PRIORITY_LABELS)}
          any="Priority"
          onChange={(v) => onChange({ priority: v as InboxFilters['priority'] })}
        />
        <Select
          id="f-tier"
          label="Tier"
          value={filters.tier}
          options={opts(TIER_LABELS)}
          any="Tier"
          onChange={(v) => onChange({ tier: v as InboxFilters['tier'] })}
        />
        <Select
          id="f-reason"
          label="Churn reason"
          value={filters.churnReason}
          options={opts(CHURN_REASON_LABELS)}
          any="Reason"
          onChange={(v) => onChange({ churnReason: v as InboxFilters['churnReason'] })}
        />
        <Select
          id="f-playbook"
          label="Playbook"
          value={filters.playbook}
          options={playbooks.map((p) => [p.key, p.name])}
          any="Playbook"
          onChange={(v) => onChange({ playbook: v })}
        />
        <Select id="f-status" label="Status" value={filters.status} options={STATUS} onChange={(v) => onChange({ status: v as InboxFilters['status'] })} />
        <Select id="f-sort" label="Sort by" value={filters.sort} options={SORT} onChange={(v) => onChange({ sort: v as InboxFilters['sort'] })} />
        {filtered && (
          <button type="button" className="btn btn--ghost btn--small filters__clear" onClick={onClear}>
            Clear
          </button>
        )}
      </div>
    </div>
  );
}

function Select({
  id,
  label,
  value,
  options,
  any,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  options: Option[];
  any?: string;
  onChange: (v: string) => void;
}) {
  return (
    <div className={value && any ? 'filter is-set' : 'filter'}>
      <label htmlFor={id} className="filter__label">
        {label}
      </label>
      <select id={id} value={value} title={label} onChange={(e) => onChange(e.target.value)}>
        {any !== undefined && <option value="">{any}</option>}
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}
