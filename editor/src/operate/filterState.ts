import type { OperateFilter } from './types';

/**
 * The list's filter as the page holds it: the contract's filter, except "asleep longer than" kept
 * as days, so a link or a saved view means "asleep more than 30 days" whenever it is opened rather
 * than a fixed moment. It becomes `waitingBefore` only when the list is asked for.
 */
export interface FilterState {
  playbook: string;
  version: string;
  status: string;
  step: string;
  waiting: string;
  incident: string;
  customer: string;
  department: string;
  asleepDays: string;
}

export const EMPTY_FILTER: FilterState = {
  playbook: '',
  version: '',
  status: '',
  step: '',
  waiting: '',
  incident: '',
  customer: '',
  department: '',
  asleepDays: '',
};

const KEYS = Object.keys(EMPTY_FILTER) as (keyof FilterState)[];
const DAY = 86_400_000;

/** From the hash's query (`#/operate?playbook=call-back&version=2`). */
export function parseFilter(query: string): FilterState {
  const params = new URLSearchParams(query);
  const f = { ...EMPTY_FILTER };
  for (const k of KEYS) f[k] = params.get(k) ?? '';
  return f;
}

export function filterToQuery(f: FilterState): string {
  const params = new URLSearchParams();
  for (const k of KEYS) if (f[k]) params.set(k, f[k]);
  return params.toString();
}

export function toApiFilter(f: FilterState, now = Date.now()): OperateFilter {
  const out: OperateFilter = {};
  if (f.playbook) out.playbook = f.playbook;
  if (f.version && Number(f.version) > 0) out.version = Number(f.version);
  if (f.status) out.status = f.status as OperateFilter['status'];
  if (f.step) out.step = f.step;
  if (f.waiting) out.waiting = f.waiting as OperateFilter['waiting'];
  if (f.incident) out.incident = f.incident as OperateFilter['incident'];
  if (f.customer.trim()) out.customer = f.customer.trim();
  if (f.department.trim()) out.department = f.department.trim();
  if (f.asleepDays && Number(f.asleepDays) > 0) out.waitingBefore = new Date(now - Number(f.asleepDays) * DAY).toISOString();
  return out;
}

/** A saved view back into page state; its `waitingBefore` counted from when the view was saved. */
export function fromApiFilter(filter: OperateFilter, savedAt: string): FilterState {
  const f = { ...EMPTY_FILTER };
  for (const k of ['playbook', 'status', 'step', 'waiting', 'incident', 'customer', 'department'] as const) f[k] = filter[k] ?? '';
  if (filter.version !== undefined) f.version = String(filter.version);
  if (filter.waitingBefore) {
    const days = Math.round((new Date(savedAt).getTime() - new Date(filter.waitingBefore).getTime()) / DAY);
    if (days > 0) f.asleepDays = String(days);
  }
  return f;
}

export const isEmptyFilter = (f: FilterState) => KEYS.every((k) => !f[k]);
