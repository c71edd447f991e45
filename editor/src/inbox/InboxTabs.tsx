import type { InboxCounts, InboxView } from './types';

const TABS: { view: InboxView; label: string }[] = [
  { view: 'all', label: 'All' },
  { view: 'mine', label: 'Mine' },
  { view: 'queue', label: 'Queue' },
  { view: 'team', label: 'Team' },
  { view: 'snoozed', label: 'Snoozed' },
];

interface Props {
  view: InboxView;
  counts: InboxCounts | null;
  onView: (view: InboxView) => void;
  /** Managers get the team view (who holds what, workload, handover). */
  team?: boolean;
}

/** The inbox's views with their counts. */
export function InboxTabs({ view, counts, onView, team = false }: Props) {
  return (
    <div className="inbox-tabs">
      <div className="tabs" role="group" aria-label="Views">
        {TABS.filter((t) => t.view !== 'team' || team).map((t) => (
          <button
            key={t.view}
            type="button"
            aria-pressed={view === t.view}
            className={view === t.view ? 'tab is-active' : 'tab'}
            data-testid={`tab-${t.view}`}
            onClick={() => onView(t.view)}
          >
            {t.label}
            {t.view !== 'team' && <span className="tab__count">{counts ? counts[t.view] : '·'}</span>}
          </button>
        ))}
      </div>
    </div>
  );
}

/** How many open tasks are overdue; pressing it filters the list to them. */
export function OverdueBadge({ counts, active, onToggle }: { counts: InboxCounts | null; active: boolean; onToggle: () => void }) {
  if (!counts || (counts.overdue === 0 && !active)) return null;
  return (
    <button
      type="button"
      className={active ? 'overdue-badge is-active' : 'overdue-badge'}
      aria-pressed={active}
      onClick={onToggle}
      title={active ? 'Show all due dates' : 'Show only overdue tasks'}
      data-testid="overdue-badge"
    >
      {counts.overdue} overdue
    </button>
  );
}
