import express, { type Router } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { NODE_KINDS, type AnswerLinkPage } from '../../playbooks/nodes';
import type { AnswerStatus } from '../../playbooks/runtime/types';
import { ANSWER_NOT_OPEN, answerStatusQuery, customerAnswerUpdate, type CustomerAnswerRequest } from '../../workflows/contract';
import { recordAudit } from '../../platform/db/audit';
import { inTransaction } from '../../platform/db/pool';
import type { Deps } from '../deps';
import { escapeHtml } from '../html';
import { hashLinkToken, verifyLinkToken, type LinkPayload } from '../../platform/links';

/** Each link purpose's page, from the node kind whose messages carry such links. */
const PAGES = new Map<string, AnswerLinkPage>(NODE_KINDS.flatMap((k) => (k.answerLink ? [[k.answerLink.purpose, k.answerLink] as const] : [])));
function pageOf(purpose: string): AnswerLinkPage {
  const found = PAGES.get(purpose);
  if (!found) throw new Error(`no node kind answers links for "${purpose}"`);
  return found;
}

/**
 * The link's row with what it is bound to. Links issued before the binding (migration 8) have no
 * first run, node or words of their own: the attempt's first run and the offer or agreement named by
 * `ref` stand in for them.
 */
const LinkRow = z.object({
  attempt_id: z.string(),
  workflow_id: z.string(),
  purpose: z.enum(['offer', 'commitment']),
  ref: z.string(),
  expires_at: z.date(),
  used_at: z.date().nullable(),
  answer: z.string().nullable(),
  first_run_id: z.string().nullable(),
  node_id: z.string().nullable(),
  tier: z.number().int().nullable(),
  offer_text: z.string().nullable(),
  attempt_status: z.string(),
});
type LinkRow = z.infer<typeof LinkRow>;

const LINK_QUERY = `
  SELECT l.attempt_id, l.workflow_id, l.purpose, l.ref, l.expires_at, l.used_at, l.answer, l.node_id,
         COALESCE(l.first_run_id, a.first_run_id) AS first_run_id,
         COALESCE(l.tier, o.tier) AS tier,
         COALESCE(l.offer_text, o.incentive->>'description',
                  CASE WHEN g.agreement_key IS NOT NULL THEN 'a ' || g.term_months || '-month agreement with ' || g.discount_percent || '% off' END) AS offer_text,
         a.status AS attempt_status
    FROM answer_links l
    JOIN recovery_attempts a ON a.id = l.attempt_id
    LEFT JOIN offers o ON l.purpose = 'offer' AND o.attempt_id = l.attempt_id AND o.offer_key = l.ref
    LEFT JOIN agreements g ON l.purpose = 'commitment' AND g.attempt_id = l.attempt_id AND g.agreement_key = l.ref
   WHERE l.token_hash = $1`;

const INVALID = 'This link is not valid. Please use the link from your message, or contact us.';

/** Refused by the run: not open any more (replaced or closed); the claim on the link is rolled back. */
class AnswerNotOpen extends Error {
  constructor(public readonly status: Exclude<AnswerStatus, { open: true }>) {
    super(`answer not open: ${status.reason}`);
  }
}

function refusalOf(err: unknown): Exclude<AnswerStatus, { open: true }> | null {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === ANSWER_NOT_OPEN) {
    const status = err.cause.details?.[0] as AnswerStatus | undefined;
    return status && !status.open ? status : { open: false, reason: 'closed' };
  }
  // The run ended, or the workflow id now belongs to another attempt (its first run id differs).
  if (err instanceof WorkflowNotFoundError) return { open: false, reason: 'closed' };
  if (
    err instanceof Error &&
    /already completed|workflow execution.*(completed|closed)/i.test(`${err.message} ${String((err as { cause?: Error }).cause?.message ?? '')}`)
  ) {
    return { open: false, reason: 'closed' };
  }
  return null;
}

/**
 * The pages a customer reaches from a signed one-time link in an offer or agreement message. The
 * link is the credential, and it answers exactly the attempt, step and tier it was sent for:
 * forged, expired, used or stale links get a clear page and change nothing; stale clicks are audited.
 */
export function answerLinkRoutes({ pool, temporal, config, log }: Deps): Router {
  const router = express.Router();
  router.use('/r', express.urlencoded({ extended: false, limit: '4kb' }));
  const firm = config.FIRM_NAME;

  function page(title: string, body: string): string {
    return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(`${title} · ${firm}`)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1f2937}h1{font-size:1.4rem}.firm{color:#475569;font-weight:600;letter-spacing:.02em}.offer{font-size:1.15rem}
button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.6rem;border-radius:6px;border:1px solid #94a3b8;cursor:pointer}.yes{background:#166534;color:#fff;border-color:#166534}</style>
</head><body><p class="firm">${escapeHtml(firm)}</p><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  }
  const gone = (text: string) => page('Link not usable', `<p>${escapeHtml(text)}</p>`);
  const notOpenPage = (status: Exclude<AnswerStatus, { open: true }>) =>
    status.reason === 'replaced'
      ? page(
          'This offer has been replaced',
          `<p>This offer has been replaced by <strong>${escapeHtml(status.current.text)}</strong>.</p><p>Please use the link in our latest message to answer it, or contact us.</p>`,
        )
      : page('This request is closed', `<p>This request is closed. Nothing has been changed. Please contact ${escapeHtml(firm)} if you have a question.</p>`);

  async function load(token: string): Promise<{ error: string } | { payload: LinkPayload; link: LinkRow }> {
    const payload = verifyLinkToken(config.LINK_SECRET, token);
    if (!payload) return { error: INVALID };
    const { rows } = await pool.query(LINK_QUERY, [hashLinkToken(token)]);
    const parsed = LinkRow.safeParse(rows[0]);
    if (!parsed.success || parsed.data.attempt_id !== payload.a || parsed.data.ref !== payload.r) return { error: INVALID };
    const link = parsed.data;
    if (link.used_at) return { error: `You already answered (${link.answer}) on ${link.used_at.toISOString().slice(0, 10)}. Thank you.` };
    if (link.expires_at.getTime() < Date.now() || payload.e < Date.now())
      return { error: 'This offer has expired. Please contact us if you are still interested.' };
    return { payload, link };
  }

  const target = (link: LinkRow) => ({ purpose: link.purpose, ref: link.ref, nodeId: link.node_id });

  async function auditStale(link: LinkRow, answer: string, reason: string, current: AnswerStatus | null): Promise<void> {
    await recordAudit(pool, {
      actorId: null,
      action: 'stale_answer_link',
      attemptId: link.attempt_id,
      subject: link.ref,
      details: {
        answer,
        reason,
        purpose: link.purpose,
        nodeId: link.node_id,
        tier: link.tier,
        ...(current && !current.open && current.reason === 'replaced'
          ? { current: { ref: current.current.ref, tier: current.current.tier, text: current.current.text } }
          : {}),
      },
    });
    log.info({ attemptId: link.attempt_id, ref: link.ref, reason }, 'stale answer link');
  }

  router.get('/r/:token', async (req, res, next) => {
    try {
      const result = await load(req.params.token);
      if ('error' in result) return void res.status(410).type('html').send(gone(result.error));
      const { link } = result;
      if (link.attempt_status !== 'running')
        return void res
          .status(410)
          .type('html')
          .send(notOpenPage({ open: false, reason: 'closed' }));
      try {
        const status = await temporal.workflow.getHandle(link.workflow_id).query(answerStatusQuery, { attemptId: link.attempt_id, answers: target(link) });
        if (!status.open) return void res.status(410).type('html').send(notOpenPage(status));
      } catch (err) {
        const refused = refusalOf(err);
        if (refused) return void res.status(410).type('html').send(notOpenPage(refused));
        // Workers busy or down: the page still shows; the answer itself is checked by the run.
        log.warn({ err: String(err) }, 'answer link status unavailable');
      }
      const linkPage = pageOf(link.purpose);
      const buttons = linkPage.answers
        .map((a, i) => `<button name="answer" value="${a.key}" class="${i === 0 ? 'yes' : ''}">${escapeHtml(a.label)}</button>`)
        .join('');
      const what = link.offer_text ? `<p class="offer">${escapeHtml(link.offer_text)}</p>` : '';
      const until = `<p>Valid until ${escapeHtml(link.expires_at.toISOString().slice(0, 10))}.</p>`;
      res.type('html').send(page(linkPage.title(firm), `${what}${until}<form method="post">${buttons}</form>`));
    } catch (err) {
      next(err);
    }
  });

  router.post('/r/:token', async (req, res, next) => {
    try {
      const token = req.params.token;
      const result = await load(token);
      if ('error' in result) return void res.status(410).type('html').send(gone(result.error));
      const { link } = result;
      const answer = String(req.body?.answer ?? '');
      const said = pageOf(link.purpose).answers.find((a) => a.key === answer)?.said;
      if (said === undefined) return void res.status(400).type('html').send(page('Please choose an answer', '<p>Go back and press one of the buttons.</p>'));
      if (link.attempt_status !== 'running') {
        await auditStale(link, answer, 'attempt_ended', null);
        return void res
          .status(410)
          .type('html')
          .send(notOpenPage({ open: false, reason: 'closed' }));
      }
      const responseId = `link:${hashLinkToken(token)}`;
      const request: CustomerAnswerRequest = {
        responseId,
        attemptId: link.attempt_id,
        answers: target(link),
        kind: answer,
        channel: 'link',
        note: null,
        actor: null,
      };
      // The first run id pins the Update to this attempt's chain of runs: a later attempt reusing the
      // workflow id is another chain, and Temporal answers "not found" instead of delivering it there.
      const handle = temporal.workflow.getHandle(link.workflow_id, undefined, link.first_run_id ? { firstExecutionRunId: link.first_run_id } : undefined);
      let claimed: boolean;
      try {
        claimed = await inTransaction(pool, async (client) => {
          // Single use: only the first answer claims the link; the run applies it before we commit.
          const claim = await client.query(
            'UPDATE answer_links SET used_at = now(), answer = $2 WHERE token_hash = $1 AND used_at IS NULL RETURNING token_hash',
            [hashLinkToken(token), answer],
          );
          if (!claim.rows[0]) return false;
          try {
            await handle.executeUpdate(customerAnswerUpdate, { args: [request], updateId: responseId });
          } catch (err) {
            const refused = refusalOf(err);
            throw refused ? new AnswerNotOpen(refused) : err;
          }
          await recordAudit(client, {
            actorId: null,
            action: 'customer_answered_by_link',
            attemptId: link.attempt_id,
            subject: link.ref,
            details: { answer, purpose: link.purpose, nodeId: link.node_id, tier: link.tier },
          });
          return true;
        });
      } catch (err) {
        if (!(err instanceof AnswerNotOpen)) {
          // Temporal or the workers unreachable: the claim rolled back, and a retry (same Update id)
          // applies at most once, so the customer may simply try again.
          log.warn({ err: String(err), attemptId: link.attempt_id }, 'answer link could not be delivered');
          return void res
            .status(503)
            .set('Retry-After', '60')
            .type('html')
            .send(
              page('Please try again', '<p>We could not record your answer just now. Nothing was lost: please use the same link again in a few minutes.</p>'),
            );
        }
        // Nothing changed in the run and the link stays unused; the click itself is on record.
        await auditStale(link, answer, err.status.reason, err.status);
        return void res.status(410).type('html').send(notOpenPage(err.status));
      }
      if (!claimed) return void res.status(410).type('html').send(gone('You already answered. Thank you.'));
      log.info({ answer, purpose: link.purpose }, 'customer answered by link');
      const what = link.offer_text ? ` to <strong>${escapeHtml(link.offer_text)}</strong>` : '';
      res.type('html').send(page('Thank you', `<p>Your answer has been recorded: ${escapeHtml(said)}${what} (${escapeHtml(answer)}).</p>`));
    } catch (err) {
      next(err);
    }
  });
  return router;
}
