import { useState } from 'react';
import { TEMPLATES } from '../../../playbooks/templates';
import { errorMessage } from '../api';
import { navigate } from '../router';
import type { PlaybookGraph } from '../types';
import { keyIsFree, saveDraft } from './designerApi';
import { Dialog } from './Dialog';
import { EMPTY_GRAPH } from './graphOps';

/** "Tiered win-back (2)" → "tiered-win-back-2": keys are what URLs and the API use. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

const KEY_RULE = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Create a playbook, blank or from a template, then open it in the designer. */
export function NewPlaybookDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [keyTouched, setKeyTouched] = useState(false);
  const [template, setTemplate] = useState<string>('blank');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const effectiveKey = keyTouched ? key : slugify(name);
  const valid = name.trim().length > 0 && KEY_RULE.test(effectiveKey);

  async function create() {
    setBusy(true);
    setError(null);
    try {
      if (!(await keyIsFree(effectiveKey))) {
        setError(`A playbook with the key "${effectiveKey}" already exists. Choose another key.`);
        return;
      }
      const chosen = TEMPLATES.find((t) => t.key === template);
      const graph = JSON.parse(JSON.stringify(chosen?.graph ?? EMPTY_GRAPH)) as PlaybookGraph;
      await saveDraft(effectiveKey, { name: name.trim(), description: chosen?.description ?? '', graph }, null);
      navigate({ name: 'playbookEdit', key: effectiveKey });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      title="New playbook"
      onClose={onClose}
      wide
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn--primary" disabled={!valid || busy} onClick={() => void create()}>
            {busy ? 'Creating…' : 'Create and open'}
          </button>
        </>
      }
    >
      <div className="form-grid">
        <label className="field">
          <span>Name</span>
          <input type="text" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} placeholder="e.g. Win-back for lapsed service customers" />
        </label>
        <label className="field">
          <span>Key</span>
          <input
            type="text"
            value={effectiveKey}
            maxLength={64}
            aria-invalid={effectiveKey !== '' && !KEY_RULE.test(effectiveKey)}
            onChange={(e) => {
              setKeyTouched(true);
              setKey(e.target.value);
            }}
          />
        </label>
      </div>
      <fieldset className="template-pick">
        <legend>Start from</legend>
        {[{ key: 'blank', name: 'Blank canvas', description: 'Draw the playbook from scratch.' }, ...TEMPLATES].map((t) => (
          <label key={t.key} className={template === t.key ? 'template-card is-selected' : 'template-card'}>
            <input type="radio" name="template" value={t.key} checked={template === t.key} onChange={() => setTemplate(t.key)} />
            <span className="template-card__name">{t.name}</span>
            <span className="template-card__desc">{t.description}</span>
          </label>
        ))}
      </fieldset>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
