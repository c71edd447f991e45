import { z } from 'zod';
import { ChannelSchema, Duration, joinParts, ms, REMINDER_PROVIDES, taskResults } from './helpers';
import { commitmentStep, MONTH_MS } from './runtime/commitment';
import { defineNode } from './types';

export const CommitmentConfig = z.object({
  termMonths: z.number().int().min(1).max(60).meta({ title: 'Term (months)' }),
  discountPercent: z.number().min(0).max(50).meta({ title: 'Discount (%)' }),
  obligations: z.object({ firm: z.array(z.string().min(1)).default([]), customer: z.array(z.string().min(1)).default([]) }),
  breachTerms: z.string().min(1).max(2000),
  /** The head approves the terms before they go out. */
  approval: z.boolean().default(true),
  signatureTimeout: Duration.default('P14D').meta({ title: 'Time to sign' }),
  reminders: z.array(Duration).default([]),
  checkInEvery: Duration.default('P30D').meta({ title: 'Check in every' }),
  channel: ChannelSchema.default('email'),
});
export type CommitmentConfig = z.infer<typeof CommitmentConfig>;

export const commitmentNode = defineNode<CommitmentConfig>({
  ...commitmentStep,
  label: 'Long-term agreement',
  description: 'Offer a longer agreement with obligations on both sides; the customer signs or not; check in over the term.',
  icon: '🤝',
  palette: { group: 'Customer', order: 4, color: '#059669' },
  starter: {
    termMonths: 12,
    discountPercent: 5,
    obligations: { firm: ['Priority service'], customer: ['Service at least twice a year'] },
    breachTerms: 'Either side may end the agreement with 30 days notice; the discount is repaid on a breach.',
    approval: true,
    signatureTimeout: 'P14D',
    reminders: [],
    checkInEvery: 'P30D',
    channel: 'email',
  },
  summary: (c) =>
    joinParts(
      typeof c.termMonths === 'number' ? `${c.termMonths} months` : undefined,
      typeof c.discountPercent === 'number' ? `${c.discountPercent}% off` : undefined,
    ),
  // Its approval and check-in tasks ask for notes.
  writes: (_c, node) => [{ name: 'approval_note' }, { name: 'check_in_notes' }, ...taskResults(node)],
  sets: (_config, _nodeId, handle) => (handle === 'fulfilled' || handle === 'breached' ? ['agreement_signed'] : []),
  messages: (config, path) => [
    { template: 'commitment_offer', stepVars: {}, provided: ['term_months', 'discount', 'obligations', 'link'], path },
    ...config.reminders.map((_, i) => ({ template: 'reminder', stepVars: {}, provided: REMINDER_PROVIDES, path: [...path, 'reminders', i] })),
  ],
  answers: (_config, data) => (data.phase === 'awaiting_signature' ? ['signed', 'declined'] : []),
  answerLink: {
    purpose: 'commitment',
    title: (firm) => `Your agreement with ${firm}`,
    answers: [
      { key: 'signed', label: 'Sign the agreement', said: 'you signed' },
      { key: 'declined', label: 'No, thank you', said: 'you declined' },
    ],
  },
  config: CommitmentConfig,
  handles: (config) => ['fulfilled', 'breached', 'declined', 'no_response', ...(config.approval ? ['not_approved'] : [])],
  waits: true,
  maxDurationMs: (config) => ms(config.signatureTimeout) + config.termMonths * MONTH_MS,
  check(config, ctx) {
    // As for wait_response: a reminder at or after the signature timeout is never sent (or races it).
    return config.reminders.flatMap((after, i) =>
      ms(after) >= ms(config.signatureTimeout)
        ? [
            {
              code: 'reminder_after_timeout',
              message: 'a reminder after the signature timeout would never be sent',
              path: [...ctx.path, 'reminders', i],
              nodeId: ctx.nodeId,
            },
          ]
        : [],
    );
  },
});
