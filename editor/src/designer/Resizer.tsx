import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

interface Props {
  label: string;
  width: number;
  min: number;
  max: number;
  /** +1 when dragging right widens the panel (the palette, on the left), -1 for the side panel on the right. */
  grows: 1 | -1;
  onResize(width: number): void;
}

const STEP = 16;

/** A draggable, keyboard-operable edge between the canvas and a side panel (a WAI-ARIA window splitter). */
export function Resizer({ label, width, min, max, grows, onResize }: Props) {
  const drag = useRef<{ x: number; width: number } | null>(null);
  const clamp = (w: number) => Math.min(max, Math.max(min, Math.round(w)));

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    drag.current = { x: e.clientX, width };
    e.currentTarget.setPointerCapture(e.pointerId);
    e.preventDefault();
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    onResize(clamp(drag.current.width + grows * (e.clientX - drag.current.x)));
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const by = e.key === 'ArrowRight' ? STEP * grows : e.key === 'ArrowLeft' ? -STEP * grows : 0;
    if (by) onResize(clamp(width + by));
    else if (e.key === 'Home') onResize(min);
    else if (e.key === 'End') onResize(max);
    else return;
    e.preventDefault();
  };

  return (
    <div
      className="resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={width}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      title={`${label}: drag, or use the arrow keys`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
