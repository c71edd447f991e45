import { z } from 'zod';
import { findMessageTemplate } from '../messages';
import type { Problem } from '../problems';
import { ChannelSchema, count, Duration, joinParts, ms, readableDuration, REMINDER_PROVIDES } from './helpers';
import { waitResponseStep } from './runtime/waitResponse';
import { defineNode } from './types';

export const RESPONSE_KINDS = ['accepted', 'declined', 'complaint', 'callback_requested', 'satisfied', 'unsatisfied', 'signed'] as const;

export const WaitResponseConfig = z.object({
  /** The answers this step waits for; each is its own outgoing handle. */
  kinds: z
    .array(z.string().regex(/^[a-z_]+$/))
    .min(1)
    .meta({ title: 'Answers to wait for', description: 'Each answer is its own outgoing connection, plus "no response" after the timeout.' }),
  /** How long to wait before leaving through `no_response`. */
  timeout: Duration.describe('How long to wait before leaving through "no response".'),
  /** Reminders sent to the customer while waiting, at offsets from entering (e.g. P3D, P10D). */
  reminders: z.array(z.object({ after: Duration, template: z.string().default('reminder'), channel: ChannelSchema.default('sms') })).default([]),
  reminderText: z.string().max(500).default('we are still waiting for your answer'),
});
export type WaitResponseConfig = z.infer<typeof WaitResponseConfig>;

export const waitResponseNode = defineNode<WaitResponseConfig>({
  ...waitResponseStep,
  label: 'Wait for answer',
  description: "Wait for the customer's answer, with reminders, and a no-response path after a timeout.",
  icon: '⌛',
  palette: { group: 'Customer', order: 1, color: '#0891b2' },
  starter: { kinds: ['accepted', 'declined'], timeout: 'P7D', reminders: [], reminderText: 'we are still waiting for your answer' },
  summary: (c) => joinParts(readableDuration(c.timeout) && `up to ${readableDuration(c.timeout)}`, count(c.reminders, 'reminder')),
  sets: (_config, _nodeId, handle) => (handle === 'no_response' ? [] : ['last_response', `responses.${handle}`]),
  messages: (config, path) =>
    config.reminders.map((r, i) => ({ template: r.template, stepVars: {}, provided: REMINDER_PROVIDES, path: [...path, 'reminders', i, 'template'] })),
  answers: (config) => config.kinds,
  config: WaitResponseConfig,
  handles: (config) => [...config.kinds, 'no_response'],
  waits: true,
  maxDurationMs: (config) => ms(config.timeout),
  check(config, ctx) {
    const problems: Problem[] = [];
    if (new Set(config.kinds).size !== config.kinds.length)
      problems.push({ code: 'duplicate_kind', message: 'a response kind is listed twice', path: [...ctx.path, 'kinds'], nodeId: ctx.nodeId });
    if (config.kinds.includes('no_response'))
      problems.push({ code: 'reserved_kind', message: '"no_response" is the timeout handle, not an answer', path: [...ctx.path, 'kinds'], nodeId: ctx.nodeId });
    config.reminders.forEach((r, i) => {
      if (!findMessageTemplate(r.template))
        problems.push({
          code: 'unknown_template',
          message: `message template "${r.template}" does not exist`,
          path: [...ctx.path, 'reminders', i, 'template'],
          nodeId: ctx.nodeId,
        });
      if (ms(r.after) >= ms(config.timeout))
        problems.push({
          code: 'reminder_after_timeout',
          message: 'a reminder after the timeout would never be sent',
          path: [...ctx.path, 'reminders', i, 'after'],
          nodeId: ctx.nodeId,
        });
    });
    return problems;
  },
});
