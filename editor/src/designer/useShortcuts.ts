import { useEffect, useRef } from 'react';

export interface ShortcutHandlers {
  undo(): void;
  redo(): void;
  copy(): void;
  paste(): void;
  remove(): void;
  selectAll(): void;
  clearSelection(): void;
  fit(): void;
  layout(): void;
  connect(): void;
  minimap(): void;
  help(): void;
}

/** Shown in the help dialog; kept next to the handler so the two cannot disagree. */
export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'Ctrl+Z', what: 'Undo' },
  { keys: 'Ctrl+Shift+Z / Ctrl+Y', what: 'Redo' },
  { keys: 'Ctrl+C / Ctrl+V', what: 'Copy / paste the selected steps (and the connections between them)' },
  { keys: 'Delete / Backspace', what: 'Delete the selection' },
  { keys: 'Ctrl+A', what: 'Select all steps' },
  { keys: 'Shift+drag', what: 'Select with a box' },
  { keys: 'Shift+click', what: 'Add to / remove from the selection' },
  { keys: 'Esc', what: 'Clear the selection' },
  { keys: 'F', what: 'Zoom to fit' },
  { keys: 'L', what: 'Auto-layout' },
  { keys: 'C', what: 'Connect the selected step: pick where each of its branches leads' },
  { keys: 'Enter', what: 'On a palette step: add it beside the selected step' },
  { keys: 'M', what: 'Show or hide the overview map' },
  { keys: '?', what: 'This help' },
];

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/** Designer shortcuts on the window, except while typing into a field or with a dialog open. */
export function useShortcuts(handlers: ShortcutHandlers, enabled: boolean): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target) || document.querySelector('[role="dialog"][aria-modal="true"]')) return;
      const h = ref.current;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      let handled = true;
      if (mod && key === 'z' && e.shiftKey) h.redo();
      else if (mod && key === 'z') h.undo();
      else if (mod && key === 'y') h.redo();
      else if (mod && key === 'c') h.copy();
      else if (mod && key === 'v') h.paste();
      else if (mod && key === 'a') h.selectAll();
      else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) h.remove();
      else if (!mod && e.key === 'Escape') h.clearSelection();
      else if (!mod && !e.altKey && key === 'f') h.fit();
      else if (!mod && !e.altKey && key === 'l') h.layout();
      else if (!mod && !e.altKey && key === 'c') h.connect();
      else if (!mod && !e.altKey && key === 'm') h.minimap();
      else if (e.key === '?') h.help();
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
