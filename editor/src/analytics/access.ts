import type { ANALYTICS_READERS } from '../../../contract/analytics';
import type { Role } from '../types';

/**
 * Who sees the dashboard and the heatmap: the server's ANALYTICS_READERS, kept in step by the type
 * (every reader listed, nothing else), without pulling the contract's schemas into the first download.
 */
const READERS = { ops_manager: true, admin: true, department_head: true, auditor: true } satisfies Record<(typeof ANALYTICS_READERS)[number], true>;

export const canReadAnalytics = (role: Role | string): boolean => Object.hasOwn(READERS, role);
