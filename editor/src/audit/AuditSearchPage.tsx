import { useState } from 'react';
import { Empty, ErrorBox, Loading } from '../components/Status';
import { useDirectory } from '../inbox/useDirectory';
import { useSession } from '../session';
import { useApi } from '../useApi';
import { auditApi } from './auditApi';
import { ChainStatus } from './ChainStatus';
import { canAudit } from './eventKinds';
import { ReplayUpload } from './ReplayUpload';
import { RunResults } from './RunResults';
import { RunSearchForm } from './RunSearchForm';
import { EMPTY_FILTERS, type AttemptFilters } from './types';
import { useSearchOptions } from './useSearchOptions';
import './audit.css';

const STORAGE_KEY = 'audit.filters';
const LIMIT = 200;

/** The last search survives a visit to an attempt and back (per browser tab). */
function storedFilters(): AttemptFilters {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (typeof parsed !== 'object' || parsed === null) return EMPTY_FILTERS;
    const out: AttemptFilters = { ...EMPTY_FILTERS };
    for (const key of Object.keys(EMPTY_FILTERS) as (keyof AttemptFilters)[]) {
      const v = (parsed as Record<string, unknown>)[key];
      if (typeof v === 'string') out[key] = v;
    }
    return out;
  } catch {
    return EMPTY_FILTERS;
  }
}

export function AuditSearchPage() {
  const { user } = useSession();
  if (!canAudit(user.role)) {
    return (
      <div className="page">
        <Empty title="The audit views are for auditors and managers">You can still open an attempt’s timeline from a task or a customer.</Empty>
      </div>
    );
  }
  return <AuditSearch />;
}

function AuditSearch() {
  const [filters, setFilters] = useState<AttemptFilters>(storedFilters);
  const directory = useDirectory();
  const options = useSearchOptions();
  const key = JSON.stringify(filters);
  const runs = useApi((signal) => auditApi.searchAttempts(filters, signal), [key]);

  const search = (next: AttemptFilters) => {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch {
      // Private mode: the search still runs, it just is not remembered.
    }
    if (JSON.stringify(next) === key) runs.reload();
    else setFilters(next);
  };

  return (
    <div className="page page--wide audit">
      <div className="page__header">
        <div>
          <h1>Audit</h1>
          <p className="muted">Find any recovery attempt and see what happened, who did it, when, and why the playbook went that way.</p>
        </div>
      </div>
      <div className="audit-search">
        <div className="audit-search__main">
          <RunSearchForm initial={filters} onSearch={search} searching={runs.status === 'loading'} options={options} directory={directory} />
          {runs.status === 'loading' && <Loading label="Searching recovery attempts…" />}
          {runs.status === 'error' && <ErrorBox title="Could not search recovery attempts" error={runs.error} onRetry={runs.reload} />}
          {runs.status === 'ok' && <RunResults runs={runs.data} directory={directory} options={options} limit={LIMIT} />}
        </div>
        <aside className="audit-search__side">
          <ChainStatus />
          <ReplayUpload />
        </aside>
      </div>
    </div>
  );
}
