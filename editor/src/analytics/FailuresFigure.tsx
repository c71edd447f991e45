import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../useApi';
import { analyticsApi, paths, type MonthFilters } from './analyticsApi';
import { Figure, SERIES } from './Figure';
import { pct } from './numbers';

/** The failure audit: how often each internal failure cause was recorded in completed tasks. */
export function FailuresFigure({ filters }: { filters: MonthFilters }) {
  const loaded = useApi((signal) => analyticsApi.failures(filters, signal), [filters.from, filters.to]);
  const common = {
    id: 'failures',
    title: 'Failure audit',
    description:
      'How often each internal failure cause was recorded when a task was completed (complaint category, internal cause, the cause found on a visit).',
    csvHref: paths.failures(filters, true),
    csvName: 'failure-audit.csv',
  };
  if (loaded.status !== 'ok')
    return (
      <Figure
        {...common}
        chart={loaded.status === 'loading' ? <Loading label="Loading the failure audit…" /> : <ErrorBox error={loaded.error} onRetry={loaded.reload} />}
        table={null}
      />
    );
  const rows = loaded.data.rows;
  const data = rows.slice(0, 12).map((r) => ({ cause: r.causeLabel, times: r.count }));
  return (
    <Figure
      {...common}
      chart={
        rows.length === 0 ? (
          <p className="muted figure__empty">No failure cause was recorded in these months.</p>
        ) : (
          <ResponsiveContainer width="100%" height={Math.max(160, 36 * data.length + 60)}>
            <BarChart data={data} layout="vertical" margin={{ top: 10, right: 20, bottom: 30, left: 10 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" allowDecimals={false} label={{ value: 'Times recorded', position: 'insideBottom', offset: -18 }} />
              <YAxis type="category" dataKey="cause" width={180} />
              <Tooltip />
              <Bar dataKey="times" name="Times recorded" fill={SERIES[1]} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        )
      }
      table={
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Cause</th>
              <th scope="col">Recorded as</th>
              <th scope="col">Times</th>
              <th scope="col">Share</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.field}-${r.cause}`}>
                <th scope="row">{r.causeLabel}</th>
                <td>{r.fieldLabel}</td>
                <td>{r.count}</td>
                <td>{pct(r.share)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
