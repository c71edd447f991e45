import { z } from 'zod';
import { findMessageTemplate } from '../messages';
import type { Problem } from '../problems';
import type { Command } from '../runtime/types';
import { ChannelSchema, customerDepartment, joinParts, str } from './helpers';
import { defineNode, type StepApi } from './types';
import { orFromVariable, resolveValue, valueReads } from './valueSource';

export const NotifyConfig = z.object({
  channel: ChannelSchema,
  /** `customer`, a role (in the customer's department), or the customer's account manager. */
  to: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('customer') }),
      z.object({ kind: z.literal('role'), role: z.string().min(1) }),
      z.object({ kind: z.literal('account_manager') }),
      z.object({
        kind: z.literal('user'),
        userId: orFromVariable(z.string().min(1).max(64)).describe(
          'A named person (their user id), or the run variable that holds one, e.g. a task’s completedBy.',
        ),
        fallbackRole: z.string().min(1).max(64).default('rep').meta({ title: 'Fallback role', description: 'Who gets it when the variable names nobody.' }),
      }),
    ])
    .meta({ title: 'Recipient' }),
  template: z.string().min(1),
  /** Extra template variables; values may name run variables as {{var}}. */
  vars: z.record(z.string(), z.string()).default({}).meta({ title: 'Template values', description: 'Values may name run variables as {{var}}.' }),
});
export type NotifyConfig = z.infer<typeof NotifyConfig>;

export const notifyNode = defineNode<NotifyConfig>({
  kind: 'notify',
  label: 'Send message',
  description: 'Send the customer or staff a message (email, SMS, messaging, phone reminder) from a template.',
  icon: '✉',
  palette: { group: 'Customer', order: 2, color: '#7c3aed' },
  starter: { channel: 'email', to: { kind: 'customer' }, template: 'reminder', vars: {} },
  summary: (c) => joinParts(str(c.template), str(c.channel)),
  messages: (config, path) => [{ template: String(config.template), stepVars: config.vars ?? {}, provided: [], path: [...path, 'template'] }],
  config: NotifyConfig,
  handles: () => ['next'],
  waits: false,
  check(config, ctx) {
    const problems: Problem[] = [];
    if (!findMessageTemplate(config.template))
      problems.push({
        code: 'unknown_template',
        message: `message template "${config.template}" does not exist`,
        path: [...ctx.path, 'template'],
        nodeId: ctx.nodeId,
      });
    if (config.to.kind === 'user' && !ctx.directory.roles.includes(config.to.fallbackRole))
      problems.push({
        code: 'unknown_role',
        message: `role "${config.to.fallbackRole}" does not exist`,
        path: [...ctx.path, 'to', 'fallbackRole'],
        nodeId: ctx.nodeId,
      });
    if (config.to.kind === 'role' && !ctx.directory.roles.includes(config.to.role))
      problems.push({ code: 'unknown_role', message: `role "${config.to.role}" does not exist`, path: [...ctx.path, 'to', 'role'], nodeId: ctx.nodeId });
    return problems;
  },
  reads: (config, path) => (config.to.kind === 'user' ? valueReads(config.to.userId, [...path, 'to', 'userId']) : []),
  enter(step, config) {
    const recipient = recipientOf(step, config.to);
    step.emit({
      type: 'send_message',
      messageKey: step.nextKey('msg'),
      channel: config.channel,
      recipient,
      template: config.template,
      vars: config.vars,
      link: null,
    });
    step.go('next');
  },
});

type Recipient = Extract<Command, { type: 'send_message' }>['recipient'];

function recipientOf(step: StepApi, to: NotifyConfig['to']): Recipient {
  const toPerson = (named: unknown, fallbackRole: string): Recipient =>
    typeof named === 'string' && named ? { kind: 'user', userId: named } : { kind: 'role', role: fallbackRole, department: customerDepartment(step) };
  switch (to.kind) {
    case 'customer':
      return { kind: 'customer' };
    case 'role':
      return { kind: 'role', role: to.role, department: customerDepartment(step) };
    case 'account_manager': {
      // As before revision 4: any text names the manager (kept so older runs send to the same place).
      const manager = step.state.vars.account_manager;
      return typeof manager === 'string' ? { kind: 'user', userId: manager } : { kind: 'role', role: 'rep', department: customerDepartment(step) };
    }
    case 'user':
      return toPerson(resolveValue(step, to.userId), to.fallbackRole);
  }
}
