import type { AnswerLink, Command, OpenAnswer } from '../../runtime/types';
import type { CommitmentConfig } from '../commitment';
import { cancelTimer, closeCompletedTask, customerDepartment, headOfCustomerDepartment, ms, openTask, sendToCustomer, startTimer } from './helpers';
import { defineStep, type StepApi } from './types';

/** Timers need exact lengths: a contract month counts as 30 days. */
export const MONTH_MS = 30 * 86_400_000;

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

/** A long-term agreement: approved, sent, signed or not, then checked in on over its term. */
export const commitmentStep = defineStep<CommitmentConfig>({
  kind: 'commitment',
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
