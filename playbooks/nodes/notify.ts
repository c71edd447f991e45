import { z } from 'zod';
import { findMessageTemplate } from '../messages';
import type { Problem } from '../problems';
import { ChannelSchema, joinParts, str } from './helpers';
import { notifyStep } from './runtime/notify';
import { defineNode } from './types';
import { orFromVariable, valueReads } from './valueSource';

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
  ...notifyStep,
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
});
