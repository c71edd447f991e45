-- Up Migration

-- The human-action audit table is evidence: append-only (update, delete and truncate refused) and
-- hash-chained, so an edit made behind the application's back breaks the chain at that row.
ALTER TABLE audit_log ADD COLUMN prev_hash text, ADD COLUMN hash text;

CREATE FUNCTION audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  previous text;
BEGIN
  -- One writer at a time, and ids in chain order: the id is taken under the lock.
  PERFORM pg_advisory_xact_lock(hashtext('audit_log_chain'));
  NEW.id := nextval(pg_get_serial_sequence('audit_log', 'id'));
  SELECT hash INTO previous FROM audit_log ORDER BY id DESC LIMIT 1;
  NEW.prev_hash := coalesce(previous, 'genesis');
  NEW.hash := audit_row_hash(NEW.prev_hash, NEW.id, NEW.at, NEW.actor_id, NEW.action, NEW.attempt_id, NEW.subject, NEW.details);
  RETURN NEW;
END $$;

CREATE FUNCTION audit_row_hash(prev text, id bigint, at timestamptz, actor text, action text, attempt uuid, subject text, details jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(concat_ws('|', prev, id::text, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
    coalesce(actor, ''), action, coalesce(attempt::text, ''), coalesce(subject, ''), details::text), 'UTF8')), 'hex')
$$;

-- Rows written before the chain existed join it in id order.
DO $$
DECLARE
  r record;
  previous text := 'genesis';
BEGIN
  ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    UPDATE audit_log SET prev_hash = previous, hash = audit_row_hash(previous, r.id, r.at, r.actor_id, r.action, r.attempt_id, r.subject, r.details) WHERE id = r.id
      RETURNING hash INTO previous;
  END LOOP;
  ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
END $$;

ALTER TABLE audit_log ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_chain();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
CREATE INDEX audit_log_attempt_idx ON audit_log (attempt_id, id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at);

-- Down Migration
DROP INDEX audit_log_actor_idx;
DROP INDEX audit_log_attempt_idx;
DROP TRIGGER audit_log_no_truncate ON audit_log;
DROP TRIGGER audit_log_chain ON audit_log;
DROP FUNCTION audit_chain;
DROP FUNCTION audit_row_hash;
ALTER TABLE audit_log DROP COLUMN hash, DROP COLUMN prev_hash;
