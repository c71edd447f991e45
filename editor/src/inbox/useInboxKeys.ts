import { useEffect, useRef } from 'react';

export interface InboxKeyHandlers {
  move: (delta: 1 | -1) => void;
  open: () => void;
  claim: () => void;
  search: () => void;
  close: () => void;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/**
 * Inbox shortcuts: j/k move the selection, Enter opens it, c claims it, / focuses search, Esc
 * closes the detail. Ignored while typing in a field or with a modifier held.
 */
export function useInboxKeys(handlers: InboxKeyHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const h = ref.current;
      switch (e.key) {
        case 'j':
          h.move(1);
          break;
        case 'k':
          h.move(-1);
          break;
        case 'Enter':
          // A focused link or button does its own thing on Enter.
          if (e.target instanceof HTMLAnchorElement || e.target instanceof HTMLButtonElement) return;
          h.open();
          break;
        case 'c':
          h.claim();
          break;
        case '/':
          h.search();
          break;
        case 'Escape':
          h.close();
          break;
        default:
          return;
      }
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
