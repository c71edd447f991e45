import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { AuditAnchor } from '../../server/audit/anchor';
import { verifyAuditChain } from '../../server/audit/chain';
import { recordAudit } from '../../platform/db/audit';
import { assertUnprivileged } from '../../platform/db/pool';
import { scratchDatabase } from '../support/scratchDatabase';

/**
 * The audit log as evidence, on real PostgreSQL: the app's role cannot change it except by
 * appending, and each way the owner (or a superuser) could tamper with it is caught by the chain or
 * by its anchor outside the table: an edited row, a deleted middle row, deleted newest rows, and the
 * whole chain rewritten and re-computed. Each case gets a database of its own.
 */

interface Ledger {
  owner: Pool;
  app: Pool;
  anchor: AuditAnchor;
  /** Appends `n` rows through the app's insert path; returns their ids. */
  append(n: number): Promise<string[]>;
  verify(): ReturnType<typeof verifyAuditChain>;
  close(): Promise<void>;
}

async function freshLedger(): Promise<Ledger> {
  const db = await scratchDatabase('chain');
  const owner = new Pool({ connectionString: db.ownerUrl });
  const app = new Pool({ connectionString: db.appUrl });
  const anchor = new AuditAnchor(
    path.join(mkdtempSync(path.join(os.tmpdir(), 'retention-anchor-')), 'audit-anchor.jsonl'),
    'a-test-secret-of-sufficient-length-9f8e7d',
  );
  let n = 0;
  return {
    owner,
    app,
    anchor,
    async append(count) {
      for (let i = 0; i < count; i++) await recordAudit(app, { actorId: 'u-rita', action: 'task_claimed', subject: `task-${++n}`, details: { n } });
      const { rows } = await app.query<{ id: string }>('SELECT id::text FROM audit_log ORDER BY audit_log.id DESC LIMIT $1', [count]);
      return rows.map((r) => r.id).reverse();
    },
    verify: () => verifyAuditChain(app, anchor),
    async close() {
      await app.end();
      await owner.end();
    },
  };
}

/** What a superuser can do: switch the triggers off for a while. */
async function asOwnerWithoutTriggers(ledger: Ledger, sql: string, values: unknown[] = []): Promise<void> {
  const client = await ledger.owner.connect();
  try {
    await client.query("SET session_replication_role = 'replica'");
    await client.query(sql, values);
  } finally {
    await client.query("SET session_replication_role = 'origin'");
    client.release();
  }
}

describe('audit chain', () => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = await freshLedger();
  });
  afterEach(() => ledger.close());

  it('the app role is no superuser and may only append: no update, delete, truncate, trigger switch or chosen hash', async () => {
    const [id] = await ledger.append(1);
    await expect(assertUnprivileged(ledger.app)).resolves.toBeUndefined();
    await expect(assertUnprivileged(ledger.owner)).rejects.toThrow(/refusing to start: .* superuser/);
    const refused = [
      ["UPDATE audit_log SET action = 'x' WHERE id = $1", [id]],
      ['DELETE FROM audit_log WHERE id = $1', [id]],
      ['TRUNCATE audit_log', []],
      ['ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only', []],
      ['ALTER TABLE audit_log DISABLE TRIGGER audit_log_chain', []],
      ["SET session_replication_role = 'replica'", []],
      ["INSERT INTO audit_log (id, action, prev_hash, hash) VALUES (999999, 'forged', 'genesis', 'x')", []],
      ["INSERT INTO audit_log (action, at) VALUES ('backdated', now() - interval '1 year')", []],
      ['UPDATE playbook_versions SET plan_hash = plan_hash', []],
    ] as const;
    for (const [sql, values] of refused) {
      const outcome = await ledger.app.query(sql, [...values]).then(
        () => 'accepted',
        (e: Error) => e.message,
      );
      expect({ sql, outcome }).toEqual({ sql, outcome: expect.stringMatching(/permission denied|must be owner/) });
    }
    expect(await ledger.verify()).toMatchObject({ ok: true, rows: 1, firstBroken: null, missingTail: null });
  });

  it('an edited row is named', async () => {
    const ids = await ledger.append(5);
    await ledger.anchor.checkpoint(ledger.app);
    await asOwnerWithoutTriggers(ledger, `UPDATE audit_log SET details = '{"n": 99}' WHERE id = $1`, [ids[2]]);
    expect(await ledger.verify()).toMatchObject({ ok: false, firstBroken: { id: ids[2], reason: 'content_changed' }, missingTail: null });
  });

  it('a deleted middle row breaks the link at the row after it', async () => {
    const ids = await ledger.append(5);
    await ledger.anchor.checkpoint(ledger.app);
    await asOwnerWithoutTriggers(ledger, 'DELETE FROM audit_log WHERE id = $1', [ids[2]]);
    expect(await ledger.verify()).toMatchObject({ ok: false, firstBroken: { id: ids[3], reason: 'link_broken' } });
  });

  it('deleted newest rows are a missing tail, named from the last row left to the anchored head', async () => {
    const ids = await ledger.append(5);
    await ledger.anchor.checkpoint(ledger.app);
    // The chain that is left is internally perfect: only the anchor knows rows 4 and 5 existed.
    await asOwnerWithoutTriggers(ledger, 'DELETE FROM audit_log WHERE id >= $1', [ids[3]]);
    expect(await verifyAuditChain(ledger.app, undefined)).toMatchObject({ ok: true });
    const verdict = await ledger.verify();
    expect(verdict).toMatchObject({ ok: false, firstBroken: null, missingTail: { afterId: ids[2], throughId: ids[4] } });

    // New rows written after the deletion do not hide it: the checkpointed row is missing from the middle.
    await ledger.append(2);
    expect(await ledger.verify()).toMatchObject({ ok: false, firstBroken: { id: ids[0], reason: 'rows_deleted', checkpointId: ids[4] } });
  });

  it('a chain rewritten and re-computed as the owner is caught by the anchor, from the first row after the last agreeing checkpoint', async () => {
    const ids = await ledger.append(3);
    await ledger.anchor.checkpoint(ledger.app);
    ids.push(...(await ledger.append(3)));
    await ledger.anchor.checkpoint(ledger.app);
    // Row 4 is changed and every hash from it on is re-computed, exactly as the trigger would.
    await asOwnerWithoutTriggers(ledger, `UPDATE audit_log SET details = '{"n": 40}' WHERE id = $1`, [ids[3]]);
    await asOwnerWithoutTriggers(
      ledger,
      `
      DO $$ DECLARE r record; previous text := 'genesis';
      BEGIN
        FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
          UPDATE audit_log SET prev_hash = previous, hash = audit_row_hash(previous, r.id, r.at, r.actor_id, r.action, r.attempt_id, r.subject, r.details) WHERE id = r.id RETURNING hash INTO previous;
        END LOOP;
      END $$`,
    );
    expect(await verifyAuditChain(ledger.app, undefined)).toMatchObject({ ok: true });
    expect(await ledger.verify()).toMatchObject({ ok: false, firstBroken: { id: ids[3], reason: 'rewritten', checkpointId: ids[5] }, missingTail: null });
  });

  it('a forged or edited checkpoint line is reported, not trusted', async () => {
    await ledger.append(2);
    const c = await ledger.anchor.checkpoint(ledger.app);
    const { appendFileSync } = await import('node:fs');
    appendFileSync(ledger.anchor.file, `${JSON.stringify({ ...c, headId: '1' })}\n`);
    expect(await ledger.verify()).toMatchObject({ ok: false, anchor: { checkpoints: 1, forgedLines: [2] } });
  });
});
