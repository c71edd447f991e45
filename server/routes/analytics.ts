import type { Response } from 'express';
import {
  ANALYTICS_READERS,
  ExperimentReport,
  ExperimentsQuery,
  FailureAudit,
  FailuresQuery,
  OutcomesQuery,
  OutcomesReport,
  RatesQuery,
  RatesReport,
  StepReport,
  StepsQuery,
} from '../../contract/analytics';
import { toCsv, type CsvColumn } from '../analytics/csv';
import { experimentArms } from '../analytics/experiments';
import { failureAudit } from '../analytics/failures';
import { attemptOutcomes } from '../analytics/outcomes';
import { dayRange, monthRange } from '../analytics/period';
import { churnAndWinBackRates } from '../analytics/rates';
import { stepAnalytics } from '../analytics/steps';
import type { Deps } from '../deps';
import { route, type RouteDef } from '../http';

/**
 * The retention dashboard's tables and the playbook heatmap. Every table is also CSV
 * (`?format=csv`). Department heads count the customers of their department (server/access.ts);
 * ops managers, admins and auditors every department; reps are refused.
 */
export function analyticsRoutes(deps: Deps): RouteDef[] {
  const { pool } = deps;
  const tag = 'analytics';
  const csvNote = '; `format=csv` answers the same table as text/csv';
  return [
    route<undefined, RatesQuery>({
      method: 'get',
      path: '/api/analytics/rates',
      summary: `Churn and win-back rates month by month, optionally broken down by churn type, reason, grade or department${csvNote}`,
      tag,
      access: ANALYTICS_READERS,
      query: RatesQuery,
      response: RatesReport,
      async handle({ user, query, res }) {
        const report = await churnAndWinBackRates(pool, user, {
          breakdown: query.breakdown,
          range: monthRange(query.from, query.to),
          department: query.department,
        });
        if (query.format === 'csv')
          return sendCsv(res, 'churn-and-win-back-rates', report.rows, [
            { label: 'Month', value: (r) => r.month },
            { label: 'Group', value: (r) => r.label },
            { label: 'Served', value: (r) => r.served },
            { label: 'Lost', value: (r) => r.lost },
            { label: 'Won back', value: (r) => r.wonBack },
            { label: 'Churn rate', value: (r) => r.churnRate },
            { label: 'Win-back rate', value: (r) => r.winBackRate },
          ]);
        return report;
      },
    }),
    route<undefined, OutcomesQuery>({
      method: 'get',
      path: '/api/analytics/outcomes',
      summary: `Recovery attempts ended and won back month by month, by playbook, version or the offer tier that won the customer back${csvNote}`,
      tag,
      access: ANALYTICS_READERS,
      query: OutcomesQuery,
      response: OutcomesReport,
      async handle({ user, query, res }) {
        const report = await attemptOutcomes(pool, user, { ...query, range: monthRange(query.from, query.to) });
        if (query.format === 'csv')
          return sendCsv(res, `attempt-outcomes-by-${query.breakdown}`, report.rows, [
            { label: 'Month', value: (r) => r.month },
            { label: query.breakdown === 'offer_tier' ? 'Offer tier' : query.breakdown === 'version' ? 'Version' : 'Playbook', value: (r) => r.label },
            { label: 'Attempts ended', value: (r) => r.ended },
            { label: 'Won back', value: (r) => r.wonBack },
            { label: 'Win-back rate', value: (r) => r.winBackRate },
          ]);
        return report;
      },
    }),
    route<undefined, FailuresQuery>({
      method: 'get',
      path: '/api/analytics/failures',
      summary: `The failure audit: how often each internal failure cause was recorded in completed tasks${csvNote}`,
      tag,
      access: ANALYTICS_READERS,
      query: FailuresQuery,
      response: FailureAudit,
      async handle({ user, query, res }) {
        const report = await failureAudit(pool, user, { range: monthRange(query.from, query.to), department: query.department, playbook: query.playbook });
        if (query.format === 'csv')
          return sendCsv(res, 'failure-audit', report.rows, [
            { label: 'Recorded as', value: (r) => r.fieldLabel },
            { label: 'Cause', value: (r) => r.causeLabel },
            { label: 'Times', value: (r) => r.count },
            { label: 'Share', value: (r) => r.share },
          ]);
        return report;
      },
    }),
    route<undefined, ExperimentsQuery>({
      method: 'get',
      path: '/api/analytics/experiments',
      summary: `Win-back rate per experiment arm with a 95 % interval and whether the difference is significant yet${csvNote}`,
      tag,
      access: ANALYTICS_READERS,
      query: ExperimentsQuery,
      response: ExperimentReport,
      async handle({ user, query, res }) {
        const report = await experimentArms(pool, user, { ...query, ...dayRange(query.from, query.to) });
        if (query.format === 'csv')
          return sendCsv(
            res,
            'experiment-arms',
            report.experiments.flatMap((e) => e.arms.map((a) => ({ e, a }))),
            [
              { label: 'Playbook', value: ({ e }) => e.playbookName },
              { label: 'Experiment', value: ({ e }) => e.nodeName },
              { label: 'Arm', value: ({ a }) => a.label },
              { label: 'Attempts', value: ({ a }) => a.attempts },
              { label: 'Ended', value: ({ a }) => a.ended },
              { label: 'Won back', value: ({ a }) => a.wonBack },
              { label: 'Win-back rate', value: ({ a }) => a.winBackRate },
              { label: '95 % low', value: ({ a }) => a.low },
              { label: '95 % high', value: ({ a }) => a.high },
              { label: 'p-value against baseline', value: ({ a }) => a.pValue },
              { label: 'Significant', value: ({ a }) => (a.pValue === null ? 'baseline' : a.significant ? 'yes' : 'not yet') },
            ],
          );
        return report;
      },
    }),
    route<undefined, StepsQuery>({
      method: 'get',
      path: '/api/analytics/playbooks/:key/steps',
      summary: `Per-step analytics of a playbook for the heatmap: counts per node and connection, median and p90 time in step, drop-off${csvNote}`,
      tag,
      access: ANALYTICS_READERS,
      query: StepsQuery,
      response: StepReport,
      errors: { 404: 'no such published playbook or version' },
      async handle({ user, query, params, res }) {
        const report = await stepAnalytics(pool, user, params.key, { version: query.version, department: query.department, ...dayRange(query.from, query.to) });
        if (query.format === 'csv')
          return sendCsv(res, `steps-${report.playbookKey}-v${report.version}`, report.nodes, [
            { label: 'Step', value: (r) => r.name },
            { label: 'Kind', value: (r) => r.kind },
            { label: 'Entered', value: (r) => r.entered },
            { label: 'Left', value: (r) => r.left },
            { label: 'Still there', value: (r) => r.open },
            { label: 'Dropped off', value: (r) => r.droppedOff },
            { label: 'Drop-off rate', value: (r) => r.dropOffRate },
            { label: 'Median seconds', value: (r) => r.medianSeconds },
            { label: 'p90 seconds', value: (r) => r.p90Seconds },
          ]);
        return report;
      },
    }),
  ];
}

/** Sends the table as a CSV download; the route's JSON answer is skipped (headers are sent). */
function sendCsv<T>(res: Response, name: string, rows: readonly T[], columns: CsvColumn<T>[]): null {
  res
    .status(200)
    .type('text/csv; charset=utf-8')
    .setHeader('Content-Disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.csv"`);
  res.send(toCsv(rows, columns));
  return null;
}
