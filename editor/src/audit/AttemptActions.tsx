import { useState } from 'react';
import { ErrorBox } from '../components/Status';
import { auditApi } from './auditApi';
import { ReplayVerdictView } from './ReplayVerdictView';
import type { ReplayVerdict } from './types';

type Replay = { status: 'idle' } | { status: 'running' } | { status: 'done'; verdict: ReplayVerdict } | { status: 'error'; error: unknown };
type Download = { status: 'idle' } | { status: 'running' } | { status: 'error'; error: unknown };

/** Verified replay through the current code, and the evidence to take away: a JSON bundle and a printable report. */
export function AttemptActions({ attemptId }: { attemptId: string }) {
  const [replay, setReplay] = useState<Replay>({ status: 'idle' });
  const [download, setDownload] = useState<Download>({ status: 'idle' });

  const runReplay = () => {
    setReplay({ status: 'running' });
    auditApi.replay(attemptId).then(
      (verdict) => setReplay({ status: 'done', verdict }),
      (error: unknown) => setReplay({ status: 'error', error }),
    );
  };
  const exportBundle = () => {
    setDownload({ status: 'running' });
    auditApi.downloadExport(attemptId).then(
      () => setDownload({ status: 'idle' }),
      (error: unknown) => setDownload({ status: 'error', error }),
    );
  };

  return (
    <div className="attempt-actions">
      <div className="attempt-actions__buttons">
        <button
          type="button"
          className="btn btn--primary"
          onClick={runReplay}
          disabled={replay.status === 'running'}
          title="Replay the recorded Temporal history through the workflow code running now"
        >
          {replay.status === 'running' ? 'Replaying…' : 'Verify by replay'}
        </button>
        <button
          type="button"
          className="btn"
          onClick={exportBundle}
          disabled={download.status === 'running'}
          title="History, graph, plan, timeline and audit rows in one JSON file"
        >
          {download.status === 'running' ? 'Preparing…' : 'Download evidence (JSON)'}
        </button>
        <a className="btn" href={auditApi.reportUrl(attemptId)} target="_blank" rel="noopener noreferrer">
          Printable report ↗
        </a>
      </div>
      {replay.status === 'done' && <ReplayVerdictView verdict={replay.verdict} />}
      {replay.status === 'error' && <ErrorBox title="Could not replay this attempt" error={replay.error} onRetry={runReplay} />}
      {download.status === 'error' && <ErrorBox title="Could not export this attempt" error={download.error} onRetry={exportBundle} />}
    </div>
  );
}
