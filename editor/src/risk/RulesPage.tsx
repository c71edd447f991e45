import { useEffect, useRef, useState } from 'react';
import type { DryRunResult } from '../../../contract/risk';
import { DEFAULT_DIRECTORY } from '../../../playbooks/directory';
import { RiskRules, RULE_LABELS, type RuleName } from '../../../playbooks/risk/rules';
import { errorMessage } from '../api';
import { ErrorBox, Loading } from '../components/Status';
import { formatDateTime } from '../format';
import { useSession } from '../session';
import { useApi } from '../useApi';
import { useDepartments } from '../useDepartments';
import { dryRunInPages } from './dryRunPages';
import { canManageRules, riskApi } from './riskApi';
import { SchedulePanel } from './SchedulePanel';
import './risk.css';

const GRADES = [
  ['core', 'Core'],
  ['high_potential', 'High potential'],
  ['ordinary', 'Ordinary'],
  ['churn_signs', 'Showing signs of churn'],
] as const;
const STATUS_LABELS: Record<string, string> = {
  active: 'Active',
  at_risk: 'At risk',
  pre_churn: 'Pre-churn',
  churned: 'Churned',
  won_back: 'Won back',
  retained: 'Retained',
  lost: 'Lost',
};
const status = (s: string | null) => (s ? (STATUS_LABELS[s] ?? s) : '—');

function NumberField(props: {
  label: string;
  value: number | undefined;
  onChange: (v: number | undefined) => void;
  disabled: boolean;
  hint?: string;
  optional?: boolean;
}) {
  return (
    <label className="field field--inline risk-number">
      <span>{props.label}</span>
      <input
        type="number"
        min={0}
        value={props.value ?? ''}
        placeholder={props.optional ? 'default' : undefined}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
      {props.hint && <small className="muted">{props.hint}</small>}
    </label>
  );
}

function Check(props: { label: string; checked: boolean; onChange: (v: boolean) => void; disabled: boolean }) {
  return (
    <label className="field field--check">
      <input type="checkbox" checked={props.checked} disabled={props.disabled} onChange={(e) => props.onChange(e.target.checked)} />
      <span>{props.label}</span>
    </label>
  );
}

/** The organisation's departments (the seeded ones until the directory loads), and any the rules already name. */
function departmentIds(directory: readonly { id: string }[], byDepartment: Record<string, unknown>): string[] {
  const known = directory.length > 0 ? directory.map((d) => d.id) : [...DEFAULT_DIRECTORY.departments];
  return [...new Set([...known, ...Object.keys(byDepartment)])];
}

function evidenceText(e: Record<string, string | number | boolean | null>): string {
  return Object.entries(e)
    .filter(([k]) => k !== 'evaluation')
    .map(([k, v]) => `${k.replace(/([A-Z])/g, ' $1').toLowerCase()}: ${typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? formatDateTime(v) : String(v)}`)
    .join(' · ');
}

/**
 * The at-risk rules: edit the draft, see who it would move (a dry run, beside the published rules),
 * save, publish a version; the evaluation schedule and its recent runs. Heads and auditors read.
 */
export function RulesPage() {
  const { user } = useSession();
  const canEdit = canManageRules(user.role);
  const loaded = useApi((signal) => riskApi.rules(signal), []);
  const versions = useApi((signal) => riskApi.versions(signal), []);
  const [rules, setRules] = useState<RiskRules | null>(null);
  const [revision, setRevision] = useState(0);
  const [dry, setDry] = useState<DryRunResult | null>(null);
  // Stops a dry run between its parts (what was scanned so far stays shown).
  const dryStop = useRef<AbortController | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [note, setNote] = useState('');
  const departments = useDepartments();

  useEffect(() => {
    if (loaded.status === 'ok') {
      setRules(loaded.data.rules);
      setRevision(loaded.data.revision);
    }
  }, [loaded.status, loaded.status === 'ok' ? loaded.data : null]);

  if (loaded.status === 'loading' || (loaded.status === 'ok' && !rules)) return <Loading label="Loading the rules…" />;
  if (loaded.status === 'error') return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  const r = rules!;
  const parsed = RiskRules.safeParse(r);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(' › ')}: ${i.message}`);
  const set = <K extends keyof RiskRules>(k: K, v: Partial<RiskRules[K]>) => setRules({ ...r, [k]: { ...r[k], ...v } });
  const disabled = !canEdit || busy !== null;

  async function act(what: string, work: () => Promise<string>) {
    setBusy(what);
    setNotice(null);
    try {
      setNotice({ kind: 'ok', text: await work() });
    } catch (err) {
      setNotice({ kind: 'error', text: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="page risk-page">
      <header className="page__header">
        <div>
          <h1>At-risk rules</h1>
          <p className="muted">
            Which customers count as slipping away, evaluated every night. Published version:{' '}
            <strong>{loaded.data.publishedVersion ? `v${loaded.data.publishedVersion}` : 'none yet (the defaults apply)'}</strong>
            {!canEdit && ' · You can read the rules and run a dry run; ops managers change them.'}
          </p>
        </div>
      </header>
      {notice && (
        <div className={`notice notice--${notice.kind === 'ok' ? 'ok' : 'error'}`} role={notice.kind === 'ok' ? 'status' : 'alert'}>
          {notice.text}
        </div>
      )}
      <div className="risk-grid">
        <form className="card risk-rules" aria-label="Rules" onSubmit={(e) => e.preventDefault()}>
          <fieldset>
            <legend>{RULE_LABELS.red_line}: not seen for too long → at risk</legend>
            <Check label="Use this rule" checked={r.redLine.enabled} disabled={disabled} onChange={(enabled) => set('redLine', { enabled })} />
            <NumberField
              label="Days without a visit, service, order or payment"
              value={r.redLine.days}
              disabled={disabled}
              onChange={(days) => set('redLine', { days: days ?? 0 })}
            />
            <div className="risk-sub">
              <span className="muted small">A line per grade (empty: the default)</span>
              {GRADES.map(([g, label]) => (
                <NumberField
                  key={g}
                  label={label}
                  optional
                  value={r.redLine.byGrade[g]}
                  disabled={disabled}
                  onChange={(v) => {
                    const byGrade = { ...r.redLine.byGrade };
                    if (v === undefined) delete byGrade[g];
                    else byGrade[g] = v;
                    set('redLine', { byGrade });
                  }}
                />
              ))}
              <span className="muted small">A line per department (wins over the grade)</span>
              {departmentIds(departments.list, r.redLine.byDepartment).map((d) => (
                <NumberField
                  key={d}
                  label={departments.name(d)}
                  optional
                  value={r.redLine.byDepartment[d]}
                  disabled={disabled}
                  onChange={(v) => {
                    const byDepartment = { ...r.redLine.byDepartment };
                    if (v === undefined) delete byDepartment[d];
                    else byDepartment[d] = v;
                    set('redLine', { byDepartment });
                  }}
                />
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend>{RULE_LABELS.periodic_business}: missed regular visits (from each customer&apos;s cadence)</legend>
            <Check
              label="Use this rule"
              checked={r.periodicBusiness.enabled}
              disabled={disabled}
              onChange={(enabled) => set('periodicBusiness', { enabled })}
            />
            <NumberField
              label="Missed visits → pre-churn"
              value={r.periodicBusiness.preChurnAfterMissed}
              disabled={disabled}
              onChange={(v) => set('periodicBusiness', { preChurnAfterMissed: v ?? 0 })}
            />
            <NumberField
              label="Missed visits → churned"
              value={r.periodicBusiness.churnedAfterMissed}
              disabled={disabled}
              onChange={(v) => set('periodicBusiness', { churnedAfterMissed: v ?? 0 })}
            />
          </fieldset>
          <fieldset>
            <legend>{RULE_LABELS.declining_orders}</legend>
            <Check label="Use this rule" checked={r.decliningOrders.enabled} disabled={disabled} onChange={(enabled) => set('decliningOrders', { enabled })} />
            <NumberField
              label="Customers of at least (years)"
              value={r.decliningOrders.minYears}
              disabled={disabled}
              onChange={(v) => set('decliningOrders', { minYears: v ?? 0 })}
            />
            <NumberField
              label="No order for (months)"
              value={r.decliningOrders.noOrderMonths}
              disabled={disabled}
              onChange={(v) => set('decliningOrders', { noOrderMonths: v ?? 0 })}
            />
            <NumberField
              label="Or spend down quarter on quarter by (%)"
              value={r.decliningOrders.spendDropPercent}
              disabled={disabled}
              onChange={(v) => set('decliningOrders', { spendDropPercent: v ?? 0 })}
            />
            <label className="field field--inline">
              <span>Moves them to</span>
              <select
                value={r.decliningOrders.to}
                disabled={disabled}
                onChange={(e) => set('decliningOrders', { to: e.target.value as 'at_risk' | 'pre_churn' })}
              >
                <option value="at_risk">At risk</option>
                <option value="pre_churn">Pre-churn</option>
              </select>
            </label>
          </fieldset>
          <fieldset>
            <legend>{RULE_LABELS.complaint} → at risk</legend>
            <Check label="Use this rule" checked={r.complaint.enabled} disabled={disabled} onChange={(enabled) => set('complaint', { enabled })} />
            <NumberField
              label="A complaint within (days)"
              value={r.complaint.withinDays}
              disabled={disabled}
              onChange={(v) => set('complaint', { withinDays: v ?? 0 })}
            />
          </fieldset>
          {problems.length > 0 && (
            <ul className="problems" role="alert">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          <div className="risk-actions">
            <button
              type="button"
              className="btn"
              disabled={busy !== null || !parsed.success}
              onClick={() =>
                act('dry', async () => {
                  const stop = new AbortController();
                  dryStop.current = stop;
                  setDry(null);
                  try {
                    const { result, stopped } = await dryRunInPages(parsed.data!, setDry, stop.signal);
                    const moved = `these rules would move ${result.moves.length + result.more} of ${result.scanned} customers now (the published rules: ${result.publishedMoves})`;
                    return stopped
                      ? `Dry run stopped after ${result.scanned} of ${result.total} customers: ${moved}. Nothing was changed.`
                      : `Dry run: ${moved}. Nothing was changed.`;
                  } finally {
                    dryStop.current = null;
                  }
                })
              }
            >
              {busy === 'dry' ? 'Running…' : 'Dry run'}
            </button>
            {busy === 'dry' && (
              <button type="button" className="btn" onClick={() => dryStop.current?.abort()}>
                Stop the dry run
              </button>
            )}
            {canEdit && (
              <>
                <button
                  type="button"
                  className="btn"
                  disabled={disabled || !parsed.success}
                  onClick={() =>
                    act('save', async () => {
                      const saved = await riskApi.saveDraft(parsed.data!, revision);
                      setRevision(saved.revision);
                      return 'Draft saved.';
                    })
                  }
                >
                  Save draft
                </button>
                <label className="field field--inline">
                  <span>Note</span>
                  <input value={note} maxLength={500} disabled={disabled} onChange={(e) => setNote(e.target.value)} placeholder="why this change" />
                </label>
                <button
                  type="button"
                  className="btn btn--primary"
                  disabled={disabled || !parsed.success}
                  onClick={() =>
                    act('publish', async () => {
                      const saved = await riskApi.saveDraft(parsed.data!, revision);
                      setRevision(saved.revision);
                      const { version } = await riskApi.publish(note);
                      versions.reload();
                      loaded.reload();
                      return `Published as version ${version}; the next evaluation uses it.`;
                    })
                  }
                >
                  Publish
                </button>
              </>
            )}
          </div>
        </form>
        <div className="risk-side">
          <SchedulePanel canEdit={canEdit} />
          <section className="card" aria-labelledby="versions-title">
            <h2 id="versions-title">Versions</h2>
            {versions.status === 'ok' && versions.data.versions.length === 0 && <p className="muted">Nothing published yet.</p>}
            {versions.status === 'ok' && (
              <ol className="risk-versions">
                {versions.data.versions.map((v) => (
                  <li key={v.version}>
                    <strong>v{v.version}</strong> · {formatDateTime(v.publishedAt)} · {v.publishedBy ?? 'unknown'}
                    {v.note && <div className="muted small">{v.note}</div>}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>
      </div>
      {dry && (
        <section className="card risk-dry" aria-labelledby="dry-title">
          <h2 id="dry-title">Dry run as of {formatDateTime(dry.asOf)}</h2>
          {dry.next !== null && (
            <p>
              <label className="small">
                Scanned {dry.scanned.toLocaleString()} of {dry.total.toLocaleString()} customers{busy === 'dry' ? '…' : ' (stopped)'}{' '}
                <progress value={dry.scanned} max={Math.max(dry.total, 1)} />
              </label>
            </p>
          )}
          <p>
            {dry.moves.length + dry.more} of {dry.scanned} customers would move; the published rules would move {dry.publishedMoves}.
          </p>
          {dry.byTransition.length > 0 && (
            <ul className="risk-summary">
              {dry.byTransition.map((t) => (
                <li key={`${t.from}-${t.to}-${t.rule}`}>
                  {status(t.from)} → {status(t.to)} by {RULE_LABELS[t.rule as RuleName] ?? t.rule}: <strong>{t.count}</strong>
                </li>
              ))}
            </ul>
          )}
          <table className="table">
            <caption className="sr-only">Customers the rules would move</caption>
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">Department</th>
                <th scope="col">From → to</th>
                <th scope="col">Rule</th>
                <th scope="col">Evidence</th>
                <th scope="col">Published rules</th>
              </tr>
            </thead>
            <tbody>
              {dry.moves.map((m) => (
                <tr key={m.customerId}>
                  <td>
                    {m.name} <span className="muted small">{m.customerId}</span>
                  </td>
                  <td>{m.departmentName ?? (m.department ? departments.name(m.department) : '—')}</td>
                  <td className="nowrap">
                    {status(m.from)} → <strong>{status(m.to)}</strong>
                  </td>
                  <td>{RULE_LABELS[m.rule as RuleName] ?? m.rule}</td>
                  <td className="small">{evidenceText(m.evidence)}</td>
                  <td>{m.publishedTo ? status(m.publishedTo) : 'no change'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {dry.more > 0 && <p className="muted">…and {dry.more} more.</p>}
        </section>
      )}
    </div>
  );
}
