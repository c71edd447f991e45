import { Dialog } from './Dialog';
import { SHORTCUTS } from './useShortcuts';

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td>
                {s.keys.split(' / ').map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' or '}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        On a Mac, Cmd works wherever Ctrl is listed. Drag from a labelled handle on the right of a step to another step to connect them; connecting a handle
        again replaces its connection.
      </p>
    </Dialog>
  );
}
