-- Up Migration
-- A playbook that is no longer used is archived, not deleted: its published versions are the
-- evidence its attempts are pinned to. Archived playbooks stay readable and their running attempts
-- go on, but triggers no longer start them and the list hides them unless asked.
ALTER TABLE playbooks
  ADD COLUMN archived_at timestamptz,
  ADD COLUMN archived_by text REFERENCES users(id);

-- Down Migration
ALTER TABLE playbooks DROP COLUMN archived_by, DROP COLUMN archived_at;
