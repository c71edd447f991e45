import type { Logger } from 'pino';
import type { Pool } from 'pg';
import { inTransaction } from '../platform/db/pool';

export interface OutboundMessage {
  id: string;
  channel: string;
  recipient: unknown;
  subject: string;
  body: string;
  linkUrl: string | null;
}

/** Where messages leave the product: an SMS gateway, a mail server... The id is an idempotency key. */
export interface Transport {
  send(message: OutboundMessage): Promise<void>;
}

/** The embedded default: the outbox row is the record; delivery is a log line. */
export function logTransport(log: Logger): Transport {
  return {
    async send(message) {
      log.info(
        { messageId: message.id, channel: message.channel, recipient: message.recipient, subject: message.subject },
        'message delivered (log transport)',
      );
    },
  };
}

const MAX_ATTEMPTS = 5;

/**
 * Hands stored messages to the transport. Rows are locked with SKIP LOCKED, so several workers can
 * dispatch side by side without sending a message twice from this side.
 */
export class OutboxDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly transport: Transport,
    private readonly log: Logger,
  ) {}

  start(intervalMs = 1000): void {
    const tick = () => {
      this.running = this.dispatchOnce()
        .then(() => undefined)
        .catch((err) => this.log.warn({ err: String(err) }, 'outbox dispatch failed; will retry'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Sends up to `limit` pending messages; returns how many were sent. */
  async dispatchOnce(limit = 20): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      let sent = 0;
      const { rows } = await client.query(
        `SELECT id, channel, recipient, subject, body, link_url, attempts FROM outbox_messages
          WHERE status = 'pending' AND not_before <= now() ORDER BY not_before, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      for (const row of rows) {
        try {
          await this.transport.send({
            id: String(row.id),
            channel: row.channel,
            recipient: row.recipient,
            subject: row.subject,
            body: row.body,
            linkUrl: row.link_url,
          });
          await client.query(`UPDATE outbox_messages SET status = 'sent', sent_at = now(), attempts = attempts + 1 WHERE id = $1`, [row.id]);
          sent += 1;
        } catch (err) {
          const failed = row.attempts + 1 >= MAX_ATTEMPTS;
          await client.query(`UPDATE outbox_messages SET attempts = attempts + 1, last_error = $2, status = $3 WHERE id = $1`, [
            row.id,
            String(err),
            failed ? 'failed' : 'pending',
          ]);
        }
      }
      return sent;
    });
  }
}
