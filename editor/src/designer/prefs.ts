import { useCallback, useState } from 'react';
import type { LayoutDirection } from './layout';

/**
 * How the ops manager arranged the designer: panels open or closed and how wide, the minimap, the
 * auto-layout direction. Kept in localStorage, so the designer opens the way they left it.
 */
export interface DesignerPrefs {
  palette: { open: boolean; width: number };
  panel: { open: boolean; width: number };
  minimap: boolean;
  direction: LayoutDirection;
}

const KEY = 'retention.designer.prefs.v1';
export const PALETTE_WIDTH = { min: 180, max: 360, initial: 220 };
export const PANEL_WIDTH = { min: 280, max: 640, initial: 360 };
/** Below this window width the palette starts as an icon strip, so the canvas keeps most of the screen. */
const NARROW_WINDOW = 1280;

const clamp = (v: unknown, r: { min: number; max: number; initial: number }) =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(r.max, Math.max(r.min, Math.round(v))) : r.initial;

export function defaultPrefs(windowWidth: number): DesignerPrefs {
  return {
    palette: { open: windowWidth >= NARROW_WINDOW, width: PALETTE_WIDTH.initial },
    panel: { open: true, width: windowWidth >= NARROW_WINDOW ? PANEL_WIDTH.initial : 320 },
    minimap: true,
    direction: 'RIGHT',
  };
}

/** Stored prefs over the defaults; anything unreadable or out of range falls back, field by field. */
export function parsePrefs(raw: string | null, windowWidth: number): DesignerPrefs {
  const d = defaultPrefs(windowWidth);
  let v: Partial<Record<keyof DesignerPrefs, unknown>>;
  try {
    v = raw ? (JSON.parse(raw) as typeof v) : {};
  } catch {
    return d;
  }
  if (!v || typeof v !== 'object') return d;
  const side = (s: unknown, fallback: { open: boolean; width: number }, range: typeof PALETTE_WIDTH) => {
    const o = (s && typeof s === 'object' ? s : {}) as { open?: unknown; width?: unknown };
    return { open: typeof o.open === 'boolean' ? o.open : fallback.open, width: o.width === undefined ? fallback.width : clamp(o.width, range) };
  };
  return {
    palette: side(v.palette, d.palette, PALETTE_WIDTH),
    panel: side(v.panel, d.panel, PANEL_WIDTH),
    minimap: typeof v.minimap === 'boolean' ? v.minimap : d.minimap,
    direction: v.direction === 'DOWN' || v.direction === 'RIGHT' ? v.direction : d.direction,
  };
}

function read(): DesignerPrefs {
  const width = typeof window === 'undefined' ? 1440 : window.innerWidth;
  try {
    return parsePrefs(window.localStorage.getItem(KEY), width);
  } catch {
    return defaultPrefs(width);
  }
}

export function useDesignerPrefs(): [DesignerPrefs, (update: (p: DesignerPrefs) => DesignerPrefs) => void] {
  const [prefs, setPrefs] = useState(read);
  const update = useCallback((fn: (p: DesignerPrefs) => DesignerPrefs) => {
    setPrefs((p) => {
      const next = fn(p);
      try {
        window.localStorage.setItem(KEY, JSON.stringify(next));
      } catch {
        // Private windows may refuse storage: the layout still changes, it is just not remembered.
      }
      return next;
    });
  }, []);
  return [prefs, update];
}
