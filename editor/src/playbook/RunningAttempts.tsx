import { useMemo } from 'react';
import type { NodeBadge } from '../canvas/overlay';
import { operateApi } from '../operate/operateApi';
import type { OperateCounts } from '../operate/types';
import { href } from '../router';
import type { PlaybookDetail } from '../types';
import { useApi } from '../useApi';

/** The attempts running on the playbook, per version and step (operate readers only; others get no counts). */
export function useOperateCounts(playbookKey: string, enabled: boolean) {
  return useApi((signal) => (enabled ? operateApi.counts(playbookKey, signal) : Promise.resolve(null)), [playbookKey, enabled]);
}

/** Badges for the shown version's steps: how many attempts wait there and how many of them have an incident. */
export function countBadges(counts: OperateCounts | null, version: number | 'draft'): Record<string, NodeBadge> | undefined {
  if (!counts || version === 'draft') return undefined;
  const out: Record<string, NodeBadge> = {};
  for (const s of counts.byStep) {
    if (s.version !== version || (s.running === 0 && s.incidents === 0)) continue;
    const text = `${s.running.toLocaleString()} running${s.incidents > 0 ? ` · ${s.incidents.toLocaleString()} incident${s.incidents === 1 ? '' : 's'}` : ''}`;
    out[s.nodeId] = { text, title: `Attempts of v${version} waiting at this step now`, tone: s.incidents > 0 ? 'bad' : 'info' };
  }
  return out;
}

/** "12 running attempts → Attempts", and a link to migrate the attempts of each older version to the latest. */
export function RunningAttempts({ detail, counts, version }: { detail: PlaybookDetail; counts: OperateCounts; version: number | 'draft' }) {
  const latest = detail.versions[0]?.version;
  const total = counts.byVersion.reduce((n, v) => n + v.running, 0);
  const shown = version === 'draft' ? undefined : counts.byVersion.find((v) => v.version === version);
  const older = useMemo(() => counts.byVersion.filter((v) => latest !== undefined && v.version < latest && v.running > 0), [counts, latest]);
  const listQuery = (v?: number) => `playbook=${encodeURIComponent(detail.key)}${v ? `&version=${v}` : ''}&status=running`;
  return (
    <div className="op-running" data-testid="running-attempts">
      <a href={href({ name: 'operate', query: listQuery() })}>
        {total.toLocaleString()} running attempt{total === 1 ? '' : 's'} → Attempts
      </a>
      {shown && shown.incidents > 0 && (
        <a href={href({ name: 'operate', query: `${listQuery(shown.version)}&incident=open` })}>
          {shown.incidents} with an incident on v{shown.version}
        </a>
      )}
      {older.map((v) => (
        <a key={v.version} className="btn btn--small" href={href({ name: 'migration', key: detail.key, query: `from=${v.version}&to=${latest}&scope=all` })}>
          Migrate {v.running.toLocaleString()} attempt{v.running === 1 ? '' : 's'} of v{v.version} to v{latest}
        </a>
      ))}
    </div>
  );
}
