import { findNodeKind } from '../../../playbooks/nodes';
import { defaultsFor, fieldsFor } from './form/fields';

/**
 * What a node dropped from the palette starts with: its kind's starter (valid and typical, so its
 * handles show at once and the ops manager edits rather than fills in), else its schema defaults.
 */
export function starterConfig(kind: string): Record<string, unknown> {
  const starter = findNodeKind(kind)?.starter;
  return JSON.parse(JSON.stringify(starter ?? defaultsFor(fieldsFor(kind)))) as Record<string, unknown>;
}
