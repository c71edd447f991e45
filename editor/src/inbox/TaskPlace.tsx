import { useMemo } from 'react';
import { AuditCanvas } from '../audit/AuditCanvas';
import { formatDateTime, humanize } from '../format';
import { href } from '../router';
import { relativeTime } from './format';
import type { PlaybookGraph } from '../types';
import type { TaskPlace as Place } from './types';

const NO_PATH = { nodes: {}, edges: {} };

/** Where the task sits: the playbook and attempt by name, and a small read-only map with the current step lit. */
export function TaskPlaceMap({ place }: { place: Place }) {
  const active = useMemo(() => new Set(place.activeNodeIds), [place.activeNodeIds]);
  return (
    <section aria-label="Where this task sits" className="task-place">
      <h3>Where this task sits</h3>
      <p className="small">
        Step <strong>{place.stepName}</strong> of <strong>{place.playbook.name}</strong>
        {place.playbook.version !== null && ` (version ${place.playbook.version})`}
        {place.attempt && (
          <>
            {' · '}
            <a href={href({ name: 'auditAttempt', attemptId: place.attempt.id })}>Recovery attempt started {relativeTime(place.attempt.startedAt)}</a>
            <span className="muted"> ({formatDateTime(place.attempt.startedAt)})</span>
          </>
        )}
      </p>
      {place.graph ? (
        <div className="task-place__map" data-testid="task-map" aria-label={`Map of ${place.playbook.name}; the current step is highlighted`} role="region">
          <AuditCanvas graph={place.graph as PlaybookGraph} path={NO_PATH} active={active} />
        </div>
      ) : (
        <p className="muted small">The playbook version is not available.</p>
      )}
    </section>
  );
}

/** Why an escalation (or any task reached by an earlier outcome) exists. */
export function ReachedBy({ place }: { place: Place }) {
  const r = place.reachedBy;
  if (!r) return null;
  return (
    <p className="small" data-testid="reached-by">
      Here because <strong>{r.taskTitle}</strong> ({r.stepName}) was completed as <strong>{r.outcomeLabel || humanize(r.outcome)}</strong>
      {r.by && <> by {r.by.name}</>} <time dateTime={r.at}>{relativeTime(r.at)}</time>.
    </p>
  );
}
