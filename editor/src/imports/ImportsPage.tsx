import { useEffect, useRef, useState } from 'react';
import type { ImportJobView } from '../../../contract/imports';
import { errorMessage, request } from '../api';
import { formatDateTime } from '../format';
import { useApi } from '../useApi';
import '../risk/risk.css';

const formatOf = (name: string): 'csv' | 'jsonl' => (/\.(jsonl|ndjson|json)$/i.test(name) ? 'jsonl' : 'csv');

/**
 * Bulk import of customers or activity: pick a file, watch the progress bar while it streams in, read
 * the report of refused rows (line, column, why). Rows that pass are applied whole; refused rows not at all.
 */
export function ImportsPage() {
  const recent = useApi((signal) => request<{ imports: ImportJobView[] }>('/api/imports', { signal }), []);
  const [kind, setKind] = useState<'customers' | 'activity'>('activity');
  const [file, setFile] = useState<File | null>(null);
  const [job, setJob] = useState<ImportJobView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const poll = useRef<ReturnType<typeof setInterval> | null>(null);

  useEffect(() => () => void (poll.current && clearInterval(poll.current)), []);

  async function start() {
    if (!file) return;
    setError(null);
    setRunning(true);
    try {
      const format = formatOf(file.name);
      const created = await request<ImportJobView>('/api/imports', { method: 'POST', body: { kind, format, filename: file.name, sizeBytes: file.size } });
      setJob(created);
      // The progress is read from the job while the upload streams.
      poll.current = setInterval(() => {
        request<ImportJobView>(`/api/imports/${created.id}`).then(
          (j) => setJob((current) => (current && current.status !== 'running' && current.status !== 'waiting' ? current : j)),
          () => undefined,
        );
      }, 300);
      const res = await fetch(`/api/imports/${created.id}/file`, {
        method: 'PUT',
        headers: { 'content-type': format === 'csv' ? 'text/csv' : 'application/x-ndjson', accept: 'application/json' },
        body: file,
        credentials: 'same-origin',
      });
      const body = (await res.json()) as ImportJobView & { error?: { message: string } };
      if (!res.ok) throw new Error(body.error?.message ?? `the import failed (${res.status})`);
      setJob(body);
      recent.reload();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      if (poll.current) clearInterval(poll.current);
      poll.current = null;
      setRunning(false);
    }
  }

  const size = job?.sizeBytes ?? file?.size ?? 0;
  const done = job && (job.status === 'completed' || job.status === 'failed');
  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1>Import customers and activity</h1>
          <p className="muted">
            CSV with a header line, or JSON lines (one object per line). Activity columns: customer_id, kind (visit, service, order, payment, complaint,
            contact), source, external_id, occurred_at, amount, currency, details. Customer columns: id, name, grade, value, department, account_manager,
            status, churn_type, churn_reason, expected_visit_days, customer_since. A row already imported (same source and external id) is left as it is.
          </p>
        </div>
      </header>
      <form
        className="card risk-actions"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <label className="field field--inline">
          <span>What the file holds</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as 'customers' | 'activity')} disabled={running}>
            <option value="activity">Activity</option>
            <option value="customers">Customers</option>
          </select>
        </label>
        <label className="field field--inline">
          <span>File</span>
          <input type="file" accept=".csv,.jsonl,.ndjson,.json,text/csv" disabled={running} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <button type="submit" className="btn btn--primary" disabled={!file || running}>
          {running ? 'Importing…' : 'Import'}
        </button>
      </form>
      {error && (
        <div className="notice notice--error" role="alert">
          {error}
        </div>
      )}
      {job && (
        <section className="card import-progress" aria-labelledby="progress-title">
          <h2 id="progress-title">
            {job.filename || 'Import'} · {job.status}
          </h2>
          <label>
            <span className="sr-only">Import progress</span>
            <progress max={Math.max(size, 1)} value={done ? Math.max(size, 1) : Math.min(job.bytesRead, size)} aria-label="Import progress" />
          </label>
          <p role="status">
            {job.rowsRead.toLocaleString()} rows read · <strong>{job.rowsApplied.toLocaleString()} applied</strong> · {job.rowsUnchanged.toLocaleString()}{' '}
            already there · <strong>{job.rowsFailed.toLocaleString()} refused</strong>
            {job.failure && <span> · stopped: {job.failure}</span>}
          </p>
          {job.errors.length > 0 && (
            <table className="table">
              <caption>Refused rows (the first {job.errors.length})</caption>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Column</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {job.errors.map((e) => (
                  <tr key={`${e.row}-${e.path}`}>
                    <td>{e.row}</td>
                    <td>{e.path || '(the row)'}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      <section className="card" aria-labelledby="recent-title">
        <h2 id="recent-title">Recent imports</h2>
        {recent.status === 'ok' && recent.data.imports.length === 0 && <p className="muted">None yet.</p>}
        {recent.status === 'ok' && recent.data.imports.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">File</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Applied</th>
                <th scope="col">Refused</th>
              </tr>
            </thead>
            <tbody>
              {recent.data.imports.map((j) => (
                <tr key={j.id}>
                  <td className="nowrap">{formatDateTime(j.createdAt)}</td>
                  <td>{j.filename || '—'}</td>
                  <td>{j.kind}</td>
                  <td>{j.status}</td>
                  <td>{j.rowsApplied.toLocaleString()}</td>
                  <td>{j.rowsFailed.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
