import { useEffect, useState } from 'react';
import { ApiError } from '../api';
import { canDesign } from '../designer/canDesign';
import { Dialog } from '../designer/Dialog';
import {
  archivePlaybook,
  deletePlaybook,
  duplicatePlaybook,
  loadOverview,
  unarchivePlaybook,
  type ArchivedFilter,
  type PlaybookOverviewItem,
} from '../designer/lifecycleApi';
import { NewPlaybookDialog } from '../designer/NewPlaybookDialog';
import { useSession } from '../session';
import { Empty, ErrorBox, Loading } from '../components/Status';
import { formatDateTime } from '../format';
import { href } from '../router';
import { useApi } from '../useApi';
// The dialogs, notices and buttons it shares with the designer.
import '../designer/designer.css';

type Pending = { kind: 'delete' | 'archive'; playbook: PlaybookOverviewItem } | null;

const FILTERS: { value: ArchivedFilter; label: string }[] = [
  { value: 'exclude', label: 'In use' },
  { value: 'only', label: 'Archived' },
  { value: 'include', label: 'All' },
];

/** "3 Dec 2026, 14:05 · 2 hours ago": the local time with how long ago, so nobody converts UTC in their head. */
function when(iso: string | null): string {
  if (!iso) return '';
  const ms = Date.now() - new Date(iso).getTime();
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const abs = Math.abs(ms);
  const rel =
    abs < 60_000
      ? 'just now'
      : abs < 3_600_000
        ? rtf.format(-Math.round(ms / 60_000), 'minute')
        : abs < 86_400_000
          ? rtf.format(-Math.round(ms / 3_600_000), 'hour')
          : rtf.format(-Math.round(ms / 86_400_000), 'day');
  return `${formatDateTime(iso)} · ${rel}`;
}

/** The playbooks: search, in use or archived, and for designers duplicate, archive and delete. */
export function PlaybookListPage() {
  const { user } = useSession();
  const designer = canDesign(user.role);
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [archived, setArchived] = useState<ArchivedFilter>('exclude');
  const list = useApi((signal) => loadOverview({ q, archived }, signal), [q, archived]);
  const [creating, setCreating] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  // Search as the user types, a moment after the last key.
  useEffect(() => {
    const t = setTimeout(() => setQ(typed), 250);
    return () => clearTimeout(t);
  }, [typed]);

  async function act(playbook: PlaybookOverviewItem, what: 'archive' | 'unarchive' | 'duplicate' | 'delete') {
    setBusy(playbook.key);
    setNotice(null);
    try {
      if (what === 'duplicate') {
        const copy = await duplicatePlaybook(playbook.key);
        window.location.hash = href({ name: 'playbookEdit', key: copy.key }).replace(/^#/, '');
        return;
      }
      if (what === 'archive') await archivePlaybook(playbook.key);
      if (what === 'unarchive') await unarchivePlaybook(playbook.key);
      if (what === 'delete') await deletePlaybook(playbook.key);
      const done = { archive: 'archived: triggers no longer start it', unarchive: 'is in use again', delete: 'deleted' }[what];
      setNotice({ kind: 'ok', text: `${playbook.name} ${done}.` });
      setPending(null);
      list.reload();
    } catch (e) {
      setNotice({ kind: 'error', text: e instanceof ApiError || e instanceof Error ? e.message : String(e) });
      setPending(null);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="page playbook-list">
      <div className="page__header">
        <div>
          <h1>Playbooks</h1>
          <p className="muted">Win-back flows your team runs for at-risk customers.</p>
        </div>
        {designer && (
          <button type="button" className="btn btn--primary" onClick={() => setCreating(true)}>
            New playbook
          </button>
        )}
      </div>
      <div className="toolbar-row playbook-filters" role="search">
        <label className="sr-only" htmlFor="playbook-search">
          Search playbooks
        </label>
        <input id="playbook-search" type="search" placeholder="Search by name, key or description…" value={typed} onChange={(e) => setTyped(e.target.value)} />
        <label htmlFor="playbook-archived" className="small">
          Show
        </label>
        <select id="playbook-archived" value={archived} onChange={(e) => setArchived(e.target.value as ArchivedFilter)}>
          {FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </div>
      {notice && (
        <p className={notice.kind === 'ok' ? 'ds-notice ds-notice--info' : 'ds-notice ds-notice--error'} role="status" data-testid="list-notice">
          {notice.text}
        </p>
      )}
      {creating && <NewPlaybookDialog onClose={() => setCreating(false)} />}
      {list.status === 'loading' && <Loading label="Loading playbooks…" />}
      {list.status === 'error' && <ErrorBox title="Could not load playbooks" error={list.error} onRetry={list.reload} />}
      {list.status === 'ok' && list.data.length === 0 && (
        <Empty title={q ? 'No playbook matches' : archived === 'only' ? 'No archived playbooks' : 'No playbooks yet'}>
          {q ? 'Try another word, or show all playbooks.' : 'Playbooks you create will appear here.'}
        </Empty>
      )}
      {list.status === 'ok' && list.data.length > 0 && (
        <div className="card card--flush">
          <table className="table" data-testid="playbook-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Running</th>
                <th scope="col">Last published</th>
                <th scope="col">Last edited</th>
                {designer && (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {list.data.map((p) => (
                <tr key={p.key} data-key={p.key}>
                  <td>
                    {/* A name of only spaces (or invisible marks) would leave a link nobody can read: the key stands in. */}
                    <a className="strong" href={href({ name: 'playbook', key: p.key })}>
                      {/[\p{L}\p{N}\p{P}\p{S}]/u.test(p.name) ? p.name : p.key}
                    </a>
                    <div className="table__desc muted small">{p.description || <code>{p.key}</code>}</div>
                  </td>
                  <td>
                    {p.archivedAt ? (
                      <span className="badge" title={`Archived ${when(p.archivedAt)}${p.archivedBy ? ` by ${p.archivedBy.name}` : ''}`}>
                        archived
                      </span>
                    ) : p.latestVersion != null ? (
                      <span className="badge badge--ok">v{p.latestVersion} live</span>
                    ) : (
                      <span className="badge">draft only</span>
                    )}
                  </td>
                  <td>
                    {p.runningAttempts > 0 ? (
                      <span className="strong">
                        {p.runningAttempts} attempt{p.runningAttempts === 1 ? '' : 's'}
                      </span>
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </td>
                  <td className="small">
                    {p.lastPublishedAt ? (
                      <>
                        {when(p.lastPublishedAt)}
                        {p.lastPublishedBy && <div className="muted">by {p.lastPublishedBy.name}</div>}
                      </>
                    ) : (
                      <span className="muted">never</span>
                    )}
                  </td>
                  <td className="small">
                    {when(p.updatedAt)}
                    {p.updatedBy && <div className="muted">by {p.updatedBy.name}</div>}
                  </td>
                  {designer && (
                    <td className="nowrap">
                      <div className="button-row">
                        <a className="btn btn--small" href={href({ name: 'playbookEdit', key: p.key })} aria-label={`Edit ${p.name}`}>
                          Edit
                        </a>
                        <button
                          type="button"
                          className="btn btn--small"
                          disabled={busy === p.key}
                          onClick={() => void act(p, 'duplicate')}
                          aria-label={`Duplicate ${p.name}`}
                        >
                          Duplicate
                        </button>
                        {p.archivedAt ? (
                          <button
                            type="button"
                            className="btn btn--small"
                            disabled={busy === p.key}
                            onClick={() => void act(p, 'unarchive')}
                            aria-label={`Unarchive ${p.name}`}
                          >
                            Unarchive
                          </button>
                        ) : (
                          <button
                            type="button"
                            className="btn btn--small"
                            disabled={busy === p.key}
                            onClick={() => setPending({ kind: 'archive', playbook: p })}
                            aria-label={`Archive ${p.name}`}
                          >
                            Archive
                          </button>
                        )}
                        {p.latestVersion == null && p.attempts === 0 && (
                          <button
                            type="button"
                            className="btn btn--small btn--danger-ghost"
                            disabled={busy === p.key}
                            onClick={() => setPending({ kind: 'delete', playbook: p })}
                            aria-label={`Delete ${p.name}`}
                          >
                            Delete
                          </button>
                        )}
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pending && (
        <Dialog
          title={pending.kind === 'delete' ? `Delete ${pending.playbook.name}?` : `Archive ${pending.playbook.name}?`}
          onClose={() => setPending(null)}
          footer={
            <div className="button-row">
              <button type="button" className="btn" onClick={() => setPending(null)}>
                Cancel
              </button>
              <button
                type="button"
                className={pending.kind === 'delete' ? 'btn btn--danger' : 'btn btn--primary'}
                disabled={busy !== null}
                onClick={() => void act(pending.playbook, pending.kind)}
              >
                {pending.kind === 'delete' ? 'Delete draft' : 'Archive'}
              </button>
            </div>
          }
        >
          {pending.kind === 'delete' ? (
            <p>This draft was never published and never ran. Deleting it removes it for everyone; the audit log keeps a record.</p>
          ) : (
            <p>
              Triggers will no longer start it. {pending.playbook.runningAttempts > 0 ? `Its ${pending.playbook.runningAttempts} running attempts go on. ` : ''}
              You can unarchive it at any time.
            </p>
          )}
        </Dialog>
      )}
    </div>
  );
}
