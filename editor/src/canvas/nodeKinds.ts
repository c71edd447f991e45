import { findNodeKind } from '../../../playbooks/nodes';
import type { GraphNode } from '../types';

export interface KindStyle {
  label: string;
  icon: string;
  color: string;
}

const FALLBACK_COLOR = '#6b7280';
const styles = new Map<string, KindStyle>();

/** Label, icon and colour come from the node kind registry, so they never drift apart. */
export function kindStyle(kind: string): KindStyle {
  let style = styles.get(kind);
  if (!style) {
    const registered = findNodeKind(kind);
    style = { label: registered?.label ?? kind, icon: registered?.icon ?? '●', color: registered?.palette.color ?? FALLBACK_COLOR };
    styles.set(kind, style);
  }
  return style;
}

/** One line under the node's name, from its kind; config may be invalid in a draft, so every field is optional. */
export function summarize(node: GraphNode): string {
  return findNodeKind(node.kind)?.summary?.(node.config) ?? kindStyle(node.kind).label;
}

/** Handles every kind shares the meaning of, in words. */
const HANDLE_WORDS: Record<string, string> = {
  next: 'next',
  no_response: 'no answer',
  default: 'otherwise',
  not_approved: 'not approved',
  holdout: 'hold-out',
};

/** Lists in a config whose items name a handle (`key` or `handle`) and may give it a `label`. */
const LABELLED_LISTS = ['outcomes', 'arms', 'branches', 'rules'];

/**
 * How people read a handle of this step: the label its config gives the outcome, arm, branch or
 * rule ("Reached", "Arm A"), else the shared words ("no answer"), else the key in words. The
 * config may be a half-typed draft, so every field is checked.
 */
export function handleLabel(node: GraphNode, handle: string): string {
  const config = node.config as Record<string, unknown> | null | undefined;
  if (config && typeof config === 'object') {
    for (const name of LABELLED_LISTS) {
      const items = config[name];
      if (!Array.isArray(items)) continue;
      for (const item of items as unknown[]) {
        if (!item || typeof item !== 'object') continue;
        const { key, handle: h, label } = item as { key?: unknown; handle?: unknown; label?: unknown };
        if ((key === handle || h === handle) && typeof label === 'string' && label.trim()) return label.trim();
      }
    }
  }
  return HANDLE_WORDS[handle] ?? handle.replace(/_/g, ' ');
}
