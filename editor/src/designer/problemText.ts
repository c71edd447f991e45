import { findNodeKind } from '../../../playbooks/nodes';
import { handleLabel } from '../canvas/nodeKinds';
import type { GraphNode, PlaybookGraph, Problem } from '../types';

/**
 * Compiler problems in an ops manager's words. The compiler speaks of node ids, handles and codes
 * (`handle "next" of node "start" leads nowhere · handle_unconnected`); the designer says what is
 * wrong with which step, by its name, and what to do about it. Codes and JSON paths stay available
 * in the panel's details. Every code the compiler emits has a sentence here (a unit test greps the
 * compiler for them); a code this module does not know still gets a plain fallback.
 */

export interface ProblemSentence {
  /** What is wrong, naming steps by their names. */
  text: string;
  /** What to do about it. */
  fix: string;
}

/** One step's problems (or the playbook's own, with `nodeId` null), each code once. */
export interface ProblemGroup {
  nodeId: string | null;
  /** The step's name, or "This playbook". */
  title: string;
  kind: string | null;
  lines: ProblemLine[];
}

export interface ProblemLine extends ProblemSentence {
  code: string;
  /** The compiler's own problems behind this line (several handles of one step make one line). */
  problems: Problem[];
  edgeId?: string;
}

interface Context {
  graph: PlaybookGraph;
  node: GraphNode | undefined;
  /** The step's name as the canvas shows it. */
  step: string;
  problems: Problem[];
}

const quoted = (message: string, before: string): string[] => {
  const re = new RegExp(`${before} "([^"]+)"`, 'g');
  return [...message.matchAll(re)].map((m) => m[1]);
};

function list(items: string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? '';
  return `${unique.slice(0, -1).join(', ')} and ${unique[unique.length - 1]}`;
}

function nameOf(graph: PlaybookGraph, id: string): string {
  const node = graph.nodes.find((n) => n.id === id);
  return node ? stepName(node) : id;
}

export function stepName(node: GraphNode): string {
  return node.name?.trim() || findNodeKind(node.kind)?.label || node.id;
}

/** The compiler's message with node ids swapped for step names, starting with a capital. */
function plain(c: Context, p: Problem): string {
  let text = p.message.replace(/node "([^"]+)"/g, (_m, id: string) => `“${nameOf(c.graph, id)}”`);
  text = text.replace(/ → ([A-Za-z0-9_.:-]+)/g, (_m, id: string) => ` → ${nameOf(c.graph, id)}`);
  text = text.replace(/^the loop ([A-Za-z0-9_.:-]+)/, (_m, id: string) => `the loop ${nameOf(c.graph, id)}`);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const handles = (c: Context): string[] => {
  const names = c.problems.flatMap((p) => quoted(p.message, 'handle'));
  return names.map((h) => (c.node ? handleLabel(c.node, h) : h.replace(/_/g, ' ')));
};

const fieldFix = 'Open the step’s settings and correct the highlighted field.';

/** Sentences by code. Each takes every problem of that code on one step. */
const SENTENCES: Record<string, (c: Context) => ProblemSentence> = {
  handle_unconnected: (c) => {
    const h = handles(c);
    if (h.every((x) => x === 'next')) return { text: `Nothing happens after ${c.step}.`, fix: `Connect what happens after ${c.step}.` };
    return { text: `${c.step}: nothing is connected to ${list(h)}.`, fix: `Connect ${list(h)} of ${c.step} to the step that follows.` };
  },
  unknown_handle: (c) => ({
    text: `${c.step} has a connection from “${list(handles(c))}”, which it no longer has.`,
    fix: 'Delete that connection, or add the outcome back in the step’s settings.',
  }),
  handle_multiple_edges: (c) => ({
    text: `${list(handles(c))} of ${c.step} leads to more than one step.`,
    fix: 'Keep one connection per branch: delete the extra ones.',
  }),
  unreachable: (c) => ({ text: `No path from Start reaches ${c.step}.`, fix: `Connect a step before it to ${c.step}, or delete it.` }),
  no_path_to_end: (c) => ({ text: `From ${c.step} the playbook never reaches an End.`, fix: `Lead every branch after ${c.step} to an End step.` }),
  no_start: () => ({ text: 'The playbook has no Start step.', fix: 'Add a Start step from the palette (Flow) and connect it to the first step.' }),
  multiple_starts: (c) => ({ text: `${c.step} is a second Start step; a playbook has one.`, fix: `Delete ${c.step}, or change it into another kind of step.` }),
  no_end: () => ({ text: 'The playbook has no End step.', fix: 'Add an End step from the palette and lead the last steps to it.' }),
  edge_into_start: () => ({ text: 'A connection leads back into Start.', fix: 'Point that connection at another step: Start only begins a run.' }),
  unknown_source: () => ({ text: 'A connection starts at a step that does not exist.', fix: 'Delete the connection.' }),
  unknown_target: () => ({
    text: 'A connection leads to a step that does not exist.',
    fix: 'Delete the connection, or connect its branch to an existing step.',
  }),
  duplicate_edge_id: () => ({ text: 'Two connections share one id.', fix: 'Delete one of them and connect the branch again.' }),
  duplicate_node_id: (c) => ({ text: `Two steps share the id of ${c.step}.`, fix: 'Delete one of them, or copy and paste it to give it a fresh id.' }),
  unknown_node_kind: (c) => ({ text: `${c.step} is a kind of step this product does not know.`, fix: 'Delete it and add a step from the palette instead.' }),
  config_too_deep: (c) => ({ text: `The settings of ${c.step} nest too deeply.`, fix: 'Simplify its conditions or fields.' }),
  cycle_without_wait: (c) => ({
    text: `${plain(c, c.problems[0])}.`,
    fix: 'Put a Wait, a task or a Wait for answer step inside the loop, so a run does not spin.',
  }),
  unbounded_loop: (c) => ({
    text: `A loop through ${c.step} can repeat forever.`,
    fix: `Add a Decision inside the loop that leaves it after a few visits (for example visits of ${c.step} at least 3).`,
  }),
  unknown_variable: (c) => ({
    text: `${c.step} uses a value no run has: ${/^"([^"]+)"/.exec(c.problems[0].message)?.[1] ?? 'a variable'}.`,
    fix: 'Pick the value from the list in the step’s settings.',
  }),
  variable_may_be_unset: (c) => ({
    text: `${c.step} uses ${/^"([^"]+)"/.exec(c.problems[0].message)?.[1] ?? 'a value'}, which some paths to it never set.`,
    fix: 'Make it a required start value or form field, or set it on every path before this step.',
  }),
  placeholder_may_be_unset: (c) => ({
    text: `A message of ${c.step} may show an empty value: on some path nothing sets it.`,
    fix: 'Set the value earlier on every path, or leave it out of the message.',
  }),
  unknown_role: (c) => ({ text: `${c.step} names a role that does not exist.`, fix: 'Choose a role from the list in the step’s settings.' }),
  unknown_department: (c) => ({ text: `${c.step} names a department that does not exist.`, fix: 'Choose a department from the list.' }),
  unknown_template: (c) => ({ text: `${c.step} sends a message template that does not exist.`, fix: 'Choose a message template from the list.' }),
  reminder_after_timeout: (c) => ({
    text: `A reminder of ${c.step} comes after its time limit, so it is never sent.`,
    fix: 'Send the reminder earlier or wait longer.',
  }),
  duplicate_outcome: (c) => ({ text: `${c.step} lists an outcome twice.`, fix: 'Give each outcome its own key.' }),
  duplicate_kind: (c) => ({ text: `${c.step} lists an answer twice.`, fix: 'Remove the repeated answer.' }),
  reserved_kind: (c) => ({
    text: `${c.step} lists “no response” as an answer; it is the time-out branch.`,
    fix: 'Remove it from the answers: the time-out branch is always there.',
  }),
  escalation_without_sla: (c) => ({
    text: `${c.step} escalates, but has no time limit to escalate after.`,
    fix: 'Set an SLA, or remove the escalation chain.',
  }),
  choice_without_options: (c) => ({ text: `A choice field of ${c.step} has no options.`, fix: 'Add the options people can pick, or make it a text field.' }),
  ladder_not_ascending: (c) => ({
    text: `An offer tier of ${c.step} gives less than an earlier one.`,
    fix: 'Order the tiers from the smallest offer to the largest.',
  }),
  duplicate_arm: (c) => ({ text: `${c.step} has two arms with the same key.`, fix: 'Give each arm its own key (“holdout” is taken).' }),
  duplicate_handle: (c) => ({
    text: `Two rules of ${c.step} lead out through the same branch.`,
    fix: 'Give each rule its own branch name (“default” is taken).',
  }),
  variable_missing: (c) => ({ text: plain(c, c.problems[0]), fix: 'Give the run this value when it starts.' }),
  variable_type: (c) => ({ text: plain(c, c.problems[0]), fix: 'Give the value in the type the Start step declares.' }),
  variable_value: (c) => ({ text: plain(c, c.problems[0]), fix: 'Use one of the listed values.' }),
  variable_range: (c) => ({ text: plain(c, c.problems[0]), fix: 'Use a value inside the range the Start step declares.' }),
  values_need_text: (c) => ({ text: `A start value of ${c.step} has a list of values but is not text.`, fix: 'Make it a text value, or remove the list.' }),
  duplicate_value: (c) => ({ text: `A start value of ${c.step} lists a value twice.`, fix: 'Remove the repeated value.' }),
  range_needs_number: (c) => ({ text: `A start value of ${c.step} has a range but is not a number.`, fix: 'Make it a number, or remove the range.' }),
  empty_range: (c) => ({ text: `A start value of ${c.step} has its smallest value above its largest.`, fix: 'Swap the smallest and largest values.' }),
  trigger_key_missing: (c) => ({
    text: `${c.step} starts on an event but does not say which.`,
    fix: 'Enter the event’s trigger key (for example customer.pre_churn).',
  }),
  operand_type: (c) => ({
    text: `A condition of ${c.step} compares values of different types: ${c.problems[0].message}.`,
    fix: 'Compare numbers with numbers and text with text.',
  }),
  operand_missing: (c) => ({ text: `A condition of ${c.step} has nothing to compare with.`, fix: 'Enter the value the condition compares with.' }),
  operand_value: (c) => ({
    text: `A condition of ${c.step} can never match: ${c.problems[0].message}.`,
    fix: 'Compare with one of the values that variable can take.',
  }),
  custom: (c) => ({ text: `${c.step}: ${plain(c, c.problems[0])}.`, fix: fieldFix }),
};

/** zod's codes (`invalid_type`, `invalid_value`, `too_small`…) all mean a setting that is missing or wrong. */
function fieldSentence(c: Context): ProblemSentence {
  const fields = [...new Set(c.problems.map((p) => fieldName(p.path)).filter(Boolean))];
  return {
    text: fields.length
      ? `${c.step}: ${list(fields)} ${fields.length === 1 ? 'is' : 'are'} missing or not valid.`
      : `A setting of ${c.step} is missing or not valid.`,
    fix: fieldFix,
  };
}

/** The setting a config path is in ("outcomes", "assignee", "title"), in words. */
function fieldName(path: readonly (string | number)[]): string {
  const i = path.indexOf('config');
  const rest = i >= 0 ? path.slice(i + 1) : [];
  const named = rest.find((s): s is string => typeof s === 'string');
  return named ? named.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : '';
}

function fallback(c: Context): ProblemSentence {
  return {
    text: `${c.node ? `${c.step}: ` : ''}${plain(c, c.problems[0])}.`.replace(/\.\.$/, '.'),
    fix: c.node ? fieldFix : 'Check the playbook’s steps and connections.',
  };
}

/** One code's sentence for one step's problems of that code. */
export function describe(code: string, problems: Problem[], graph: PlaybookGraph, nodeId: string | null): ProblemSentence {
  const node = nodeId ? graph.nodes.find((n) => n.id === nodeId) : undefined;
  const c: Context = { graph, node, step: node ? stepName(node) : (nodeId ?? 'The playbook'), problems };
  const sentence = SENTENCES[code];
  if (sentence) return sentence(c);
  if (code.startsWith('invalid_') || code === 'too_small' || code === 'too_big') return fieldSentence(c);
  return fallback(c);
}

/** Codes this module has its own sentence for (the unit test checks the compiler emits no other). */
export const KNOWN_CODES: ReadonlySet<string> = new Set(Object.keys(SENTENCES));

/**
 * Problems grouped by the step they are about (a connection's problem belongs to the step it leaves),
 * in the order of the steps on the canvas, the playbook's own first; one line per code per step.
 */
export function groupProblems(problems: readonly Problem[], graph: PlaybookGraph): ProblemGroup[] {
  const edgeSource = new Map(graph.edges.map((e) => [e.id, e.source]));
  const byNode = new Map<string | null, Map<string, Problem[]>>();
  for (const p of problems) {
    const nodeId = p.nodeId ?? (p.edgeId ? (edgeSource.get(p.edgeId) ?? null) : null);
    const codes = byNode.get(nodeId) ?? new Map<string, Problem[]>();
    byNode.set(nodeId, codes);
    codes.set(p.code, [...(codes.get(p.code) ?? []), p]);
  }
  const order = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const ids = [...byNode.keys()].sort((a, b) => (a === null ? -1 : b === null ? 1 : (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9)));
  return ids.map((nodeId) => {
    const node = nodeId ? graph.nodes.find((n) => n.id === nodeId) : undefined;
    const lines = [...byNode.get(nodeId)!].map(([code, list]) => ({
      code,
      problems: list,
      ...(list[0].edgeId ? { edgeId: list[0].edgeId } : {}),
      ...describe(code, list, graph, node ? nodeId : null),
    }));
    return { nodeId: node ? nodeId : null, title: node ? stepName(node) : 'This playbook', kind: node?.kind ?? null, lines };
  });
}
