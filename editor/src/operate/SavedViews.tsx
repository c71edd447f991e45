import { useState } from 'react';
import { errorMessage } from '../api';
import { useApi } from '../useApi';
import { fromApiFilter, isEmptyFilter, toApiFilter, type FilterState } from './filterState';
import { operateApi } from './operateApi';

/** Saved views: an operator names the current filters, picks one later, deletes what they no longer need. */
export function SavedViews({ filter, onPick }: { filter: FilterState; onPick: (f: FilterState) => void }) {
  const views = useApi((signal) => operateApi.views(signal), []);
  const [picked, setPicked] = useState('');
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const list = views.status === 'ok' ? views.data.views : [];

  function pick(id: string) {
    setPicked(id);
    const view = list.find((v) => v.id === id);
    if (view) onPick(fromApiFilter(view.filter, view.createdAt));
  }

  async function save() {
    if (!name.trim()) return;
    try {
      const saved = await operateApi.saveView(name.trim(), toApiFilter(filter));
      setNaming(false);
      setName('');
      setError(null);
      setPicked(saved.id);
      views.reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function remove() {
    const view = list.find((v) => v.id === picked);
    if (!view || !window.confirm(`Delete the saved view “${view.name}”?`)) return;
    try {
      await operateApi.deleteView(view.id);
      setPicked('');
      views.reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <div className="op-views">
      <label className="field field--inline">
        <span>Saved view</span>
        <select aria-label="Saved view" value={picked} onChange={(e) => pick(e.target.value)}>
          <option value="">{views.status === 'loading' ? 'Loading…' : list.length === 0 ? 'None saved yet' : 'Choose a view'}</option>
          {list.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </label>
      {picked && (
        <button type="button" className="btn btn--ghost btn--small" onClick={() => void remove()}>
          Delete view
        </button>
      )}
      {naming ? (
        <form
          className="op-views__name"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label className="field field--inline">
            <span>Name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} autoFocus />
          </label>
          <button type="submit" className="btn btn--primary btn--small" disabled={!name.trim()}>
            Save view
          </button>
          <button type="button" className="btn btn--ghost btn--small" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" className="btn btn--small" onClick={() => setNaming(true)} disabled={isEmptyFilter(filter)}>
          Save these filters…
        </button>
      )}
      {error && (
        <span className="field__error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
