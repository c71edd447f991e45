import { useEffect, useId, useState } from 'react';
import type { Snapshot } from './types';
import { formatMoment } from './timeFormat';

interface Props {
  snapshots: readonly Snapshot[];
  index: number;
  onChange: (index: number) => void;
}

const PLAY_STEP_MS = 1200;

/** Media-control glyphs as SVG: the Unicode ones (⏮ ⏭) are missing from many fonts. */
function Icon({ d }: { d: string }) {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={d} fill="currentColor" />
    </svg>
  );
}

/**
 * Steps through the state after each transition. The range input gives arrow keys, Home/End and
 * Page Up/Down for free; the buttons step and play for pointer users.
 */
export function Scrubber({ snapshots, index, onChange }: Props) {
  const [playing, setPlaying] = useState(false);
  const id = useId();
  const last = snapshots.length - 1;
  const current = snapshots[index];

  useEffect(() => {
    if (!playing) return;
    if (index >= last) {
      setPlaying(false);
      return;
    }
    const timer = setTimeout(() => onChange(index + 1), PLAY_STEP_MS);
    return () => clearTimeout(timer);
  }, [playing, index, last, onChange]);

  const go = (i: number) => {
    setPlaying(false);
    onChange(Math.max(0, Math.min(last, i)));
  };
  const play = () => {
    if (playing) return setPlaying(false);
    // Playing from the end starts over, like a video player.
    if (index >= last) onChange(0);
    setPlaying(true);
  };

  if (!current) return null;
  const label = `Moment ${index + 1} of ${snapshots.length}: ${formatMoment(current.at)}, after transition ${current.transition}`;

  return (
    <div className="card scrubber" data-testid="scrubber">
      <div className="scrubber__buttons" role="group" aria-label="Step through the attempt">
        <button type="button" className="btn btn--small" onClick={() => go(0)} disabled={index === 0} aria-label="First moment" title="First moment">
          <Icon d="M3 4h2v16H3zM13 4v16L6 12zM21 4v16l-7-8z" />
        </button>
        <button
          type="button"
          className="btn btn--small"
          onClick={() => go(index - 1)}
          disabled={index === 0}
          aria-label="Previous moment"
          title="Previous moment"
        >
          <Icon d="M16 5v14L8 12z" />
        </button>
        <button
          type="button"
          className="btn btn--small scrubber__play"
          onClick={play}
          disabled={last === 0}
          aria-pressed={playing}
          aria-label={playing ? 'Pause' : 'Play'}
          title={playing ? 'Pause' : 'Play'}
        >
          <Icon d={playing ? 'M6 4h4v16H6zM14 4h4v16h-4z' : 'M7 4v16l12-8z'} />
        </button>
        <button type="button" className="btn btn--small" onClick={() => go(index + 1)} disabled={index === last} aria-label="Next moment" title="Next moment">
          <Icon d="M8 5v14l8-7z" />
        </button>
        <button type="button" className="btn btn--small" onClick={() => go(last)} disabled={index === last} aria-label="Last moment" title="Last moment">
          <Icon d="M3 4v16l7-8zM11 4v16l7-8zM19 4h2v16h-2z" />
        </button>
      </div>
      <div className="scrubber__track">
        <label htmlFor={id} className="scrubber__label">
          <span className="strong">
            Moment {index + 1} of {snapshots.length}
          </span>
          <span className="muted">
            {' '}
            · {formatMoment(current.at)} · after transition {current.transition}
          </span>
        </label>
        <input
          id={id}
          type="range"
          className="scrubber__range"
          min={0}
          max={last}
          step={1}
          value={index}
          onChange={(e) => go(Number(e.target.value))}
          aria-valuetext={label}
          disabled={last === 0}
          data-testid="scrubber-range"
        />
        <div className="scrubber__ticks" aria-hidden="true">
          {snapshots.map((s, i) => (
            <span
              key={`${s.transition}-${i}`}
              className={i === index ? 'scrubber__tick is-current' : i < index ? 'scrubber__tick is-past' : 'scrubber__tick'}
              style={{ left: last === 0 ? '0%' : `${(i / last) * 100}%` }}
            />
          ))}
        </div>
      </div>
    </div>
  );
}
