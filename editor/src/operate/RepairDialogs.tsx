import { useState } from 'react';
import { api } from '../api';
import { useApi } from '../useApi';
import { ActionDialog, ReasonField, reasonProblem } from './ActionDialog';
import { EffectsView } from './Effects';
import { operateApi } from './operateApi';
import type { IncidentView, OperateAttempt, OperationApplied } from './types';
import { stepName } from './words';

interface DialogProps {
  attempt: OperateAttempt;
  onClose: (applied: boolean) => void;
}

const applied = (r: OperationApplied) => <EffectsView effects={r.effects} />;

// The outcomes an ended attempt commonly records; cancelled (the contract's default) first.
const OUTCOMES = ['cancelled', 'lost', 'retained', 'won_back', 'closed'];

export function CancelDialog({ attempt, onClose }: DialogProps) {
  const [outcome, setOutcome] = useState('cancelled');
  const [reason, setReason] = useState('');
  return (
    <ActionDialog
      title={`Cancel the attempt for ${attempt.customerName}`}
      invalid={reasonProblem(reason)}
      submitLabel="Cancel attempt"
      danger
      confirmText={
        <p>
          Cancel <strong>{attempt.customerName}</strong>’s attempt in {attempt.playbookName} v{attempt.playbookVersion} with outcome <strong>{outcome}</strong>?
          Its open tasks and timers end; this cannot be undone.
        </p>
      }
      run={() => operateApi.cancel(attempt.id, { outcome, reason: reason.trim() })}
      result={applied}
      onClose={onClose}
    >
      <label className="field">
        <span>Outcome</span>
        <select aria-label="Outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </label>
      <ReasonField value={reason} onChange={setReason} />
    </ActionDialog>
  );
}

export function MoveDialog({ attempt, onClose, transition }: DialogProps & { transition?: number }) {
  const version = useApi((signal) => api.getVersion(attempt.playbookKey, attempt.playbookVersion, signal), [attempt.playbookKey, attempt.playbookVersion]);
  const [fromStepId, setFrom] = useState(attempt.waits[0]?.stepId ?? '');
  const [toNodeId, setTo] = useState('');
  const [reason, setReason] = useState('');
  const nodes = version.status === 'ok' ? version.data.graph.nodes.filter((n) => n.kind !== 'start') : [];
  const from = attempt.waits.find((w) => w.stepId === fromStepId);
  const to = nodes.find((n) => n.id === toNodeId);
  const invalid = !fromStepId ? 'Pick the step to move from.' : !toNodeId ? 'Pick the step to move to.' : reasonProblem(reason);

  return (
    <ActionDialog
      title={`Move ${attempt.customerName}’s attempt`}
      invalid={invalid}
      submitLabel="Move attempt"
      confirmText={
        <p>
          Move from <strong>{from ? stepName(from) : fromStepId}</strong> to <strong>{to ? to.name || to.id : toNodeId}</strong>? The open tasks and timers of
          the step it leaves end, and the target step starts as the playbook defines it.
        </p>
      }
      run={() =>
        operateApi.move(attempt.id, { fromStepId, toNodeId, reason: reason.trim(), ...(transition !== undefined ? { expectedTransition: transition } : {}) })
      }
      result={applied}
      onClose={onClose}
    >
      <label className="field">
        <span>From the current step</span>
        <select aria-label="From the current step" value={fromStepId} onChange={(e) => setFrom(e.target.value)}>
          {attempt.waits.map((w) => (
            <option key={w.stepId} value={w.stepId}>
              {stepName(w)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>To the step</span>
        <select aria-label="To the step" value={toNodeId} onChange={(e) => setTo(e.target.value)} disabled={version.status !== 'ok'}>
          <option value="">{version.status === 'loading' ? 'Loading the playbook…' : 'Choose a step'}</option>
          {nodes.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name || n.id} ({n.kind.replace(/_/g, ' ')})
            </option>
          ))}
        </select>
      </label>
      {version.status === 'error' && <p className="notice notice--error">Could not load version {attempt.playbookVersion} of the playbook.</p>}
      <ReasonField value={reason} onChange={setReason} />
    </ActionDialog>
  );
}

type ValueType = 'string' | 'number' | 'boolean' | 'null';

export function VariableDialog({ attempt, onClose }: DialogProps) {
  const [name, setName] = useState('');
  const [type, setType] = useState<ValueType>('string');
  const [raw, setRaw] = useState('');
  const [reason, setReason] = useState('');
  const value = type === 'number' ? Number(raw) : type === 'boolean' ? raw === 'true' : type === 'null' ? null : raw;
  const invalid = !/^[a-z][a-z0-9_]*$/i.test(name)
    ? 'Name the variable (letters, digits, _).'
    : type === 'number' && (raw.trim() === '' || !Number.isFinite(value))
      ? 'Enter a number.'
      : reasonProblem(reason);
  return (
    <ActionDialog
      title={`Change a variable of ${attempt.customerName}’s attempt`}
      invalid={invalid}
      submitLabel="Change variable"
      confirmText={
        <p>
          Set <code>{name}</code> to <code>{JSON.stringify(value)}</code>? Steps that read it from now on see the new value.
        </p>
      }
      run={() => operateApi.setVariable(attempt.id, { name, value, reason: reason.trim() })}
      result={applied}
      onClose={onClose}
    >
      <label className="field">
        <span>Variable name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
      </label>
      <div className="op-form__row">
        <label className="field">
          <span>Type</span>
          <select aria-label="Type" value={type} onChange={(e) => setType(e.target.value as ValueType)}>
            <option value="string">Text</option>
            <option value="number">Number</option>
            <option value="boolean">Yes / no</option>
            <option value="null">Empty (null)</option>
          </select>
        </label>
        {type === 'boolean' ? (
          <label className="field">
            <span>Value</span>
            <select aria-label="Value" value={raw === 'true' ? 'true' : 'false'} onChange={(e) => setRaw(e.target.value)}>
              <option value="true">Yes (true)</option>
              <option value="false">No (false)</option>
            </select>
          </label>
        ) : type !== 'null' ? (
          <label className="field">
            <span>Value</span>
            <input value={raw} onChange={(e) => setRaw(e.target.value)} inputMode={type === 'number' ? 'decimal' : undefined} />
          </label>
        ) : null}
      </div>
      <ReasonField value={reason} onChange={setReason} />
    </ActionDialog>
  );
}

export function IncidentDialog({ attempt, incident, action, onClose }: DialogProps & { incident: IncidentView; action: 'retry' | 'skip' }) {
  const [reason, setReason] = useState('');
  const retry = action === 'retry';
  return (
    <ActionDialog
      title={retry ? 'Retry the failed write' : 'Skip the failed write'}
      invalid={reasonProblem(reason)}
      submitLabel={retry ? 'Retry' : 'Skip'}
      danger={!retry}
      confirmText={
        retry ? (
          <p>Write transition {incident.transition} again? Do this once the cause (the database’s refusal below) is fixed, or it fails again.</p>
        ) : (
          <p>
            <strong>Skip transition {incident.transition}?</strong> The attempt goes on, but the rows that transition would have written (its tasks, messages,
            step log) will not be written.
          </p>
        )
      }
      run={() => operateApi.resolveIncident(attempt.id, incident.incidentId, action, reason.trim())}
      result={() => <p>{retry ? 'The write was sent again; the attempt shows where it is now.' : 'The attempt went on without that write.'}</p>}
      onClose={onClose}
    >
      <p className="op-error-text">
        <strong>{incident.code}</strong>: {incident.message}
      </p>
      {!retry && (
        <p className="notice notice--error" role="note">
          Skipping does not write this transition’s rows (tasks, messages, step log): they are lost for good.
        </p>
      )}
      <ReasonField value={reason} onChange={setReason} />
    </ActionDialog>
  );
}
