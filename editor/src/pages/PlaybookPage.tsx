import { useMemo, useState } from 'react';
import { canReadAnalytics } from '../analytics/access';
import { api } from '../api';
import type { CanvasSelection } from '../canvas/PlaybookCanvas';
import { ErrorBox, Loading } from '../components/Status';
import { formatDateTime, formatDuration } from '../format';
import { canReadOperate } from '../operate/access';
import { GraphWorkspace } from '../playbook/GraphWorkspace';
import { HeatmapBar, type HeatView } from '../playbook/HeatmapBar';
import { ProblemList } from '../playbook/ProblemList';
import { countBadges, RunningAttempts, useOperateCounts } from '../playbook/RunningAttempts';
import { StepTable } from '../playbook/StepTable';
import { VersionPicker, type View } from '../playbook/VersionPicker';
import { canDesign } from '../designer/canDesign';
import { href } from '../router';
import { useSession } from '../session';
import type { PlaybookDetail, Problem } from '../types';
import { useApi } from '../useApi';

export function PlaybookPage({ playbookKey }: { playbookKey: string }) {
  const detail = useApi((signal) => api.getPlaybook(playbookKey, signal), [playbookKey]);

  return (
    <div className="page page--full">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={href({ name: 'playbooks' })}>Playbooks</a>
        <span aria-hidden="true">/</span>
        <span>{detail.status === 'ok' ? detail.data.name : playbookKey}</span>
      </nav>
      {detail.status === 'loading' && <Loading label="Loading playbook…" />}
      {detail.status === 'error' && <ErrorBox title="Could not load this playbook" error={detail.error} onRetry={detail.reload} />}
      {detail.status === 'ok' && <PlaybookView detail={detail.data} />}
    </div>
  );
}

function PlaybookView({ detail }: { detail: PlaybookDetail }) {
  const { user } = useSession();
  // What runs is the latest published version, so the viewer opens on it; a never-published playbook opens on its draft.
  const [view, setView] = useState<View>(() => detail.versions[0]?.version ?? 'draft');
  const [heat, setHeat] = useState<HeatView | null>(null);
  const [selection, setSelection] = useState<CanvasSelection>(null);
  const [focusSeq, setFocusSeq] = useState(0);
  const counts = useOperateCounts(detail.key, canReadOperate(user.role));
  const countData = counts.status === 'ok' ? counts.data : null;
  const badges = useMemo(() => countBadges(countData, view), [countData, view]);

  function changeView(next: View) {
    setView(next);
    setSelection(null);
  }

  function pickProblem(p: Problem) {
    const target: CanvasSelection = p.nodeId ? { type: 'node', id: p.nodeId } : p.edgeId ? { type: 'edge', id: p.edgeId } : null;
    if (!target) return;
    // Problems describe the draft, so show the draft before pointing at the node.
    setView('draft');
    setSelection(target);
    setFocusSeq((n) => n + 1);
  }

  const aside = (
    <>
      {heat && <StepTable report={heat.report} />}
      <ProblemList problems={detail.problems} onPick={pickProblem} viewingDraft={view === 'draft'} />
    </>
  );
  const shared = { selection, onSelect: setSelection, focusSeq, aside, heat, badges };

  return (
    <>
      <PlaybookHeader detail={detail} view={view} onViewChange={changeView} />
      {countData && <RunningAttempts detail={detail} counts={countData} version={view} />}
      {canReadAnalytics(user.role) && <HeatmapBar playbookKey={detail.key} version={view === 'draft' ? undefined : view} onChange={setHeat} />}
      {view === 'draft' ? (
        <GraphWorkspace viewKey="draft" graph={detail.draft.graph} problems={detail.problems} {...shared} />
      ) : (
        <VersionWorkspace playbookKey={detail.key} version={view} {...shared} />
      )}
    </>
  );
}

function PlaybookHeader({ detail, view, onViewChange }: { detail: PlaybookDetail; view: View; onViewChange: (v: View) => void }) {
  const { user } = useSession();
  const version = view === 'draft' ? null : detail.versions.find((v) => v.version === view);
  return (
    <div className="page__header page__header--compact">
      <div>
        <h1>
          {detail.name} <code className="heading-key">{detail.key}</code>
        </h1>
        {detail.description && <p className="muted">{detail.description}</p>}
      </div>
      <div className="page__header-side">
        <div className="button-row">
          <VersionPicker detail={detail} view={view} onChange={onViewChange} />
          {canDesign(user.role) && (
            <a className="btn btn--primary btn--small" href={href({ name: 'playbookEdit', key: detail.key })}>
              Edit
            </a>
          )}
        </div>
        <p className="small muted meta">
          {version ? (
            <>
              Published {formatDateTime(version.publishedAt)} by {version.publishedByName ?? version.publishedBy} ·{' '}
              <code title={version.hash}>{version.hash.slice(0, 12)}</code>
            </>
          ) : (
            <>
              Revision {detail.draft.revision}, updated {formatDateTime(detail.draft.updatedAt)} by {detail.draft.updatedBy}
              {detail.worstCaseDurationMs !== null && detail.worstCaseDurationMs > 0 && <> · worst case {formatDuration(detail.worstCaseDurationMs)}</>}
            </>
          )}
        </p>
      </div>
    </div>
  );
}

type SharedProps = Pick<Parameters<typeof GraphWorkspace>[0], 'selection' | 'onSelect' | 'focusSeq' | 'aside' | 'heat' | 'badges'>;

function VersionWorkspace({ playbookKey, version, ...shared }: { playbookKey: string; version: number } & SharedProps) {
  const loaded = useApi((signal) => api.getVersion(playbookKey, version, signal), [playbookKey, version]);
  if (loaded.status === 'loading') return <Loading label={`Loading version ${version}…`} />;
  if (loaded.status === 'error') return <ErrorBox title={`Could not load version ${version}`} error={loaded.error} onRetry={loaded.reload} />;
  // Published versions passed validation when they were published, so there are no problems to flag.
  return <GraphWorkspace viewKey={`v${version}`} graph={loaded.data.graph} problems={[]} {...shared} />;
}
