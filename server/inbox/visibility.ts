import { EVERY_DEPARTMENT, inGroup } from '../../contract/roles';
import type { SessionUser } from '../http';
import type { Params } from './params';

/**
 * Which tasks a person sees, written once as data: per role, disjoint branches, each a conjunction
 * of terms on where the task is (department, role, assignee, claim) against who is asking. The
 * inbox's SQL (`visibility`, the per-branch pages and counts, the department reach in access.ts) and
 * the live stream's check (`canSeePlacement`) are both generated from it, so they cannot disagree;
 * tests/server/visibility.test.ts checks that on random people and tasks.
 *
 * The JS reading follows SQL's: a comparison with a missing value (NULL) never holds, so a term
 * means in the live stream exactly what it means in the query.
 */

/** Who a task is for: the columns the rule reads. */
export interface Placement {
  department: string | null;
  role: string;
  userId: string | null;
  claimedBy: string | null;
}
type Column = keyof Placement;
const SQL_COLUMN: Record<Column, string> = {
  department: 't.department_id',
  role: 't.assignee_role',
  userId: 't.assignee_user_id',
  claimedBy: 't.claimed_by',
};

type ViewerField = 'id' | 'role' | 'department';
const viewerValue = (user: SessionUser, field: ViewerField): string | null => (field === 'id' ? user.id : field === 'role' ? user.role : user.department);

export type Term = { column: Column; isNull: true } | { column: Column; equals: ViewerField } | { column: Column; differsFrom: ViewerField };

/**
 * One part of what a person may see. Shared parts (a department's queue, everything for a manager)
 * are the same for everyone with the same role and department, so their counts can be shared;
 * personal parts depend on who asks.
 */
export interface Branch {
  /** All must hold; none: every task. */
  terms: readonly Term[];
  /** The branch as a SQL condition on the task row aliased `t`. */
  where: (p: Params) => string;
  shared?: {
    /** Names the part; with the viewer's role and department, it keys counts others can reuse. */
    key: string;
    /** The departments whose task changes can alter it ('*': any). */
    departments: (string | null)[] | '*';
  };
}

function termSql(term: Term, user: SessionUser, p: Params): string {
  const column = SQL_COLUMN[term.column];
  if ('isNull' in term) return `${column} IS NULL`;
  if ('equals' in term) return `${column} = ${p.add(viewerValue(user, term.equals))}`;
  return `${column} <> ${p.add(viewerValue(user, term.differsFrom))}`;
}

function termHolds(term: Term, user: SessionUser, placement: Placement): boolean {
  const value = placement[term.column];
  if ('isNull' in term) return value === null;
  const viewer = viewerValue(user, 'equals' in term ? term.equals : term.differsFrom);
  // SQL's three-valued logic: NULL = x and NULL <> x are both unknown, which a WHERE treats as false.
  if (value === null || viewer === null) return false;
  return 'equals' in term ? value === viewer : value !== viewer;
}

function branch(user: SessionUser, terms: Term[], shared?: Branch['shared']): Branch {
  return { terms, shared, where: (p) => (terms.length ? terms.map((t) => termSql(t, user, p)).join(' AND ') : 'TRUE') };
}

/**
 * What this person may see, as disjoint branches whose union is the visible set. Each branch matches
 * one index, so PostgreSQL reads a page per branch in order (and counts from the index) instead of
 * sorting every visible task; being disjoint, they combine with UNION ALL, without de-duplication.
 */
export function visibilityBranches(user: SessionUser): Branch[] {
  if (inGroup(EVERY_DEPARTMENT, user.role)) return [branch(user, [], { key: 'everything', departments: '*' })];
  const dept = user.department;
  if (user.role === 'department_head') {
    return [
      branch(user, [{ column: 'department', equals: 'department' }], { key: 'department', departments: [dept] }),
      branch(user, [{ column: 'department', isNull: true }], { key: 'no-department', departments: [null] }),
      branch(user, [
        { column: 'userId', equals: 'id' },
        { column: 'department', differsFrom: 'department' },
      ]),
    ];
  }
  return [
    branch(user, [{ column: 'userId', equals: 'id' }]),
    branch(
      user,
      [
        { column: 'userId', isNull: true },
        { column: 'role', equals: 'role' },
        { column: 'department', equals: 'department' },
      ],
      { key: 'queue', departments: [dept] },
    ),
    branch(
      user,
      [
        { column: 'userId', isNull: true },
        { column: 'role', equals: 'role' },
        { column: 'department', isNull: true },
      ],
      { key: 'queue-no-department', departments: [null] },
    ),
    // A claim on a task now assigned to someone else (rare): still mine to see until released.
    branch(user, [
      { column: 'claimedBy', equals: 'id' },
      { column: 'userId', differsFrom: 'id' },
    ]),
  ];
}

/** The same set as one SQL condition on the task row aliased `t`, for single-task checks and reach. */
export function visibility(user: SessionUser, p: Params): string {
  return `(${visibilityBranches(user)
    .map((b) => `(${b.where(p)})`)
    .join(' OR ')})`;
}

/** The same rule for one placement of a task, in JS: what the live stream asks of each change. */
export function canSeePlacement(user: SessionUser, placement: Placement): boolean {
  return visibilityBranches(user).some((b) => b.terms.every((t) => termHolds(t, user, placement)));
}
