import { setOnEveryPath } from './graphAlgorithms';
import type { AnyNodeKind } from './nodes/types';

/**
 * Message templates a `notify` (or offer, commitment, reminder) step can send. Placeholders are
 * {{name}}; the compiler checks that each template exists. Wording follows the articles: make the
 * customer feel heard, report back quickly, and present a discount as a reward, not bait.
 */
export interface MessageTemplate {
  key: string;
  label: string;
  subject: string;
  body: string;
}

export const MESSAGE_TEMPLATES: readonly MessageTemplate[] = [
  {
    key: 'complaint_ack',
    label: 'Complaint acknowledged',
    subject: 'We heard you',
    body: 'Dear {{customer.name}}, thank you for telling us. {{handler}} is looking into it now and will report back to you shortly.',
  },
  {
    key: 'solution_report',
    label: 'Solution and result reported',
    subject: 'What we did about your complaint',
    body: 'Dear {{customer.name}}, here is what we found and what we did: {{solution}}. Please keep an eye on it and tell us if anything is still not right.',
  },
  { key: 'reminder', label: 'Friendly reminder', subject: 'A reminder from us', body: 'Dear {{customer.name}}, a friendly reminder: {{reminder_text}}' },
  {
    key: 'service_reintroduction',
    label: 'Service re-introduction',
    subject: 'Why regular service matters',
    body: 'Dear {{customer.name}}, regular service keeps you safe and saves money later. Book ahead and we take {{discount}} off.',
  },
  {
    key: 'offer',
    label: 'Offer',
    subject: 'Something for you',
    body: 'Dear {{customer.name}}, as a thank-you for your loyalty: {{offer}}. Valid until {{valid_until}}. Accept or decline here: {{link}}',
  },
  {
    key: 'commitment_offer',
    label: 'Long-term agreement offer',
    subject: 'A longer partnership',
    body: 'Dear {{customer.name}}, we propose a {{term_months}}-month agreement with {{discount}} off and these commitments from us: {{obligations}}. Review and sign here: {{link}}',
  },
  {
    key: 'visit_invite',
    label: 'Head of department visit',
    subject: 'May we visit you?',
    body: 'Dear {{customer.name}}, the head of our department would like to visit you in person to hear how we can do better.',
  },
  {
    key: 'escalation_notice',
    label: 'Escalation to staff',
    subject: 'Escalated: {{customer.name}}',
    body: 'A case has been escalated to you: {{reason}}. Priority: {{priority}}.',
  },
  { key: 'free_text', label: 'Free text', subject: '{{subject}}', body: '{{text}}' },
];

/** Key → template (the first with that key, as a search of the list would find), for the compiler's many look-ups. */
const TEMPLATES_BY_KEY = new Map<string, MessageTemplate>();
for (const t of [...MESSAGE_TEMPLATES].reverse()) TEMPLATES_BY_KEY.set(t.key, t);

export function findMessageTemplate(key: string): MessageTemplate | undefined {
  return TEMPLATES_BY_KEY.get(key);
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

/**
 * Fill {{placeholders}} from variables in one pass; a missing one becomes an empty string, never a
 * crash. Filled-in values are not read again, so a value that itself contains braces stays text.
 */
export function renderTemplate(text: string, vars: Record<string, unknown>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    let value: unknown = vars[name];
    if (value === undefined && name.includes('.')) {
      value = name.split('.').reduce<unknown>((acc, part) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[part] : undefined), vars);
    }
    return value === undefined || value === null ? '' : String(value);
  });
}

/** The names a text's {{placeholders}} read, in order, without repeats. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/**
 * What a message is rendered from: the run's variables (the customer file's fields as customer.*),
 * then the sending step's own variables, whose string values may name run variables as {{var}}
 * (a notify step's `handler: "{{handler}}"`): those are filled from the run first, so the step's
 * value never hides the run's with its own template syntax. `extra` (the answer link) comes last.
 */
export function messageVariables(
  runVars: Record<string, unknown>,
  stepVars: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const filled = Object.fromEntries(Object.entries(stepVars).map(([key, value]) => [key, typeof value === 'string' ? renderTemplate(value, runVars) : value]));
  return { ...runVars, ...filled, ...extra };
}

export interface RenderedMessage {
  subject: string;
  body: string;
}

/** A template (unknown keys fall back to free text) rendered for one send_message. */
export function renderMessage(
  templateKey: string,
  runVars: Record<string, unknown>,
  stepVars: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): RenderedMessage {
  const template = findMessageTemplate(templateKey) ?? findMessageTemplate('free_text')!;
  const vars = messageVariables(runVars, stepVars, extra);
  return { subject: renderTemplate(template.subject, vars), body: renderTemplate(template.body, vars) };
}

/**
 * The run variables a message reads when it is rendered: each placeholder of the template, unless the
 * step supplies it (`provided`: names the step always fills itself, or `stepVars`, whose string values
 * are read in turn). Unknown templates read nothing (the compiler reports them on their own).
 */
export function runVariablesRead(templateKey: string, stepVars: Record<string, unknown>, provided: readonly string[] = []): string[] {
  const template = findMessageTemplate(templateKey);
  if (!template) return [];
  const reads = new Set<string>();
  for (const name of templatePlaceholders(template)) {
    if (provided.includes(name)) continue;
    const own = stepVars[name];
    if (own === undefined) reads.add(name);
    else if (typeof own === 'string') for (const inner of placeholdersOf(own)) reads.add(inner);
  }
  return [...reads];
}

/** A template's placeholders, subject then body: the compiler asks for each message of each step, and templates never change. */
const PLACEHOLDERS_BY_TEMPLATE = new WeakMap<MessageTemplate, string[]>();
function templatePlaceholders(template: MessageTemplate): string[] {
  let names = PLACEHOLDERS_BY_TEMPLATE.get(template);
  if (!names) PLACEHOLDERS_BY_TEMPLATE.set(template, (names = placeholdersOf(`${template.subject} ${template.body}`)));
  return names;
}

/* ---- What a playbook's messages read, and whether every path sets it (the compiler's warning) ---- */

/** A parsed node as the compiler holds it (config null when invalid: such nodes are reported elsewhere). */
export interface FlowNode {
  id: string;
  /** Its kind from the registry (undefined when unknown): it says what the node sends and sets. */
  kind: AnyNodeKind | undefined;
  config: unknown;
  /** JSON path of the node's config in the graph. */
  path: (string | number)[];
}

/**
 * Warnings, pinned to node ids, for each {{placeholder}} a message reads from the run that some path
 * to its node leaves unset (it would render empty). A forward "set on every path" analysis: what is
 * sure at a node is what every edge into it brings; loops only ever shrink it, so it converges.
 */
export function placeholderWarnings(
  nodes: FlowNode[],
  edges: (id: string) => [handle: string, target: string][],
  startId: string,
  alwaysSet: readonly string[],
) {
  // Only the names some message reads matter: tracking just those keeps each node's set small, where
  // tracking every variable set on the way (a <node>.outcome per step) made the walk quadratic.
  const reads = nodes.flatMap((node) =>
    node.config === null
      ? []
      : (node.kind?.messages?.(node.config, node.path) ?? []).map((m) => ({ node, m, names: runVariablesRead(m.template, m.stepVars, m.provided) })),
  );
  const wanted = new Set(reads.flatMap((r) => r.names));
  if (wanted.size === 0) return [];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const initial = new Set(alwaysSet.filter((v) => wanted.has(v)));
  const sure = setOnEveryPath(startId, initial, wanted, (id) => {
    const node = byId.get(id);
    if (!node || node.config === null) return null;
    return { edges: edges(node.id), sets: (handle) => node.kind?.sets?.(node.config, node.id, handle) };
  });
  const warnings: { code: string; message: string; path: (string | number)[]; nodeId: string; severity: 'warning' }[] = [];
  for (const { node, m: message, names } of reads) {
    const here = sure.get(node.id);
    if (!here) continue;
    {
      for (const name of names) {
        if (here.has(name)) continue;
        warnings.push({
          code: 'placeholder_may_be_unset',
          message: `{{${name}}} in message "${message.template}" may be unset when it is sent: on some path to this step nothing sets "${name}", and it would read as empty`,
          path: message.path,
          nodeId: node.id,
          severity: 'warning',
        });
      }
    }
  }
  return warnings;
}
