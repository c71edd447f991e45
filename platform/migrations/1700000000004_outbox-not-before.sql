-- Up Migration
-- Messages that must wait (a snoozed task's follow-up reminder) are stored now and sent then.
ALTER TABLE outbox_messages ADD COLUMN not_before timestamptz NOT NULL DEFAULT now();
DROP INDEX outbox_pending_idx;
CREATE INDEX outbox_pending_idx ON outbox_messages (not_before, id) WHERE status = 'pending';

-- Down Migration
DROP INDEX outbox_pending_idx;
ALTER TABLE outbox_messages DROP COLUMN not_before;
CREATE INDEX outbox_pending_idx ON outbox_messages (created_at) WHERE status = 'pending';
