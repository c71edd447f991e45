import type { ReplayVerdict } from './types';

/** What a verified replay found, in words an auditor can put in a report. */
export function ReplayVerdictView({ verdict }: { verdict: ReplayVerdict }) {
  if (verdict.result === 'matches') {
    return (
      <div className="verdict verdict--ok" role="status" data-testid="replay-verdict" data-result="matches">
        <strong>✔ Matches</strong>
        <span>
          {verdict.events} event{verdict.events === 1 ? '' : 's'} replayed through the current code
          {verdict.runs > 1 ? ` across ${verdict.runs} runs` : ''}: the recorded history is exactly what this code does.
        </span>
      </div>
    );
  }
  if (verdict.result === 'diverged') {
    return (
      <div className="verdict verdict--bad" role="alert" data-testid="replay-verdict" data-result="diverged">
        <strong>✖ Diverged</strong>
        <span>The current code would not have made the recorded decisions{verdict.runId ? ` (run ${verdict.runId})` : ''}:</span>
        <pre className="verdict__message">{verdict.message}</pre>
      </div>
    );
  }
  return (
    <div className="verdict verdict--bad" role="alert" data-testid="replay-verdict" data-result="unreadable">
      <strong>? Unreadable history</strong>
      <pre className="verdict__message">{verdict.message}</pre>
    </div>
  );
}
