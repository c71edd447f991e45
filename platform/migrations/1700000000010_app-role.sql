-- Up Migration

-- The application's privileges, held by a role that is not the schema owner and not a superuser:
-- it cannot disable triggers, change the schema, or rewrite evidence. Login roles for the API and
-- the workers are members of it (scripts/services.ts ensureAppLogin makes the embedded one).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'retention_app') THEN
    CREATE ROLE retention_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION;
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO retention_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO retention_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO retention_app;
-- Tables later migrations create (run by the owner) are the app's to use too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO retention_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO retention_app;

-- Evidence: the audit log is read and appended to through its insert path only. The columns the
-- chain trigger fills (id, prev_hash, hash) and the time (at) are not the app's to choose.
REVOKE ALL ON audit_log FROM retention_app;
GRANT SELECT ON audit_log TO retention_app;
GRANT INSERT (actor_id, action, attempt_id, subject, details) ON audit_log TO retention_app;
-- Published versions are immutable (a trigger refuses changes; now the privilege does as well).
REVOKE UPDATE, DELETE ON playbook_versions FROM retention_app;
-- The migrations' own bookkeeping is the owner's.
REVOKE ALL ON pgmigrations FROM retention_app;

-- Down Migration
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM retention_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM retention_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM retention_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM retention_app;
REVOKE USAGE ON SCHEMA public FROM retention_app;
