/**
 * The rules for names, without zod: the workflow bundle needs them (an operator setting a run
 * variable is checked inside the run) and must not carry the schema library. graph.ts and
 * systemNames.ts wrap them into zod schemas for the compiler, the API and the editor.
 */

/** What an id or a name may be made of: they become object keys, search values and handles. */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9_.:-]+$/;
export const IDENTIFIER_PATTERN_MESSAGE = 'use letters, digits, and _ . : - only';
export const IDENTIFIER_MAX = 64;
/** Ids become object keys in run state: names JavaScript objects already have are refused. */
export const RESERVED_IDENTIFIERS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf'];

/**
 * Names the system itself gives values: the customer file (customer.*), how often a node ran
 * (visits.*), the customer's answers (responses.*, last_response), offer ladders (offer.*,
 * <offer>.tier, <offer>.exhausted, accepted_offer), what tasks recorded (<node>.outcome,
 * <node>.completedBy), the account manager taken from the customer file and the credit file a
 * credit check wrote (credit.*). A run variable or a
 * form field by one of these names would shadow the truth a decision reads (a start with
 * {"customer.value": 999999} took the VIP branch), so they are refused where people name things.
 */
export const SYSTEM_CONTAINERS = ['customer', 'visits', 'responses', 'offer', 'credit'] as const;
const SYSTEM_SET = ['last_response', 'accepted_offer', 'agreement_signed', 'account_manager'];
const SYSTEM_SUFFIXES = ['.outcome', '.completedBy', '.tier', '.exhausted'];

/** Why `name` may not be chosen by a person, or null when it is free. */
export function systemNameProblem(name: string): string | null {
  const container = SYSTEM_CONTAINERS.find((c) => name === c || name.startsWith(`${c}.`));
  if (container) return `"${name}" is a system name: ${container}.* is set by the system, not by a playbook or a run`;
  if (SYSTEM_SET.includes(name)) return `"${name}" is a system name set by the system, not by a playbook or a run`;
  const suffix = SYSTEM_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `"${name}" is a system name: <node>${suffix} is set when that node runs`;
  return null;
}
