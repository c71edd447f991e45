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
