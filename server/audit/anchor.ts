import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Pool } from 'pg';

/** A signed statement, kept outside the database: "at `at`, the audit chain's head was row `headId` with hash `headHash`". */
export interface Checkpoint {
  at: string;
  headId: string;
  headHash: string;
  mac: string;
}

/**
 * The audit chain's anchor outside the table: checkpoints of its head, HMAC-signed with a key
 * derived from LINK_SECRET (which the database does not hold), appended one JSON line each to a
 * file. Someone who can rewrite the table (the owner, a superuser) can re-chain every row or drop
 * the newest ones, but cannot make a checkpoint agree with that: the verifier compares them.
 */
export class AuditAnchor {
  private readonly key: Buffer;

  constructor(
    readonly file: string,
    secret: string,
  ) {
    // Its own key, so an anchor MAC is never also a valid answer-link signature.
    this.key = createHmac('sha256', secret).update('retention/audit-anchor/v1').digest();
  }

  private sign(c: Omit<Checkpoint, 'mac'>): string {
    return createHmac('sha256', this.key).update(`${c.at}|${c.headId}|${c.headHash}`).digest('hex');
  }

  /** Every line of the file: the checkpoints whose MAC holds, and the line numbers of those that do not. */
  read(): { checkpoints: Checkpoint[]; forgedLines: number[] } {
    if (!existsSync(this.file)) return { checkpoints: [], forgedLines: [] };
    const checkpoints: Checkpoint[] = [];
    const forgedLines: number[] = [];
    readFileSync(this.file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!line.trim()) return;
        try {
          const c = JSON.parse(line) as Checkpoint;
          const expected = Buffer.from(this.sign(c));
          const given = Buffer.from(String(c.mac));
          if (expected.length === given.length && timingSafeEqual(expected, given)) checkpoints.push(c);
          else forgedLines.push(i + 1);
        } catch {
          forgedLines.push(i + 1);
        }
      });
    return { checkpoints, forgedLines };
  }

  /** Signs the current head, unless the newest checkpoint already says the same. */
  async checkpoint(pool: Pool): Promise<Checkpoint | null> {
    const { rows } = await pool.query<{ id: string; hash: string }>('SELECT id::text, hash FROM audit_log ORDER BY audit_log.id DESC LIMIT 1');
    if (!rows[0]) return null;
    const latest = this.read().checkpoints.at(-1);
    if (latest && latest.headId === rows[0].id && latest.headHash === rows[0].hash) return latest;
    const body = { at: new Date().toISOString(), headId: rows[0].id, headHash: rows[0].hash };
    const c = { ...body, mac: this.sign(body) };
    mkdirSync(path.dirname(this.file), { recursive: true });
    // One short O_APPEND write per line: replicas appending at once do not interleave.
    appendFileSync(this.file, `${JSON.stringify(c)}\n`, { mode: 0o600 });
    return c;
  }
}

const anchors = new WeakMap<Pool, AuditAnchor>();

/** The anchor the verifier compares this database's chain with (set where the app is built). */
export function attachAnchor(pool: Pool, anchor: AuditAnchor): void {
  anchors.set(pool, anchor);
}
export function anchorOf(pool: Pool): AuditAnchor | undefined {
  return anchors.get(pool);
}

/** Checkpoints now and every `seconds`; a failure (database restarting) waits for the next turn. */
export function startCheckpoints(pool: Pool, anchor: AuditAnchor, seconds: number, log: Logger): () => void {
  const take = () => anchor.checkpoint(pool).catch((err: Error) => log.warn({ err: err.message }, 'audit checkpoint skipped'));
  void take();
  const timer = setInterval(take, seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
