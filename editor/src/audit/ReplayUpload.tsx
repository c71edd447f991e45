import { useId, useState, type ChangeEvent } from 'react';
import { ErrorBox } from '../components/Status';
import { auditApi, readHistoryFile } from './auditApi';
import { ReplayVerdictView } from './ReplayVerdictView';
import type { ReplayVerdict } from './types';

type State =
  | { status: 'idle' }
  | { status: 'replaying'; file: string }
  | { status: 'done'; file: string; verdict: ReplayVerdict }
  | { status: 'error'; file: string; error: unknown };

/** Replays a history file from the Temporal CLI through the current workflow code. */
export function ReplayUpload() {
  const [state, setState] = useState<State>({ status: 'idle' });
  const inputId = useId();

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = ''; // choosing the same file again replays it again
    if (!file) return;
    setState({ status: 'replaying', file: file.name });
    const read = await readHistoryFile(file);
    if ('problem' in read) {
      setState({ status: 'error', file: file.name, error: new Error(read.problem) });
      return;
    }
    try {
      setState({ status: 'done', file: file.name, verdict: await auditApi.replayHistory(read.history) });
    } catch (error) {
      setState({ status: 'error', file: file.name, error });
    }
  };

  return (
    <section className="card audit-box" aria-labelledby="replay-upload-title">
      <h2 id="replay-upload-title">Replay a history file</h2>
      <p className="muted small">
        Export a run with <code>temporal workflow show --output json</code> and check that the current code makes exactly the recorded decisions.
      </p>
      <label className="field__label small strong" htmlFor={inputId}>
        History file (JSON)
      </label>
      <input
        id={inputId}
        className="audit-file"
        type="file"
        accept=".json,application/json"
        onChange={(e) => void onFile(e)}
        disabled={state.status === 'replaying'}
        data-testid="history-file"
      />
      {state.status !== 'idle' && <p className="small muted audit-box__file">{state.file}</p>}
      {state.status === 'replaying' && <p className="small">Replaying…</p>}
      {state.status === 'done' && <ReplayVerdictView verdict={state.verdict} />}
      {state.status === 'error' && <ErrorBox title="Could not replay this file" error={state.error} />}
    </section>
  );
}
