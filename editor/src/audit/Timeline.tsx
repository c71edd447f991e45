import { useEffect, useMemo, useRef, useState } from 'react';
import { Empty } from '../components/Status';
import { ValueView } from '../components/ValueView';
import { roleLabel } from '../format';
import { relativeTime } from '../inbox/format';
import type { Directory } from '../inbox/useDirectory';
import { eventKind } from './eventKinds';
import { momentOf, phaseOf } from './moments';
import { formatDay, formatMoment, formatTime } from './timeFormat';
import type { Snapshot, TimelineEvent } from './types';

interface Props {
  events: readonly TimelineEvent[];
  snapshots: readonly Snapshot[];
  index: number;
  onJump: (index: number) => void;
  nodeName: (id: string) => string;
  directory: Directory;
}

function actorText(actor: TimelineEvent['actor'], directory: Directory): string | null {
  if (!actor) return null;
  const person = directory.byId.get(actor.userId);
  const role = actor.role ?? person?.role;
  // The server names the actor (or the customer) when it knows them; the directory covers older answers.
  return `${actor.name ?? person?.displayName ?? actor.userId}${role ? ` (${roleLabel(role)})` : ''}`;
}

/** Every event of the attempt, oldest first; the selected moment's events are marked and scrolled to. */
export function Timeline({ events, snapshots, index, onJump, nodeName, directory }: Props) {
  const [kind, setKind] = useState('');
  const listRef = useRef<HTMLOListElement>(null);
  const kinds = useMemo(() => {
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
    return [...counts].sort((a, b) => eventKind(a[0]).label.localeCompare(eventKind(b[0]).label));
  }, [events]);
  const shown = useMemo(() => (kind ? events.filter((e) => e.kind === kind) : events), [events, kind]);

  useEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const past = list.querySelectorAll<HTMLElement>('[data-phase="past"]');
    const target = list.querySelector<HTMLElement>('[data-phase="now"]') ?? past[past.length - 1];
    if (!target) return;
    // Scroll the list only, never the page: the scrubber the user is holding must not move away.
    // Instant rather than smooth, so holding an arrow key never leaves the list behind.
    list.scrollTo({ top: Math.max(0, target.offsetTop - list.clientHeight / 3) });
  }, [index, kind]);

  let lastDay = '';
  return (
    <section className="card timeline" aria-labelledby="timeline-title">
      <div className="timeline__head">
        <h2 id="timeline-title">Timeline</h2>
        <label className="timeline__filter">
          <span className="sr-only">Show events of kind</span>
          <select value={kind} onChange={(e) => setKind(e.target.value)} aria-label="Show events of kind">
            <option value="">All events ({events.length})</option>
            {kinds.map(([k, n]) => (
              <option key={k} value={k}>
                {eventKind(k).label} ({n})
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="timeline__legend small muted">
        <span className="tl-source tl-source--temporal">Temporal</span> from the workflow’s event history ·{' '}
        <span className="tl-source tl-source--audit">Audit log</span> actions outside the workflow
      </p>
      {shown.length === 0 && <Empty title="No events">{kind ? 'None of this kind.' : 'Nothing has happened in this attempt yet.'}</Empty>}
      <ol className="timeline__list" ref={listRef} data-testid="timeline">
        {shown.map((e, i) => {
          const info = eventKind(e.kind);
          const phase = snapshots.length ? phaseOf(e, snapshots, index) : 'now';
          const day = formatDay(e.at);
          const newDay = day !== lastDay;
          lastDay = day;
          const who = actorText(e.actor, directory);
          return (
            <li
              key={`${e.at}-${i}`}
              className={`tl-event tl-event--${phase} tone--${info.tone}`}
              data-phase={phase}
              data-kind={e.kind}
              data-testid="timeline-event"
            >
              {newDay && <div className="tl-event__day">{day}</div>}
              <div className="tl-event__row">
                <button
                  type="button"
                  className="tl-event__time linklike"
                  title={`${formatMoment(e.at)}: show the state at this moment`}
                  onClick={() => onJump(momentOf(e, snapshots))}
                  disabled={!snapshots.length}
                >
                  <time dateTime={e.at}>{formatTime(e.at)}</time>
                </button>
                <span className="tl-event__icon" role="img" aria-label={info.label} title={info.label}>
                  {info.icon}
                </span>
                <div className="tl-event__body">
                  <div className="tl-event__summary">{e.summary}</div>
                  <div className="tl-event__meta small">
                    <span className={who ? 'tl-event__actor' : 'muted'}>{who ?? 'the workflow'}</span>
                    <span className="muted" data-testid="event-ago">
                      {' '}
                      · {relativeTime(e.at)}
                    </span>
                    {e.nodeId && <span className="muted"> · {nodeName(e.nodeId)}</span>}
                    <span className={`tl-source tl-source--${e.source}`}>{e.source === 'temporal' ? 'Temporal' : 'Audit log'}</span>
                  </div>
                  {e.details && Object.keys(e.details).length > 0 && (
                    <details className="tl-event__details">
                      <summary className="small">Details</summary>
                      <ValueView value={e.details} />
                    </details>
                  )}
                </div>
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
