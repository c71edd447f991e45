import type { GraphNode } from '../types';

export interface KindStyle {
  label: string;
  icon: string;
  color: string;
}

/** Presentation per node kind; kinds the server adds before the editor knows them use FALLBACK. */
const KINDS: Record<string, KindStyle> = {
  start: { label: 'Start', icon: '▶', color: '#16a34a' },
  task: { label: 'Human task', icon: '☎', color: '#2563eb' },
  end: { label: 'End', icon: '■', color: '#475569' },
  wait_response: { label: 'Wait for response', icon: '✉', color: '#0891b2' },
  delay: { label: 'Wait', icon: '⏳', color: '#64748b' },
  decision: { label: 'Decision', icon: '◆', color: '#d97706' },
  offer: { label: 'Offer', icon: '★', color: '#c026d3' },
  commitment: { label: 'Commitment', icon: '✔', color: '#059669' },
  escalate: { label: 'Escalate', icon: '⚑', color: '#dc2626' },
  notify: { label: 'Notify', icon: '✆', color: '#7c3aed' },
  update_customer: { label: 'Update customer', icon: '✎', color: '#0d9488' },
  parallel: { label: 'Parallel', icon: '⑂', color: '#4f46e5' },
  join: { label: 'Join', icon: '⊕', color: '#4f46e5' },
};

const FALLBACK: KindStyle = { label: '', icon: '●', color: '#6b7280' };

export function kindStyle(kind: string): KindStyle {
  return KINDS[kind] ?? { ...FALLBACK, label: kind };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function assigneeSummary(assignee: unknown): string | undefined {
  if (typeof assignee !== 'object' || assignee === null) return undefined;
  const a = assignee as Record<string, unknown>;
  if (a.type === 'role') return str(a.role);
  if (a.type === 'variable') return `${str(a.variable) ?? '?'} (else ${str(a.fallbackRole) ?? 'rep'})`;
  return undefined;
}

/** One line under the node's name; config may be invalid in a draft, so every field is optional. */
export function summarize(node: GraphNode): string {
  const c = node.config;
  switch (node.kind) {
    case 'task': {
      const title = str(c.title) ?? 'Untitled task';
      const who = assigneeSummary(c.assignee);
      return who ? `${title} · ${who}` : title;
    }
    case 'end':
      return str(c.outcome) ? `Outcome: ${str(c.outcome)}` : 'End';
    case 'delay':
      return str(c.duration) ? `Wait ${str(c.duration)}` : 'Wait';
    case 'start':
      return str(c.trigger) ? `Trigger: ${str(c.trigger)}` : kindStyle(node.kind).label;
    default:
      return kindStyle(node.kind).label;
  }
}
