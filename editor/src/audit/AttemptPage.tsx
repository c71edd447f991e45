import { useCallback, useMemo, useState } from 'react';
import { ApiError } from '../api';
import { Empty, ErrorBox, Loading } from '../components/Status';
import { useDirectory, type Directory } from '../inbox/useDirectory';
import { useApi } from '../useApi';
import { AttemptHeader } from './AttemptHeader';
import { auditApi } from './auditApi';
import { AuditCanvas } from './AuditCanvas';
import { MomentPanel } from './MomentPanel';
import { pathUntil, timeOf } from './moments';
import { Scrubber } from './Scrubber';
import { Timeline } from './Timeline';
import type { AttemptDetail, AttemptStory } from './types';
import './audit.css';

/** One recovery attempt: header, the path on the graph, a scrubber over its states, and the timeline. */
export function AttemptPage({ attemptId }: { attemptId: string }) {
  const attempt = useApi((signal) => auditApi.attempt(attemptId, signal), [attemptId]);
  const story = useApi((signal) => auditApi.story(attemptId, signal), [attemptId]);
  const customerId = attempt.status === 'ok' ? attempt.data.customerId : null;
  const customer = useApi((signal) => (customerId ? auditApi.customerName(customerId, signal) : Promise.resolve(null)), [customerId]);
  const directory = useDirectory();

  if (attempt.status === 'loading') return <Loading label="Loading the recovery attempt…" />;
  if (attempt.status === 'error') {
    const missing = attempt.error instanceof ApiError && attempt.error.status === 404;
    return (
      <div className="page">
        {missing ? (
          <Empty title="No such recovery attempt">
            Nothing is recorded under <code>{attemptId}</code>.
          </Empty>
        ) : (
          <ErrorBox title="Could not load the recovery attempt" error={attempt.error} onRetry={attempt.reload} />
        )}
      </div>
    );
  }

  const playbook = story.status === 'ok' ? story.data.timeline.find((e) => e.kind === 'run_started')?.details?.playbook : undefined;
  const playbookName = typeof playbook === 'object' && playbook !== null && 'name' in playbook && typeof playbook.name === 'string' ? playbook.name : null;

  return (
    <div className="page page--wide audit">
      <AttemptHeader
        attempt={attempt.data}
        customerName={customer.status === 'ok' ? customer.data : null}
        playbookName={playbookName}
        runs={story.status === 'ok' ? story.data.runs : []}
        directory={directory}
      />
      {story.status === 'loading' && <Loading label="Reading the attempt’s history from Temporal…" />}
      {story.status === 'error' && <ErrorBox title="Could not read the attempt’s history" error={story.error} onRetry={story.reload} />}
      {story.status === 'ok' && <AttemptStoryView story={story.data} attempt={attempt.data} directory={directory} />}
    </div>
  );
}

function AttemptStoryView({ story, attempt, directory }: { story: AttemptStory; attempt: AttemptDetail; directory: Directory }) {
  const { snapshots, timeline, graph } = story;
  const last = snapshots.length - 1;
  // null follows the latest moment, so a reload of a running attempt still opens at "now".
  const [picked, setPicked] = useState<number | null>(null);
  const index = picked === null ? last : Math.min(picked, last);
  const onChange = useCallback((i: number) => setPicked(i), []);
  const snapshot = snapshots[index];

  const names = useMemo(() => new Map((graph?.nodes ?? []).map((n) => [n.id, n.name || n.id])), [graph]);
  const nodeName = useCallback((id: string) => names.get(id) ?? id, [names]);
  const path = useMemo(
    () => (!snapshot || index === last ? story.path : pathUntil(timeline, timeOf(snapshot.at))),
    [snapshot, index, last, story.path, timeline],
  );
  const active = useMemo(() => new Set(snapshot?.activeNodeIds ?? []), [snapshot]);

  return (
    <>
      {snapshot ? (
        <Scrubber snapshots={snapshots} index={index} onChange={onChange} />
      ) : (
        <p className="muted">No state has been recorded for this attempt yet.</p>
      )}
      <div className="attempt-body">
        <div className="attempt-body__main">
          <section className="card attempt-canvas" aria-label="Path on the playbook graph">
            <div className="attempt-canvas__legend small">
              <span className="legend legend--active">active now</span>
              <span className="legend legend--visited">visited</span>
              <span className="legend legend--taken">connection taken (× times)</span>
              <span className="legend legend--faded">not reached</span>
            </div>
            <div className="attempt-canvas__flow" data-testid="audit-canvas">
              {graph ? (
                <AuditCanvas graph={graph} path={path} active={active} />
              ) : (
                <Empty title="Graph unavailable">The playbook version this attempt ran is not stored.</Empty>
              )}
            </div>
          </section>
          {snapshot && (
            <MomentPanel snapshot={snapshot} isLast={index === last} runEnded={attempt.status !== 'running'} nodeName={nodeName} directory={directory} />
          )}
        </div>
        <Timeline events={timeline} snapshots={snapshots} index={index} onJump={onChange} nodeName={nodeName} directory={directory} />
      </div>
    </>
  );
}
