import { useEffect, useState } from 'react';
import { api } from '../api';
import type { PlaybookSummary } from '../types';
import { useApi } from '../useApi';
import { useDepartments } from '../useDepartments';
import { EMPTY_FILTER, isEmptyFilter, type FilterState } from './filterState';
import { SavedViews } from './SavedViews';

interface Props {
  filter: FilterState;
  onChange: (next: FilterState) => void;
  playbooks: PlaybookSummary[];
}

const ASLEEP = [
  ['1', 'a day'],
  ['7', 'a week'],
  ['30', '30 days'],
  ['90', '90 days'],
  ['180', '180 days'],
] as const;

/** The list's filters, each labelled; text fields apply after a pause in typing, the rest at once. */
export function FilterBar({ filter, onChange, playbooks }: Props) {
  const set = (patch: Partial<FilterState>) => onChange({ ...filter, ...patch });
  const departments = useDepartments();
  const chosen = playbooks.find((p) => p.key === filter.playbook);
  const stepVersion = filter.version ? Number(filter.version) : chosen?.latestVersion;
  const steps = useApi(
    (signal) => (chosen && stepVersion ? api.getVersion(chosen.key, stepVersion, signal).then((v) => v.graph.nodes) : Promise.resolve([])),
    [chosen?.key, stepVersion],
  );
  const versions = chosen?.latestVersion ? Array.from({ length: chosen.latestVersion }, (_, i) => chosen.latestVersion! - i) : [];

  return (
    <div className="op-filters" role="search" aria-label="Filter attempts">
      <div className="op-filters__grid">
        <label className="field">
          <span>Playbook</span>
          <select aria-label="Playbook" value={filter.playbook} onChange={(e) => set({ playbook: e.target.value, version: '', step: '' })}>
            <option value="">All playbooks</option>
            {playbooks.map((p) => (
              <option key={p.key} value={p.key}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Version</span>
          <select aria-label="Version" value={filter.version} onChange={(e) => set({ version: e.target.value, step: '' })} disabled={!chosen}>
            <option value="">Any version</option>
            {versions.map((v) => (
              <option key={v} value={v}>
                v{v}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Status</span>
          <select aria-label="Status" value={filter.status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">Any status</option>
            <option value="running">Running</option>
            <option value="completed">Completed</option>
            <option value="failed">Failed</option>
            <option value="terminated">Terminated</option>
          </select>
        </label>
        <label className="field">
          <span>Current step</span>
          <select aria-label="Current step" value={filter.step} onChange={(e) => set({ step: e.target.value })} disabled={!chosen}>
            <option value="">{chosen ? 'Any step' : 'Pick a playbook first'}</option>
            {steps.status === 'ok' &&
              steps.data
                .filter((n) => n.kind !== 'start')
                .map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.name || n.id}
                  </option>
                ))}
          </select>
        </label>
        <label className="field">
          <span>Waiting for</span>
          <select aria-label="Waiting for" value={filter.waiting} onChange={(e) => set({ waiting: e.target.value })}>
            <option value="">Anything</option>
            <option value="task">A task</option>
            <option value="answer">The customer’s answer</option>
            <option value="timer">A timer only</option>
          </select>
        </label>
        <label className="field">
          <span>Incident</span>
          <select aria-label="Incident" value={filter.incident} onChange={(e) => set({ incident: e.target.value })}>
            <option value="">With or without</option>
            <option value="open">Open incident</option>
            <option value="none">No incident</option>
          </select>
        </label>
        <DebouncedText label="Customer" placeholder="Name or id" value={filter.customer} onChange={(customer) => set({ customer })} />
        <label className="field">
          <span>Department</span>
          <select aria-label="Department" value={filter.department} onChange={(e) => set({ department: e.target.value })}>
            <option value="">Any department</option>
            {departments.list.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
            {/* A saved view or link may name a department the directory does not list (any more). */}
            {filter.department && !departments.list.some((d) => d.id === filter.department) && (
              <option value={filter.department}>{departments.name(filter.department)}</option>
            )}
          </select>
        </label>
        <label className="field">
          <span>Asleep longer than</span>
          <select aria-label="Asleep longer than" value={filter.asleepDays} onChange={(e) => set({ asleepDays: e.target.value })}>
            <option value="">Any time</option>
            {ASLEEP.map(([days, words]) => (
              <option key={days} value={days}>
                {words}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="op-filters__foot">
        <SavedViews filter={filter} onPick={onChange} />
        {!isEmptyFilter(filter) && (
          <button type="button" className="btn btn--ghost btn--small" onClick={() => onChange(EMPTY_FILTER)}>
            Clear filters
          </button>
        )}
      </div>
    </div>
  );
}

function DebouncedText({ label, value, onChange, placeholder }: { label: string; value: string; onChange: (v: string) => void; placeholder: string }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => onChange(text), 350);
    return () => clearTimeout(t);
    // Only the typed text restarts the pause; `onChange` changes with every filter.
  }, [text]);
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="search"
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && onChange(text)}
      />
    </label>
  );
}
