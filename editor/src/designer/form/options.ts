import { MESSAGE_TEMPLATES } from '../../../../playbooks/messages';
import { findNodeKind } from '../../../../playbooks/nodes';
import { KNOWN_VARIABLES } from '../../../../playbooks/nodes/decision';
import { RESPONSE_KINDS } from '../../../../playbooks/nodes/waitResponse';
import type { PlaybookGraph } from '../../types';
import type { OptionSource } from './fields';

export interface Option {
  value: string;
  label: string;
  group?: string;
}

/** Who can be assigned work in a playbook (auditors only read). */
export const ROLE_OPTIONS: Option[] = [
  { value: 'rep', label: 'Rep' },
  { value: 'department_head', label: 'Department head' },
  { value: 'ops_manager', label: 'Ops manager' },
  { value: 'admin', label: 'Admin' },
];

export const DEPARTMENT_OPTIONS: Option[] = [
  { value: 'customer', label: "The customer's department" },
  { value: 'after_sales', label: 'After-sales' },
  { value: 'key_accounts', label: 'Key accounts' },
  { value: 'service', label: 'Service' },
];

export const TEMPLATE_OPTIONS: Option[] = MESSAGE_TEMPLATES.map((t) => ({ value: t.key, label: t.label }));

export const RESPONSE_KIND_OPTIONS: Option[] = RESPONSE_KINDS.map((k) => ({ value: k, label: k.replace(/_/g, ' ') }));

const BUILT_IN = ['last_response', 'accepted_offer', 'agreement_signed', 'account_manager', 'churn_reason', 'churn_type'];
const CUSTOMER_FIELDS = ['id', 'name', 'department', 'grade', 'value', 'accountManager'];
/** The group of what steps record when they finish: offered after the inputs (start variables, form fields). */
const STEP_RESULTS = 'Step results';

/**
 * Every variable a decision may read in this graph, grouped the way an ops manager thinks of them:
 * the customer, what reps recorded, how steps ended, how often a step ran, what the customer said.
 */
export function variableOptions(graph: PlaybookGraph): Option[] {
  const out = new Map<string, Option>();
  const add = (value: string, group: string, label = value) => {
    if (!out.has(value)) out.set(value, { value, label, group });
  };
  for (const f of CUSTOMER_FIELDS) add(`customer.${f}`, 'Customer');
  // credit.* exists only where a credit check writes it: offered below from that node's writes, not here.
  for (const name of Object.keys(KNOWN_VARIABLES)) if (!name.startsWith('customer.') && !name.startsWith('credit.')) add(name, 'Run');
  for (const name of BUILT_IN) add(name, 'Run');
  // What each node's kind says its steps write: inputs first, then step results, each in graph order.
  const written = graph.nodes.flatMap((node) => findNodeKind(node.kind)?.writes?.(node.config, { id: node.id, name: node.name || node.id }) ?? []);
  for (const v of written) if (v.name && v.group && v.group !== STEP_RESULTS) add(v.name, v.group, v.label);
  for (const v of written) if (v.name && v.group === STEP_RESULTS) add(v.name, v.group, v.label);
  for (const node of graph.nodes) add(`visits.${node.id}`, 'Times a step ran', `visits.${node.id} (${node.name || node.id})`);
  for (const kind of RESPONSE_KINDS) add(`responses.${kind}`, 'Customer answers');
  return [...out.values()];
}

/**
 * The departments a step may name: the customer's own, then the organisation's by name once the
 * directory (useDepartments) has loaded, so a department added there can be chosen; the seeded ones until then.
 */
export function departmentOptions(directory: readonly { id: string; name: string }[]): Option[] {
  if (directory.length === 0) return DEPARTMENT_OPTIONS;
  return [DEPARTMENT_OPTIONS[0], ...directory.map((d) => ({ value: d.id, label: d.name }))];
}

export function optionsFor(source: OptionSource, graph: PlaybookGraph, directory: readonly { id: string; name: string }[] = []): Option[] {
  switch (source) {
    case 'roles':
      return ROLE_OPTIONS;
    case 'departments':
      return departmentOptions(directory);
    case 'templates':
      return TEMPLATE_OPTIONS;
    case 'responseKinds':
      return RESPONSE_KIND_OPTIONS;
    case 'variables':
      return variableOptions(graph);
  }
}

/**
 * The values a variable can take, when something says: the system's lists (grades, churn types,
 * credit ratings) or the node that writes it (an experiment's arms, a typed start variable).
 */
export function knownValues(graph: PlaybookGraph, name: string): readonly string[] | undefined {
  const system = KNOWN_VARIABLES[name]?.values;
  if (system) return system;
  const written = graph.nodes.flatMap((node) => findNodeKind(node.kind)?.writes?.(node.config, { id: node.id, name: node.name || node.id }) ?? []);
  const values = written.filter((v) => v.name === name && v.values).flatMap((v) => v.values ?? []);
  return values.length ? [...new Set(values)] : undefined;
}
