import { useEffect, useRef } from 'react';
import type { Simulation, TimelineEntry } from './engine';

const ICON: Record<TimelineEntry['kind'], string> = { action: '▸', move: '→', task: '☎', message: '✉', offer: '★', customer: '☺', end: '■', error: '⚠' };

/** The simulated run, day by day, newest at the bottom (kept in view as it grows). */
export function Timeline({ sim, onFocus }: { sim: Simulation; onFocus(nodeId: string): void }) {
  const end = useRef<HTMLDivElement>(null);
  // Braces matter: newer Chromium returns a promise from scrollIntoView, and React would take it for a cleanup.
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'nearest' });
  }, [sim.timeline.length]);
  const days = new Map<number, TimelineEntry[]>();
  for (const e of sim.timeline) days.set(e.day, [...(days.get(e.day) ?? []), e]);
  return (
    <div className="sim-timeline" data-testid="sim-timeline">
      {[...days].map(([day, entries]) => (
        <div key={day} className="sim-timeline__day">
          <div className="sim-timeline__label">Day {day}</div>
          <ul>
            {entries.map((e, i) => (
              <li key={i} className={`sim-timeline__entry sim-timeline__entry--${e.kind}`}>
                <span aria-hidden="true">{ICON[e.kind]}</span>{' '}
                {e.nodeId ? (
                  <button type="button" className="linklike" onClick={() => onFocus(e.nodeId!)}>
                    {e.text}
                  </button>
                ) : (
                  e.text
                )}
              </li>
            ))}
          </ul>
        </div>
      ))}
      <div ref={end} />
    </div>
  );
}
