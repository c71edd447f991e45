import { useMemo, useState } from 'react';
import { PlaybookCanvas, type CanvasSelection } from '../canvas/PlaybookCanvas';
import type { NodeBadge } from '../canvas/overlay';
import { ErrorBox, Loading } from '../components/Status';
import { href } from '../router';
import { useSession } from '../session';
import type { PlaybookGraph } from '../types';
import { useApi } from '../useApi';
import { canOperate } from './access';
import type { Scope } from './BatchDialog';
import { parseFilter, toApiFilter } from './filterState';
import { MigrationRun } from './MigrationRun';
import { operateApi } from './operateApi';
import { readSelection } from './selection';
import type { MigrationPlan } from './types';
import { plural } from './words';
import './operate.css';

/**
 * `#/operate/migrate/:key?from=1&to=2&scope=all|filter|selection`: both versions side by side, the
 * step mapping (a removed step with attempts at it must be mapped), then a dry run that proves each
 * attempt's move and the migration itself, both as batches.
 */
export function MigrationPage({ playbookKey, query }: { playbookKey: string; query: string }) {
  const params = new URLSearchParams(query);
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  const plan = useApi((signal) => operateApi.plan(playbookKey, from, to, signal), [playbookKey, from, to]);
  return (
    <div className="page page--full op-page op-migration">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={href({ name: 'operate', query: `playbook=${encodeURIComponent(playbookKey)}&version=${from}` })}>Attempts</a>
        <span aria-hidden="true">/</span>
        <a href={href({ name: 'playbook', key: playbookKey })}>{plan.status === 'ok' ? plan.data.playbookName : playbookKey}</a>
        <span aria-hidden="true">/</span>
        <span>
          Migrate v{from} → v{to}
        </span>
      </nav>
      {!(from > 0 && to > from) && <ErrorBox title="Which versions?" error={new Error('The link needs from= and to= versions, to newer than from.')} />}
      {plan.status === 'loading' && <Loading label="Loading both versions…" />}
      {plan.status === 'error' && <ErrorBox title="Could not load the migration plan" error={plan.error} onRetry={plan.reload} />}
      {plan.status === 'ok' && <MigrationView plan={plan.data} initialScope={params.get('scope') ?? 'all'} filterQuery={params.get('filter') ?? ''} />}
    </div>
  );
}

function MigrationView({ plan, initialScope, filterQuery }: { plan: MigrationPlan; initialScope: string; filterQuery: string }) {
  const { user } = useSession();
  const [mapping, setMapping] = useState<Record<string, string>>(() => ({ ...plan.defaultMapping }));
  const [scopeName, setScopeName] = useState(initialScope);
  const [selection, setSelection] = useState<CanvasSelection>(null);
  const running = useMemo(() => new Map(plan.runningAt.map((r) => [r.nodeId, r.running])), [plan]);
  const removed = new Set(plan.removed);
  const unmapped = plan.removed.filter((id) => (running.get(id) ?? 0) > 0 && !mapping[id]);
  const selected = useMemo(() => readSelection(), []);
  const totalRunning = plan.runningAt.reduce((n, r) => n + r.running, 0);

  const scope: Scope = useMemo(() => {
    if (scopeName === 'selection') return { attemptIds: selected };
    const base = scopeName === 'filter' ? toApiFilter(parseFilter(filterQuery)) : {};
    return { filter: { ...base, playbook: plan.playbookKey, version: plan.from.version, status: 'running' }, total: totalRunning };
  }, [scopeName, selected, filterQuery, plan, totalRunning]);

  const fromBadges = useMemo(() => {
    const b: Record<string, NodeBadge> = {};
    for (const [nodeId, n] of running) {
      if (n === 0) continue;
      const gone = removed.has(nodeId);
      b[nodeId] = {
        text: `${n.toLocaleString()} running${gone ? ' · removed in the new version' : ''}`,
        title: gone ? 'This step is not in the new version: map it below' : 'Attempts waiting here',
        tone: gone && !mapping[nodeId] ? 'bad' : 'info',
      };
    }
    return b;
  }, [running, removed, mapping]);
  const toBadges = useMemo(() => {
    const b: Record<string, NodeBadge> = {};
    for (const id of plan.added) b[id] = { text: 'New in this version', title: 'Added since the old version', tone: 'info' };
    for (const id of plan.changed) b[id] = { text: 'Changed', title: 'Its settings differ from the old version', tone: 'info' };
    return b;
  }, [plan]);

  const mappable = plan.from.nodes.filter((n) => n.kind !== 'start');
  const targets = plan.to.nodes.filter((n) => n.kind !== 'start');

  return (
    <>
      <h1>
        Migrate attempts of {plan.playbookName} from v{plan.from.version} to v{plan.to.version}
      </h1>
      <div className="op-migration__graphs">
        <Graph
          title={`v${plan.from.version} (now)`}
          graph={plan.from.graph as PlaybookGraph}
          badges={fromBadges}
          selection={selection}
          onSelect={setSelection}
        />
        <Graph title={`v${plan.to.version} (target)`} graph={plan.to.graph as PlaybookGraph} badges={toBadges} selection={selection} onSelect={setSelection} />
      </div>

      <section className="op-card" aria-labelledby="mapping-title">
        <h2 id="mapping-title">Step mapping</h2>
        <p className="small muted">
          Each step keeps its id by default. A step removed in v{plan.to.version} that attempts wait at must be mapped to a step of the new version.
        </p>
        <table className="table op-table--compact">
          <thead>
            <tr>
              <th scope="col">Step in v{plan.from.version}</th>
              <th scope="col">Attempts there</th>
              <th scope="col">Goes to in v{plan.to.version}</th>
            </tr>
          </thead>
          <tbody>
            {mappable.map((n) => {
              const gone = removed.has(n.id);
              const count = running.get(n.id) ?? 0;
              const needs = gone && count > 0 && !mapping[n.id];
              return (
                <tr key={n.id} className={gone && count > 0 ? 'is-removed' : undefined}>
                  <td>
                    {n.name || n.id}
                    {gone && <span className="badge op-badge--bad">removed</span>}
                    {plan.changed.includes(n.id) && <span className="badge op-badge--info">changed</span>}
                  </td>
                  <td>{count > 0 ? count.toLocaleString() : '—'}</td>
                  <td>
                    <label className="sr-only" htmlFor={`map-${n.id}`}>
                      Where {n.name || n.id} goes
                    </label>
                    <select
                      id={`map-${n.id}`}
                      value={mapping[n.id] ?? ''}
                      aria-invalid={needs || undefined}
                      onChange={(e) =>
                        setMapping((m) => {
                          const next = { ...m };
                          if (e.target.value) next[n.id] = e.target.value;
                          else delete next[n.id];
                          return next;
                        })
                      }
                    >
                      <option value="">{gone ? (count > 0 ? 'Choose a step (required)' : 'Not mapped') : 'Same step'}</option>
                      {targets.map((t) => (
                        <option key={t.id} value={t.id}>
                          {t.name || t.id}
                        </option>
                      ))}
                    </select>
                    {needs && <span className="field__error"> Attempts wait here: map it.</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <section className="op-card" aria-labelledby="scope-title">
        <h2 id="scope-title">Which attempts</h2>
        <fieldset className="op-scope">
          <legend className="sr-only">Which attempts</legend>
          <label>
            <input type="radio" name="scope" value="all" checked={scopeName === 'all'} onChange={() => setScopeName('all')} /> All running on v
            {plan.from.version} ({totalRunning.toLocaleString()})
          </label>
          <label>
            <input type="radio" name="scope" value="filter" checked={scopeName === 'filter'} onChange={() => setScopeName('filter')} disabled={!filterQuery} />{' '}
            The attempts list’s filter
          </label>
          <label>
            <input
              type="radio"
              name="scope"
              value="selection"
              checked={scopeName === 'selection'}
              onChange={() => setScopeName('selection')}
              disabled={selected.length === 0}
            />{' '}
            The {plural(selected.length, 'selected attempt')}
          </label>
        </fieldset>
        <MigrationRun
          key={`${scopeName}:${JSON.stringify(mapping)}`}
          plan={plan}
          mapping={mapping}
          scope={scope}
          blocked={unmapped.length > 0 ? `Map ${plural(unmapped.length, 'removed step')} first.` : null}
          canOperate={canOperate(user.role)}
        />
      </section>
    </>
  );
}

interface GraphProps {
  title: string;
  graph: PlaybookGraph;
  badges: Record<string, NodeBadge>;
  selection: CanvasSelection;
  onSelect: (s: CanvasSelection) => void;
}

function Graph({ title, graph, badges, selection, onSelect }: GraphProps) {
  return (
    <div className="op-migration__graph">
      <h2>{title}</h2>
      <div className="op-migration__canvas">
        <PlaybookCanvas graph={graph} selection={selection} onSelect={onSelect} badges={badges} miniMap={false} />
      </div>
    </div>
  );
}
