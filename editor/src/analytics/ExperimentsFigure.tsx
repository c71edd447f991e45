import { Bar, BarChart, CartesianGrid, ErrorBar, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Experiment } from '../../../contract/analytics';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../useApi';
import { analyticsApi, paths } from './analyticsApi';
import { Figure, SERIES } from './Figure';
import { pct } from './numbers';

/** Win-back rate per experiment arm, with its 95 % interval and the verdict in words. */
export function ExperimentsFigure({ playbook }: { playbook: string }) {
  const loaded = useApi((signal) => analyticsApi.experiments(playbook, signal), [playbook]);
  if (loaded.status === 'loading') return <Loading label="Loading experiments…" />;
  if (loaded.status === 'error') return <ErrorBox title="Could not load the experiments" error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data.experiments.length === 0)
    return (
      <section className="card figure" aria-label="Experiments">
        <h2>Experiments</h2>
        <p className="muted">No attempt has passed an experiment step{playbook ? ' of this playbook' : ''} yet.</p>
      </section>
    );
  return (
    <>
      {loaded.data.experiments.map((e) => (
        <ExperimentView key={`${e.playbookKey}-${e.nodeId}`} experiment={e} playbook={playbook} />
      ))}
    </>
  );
}

function ExperimentView({ experiment: e, playbook }: { experiment: Experiment; playbook: string }) {
  const data = e.arms.map((a) => {
    const rate = a.winBackRate === null ? 0 : a.winBackRate * 100;
    return {
      arm: a.label,
      rate: Math.round(rate * 10) / 10,
      // ErrorBar wants the distance below and above the bar.
      interval: a.low === null || a.high === null ? [0, 0] : [rate - a.low * 100, a.high * 100 - rate],
    };
  });
  return (
    <Figure
      id={`exp-${e.playbookKey}-${e.nodeId}`}
      title={`Experiment: ${e.nodeName} (${e.playbookName})`}
      description={<span className="figure__verdict">{e.verdict}</span>}
      csvHref={paths.experiments(playbook, true)}
      csvName="experiment-arms.csv"
      chart={
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={data} margin={{ top: 10, right: 20, bottom: 30, left: 10 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="arm" label={{ value: 'Arm', position: 'insideBottom', offset: -18 }} />
            <YAxis unit=" %" domain={[0, 100]} label={{ value: 'Win-back rate (%), 95 % interval', angle: -90, position: 'insideLeft', offset: 0 }} />
            <Tooltip formatter={(v) => `${String(v)} %`} />
            <Bar dataKey="rate" name="Win-back rate" fill={SERIES[0]} isAnimationActive={false}>
              <ErrorBar dataKey="interval" width={8} strokeWidth={2} stroke="#1e293b" />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Arm</th>
              <th scope="col">Attempts</th>
              <th scope="col">Ended</th>
              <th scope="col">Won back</th>
              <th scope="col">Win-back rate</th>
              <th scope="col">95 % interval</th>
              <th scope="col">Against baseline</th>
            </tr>
          </thead>
          <tbody>
            {e.arms.map((a) => (
              <tr key={a.arm}>
                <th scope="row">{a.label}</th>
                <td>{a.attempts}</td>
                <td>{a.ended}</td>
                <td>{a.wonBack}</td>
                <td>{pct(a.winBackRate)}</td>
                <td>{a.low === null || a.high === null ? '—' : `${pct(a.low)} – ${pct(a.high)}`}</td>
                <td>
                  {a.arm === e.baseline
                    ? 'baseline'
                    : a.pValue === null
                      ? '—'
                      : `p = ${a.pValue.toFixed(3)}${a.significant ? ' (significant)' : ' (not yet significant)'}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
