import { useId, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { OutcomeBreakdown } from '../../../contract/analytics';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../useApi';
import { analyticsApi, paths, type MonthFilters } from './analyticsApi';
import { Figure, SERIES } from './Figure';
import { monthLabel, pct } from './numbers';

const BREAKDOWNS: { value: OutcomeBreakdown; label: string }[] = [
  { value: 'playbook', label: 'Playbook' },
  { value: 'version', label: 'Playbook version' },
  { value: 'offer_tier', label: 'Offer tier that won them back' },
];

/** Recovery attempts that ended each month and the share that won the customer back, per group. */
export function OutcomesFigure({ filters, playbook }: { filters: MonthFilters; playbook: string }) {
  const id = useId();
  const [breakdown, setBreakdown] = useState<OutcomeBreakdown>('playbook');
  const loaded = useApi((signal) => analyticsApi.outcomes(filters, breakdown, playbook, signal), [filters.from, filters.to, breakdown, playbook]);
  const controls = (
    <label className="figure__field" htmlFor={`${id}-breakdown`}>
      By
      <select id={`${id}-breakdown`} value={breakdown} onChange={(e) => setBreakdown(e.target.value as OutcomeBreakdown)}>
        {BREAKDOWNS.map((b) => (
          <option key={b.value} value={b.value}>
            {b.label}
          </option>
        ))}
      </select>
    </label>
  );
  const description =
    breakdown === 'offer_tier'
      ? 'Won-back attempts by the highest offer tier their customer accepted, as a share of all attempts that ended that month (the tiers add up to the month’s rate).'
      : 'Of the recovery attempts that ended that month, the share that won their customer back.';
  const common = {
    id: 'outcomes',
    title: 'What the playbooks win back',
    description,
    controls,
    csvHref: paths.outcomes(filters, breakdown, playbook, true),
    csvName: `attempt-outcomes-by-${breakdown}.csv`,
  };
  if (loaded.status !== 'ok')
    return (
      <Figure
        {...common}
        chart={loaded.status === 'loading' ? <Loading label="Loading outcomes…" /> : <ErrorBox error={loaded.error} onRetry={loaded.reload} />}
        table={null}
      />
    );
  const { rows } = loaded.data;
  const groups = [...new Map(rows.map((r) => [r.group, r.label])).entries()];
  const months = [...new Set(rows.map((r) => r.month))];
  const data = months.map((month) => {
    const point: Record<string, string | number | null> = { month: monthLabel(month) };
    for (const r of rows.filter((x) => x.month === month)) point[r.group] = r.winBackRate === null ? null : Math.round(r.winBackRate * 1000) / 10;
    return point;
  });
  const label = BREAKDOWNS.find((b) => b.value === breakdown)?.label ?? '';
  return (
    <Figure
      {...common}
      chart={
        rows.length === 0 ? (
          <p className="muted figure__empty">No recovery attempt ended in these months.</p>
        ) : (
          <ResponsiveContainer width="100%" height={280}>
            <BarChart data={data} margin={{ top: 10, right: 20, bottom: 30, left: 10 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="month" label={{ value: 'Month the attempt ended', position: 'insideBottom', offset: -18 }} />
              <YAxis unit=" %" label={{ value: 'Win-back rate (%)', angle: -90, position: 'insideLeft', offset: 0 }} />
              <Tooltip formatter={(v) => (v === null || v === undefined ? '—' : `${String(v)} %`)} />
              <Legend verticalAlign="top" />
              {groups.map(([key, name], i) => (
                <Bar
                  key={key}
                  dataKey={key}
                  name={name}
                  fill={SERIES[i % SERIES.length]}
                  stackId={breakdown === 'offer_tier' ? 'tiers' : undefined}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        )
      }
      table={
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col">{label}</th>
              <th scope="col">Attempts ended</th>
              <th scope="col">Won back</th>
              <th scope="col">Win-back rate</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.month}-${r.group}`}>
                <th scope="row">{monthLabel(r.month)}</th>
                <td>{r.label}</td>
                <td>{r.ended}</td>
                <td>{r.wonBack}</td>
                <td>{pct(r.winBackRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
