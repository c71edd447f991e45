import { useMemo, useState } from 'react';
import { api } from '../api';
import { ErrorBox, Empty, Loading } from '../components/Status';
import { href, navigate } from '../router';
import { useSession } from '../session';
import { useApi } from '../useApi';
import { canOperate } from './access';
import { AttemptPanel } from './AttemptPanel';
import { AttemptsTable } from './AttemptsTable';
import { BatchDialog, type Scope } from './BatchDialog';
import { FilterBar } from './FilterBar';
import { filterToQuery, parseFilter, toApiFilter, type FilterState } from './filterState';
import { operateApi } from './operateApi';
import { keepSelection } from './selection';
import type { OperateAttempt } from './types';
import { plural } from './words';
import './operate.css';

const PAGE = 50;

/** `#/operate`: every attempt an operator may see, filtered, with repairs per attempt and batches over many. */
export function OperatePage({ query }: { query: string }) {
  const { user } = useSession();
  const operator = canOperate(user.role);
  const filter = useMemo(() => parseFilter(query), [query]);
  const apiFilter = useMemo(() => toApiFilter(filter), [filter]);
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState<OperateAttempt | null>(null);
  const [batch, setBatch] = useState<null | { kind: 'cancel_attempt' | 'retry_incident'; scope: Scope }>(null);
  const [seq, setSeq] = useState(0);
  const playbooks = useApi((signal) => api.listPlaybooks(signal), []);
  const list = useApi((signal) => operateApi.list(apiFilter, { limit: PAGE, offset }, signal), [query, offset, seq]);

  function changeFilter(next: FilterState) {
    setOffset(0);
    setSelected(new Set());
    navigate({ name: 'operate', query: filterToQuery(next) }, { replace: true });
  }

  const rows = list.status === 'ok' ? list.data.attempts : [];
  const total = list.status === 'ok' ? list.data.total : 0;
  const chosen = playbooks.status === 'ok' ? playbooks.data.find((p) => p.key === filter.playbook) : undefined;
  const version = Number(filter.version) || null;
  const canMigrate = operator && chosen?.latestVersion && version && version < chosen.latestVersion;

  function toggle(id: string) {
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }
  function togglePage(on: boolean) {
    setSelected((s) => {
      const next = new Set(s);
      for (const a of rows)
        if (on) next.add(a.id);
        else next.delete(a.id);
      return next;
    });
  }
  function migrate(scope: 'filter' | 'selection') {
    if (!chosen?.latestVersion || !version) return;
    if (scope === 'selection') keepSelection([...selected]);
    const q = new URLSearchParams({ from: String(version), to: String(chosen.latestVersion), scope });
    if (scope === 'filter') q.set('filter', filterToQuery(filter));
    navigate({ name: 'migration', key: chosen.key, query: q.toString() });
  }

  const selection: Scope = { attemptIds: [...selected] };
  const matching: Scope = { filter: apiFilter, total };

  return (
    <div className="page op-page">
      <div className="page__header page__header--compact">
        <div>
          <h1>Attempts</h1>
          <p className="muted">Every recovery attempt, what it waits for and since when. Open one to repair it; tick several to act on them together.</p>
        </div>
        <div className="page__header-side">
          <a className="btn btn--small" href={href({ name: 'operateBatches', batchId: null })}>
            Batches
          </a>
        </div>
      </div>
      {playbooks.status === 'error' && <ErrorBox title="Could not load the playbooks" error={playbooks.error} onRetry={playbooks.reload} />}
      <FilterBar filter={filter} onChange={changeFilter} playbooks={playbooks.status === 'ok' ? playbooks.data : []} />

      {operator && (
        <div className="op-actions" role="toolbar" aria-label="Act on many attempts">
          <span className="small">{selected.size > 0 ? `${plural(selected.size, 'attempt')} selected` : 'None selected'}</span>
          <button
            type="button"
            className="btn btn--small"
            disabled={selected.size === 0}
            onClick={() => setBatch({ kind: 'cancel_attempt', scope: selection })}
          >
            Cancel selected…
          </button>
          <button
            type="button"
            className="btn btn--small"
            disabled={selected.size === 0}
            onClick={() => setBatch({ kind: 'retry_incident', scope: selection })}
          >
            Retry incidents of selected…
          </button>
          <button type="button" className="btn btn--small" disabled={total === 0} onClick={() => setBatch({ kind: 'cancel_attempt', scope: matching })}>
            Cancel all {total.toLocaleString()} matching…
          </button>
          {canMigrate ? (
            <>
              <button type="button" className="btn btn--small btn--primary" onClick={() => migrate('filter')} disabled={total === 0}>
                Migrate matching to v{chosen.latestVersion}…
              </button>
              <button type="button" className="btn btn--small" onClick={() => migrate('selection')} disabled={selected.size === 0}>
                Migrate selected to v{chosen.latestVersion}…
              </button>
            </>
          ) : (
            <span className="small muted">Filter a playbook and an older version to migrate its attempts.</span>
          )}
        </div>
      )}

      {list.status === 'loading' && <Loading label="Loading attempts…" />}
      {list.status === 'error' && <ErrorBox title="Could not load the attempts" error={list.error} onRetry={list.reload} />}
      {list.status === 'ok' && rows.length === 0 && <Empty title="No attempts match">Change or clear the filters.</Empty>}
      {list.status === 'ok' && rows.length > 0 && (
        <>
          <AttemptsTable attempts={rows} selected={selected} onToggle={toggle} onTogglePage={togglePage} onOpen={setOpen} />
          <nav className="op-pager" aria-label="Pages">
            <span className="small" aria-live="polite">
              {(offset + 1).toLocaleString()}–{(offset + rows.length).toLocaleString()} of {plural(total, 'attempt')}
            </span>
            <button type="button" className="btn btn--small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Previous
            </button>
            <button type="button" className="btn btn--small" disabled={offset + rows.length >= total} onClick={() => setOffset(offset + PAGE)}>
              Next
            </button>
          </nav>
        </>
      )}

      {open && (
        <AttemptPanel
          attempt={rows.find((a) => a.id === open.id) ?? open}
          canOperate={operator}
          onClose={() => setOpen(null)}
          onChanged={() => setSeq((n) => n + 1)}
        />
      )}
      {batch && (
        <BatchDialog
          kind={batch.kind}
          scope={batch.scope}
          onClose={(started) => {
            setBatch(null);
            if (started) {
              setSelected(new Set());
              setSeq((n) => n + 1);
            }
          }}
        />
      )}
    </div>
  );
}
