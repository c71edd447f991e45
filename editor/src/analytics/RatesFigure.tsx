import { useId, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RateBreakdown } from '../../../contract/analytics';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../useApi';
import { analyticsApi, paths, type MonthFilters } from './analyticsApi';
import { Figure, SERIES } from './Figure';
import { monthLabel, pct } from './numbers';

const BREAKDOWNS: { value: RateBreakdown; label: string }[] = [
  { value: 'none', label: 'No breakdown' },
  { value: 'churn_reason', label: 'Churn reason (A–D)' },
  { value: 'churn_type', label: 'Churn type' },
  { value: 'grade', label: 'Grade' },
  { value: 'department', label: 'Department' },
];

/** Churn rate and win-back rate, month by month, optionally one line per group. */
export function RatesFigure({ filters }: { filters: MonthFilters }) {
  const id = useId();
  const [breakdown, setBreakdown] = useState<RateBreakdown>('none');
  const [measure, setMeasure] = useState<'churnRate' | 'winBackRate'>('churnRate');
  const loaded = useApi((signal) => analyticsApi.rates(filters, breakdown, signal), [filters.from, filters.to, breakdown]);
  const controls = (
    <>
      <label className="figure__field" htmlFor={`${id}-breakdown`}>
        Breakdown
        <select id={`${id}-breakdown`} value={breakdown} onChange={(e) => setBreakdown(e.target.value as RateBreakdown)}>
          {BREAKDOWNS.map((b) => (
            <option key={b.value} value={b.value}>
              {b.label}
            </option>
          ))}
        </select>
      </label>
      {breakdown !== 'none' && (
        <label className="figure__field" htmlFor={`${id}-measure`}>
          Chart
          <select id={`${id}-measure`} value={measure} onChange={(e) => setMeasure(e.target.value as 'churnRate' | 'winBackRate')}>
            <option value="churnRate">Churn rate</option>
            <option value="winBackRate">Win-back rate</option>
          </select>
        </label>
      )}
    </>
  );
  const description = 'Churn rate = customers past the churn line ÷ customers served that month. Win-back rate = customers won back ÷ customers lost.';
  if (loaded.status !== 'ok')
    return (
      <Figure
        id="rates"
        title="Churn and win-back rates"
        description={description}
        controls={controls}
        csvHref={paths.rates(filters, breakdown, true)}
        csvName="churn-and-win-back-rates.csv"
        chart={loaded.status === 'loading' ? <Loading label="Loading rates…" /> : <ErrorBox error={loaded.error} onRetry={loaded.reload} />}
        table={null}
      />
    );
  const { rows } = loaded.data;
  const groups = [...new Map(rows.map((r) => [r.group, r.label])).entries()];
  const months = [...new Set(rows.map((r) => r.month))];
  const toPct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
  const data = months.map((month) => {
    const point: Record<string, string | number | null> = { month: monthLabel(month) };
    for (const r of rows.filter((x) => x.month === month)) {
      if (breakdown === 'none') {
        point.churnRate = toPct(r.churnRate);
        point.winBackRate = toPct(r.winBackRate);
      } else point[r.group] = toPct(r[measure]);
    }
    return point;
  });
  const lines =
    breakdown === 'none'
      ? [
          { key: 'churnRate', name: 'Churn rate' },
          { key: 'winBackRate', name: 'Win-back rate' },
        ]
      : groups.map(([key, name]) => ({ key, name }));
  return (
    <Figure
      id="rates"
      title="Churn and win-back rates"
      description={description}
      controls={controls}
      csvHref={paths.rates(filters, breakdown, true)}
      csvName="churn-and-win-back-rates.csv"
      chart={
        <ResponsiveContainer width="100%" height={280}>
          <LineChart data={data} margin={{ top: 10, right: 20, bottom: 30, left: 10 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" label={{ value: 'Month', position: 'insideBottom', offset: -18 }} />
            <YAxis
              unit=" %"
              label={{
                value: breakdown === 'none' ? 'Rate (%)' : `${measure === 'churnRate' ? 'Churn' : 'Win-back'} rate (%)`,
                angle: -90,
                position: 'insideLeft',
                offset: 0,
              }}
            />
            <Tooltip formatter={(v) => (v === null || v === undefined ? '—' : `${String(v)} %`)} />
            <Legend verticalAlign="top" />
            {lines.map((l, i) => (
              <Line
                key={l.key}
                type="monotone"
                dataKey={l.key}
                name={l.name}
                stroke={SERIES[i % SERIES.length]}
                strokeWidth={2}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      }
      table={
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Month</th>
              {breakdown !== 'none' && <th scope="col">{BREAKDOWNS.find((b) => b.value === breakdown)?.label}</th>}
              <th scope="col">Served</th>
              <th scope="col">Lost</th>
              <th scope="col">Won back</th>
              <th scope="col">Churn rate</th>
              <th scope="col">Win-back rate</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.month}-${r.group}`}>
                <th scope="row">{monthLabel(r.month)}</th>
                {breakdown !== 'none' && <td>{r.label}</td>}
                <td>{r.served}</td>
                <td>{r.lost}</td>
                <td>{r.wonBack}</td>
                <td>{pct(r.churnRate)}</td>
                <td>{pct(r.winBackRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
