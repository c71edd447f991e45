import { findNodeKind } from '../../../playbooks/nodes';
import type { GraphNode } from '../types';

export interface KindStyle {
  label: string;
  icon: string;
  color: string;
}

/** Colours per kind; label and icon come from the node kind registry so they never drift apart. */
const COLORS: Record<string, string> = {
  start: '#16a34a',
  task: '#2563eb',
  end: '#475569',
  wait_response: '#0891b2',
  delay: '#64748b',
  decision: '#d97706',
  offer: '#c026d3',
  commitment: '#059669',
  escalate: '#dc2626',
  notify: '#7c3aed',
  update_customer: '#0d9488',
  parallel: '#4f46e5',
  join: '#4f46e5',
};

const FALLBACK_COLOR = '#6b7280';
const styles = new Map<string, KindStyle>();

export function kindStyle(kind: string): KindStyle {
  let style = styles.get(kind);
  if (!style) {
    const registered = findNodeKind(kind);
    style = { label: registered?.label ?? kind, icon: registered?.icon ?? '●', color: COLORS[kind] ?? FALLBACK_COLOR };
    styles.set(kind, style);
  }
  return style;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function count(v: unknown, noun: string): string | undefined {
  if (!Array.isArray(v)) return undefined;
  return `${v.length} ${noun}${v.length === 1 ? '' : 's'}`;
}

function assigneeSummary(assignee: unknown): string | undefined {
  if (typeof assignee !== 'object' || assignee === null) return undefined;
  const a = assignee as Record<string, unknown>;
  if (a.type === 'role') return str(a.role)?.replace(/_/g, ' ');
  if (a.type === 'variable') return `${str(a.variable) ?? '?'} (else ${str(a.fallbackRole) ?? 'rep'})`;
  return undefined;
}

/** "P14D" → "14 days": ops managers read durations, not ISO 8601. */
export function readableDuration(iso: unknown): string | undefined {
  const m = typeof iso === 'string' ? /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso) : null;
  if (!m) return str(iso);
  const parts = [
    [m[1], 'week'],
    [m[2], 'day'],
    [m[3], 'hour'],
    [m[4], 'minute'],
  ]
    .filter(([n]) => n !== undefined && Number(n) > 0)
    .map(([n, unit]) => `${Number(n)} ${unit}${Number(n) === 1 ? '' : 's'}`);
  return parts.join(' ') || str(iso);
}

function join(...parts: (string | undefined)[]): string | undefined {
  const kept = parts.filter(Boolean);
  return kept.length ? kept.join(' · ') : undefined;
}

/** One line under the node's name; config may be invalid in a draft, so every field is optional. */
export function summarize(node: GraphNode): string {
  const c = node.config;
  const fallback = kindStyle(node.kind).label;
  switch (node.kind) {
    case 'task':
      return join(str(c.title) ?? 'Untitled task', assigneeSummary(c.assignee)) ?? fallback;
    case 'end':
      return str(c.outcome) ? `Outcome: ${String(c.outcome).replace(/_/g, ' ')}` : 'End';
    case 'delay':
      return str(c.duration) ? `Wait ${readableDuration(c.duration)}` : 'Wait';
    case 'start':
      return str(c.trigger) ? `Trigger: ${str(c.trigger)}${str(c.triggerKey) ? ` (${str(c.triggerKey)})` : ''}` : fallback;
    case 'wait_response':
      return join(readableDuration(c.timeout) && `up to ${readableDuration(c.timeout)}`, count(c.reminders, 'reminder')) ?? fallback;
    case 'decision':
      return count(c.rules, 'rule') ?? fallback;
    case 'offer':
      return join(count(c.tiers, 'tier'), typeof c.approvalAbove === 'number' ? `approval above ${c.approvalAbove}` : undefined) ?? fallback;
    case 'commitment':
      return join(typeof c.termMonths === 'number' ? `${c.termMonths} months` : undefined, typeof c.discountPercent === 'number' ? `${c.discountPercent}% off` : undefined) ?? fallback;
    case 'escalate':
      return join(str(c.role)?.replace(/_/g, ' '), str(c.priority)) ?? fallback;
    case 'notify':
      return join(str(c.template), str(c.channel)) ?? fallback;
    case 'update_customer':
      return join(str(c.status) && `status ${str(c.status)}`, Array.isArray(c.addTags) && c.addTags.length ? `+${c.addTags.join(', +')}` : undefined) ?? fallback;
    default:
      return fallback;
  }
}
