import { useState } from 'react';
import { api } from '../api';
import { canDesign } from '../designer/canDesign';
import { NewPlaybookDialog } from '../designer/NewPlaybookDialog';
import { useSession } from '../session';
import { Empty, ErrorBox, Loading } from '../components/Status';
import { formatDateTime } from '../format';
import { href } from '../router';
import { useApi } from '../useApi';

export function PlaybookListPage() {
  const list = useApi((signal) => api.listPlaybooks(signal), []);
  const { user } = useSession();
  const [creating, setCreating] = useState(false);

  return (
    <div className="page">
      <div className="page__header">
        <div>
          <h1>Playbooks</h1>
          <p className="muted">Win-back flows your team runs for at-risk customers.</p>
        </div>
        {canDesign(user.role) && (
          <button type="button" className="btn btn--primary" onClick={() => setCreating(true)}>
            New playbook
          </button>
        )}
      </div>
      {creating && <NewPlaybookDialog onClose={() => setCreating(false)} />}
      {list.status === 'loading' && <Loading label="Loading playbooks…" />}
      {list.status === 'error' && <ErrorBox title="Could not load playbooks" error={list.error} onRetry={list.reload} />}
      {list.status === 'ok' && list.data.length === 0 && <Empty title="No playbooks yet">Playbooks you create will appear here.</Empty>}
      {list.status === 'ok' && list.data.length > 0 && (
        <div className="card card--flush">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Description</th>
                <th>Latest version</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((p) => (
                <tr key={p.key}>
                  <td>
                    <a className="strong" href={href({ name: 'playbook', key: p.key })}>
                      {p.name}
                    </a>
                  </td>
                  <td>
                    <code>{p.key}</code>
                  </td>
                  <td className="table__desc">{p.description || <span className="muted">—</span>}</td>
                  <td>{p.latestVersion != null ? <span className="badge badge--ok">v{p.latestVersion}</span> : <span className="badge">draft only</span>}</td>
                  <td className="nowrap">{formatDateTime(p.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
