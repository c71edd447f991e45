import { formatDateTime } from '../format';
import type { PlaybookDetail } from '../types';

export type View = 'draft' | number;

export function VersionPicker({ detail, view, onChange }: { detail: PlaybookDetail; view: View; onChange: (view: View) => void }) {
  // Newest first: the version people usually want to compare against the draft.
  const versions = [...detail.versions].sort((a, b) => b.version - a.version);
  return (
    <label className="field field--inline">
      <span>Showing</span>
      <select value={String(view)} onChange={(e) => onChange(e.target.value === 'draft' ? 'draft' : Number(e.target.value))}>
        <option value="draft">Draft (revision {detail.draft.revision})</option>
        {versions.map((v) => (
          <option key={v.version} value={String(v.version)}>
            Version {v.version} — published {formatDateTime(v.publishedAt)}
          </option>
        ))}
      </select>
    </label>
  );
}
