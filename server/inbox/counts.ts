import type { Pool } from 'pg';
import type { SessionUser } from '../http';
import type { TaskChange, TaskChangeHub } from './live';
import { Params, statementName, viewFilter, visibilityBranches, type Branch } from './query';

/** The inbox's tabs and the overdue badge: each counts exactly what its list shows. */
export interface TabCounts {
  all: number;
  mine: number;
  queue: number;
  overdue: number;
  snoozed: number;
}

interface Statement {
  name: string;
  text: string;
  values: unknown[];
}

const TABS = ['all', 'mine', 'queue', 'overdue', 'snoozed'] as const;
/** How long a shared part's counts may be reused: tasks crossing their due or follow-up time lag by at most this. */
const SHARED_TTL_MS = 1000;
const MAX_SHARED_ENTRIES = 10_000;

/** The condition for one tab; built where it is used, so only parameters in the text are bound. */
function tabFilter(tab: (typeof TABS)[number], user: SessionUser, p: Params): string {
  return tab === 'overdue' ? `${viewFilter('all', user, p)} AND t.due_at < now()` : viewFilter(tab, user, p);
}

const total = (row: Record<string, unknown>): TabCounts => ({
  all: Number(row.all ?? 0),
  mine: Number(row.mine ?? 0),
  queue: Number(row.queue ?? 0),
  overdue: Number(row.overdue ?? 0),
  snoozed: Number(row.snoozed ?? 0),
});

/**
 * What only this person's counts need, every time: their personal branches, and within the shared
 * ones, the tasks that are theirs (assigned or claimed), which come from the small per-person indexes.
 */
export function personalCountsQuery(user: SessionUser): Statement {
  const p = new Params();
  const branches = visibilityBranches(user);
  // Columns are c_<tab> inside: "all" cannot be referenced bare (sum(all ...) is SQL syntax).
  const parts = branches
    .filter((b) => !b.shared)
    .map(
      (b) =>
        `SELECT ${TABS.map((tab) => `count(*) FILTER (WHERE ${tabFilter(tab, user, p)}) AS c_${tab}`).join(', ')} FROM tasks t WHERE t.status = 'open' AND ${b.where(p)}`,
    );
  const shared = branches.filter((b) => b.shared);
  if (shared.length > 0) {
    parts.push(
      `SELECT ${TABS.map((tab) => (tab === 'mine' ? 'count(*) AS c_mine' : `0 AS c_${tab}`)).join(', ')}
         FROM tasks t WHERE t.status = 'open' AND ${tabFilter('mine', user, p)} AND (${shared.map((b) => `(${b.where(p)})`).join(' OR ')})`,
    );
  }
  const text = `SELECT ${TABS.map((tab) => `sum(c_${tab})::int AS ${tab}`).join(', ')} FROM (${parts.join(' UNION ALL ')}) b`;
  return { name: statementName(text), text, values: p.values };
}

/** The counts of shared branches, one row each (`part` is the index in `branches`), leaving out "mine". */
export function sharedCountsQuery(user: SessionUser, branches: Branch[]): Statement {
  const p = new Params();
  const parts = branches.map(
    (b, i) =>
      `SELECT ${i} AS part, ${TABS.map((tab) => (tab === 'mine' ? '0 AS mine' : `count(*) FILTER (WHERE ${tabFilter(tab, user, p)})::int AS ${tab}`)).join(', ')}
         FROM tasks t WHERE t.status = 'open' AND ${b.where(p)}`,
  );
  const text = parts.join(' UNION ALL ');
  return { name: statementName(text), text, values: p.values };
}

interface SharedEntry {
  counts: TabCounts;
  departments: (string | null)[] | '*';
  at: number;
}

/**
 * Tab counts, with the shared parts (a department's queue counted over thousands of tasks) reused
 * by everyone who sees them for up to a second, and dropped the moment a task in them changes.
 * Changes come from PostgreSQL's NOTIFY; while nothing listens, every count is computed afresh, and
 * a count computed across a change (or across a lost listener) is not kept.
 */
export class InboxCounts {
  private readonly shared = new Map<string, SharedEntry>();
  /** Changes seen per department (null: tasks without one), and in all. */
  private readonly changesIn = new Map<string | null, number>();
  private changes = 0;

  constructor(
    private readonly pool: Pool,
    private readonly hub: TaskChangeHub,
    private readonly now: () => number = Date.now,
  ) {
    hub.onChange((change) => this.changed(change));
  }

  async for(user: SessionUser): Promise<TabCounts> {
    const branches = visibilityBranches(user);
    const sharedBranches = branches.filter((b) => b.shared);
    const keyOf = (b: Branch) => `${b.shared!.key}|${user.role}|${user.department ?? ''}`;
    // Listening first, so a change from here on is seen; a failure only means no reuse this time.
    await this.hub.listen().catch(() => undefined);
    const generation = this.hub.generation;
    const reused = new Map<Branch, TabCounts>();
    for (const b of sharedBranches) {
      const entry = this.shared.get(keyOf(b));
      if (generation !== null && entry && this.now() - entry.at < SHARED_TTL_MS) reused.set(b, entry.counts);
    }
    const missing = sharedBranches.filter((b) => !reused.has(b));
    const mark = this.mark(missing);
    const personal = personalCountsQuery(user);
    const [mine, computed] = await Promise.all([
      this.pool.query(personal),
      missing.length > 0 ? this.pool.query(sharedCountsQuery(user, missing)) : Promise.resolve(null),
    ]);
    const sum = total(mine.rows[0]);
    for (const b of sharedBranches) {
      const row = computed?.rows.find((r) => r.part === missing.indexOf(b));
      const counts = row ? total(row) : reused.get(b)!;
      if (row && generation !== null && this.hub.generation === generation && mark === this.mark(missing)) {
        this.remember(keyOf(b), { counts, departments: b.shared!.departments, at: this.now() });
      }
      for (const tab of TABS) sum[tab] += counts[tab];
    }
    return sum;
  }

  /** A fingerprint of the changes seen so far in these branches' departments. */
  private mark(branches: Branch[]): string {
    if (branches.some((b) => b.shared!.departments === '*')) return `*${this.changes}`;
    return branches.flatMap((b) => (b.shared!.departments as (string | null)[]).map((d) => this.changesIn.get(d) ?? 0)).join(',');
  }

  private remember(key: string, entry: SharedEntry): void {
    if (this.shared.size >= MAX_SHARED_ENTRIES) this.shared.delete(this.shared.keys().next().value!);
    this.shared.set(key, entry);
  }

  private changed(change: TaskChange): void {
    const departments = new Set<string | null>([change.department, ...(change.before ? [change.before.department] : [])]);
    this.changes += 1;
    for (const d of departments) this.changesIn.set(d, (this.changesIn.get(d) ?? 0) + 1);
    for (const [key, entry] of this.shared) {
      if (entry.departments === '*' || entry.departments.some((d) => departments.has(d))) this.shared.delete(key);
    }
  }
}
