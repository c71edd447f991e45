import { useEffect, useId, useState } from 'react';
import type { StepReport } from '../../../contract/analytics';
import { analyticsApi, paths } from '../analytics/analyticsApi';
import type { HeatMode } from '../analytics/heat';
import { errorMessage } from '../api';
import { HEAT_COLOURS, HEAT_NONE } from '../canvas/overlay';
import { useApi } from '../useApi';
import './heatmap.css';

/** What the canvas draws while the heatmap is on. */
export interface HeatView {
  report: StepReport;
  mode: HeatMode;
}

/**
 * The heatmap's switch and filters above the canvas: colour by volume or by time in step, a date
 * range, the version being viewed (the draft counts every version), a legend and the CSV download.
 */
export function HeatmapBar({
  playbookKey,
  version,
  onChange,
}: {
  playbookKey: string;
  version: number | undefined;
  onChange: (heat: HeatView | null) => void;
}) {
  const id = useId();
  const [on, setOn] = useState(false);
  const [mode, setMode] = useState<HeatMode>('volume');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filters = { version, from: from || undefined, to: to || undefined };
  const loaded = useApi((signal) => (on ? analyticsApi.steps(playbookKey, filters, signal) : Promise.resolve(null)), [on, playbookKey, version, from, to]);
  const report = loaded.status === 'ok' ? loaded.data : null;

  useEffect(() => onChange(on && report ? { report, mode } : null), [on, report, mode, onChange]);

  return (
    <section className="heatbar" aria-label="Step heatmap">
      <label className="heatbar__toggle">
        <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} /> Show heatmap
      </label>
      {on && (
        <>
          <label className="heatbar__field" htmlFor={`${id}-mode`}>
            Colour by
            <select id={`${id}-mode`} value={mode} onChange={(e) => setMode(e.target.value as HeatMode)}>
              <option value="volume">Volume (steps entered)</option>
              <option value="time">Median time in step</option>
            </select>
          </label>
          <label className="heatbar__field" htmlFor={`${id}-from`}>
            Entered from
            <input id={`${id}-from`} type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label className="heatbar__field" htmlFor={`${id}-to`}>
            Entered to
            <input id={`${id}-to`} type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} />
          </label>
          <Legend mode={mode} />
          <span className="heatbar__status" role="status">
            {loaded.status === 'loading' && 'Counting steps…'}
            {loaded.status === 'error' && `Could not load the step analytics: ${errorMessage(loaded.error)}`}
            {report &&
              `${report.attempts} attempt${report.attempts === 1 ? '' : 's'} of ${version ? `version ${version}` : 'all versions'}${
                version ? '' : ` (drawn on version ${report.version})`
              }`}
          </span>
          <a className="btn btn--small" href={paths.steps(playbookKey, filters, true)} download>
            Download CSV
          </a>
        </>
      )}
    </section>
  );
}

function Legend({ mode }: { mode: HeatMode }) {
  return (
    <span
      className="heatbar__legend"
      aria-label={`Colours run from pale (${mode === 'volume' ? 'few steps' : 'quick'}) to dark (${mode === 'volume' ? 'most steps' : 'slowest'})`}
    >
      <span className="heatbar__swatch" style={{ background: HEAT_NONE.fill }} title="none" />
      {HEAT_COLOURS.map((c) => (
        <span key={c.fill} className="heatbar__swatch" style={{ background: c.fill }} />
      ))}
      <span className="small muted">{mode === 'volume' ? 'few → many' : 'quick → slow'}</span>
    </span>
  );
}
