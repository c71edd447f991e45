import type { StartConfig } from '../../../playbooks/nodes/start';
import type { StartValues } from './customersApi';

/** One variable a playbook's start step declares (playbooks/nodes/start.ts). */
export type StartVariable = StartConfig['variables'][number];

/** What each input holds while being edited: always text ('' is "not given"), flags as 'true'/'false'. */
export type StartDraft = Record<string, string>;

/** Problems per variable key, in words; `''` holds those that name no variable. */
export type StartProblems = Record<string, string[]>;

/**
 * The draft as the API takes it: numbers and flags typed, empty inputs left out so the server says
 * which required ones are missing. Text that is not a number goes as text: the server refuses it with
 * the variable's path (variable_type), which the form shows next to the field, one source of truth.
 */
export function startValues(variables: readonly StartVariable[], draft: StartDraft): StartValues {
  const values: StartValues = {};
  for (const v of variables) {
    const raw = (draft[v.key] ?? '').trim();
    if (raw === '') continue;
    if (v.type === 'number') values[v.key] = Number.isFinite(Number(raw)) ? Number(raw) : raw;
    else if (v.type === 'boolean') values[v.key] = raw === 'true';
    else values[v.key] = raw;
  }
  return values;
}

interface Problem {
  message?: unknown;
  path?: unknown;
}

/** The server's 400 problems, grouped by the variable their path names (`['variables', key]`). */
export function problemsByVariable(details: unknown): StartProblems {
  const problems = (details as { problems?: Problem[] } | undefined)?.problems;
  const grouped: StartProblems = {};
  for (const p of Array.isArray(problems) ? problems : []) {
    const path = Array.isArray(p.path) ? p.path : [];
    const key = path[0] === 'variables' && typeof path[1] === 'string' ? path[1] : '';
    (grouped[key] ??= []).push(typeof p.message === 'string' ? p.message : 'not valid');
  }
  return grouped;
}

/** "a number from 1 to 5", "one of: natural, malicious", "yes or no": what the field takes, in words. */
export function variableHint(v: StartVariable): string {
  if (v.type === 'boolean') return 'Yes or no';
  if (v.type === 'number') {
    if (v.min !== undefined && v.max !== undefined) return `A number from ${v.min} to ${v.max}`;
    if (v.min !== undefined) return `A number, at least ${v.min}`;
    if (v.max !== undefined) return `A number, at most ${v.max}`;
    return 'A number';
  }
  return v.values ? 'One of the listed values' : 'Text';
}
