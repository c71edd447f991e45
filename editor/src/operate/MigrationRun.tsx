import { useRef, useState } from 'react';
import { errorMessage } from '../api';
import { ActionDialog, ReasonField, reasonProblem } from './ActionDialog';
import { BatchItems, isMigrationVerdict } from './BatchItems';
import { BatchProgress } from './BatchProgress';
import { scopeBody, scopeCount, type Scope } from './BatchDialog';
import { StepMapping } from './Effects';
import { operateApi } from './operateApi';
import type { BatchDetail, BatchItem, MigrationPlan } from './types';
import { useBatch } from './useBatch';
import { plural } from './words';

interface Props {
  plan: MigrationPlan;
  mapping: Record<string, string>;
  scope: Scope;
  /** Why the dry run cannot start yet (an unmapped removed step), or null. */
  blocked: string | null;
  canOperate: boolean;
}

/**
 * Dry run first (a `dry_run_migrate` batch: per attempt, can it move and the proof), then the
 * migration of the attempts the dry run proved (a `migrate` batch), both with the server's progress.
 * Re-keyed by the caller when the mapping or the scope changes, so a dry run always matches both.
 */
export function MigrationRun({ plan, mapping, scope, blocked, canOperate }: Props) {
  const [dryRunId, setDryRunId] = useState<string | null>(null);
  const [migrateId, setMigrateId] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const dry = useBatch(dryRunId);
  const migration = useBatch(migrateId);
  const toVersion = plan.to.version;

  async function dryRun() {
    setError(null);
    try {
      const created = await operateApi.startBatch({
        kind: 'dry_run_migrate',
        toVersion,
        mapping,
        reason: `Dry run of the migration v${plan.from.version} → v${toVersion}`,
        ...scopeBody(scope),
      });
      setDryRunId(created.id);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  const finished = dry.batch?.finishedAt ? dry.batch : null;
  const movable = finished ? finished.progress.done : 0;

  return (
    <div className="op-run">
      {canOperate ? (
        <div className="op-buttons">
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => void dryRun()}
            disabled={blocked !== null || scopeCount(scope) === 0 || (!!dryRunId && !finished)}
          >
            {dryRunId ? 'Dry run again' : 'Dry run'} ({plural(scopeCount(scope), 'attempt')})
          </button>
          {blocked && <span className="field__error">{blocked}</span>}
          {finished && (
            <button type="button" className="btn btn--danger" onClick={() => setAsking(true)} disabled={movable === 0 || migrateId !== null}>
              Migrate {plural(movable, 'attempt')}…
            </button>
          )}
        </div>
      ) : (
        <p className="small muted">Only ops managers and admins run migrations.</p>
      )}
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      {dry.batch && (
        <section aria-label="Dry run">
          <h3>Dry run</h3>
          <BatchProgress batch={dry.batch} error={dry.error} />
          <Verdicts items={dry.batch.items} />
        </section>
      )}
      {migration.batch && (
        <section aria-label="Migration">
          <h3>Migration</h3>
          <BatchProgress batch={migration.batch} error={migration.error} />
          <BatchItems items={migration.batch.items} caption="Per attempt: migrated, or untouched and why" />
        </section>
      )}
      {asking && finished && (
        <MigrateDialog
          dryRun={finished}
          plan={plan}
          mapping={mapping}
          onClose={(id) => {
            setAsking(false);
            if (id) setMigrateId(id);
          }}
        />
      )}
    </div>
  );
}

/** Per attempt of the dry run: can it move, the proof, and where it would be; a refused one with its reason. */
function Verdicts({ items }: { items: BatchItem[] }) {
  const [open, setOpen] = useState<string | null>(null);
  if (items.length === 0) return null;
  return (
    <table className="table op-table--compact">
      <caption className="op-caption">Per attempt</caption>
      <thead>
        <tr>
          <th scope="col">Customer</th>
          <th scope="col">Verdict</th>
          <th scope="col">Proof</th>
          <th scope="col">Afterwards</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => {
          const v = isMigrationVerdict(item.verdict) ? item.verdict : null;
          return (
            <tr key={item.attemptId} className={v && !v.canMove ? 'is-refused' : undefined} data-testid="dry-run-verdict">
              <td>{item.customerName}</td>
              <td>
                {!v ? (
                  <span className="badge">{item.status === 'pending' ? 'Waiting' : item.status}</span>
                ) : v.canMove ? (
                  <span className="badge badge--ok">Can move</span>
                ) : (
                  <>
                    <span className="badge op-badge--bad">Refused</span> <span className="small">{v.refusal?.reason ?? v.proof.message ?? ''}</span>
                  </>
                )}
              </td>
              <td className="small">
                {v && (
                  <>
                    Replay {v.proof.replay === 'matches' ? 'matches' : v.proof.replay} ({plural(v.proof.events, 'event')}) · states{' '}
                    {v.proof.statesAgree ? 'agree' : 'differ'}
                  </>
                )}
              </td>
              <td className="small">
                {v?.effects && (
                  <>At {v.effects.after.activeSteps.map((s) => s.name || s.nodeId).join(', ') || (v.effects.after.status === 'completed' ? 'the end' : '—')} </>
                )}
                {v && v.steps.length > 0 && (
                  <button
                    type="button"
                    className="linklike"
                    aria-expanded={open === item.attemptId}
                    onClick={() => setOpen(open === item.attemptId ? null : item.attemptId)}
                  >
                    {open === item.attemptId ? 'Hide steps' : 'Steps'}
                  </button>
                )}
                {v && open === item.attemptId && <StepMapping steps={v.steps} />}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const PAGE = 500;

/** The attempts the dry run proved, all of them (the batch's items come in pages). */
async function provenIds(batch: BatchDetail): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; offset < batch.progress.done; offset += PAGE) {
    const page = await operateApi.batch(batch.id, { offset, limit: PAGE, status: 'done' });
    ids.push(...page.items.filter((i) => !isMigrationVerdict(i.verdict) || i.verdict.canMove).map((i) => i.attemptId));
    if (page.items.length < PAGE) break;
  }
  return ids;
}

function MigrateDialog({
  dryRun,
  plan,
  mapping,
  onClose,
}: {
  dryRun: BatchDetail;
  plan: MigrationPlan;
  mapping: Record<string, string>;
  onClose: (batchId: string | null) => void;
}) {
  const [reason, setReason] = useState('');
  const n = dryRun.progress.done;
  // The batch started, kept across renders so closing the dialog hands it to the progress below.
  const started = useRef<string | null>(null);
  return (
    <ActionDialog
      title={`Migrate ${plural(n, 'attempt')} to v${plan.to.version}`}
      invalid={reasonProblem(reason)}
      submitLabel={`Migrate ${plural(n, 'attempt')}`}
      danger
      confirmText={
        <p>
          Move {plural(n, 'attempt')} the dry run proved from v{plan.from.version} to v{plan.to.version}? Each is re-checked and either fully migrated or left
          untouched;
          {dryRun.progress.refused + dryRun.progress.failed > 0 && (
            <>
              {' '}
              the {plural(dryRun.progress.refused + dryRun.progress.failed, 'refused attempt')} stay on v{plan.from.version};
            </>
          )}{' '}
          the migration is recorded in each attempt’s audit trail.
        </p>
      }
      run={async () => {
        const attemptIds = await provenIds(dryRun);
        const created = await operateApi.startBatch({ kind: 'migrate', toVersion: plan.to.version, mapping, reason: reason.trim(), attemptIds });
        started.current = created.id;
        return created;
      }}
      result={(created) => <p>Migrating {plural(created.total, 'attempt')}: the progress shows below this dialog.</p>}
      onClose={() => onClose(started.current)}
    >
      <p>
        {plural(n, 'attempt')} can move; {plural(dryRun.progress.refused + dryRun.progress.failed, 'attempt')} cannot and will not be touched.
      </p>
      <ReasonField value={reason} onChange={setReason} />
    </ActionDialog>
  );
}
