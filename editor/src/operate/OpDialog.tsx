import { useEffect, useId, useRef, type ReactNode } from 'react';

/** The dialogs open now, innermost last. */
const open: object[] = [];

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
}

/**
 * A modal dialog for the operator's actions: focus moves in and returns to what opened it, Tab stays
 * inside, Escape closes. Its own (not the designer's) so the attempts page does not load designer styles.
 */
export function OpDialog({ title, onClose, children, footer, wide }: Props) {
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const token = {};
    open.push(token);
    ref.current?.querySelector<HTMLElement>('input, select, textarea, button:not(.op-dialog__close)')?.focus();
    const onKey = (e: KeyboardEvent) => {
      // A dialog opened from a dialog (a repair from the attempt panel) owns the keys until it closes.
      if (open[open.length - 1] !== token) return;
      if (e.key === 'Escape') {
        e.stopPropagation();
        close.current();
      } else if (e.key === 'Tab' && ref.current) trapTab(e, ref.current);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      open.splice(open.indexOf(token), 1);
      opener?.focus?.();
    };
  }, []);

  return (
    <div className="op-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={ref} className={wide ? 'op-dialog op-dialog--wide' : 'op-dialog'} role="dialog" aria-modal="true" aria-labelledby={id}>
        <div className="op-dialog__head">
          <h2 id={id}>{title}</h2>
          <button type="button" className="btn btn--ghost btn--small op-dialog__close" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </div>
        <div className="op-dialog__body">{children}</div>
        {footer && <div className="op-dialog__foot">{footer}</div>}
      </div>
    </div>
  );
}

function trapTab(e: KeyboardEvent, root: HTMLElement) {
  const items = [
    ...root.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled])'),
  ];
  if (items.length === 0) return;
  const first = items[0];
  const last = items[items.length - 1];
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}
