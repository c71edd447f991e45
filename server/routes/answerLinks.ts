import express, { type Router } from 'express';
import { WorkflowNotFoundError } from '@temporalio/client';
import { customerResponseSignal } from '../../workflows/contract';
import { recordAudit } from '../db/audit';
import { inTransaction } from '../db/pool';
import type { Deps } from '../deps';
import { escapeHtml } from '../html';
import { hashLinkToken, verifyLinkToken } from '../links';


function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1f2937}h1{font-size:1.4rem}
button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.6rem;border-radius:6px;border:1px solid #94a3b8;cursor:pointer}.yes{background:#166534;color:#fff;border-color:#166534}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

const ANSWERS = { offer: ['accepted', 'declined'], commitment: ['signed', 'declined'] } as const;
const LABELS: Record<string, string> = { accepted: 'Accept the offer', declined: 'No, thank you', signed: 'Sign the agreement' };

/**
 * The pages a customer reaches from a signed one-time link in an offer or agreement message. The
 * link is the credential: forged, expired or already used links get a clear page and change nothing.
 */
export function answerLinkRoutes({ pool, temporal, config, log }: Deps): Router {
  const router = express.Router();
  router.use('/r', express.urlencoded({ extended: false, limit: '4kb' }));

  async function check(token: string) {
    const payload = verifyLinkToken(config.LINK_SECRET, token);
    if (!payload) return { error: 'This link is not valid. Please use the link from your message, or contact us.' } as const;
    const { rows } = await pool.query('SELECT used_at, answer, expires_at FROM answer_links WHERE token_hash = $1', [hashLinkToken(token)]);
    const link = rows[0];
    if (!link) return { error: 'This link is not valid. Please use the link from your message, or contact us.' } as const;
    if (link.used_at) return { error: `You already answered (${link.answer}) on ${new Date(link.used_at).toISOString().slice(0, 10)}. Thank you.` } as const;
    if (new Date(link.expires_at).getTime() < Date.now() || payload.e < Date.now()) return { error: 'This offer has expired. Please contact us if you are still interested.' } as const;
    return { payload } as const;
  }

  router.get('/r/:token', async (req, res, next) => {
    try {
      const result = await check(req.params.token);
      if ('error' in result) return void res.status(410).type('html').send(page('Link not usable', `<p>${escapeHtml(result.error!)}</p>`));
      const answers = ANSWERS[result.payload.p];
      const buttons = answers.map((a, i) => `<button name="answer" value="${a}" class="${i === 0 ? 'yes' : ''}">${escapeHtml(LABELS[a])}</button>`).join('');
      res.type('html').send(page(result.payload.p === 'offer' ? 'Your offer' : 'Your agreement', `<p>Please choose:</p><form method="post">${buttons}</form>`));
    } catch (err) {
      next(err);
    }
  });

  router.post('/r/:token', async (req, res, next) => {
    try {
      const token = req.params.token;
      const result = await check(token);
      if ('error' in result) return void res.status(410).type('html').send(page('Link not usable', `<p>${escapeHtml(result.error!)}</p>`));
      const answer = String(req.body?.answer ?? '');
      if (!(ANSWERS[result.payload.p] as readonly string[]).includes(answer)) return void res.status(400).type('html').send(page('Please choose an answer', '<p>Go back and press one of the buttons.</p>'));
      let claimed: boolean;
      try {
        claimed = await inTransaction(pool, async (client) => {
          // Single use: only the first answer claims the link; the signal is sent before we commit.
          const link = await client.query('UPDATE answer_links SET used_at = now(), answer = $2 WHERE token_hash = $1 AND used_at IS NULL RETURNING workflow_id, attempt_id', [hashLinkToken(token), answer]);
          if (!link.rows[0]) return false;
          await temporal.workflow.getHandle(link.rows[0].workflow_id).signal(customerResponseSignal, { responseId: `link:${hashLinkToken(token)}`, kind: answer, channel: 'link', note: null, actor: null });
          await recordAudit(client, { actorId: null, action: 'customer_answered_by_link', attemptId: link.rows[0].attempt_id, subject: result.payload.r, details: { answer, purpose: result.payload.p } });
          return true;
        });
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return void res.status(410).type('html').send(page('Link not usable', '<p>This case is already closed. Please contact us.</p>'));
        throw err;
      }
      if (!claimed) return void res.status(410).type('html').send(page('Link not usable', '<p>You already answered. Thank you.</p>'));
      log.info({ answer, purpose: result.payload.p }, 'customer answered by link');
      res.type('html').send(page('Thank you', `<p>Your answer has been recorded: <strong>${escapeHtml(answer)}</strong>.</p>`));
    } catch (err) {
      next(err);
    }
  });
  return router;
}
