import type { PlaybookGraph } from '../types';

/** Shapes of the audit API's JSON (server/routes/audit.ts, server/audit/timeline.ts, server/routes/runs.ts). */

export type AttemptStatus = 'running' | 'completed' | 'failed' | 'terminated' | (string & {});

/** One recovery attempt as the run search lists it. */
export interface Attempt {
  id: string;
  workflowId: string;
  customerId: string;
  playbookKey: string;
  playbookVersion: number;
  status: AttemptStatus;
  outcome: string | null;
  outcomeReason: string | null;
  currentNodeIds: string[] | null;
  startedBy: string | null;
  startedAt: string;
  endedAt: string | null;
}

export interface AttemptTask {
  id: string;
  taskKey: string;
  nodeId: string;
  title: string;
  assigneeRole: string | null;
  department: string | null;
  status: string;
  outcome: string | null;
  completedBy: string | null;
  createdAt: string;
  closedAt: string | null;
}

/** `GET /api/runs/:id`: the stored attempt plus Temporal's view of it. */
export interface AttemptDetail extends Attempt {
  temporalStatus: string | null;
  tasks: AttemptTask[];
}

export interface Actor {
  userId: string;
  role?: string;
}

export interface TimelineEvent {
  at: string;
  kind: string;
  summary: string;
  actor: Actor | null;
  nodeId?: string;
  details?: Record<string, unknown>;
  source: 'temporal' | 'audit';
}

export interface OpenTask {
  taskKey: string;
  title: string;
  assignee: { role: string; department: string | null; userId: string | null };
}

/** The run right after one transition: what the scrubber steps through. */
export interface Snapshot {
  at: string;
  transition: number;
  activeNodeIds: string[];
  openTasks: OpenTask[];
  variables: Record<string, unknown>;
  nextTimerAt: string | null;
}

/** How often each node was entered and each `<source>:<handle>` connection taken. */
export interface PathCounts {
  nodes: Record<string, number>;
  edges: Record<string, number>;
}

export interface AttemptStory {
  attemptId: string;
  graph: PlaybookGraph | null;
  timeline: TimelineEvent[];
  path: PathCounts;
  snapshots: Snapshot[];
  /** Temporal run ids, oldest first (more than one after continue-as-new). */
  runs: string[];
}

export type ReplayVerdict =
  | { result: 'matches'; runs: number; events: number }
  | { result: 'diverged'; runId: string | null; message: string }
  | { result: 'unreadable'; message: string };

export interface ChainVerdict {
  ok: boolean;
  rows: number;
  firstBroken: { id: string; reason: 'content_changed' | 'link_broken' | (string & {}) } | null;
}

export interface RunFilters {
  customerId: string;
  status: string;
  playbook: string;
  version: string;
  outcome: string;
  /** Local dates, `YYYY-MM-DD`; both days count. */
  from: string;
  to: string;
  actor: string;
}

export const EMPTY_FILTERS: RunFilters = { customerId: '', status: '', playbook: '', version: '', outcome: '', from: '', to: '', actor: '' };
