import { z } from 'zod';
import type { AnswerLink, Command, OpenAnswer } from '../runtime/types';
import {
  cancelTimer,
  ChannelSchema,
  closeCompletedTask,
  customerDepartment,
  Duration,
  headOfCustomerDepartment,
  joinParts,
  ms,
  openTask,
  REMINDER_PROVIDES,
  sendToCustomer,
  startTimer,
  taskResults,
} from './helpers';
import { defineNode, type StepApi } from './types';

/** Timers need exact lengths: a contract month counts as 30 days. */
const MONTH_MS = 30 * 86_400_000;

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

/**
 * The next check-in, unless the term ends first or at the same moment: a check-in then would open
 * a task for an agreement that is just ending. Plans before revision 2 still schedule it, and their
 * runs replay as recorded.
 */
function scheduleCheckIn(step: StepApi, config: CommitmentConfig): void {
  const every = ms(config.checkInEvery);
  const termEndsAt = step.state.timers[String(step.data.termKey)]?.firesAt;
  if (step.planRevision >= 2 && termEndsAt !== undefined && step.now + every >= termEndsAt) {
    delete step.data.checkInKey;
    return;
  }
  step.data.checkInKey = startTimer(step, every, 'check_in');
}

type AgreementStatus = Extract<Command, { type: 'record_agreement' }>['status'];

function record(step: StepApi, config: CommitmentConfig, status: AgreementStatus): void {
  step.emit({
    type: 'record_agreement',
    agreementKey: String(step.data.agreementKey),
    nodeId: step.nodeId,
    termMonths: config.termMonths,
    discountPercent: config.discountPercent,
    obligations: config.obligations,
    breachTerms: config.breachTerms,
    status,
  });
}

function send(step: StepApi, config: CommitmentConfig): void {
  const timeoutMs = ms(config.signatureTimeout);
  const text = `a ${config.termMonths}-month agreement with ${config.discountPercent}% off${config.obligations.firm.length ? `; we commit to: ${config.obligations.firm.join('; ')}` : ''}`;
  const awaiting: OpenAnswer = { purpose: 'commitment', ref: String(step.data.agreementKey), nodeId: step.nodeId, stepId: step.stepId, tier: null, text };
  const link: AnswerLink = {
    purpose: 'commitment',
    ref: awaiting.ref,
    expiresAt: step.now + timeoutMs,
    nodeId: step.nodeId,
    stepId: step.stepId,
    tier: null,
    text,
  };
  sendToCustomer(
    step,
    config.channel,
    'commitment_offer',
    { term_months: config.termMonths, discount: `${config.discountPercent}%`, obligations: config.obligations.firm.join('; ') },
    link,
  );
  step.data.phase = 'awaiting_signature';
  step.data.awaiting = awaiting;
  step.data.timeoutKey = startTimer(step, timeoutMs, 'signature_timeout');
  step.data.reminderKeys = config.reminders.map((r) => startTimer(step, ms(r), 'reminder'));
}

function closeWaiting(step: StepApi): void {
  // Signed, declined or timed out: the agreement's link answers nothing from here on.
  delete step.data.awaiting;
  cancelTimer(step, step.data.timeoutKey);
  for (const key of (step.data.reminderKeys as string[] | undefined) ?? []) cancelTimer(step, key);
}

export const commitmentNode = defineNode<CommitmentConfig>({
  kind: 'commitment',
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
  enter(step, config) {
    step.data.agreementKey = step.nextKey('agreement');
    record(step, config, 'proposed');
    if (!config.approval) return send(step, config);
    step.data.phase = 'approval';
    step.data.approvalTaskKey = openTask(step, {
      title: `Approve agreement terms: ${config.termMonths} months, ${config.discountPercent}% off`,
      instructions: `Firm commits to: ${config.obligations.firm.join('; ') || '—'}. Customer commits to: ${config.obligations.customer.join('; ') || '—'}. Breach: ${config.breachTerms}`,
      assignee: headOfCustomerDepartment(step),
      outcomes: [
        { key: 'approved', label: 'Approve' },
        { key: 'rejected', label: 'Reject' },
      ],
      form: [{ key: 'approval_note', label: 'Why', type: 'textarea', required: false }],
      dueAt: null,
      priority: 'high',
    });
  },
  on(step, config, event) {
    if (event.type === 'task_completed') {
      if (!step.state.tasks[event.taskKey]) return;
      closeCompletedTask(step, event);
      if (event.taskKey === step.data.approvalTaskKey) {
        if (event.outcome === 'approved') return send(step, config);
        return step.go('not_approved');
      }
      if (event.outcome === 'breach') {
        cancelTimer(step, step.data.termKey);
        cancelTimer(step, step.data.checkInKey);
        record(step, config, 'breached');
        return step.go('breached');
      }
      return;
    }
    if (event.type === 'customer_responded' && event.answers && event.answers.ref !== step.data.agreementKey) return;
    if (event.type === 'customer_responded' && step.data.phase === 'awaiting_signature') {
      if (event.kind === 'signed' || event.kind === 'accepted') {
        closeWaiting(step);
        record(step, config, 'signed');
        step.data.phase = 'in_term';
        step.data.termKey = startTimer(step, config.termMonths * MONTH_MS, 'term_end');
        scheduleCheckIn(step, config);
        step.state.vars = { ...step.state.vars, agreement_signed: true };
      } else if (event.kind === 'declined') {
        closeWaiting(step);
        record(step, config, 'declined');
        step.go('declined');
      }
      return;
    }
    if (event.type !== 'timer_fired') return;
    if (event.timerKey === step.data.timeoutKey) {
      closeWaiting(step);
      record(step, config, 'expired');
      return step.go('no_response');
    }
    if (event.timerKey === step.data.termKey) {
      cancelTimer(step, step.data.checkInKey);
      record(step, config, 'fulfilled');
      return step.go('fulfilled');
    }
    if (event.timerKey === step.data.checkInKey) {
      const manager = step.state.vars.account_manager;
      openTask(step, {
        title: 'Agreement check-in',
        instructions: `Check how the ${config.termMonths}-month agreement is going, for both sides. Breach terms: ${config.breachTerms}`,
        assignee: { role: 'rep', department: customerDepartment(step), userId: typeof manager === 'string' ? manager : null },
        outcomes: [
          { key: 'on_track', label: 'On track' },
          { key: 'breach', label: 'Breach' },
        ],
        form: [{ key: 'check_in_notes', label: 'Notes', type: 'textarea', required: false }],
        dueAt: null,
        priority: 'normal',
      });
      scheduleCheckIn(step, config);
      return;
    }
    const reminder = ((step.data.reminderKeys as string[] | undefined) ?? []).includes(event.timerKey);
    if (reminder) sendToCustomer(step, config.channel, 'reminder', { reminder_text: 'your agreement is waiting for your signature' });
  },
});
