import { ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { z } from 'zod';
import {
  Accepted,
  BackfillBody,
  DryRunBody,
  DryRunResult,
  EvaluationChanges,
  PauseBody,
  PublishRulesBody,
  RulesDraftView,
  RulesPublished,
  RulesVersionList,
  SaveRulesBody,
  ScheduleStatusView,
  ScheduleView,
} from '../../contract/risk';
import { recordAudit } from '../../platform/db/audit';
import { RISK_SCHEDULE_ID } from '../../workflows/riskContract';
import { customerInReach } from '../access';
import type { Deps } from '../deps';
import { reply, route, type RouteDef } from '../http';
import { Params } from '../inbox/query';
import { dryRun } from '../risk/dryRun';
import { listVersions, publishDraft, readDraft, saveDraft } from '../risk/rulesStore';
import { ensureRiskSchedule, scheduleView } from '../risk/schedule';

const MANAGERS = ['ops_manager', 'admin'] as const;
const READERS = ['ops_manager', 'admin', 'department_head', 'auditor'] as const;

const ChangesQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) });

/**
 * The at-risk rules (draft, publish, versions, dry run) and their evaluation schedule (status,
 * pause, unpause, backfill, run now). Ops managers and admins change them; heads and auditors read.
 */
export function riskRoutes({ pool, temporal, log }: Deps): RouteDef[] {
  const schedule = () => temporal.schedule.getHandle(RISK_SCHEDULE_ID);
  async function describeSchedule() {
    try {
      return await schedule().describe();
    } catch (err) {
      // Made when the API process starts (server/main.ts, scripts/start.ts); made here if it is missing all the same.
      if (!(err instanceof ScheduleNotFoundError)) throw err;
      await ensureRiskSchedule(temporal, log);
      return schedule().describe();
    }
  }

  return [
    route({
      method: 'get',
      path: '/api/risk/rules',
      summary: 'Read the at-risk rules: the draft and the newest published version',
      tag: 'risk',
      response: RulesDraftView,
      access: 'signed_in',
      async handle() {
        return readDraft(pool);
      },
    }),
    route<z.infer<typeof SaveRulesBody>>({
      method: 'put',
      path: '/api/risk/rules/draft',
      summary: 'Save the draft of the at-risk rules (a stale revision is refused)',
      tag: 'risk',
      response: RulesDraftView,
      access: MANAGERS,
      body: SaveRulesBody,
      errors: { 409: 'the draft changed since it was read' },
      async handle({ body, user }) {
        return saveDraft(pool, user.id, body.rules, body.revision);
      },
    }),
    route<z.infer<typeof PublishRulesBody>>({
      method: 'post',
      path: '/api/risk/rules/publish',
      summary: 'Publish the draft of the at-risk rules as a new version, used by the next evaluation',
      tag: 'risk',
      response: RulesPublished,
      success: [201],
      access: MANAGERS,
      body: PublishRulesBody,
      async handle({ body, user }) {
        return reply(201, await publishDraft(pool, user.id, body.note));
      },
    }),
    route({
      method: 'get',
      path: '/api/risk/rules/versions',
      summary: 'List the published versions of the at-risk rules',
      tag: 'risk',
      response: RulesVersionList,
      access: 'signed_in',
      async handle() {
        return { versions: await listVersions(pool) };
      },
    }),
    route<z.input<typeof DryRunBody>>({
      method: 'post',
      path: '/api/risk/rules/dry-run',
      summary:
        'Show which customers the rules (the draft, or the rules sent) would move now, beside the published rules; changes nothing. One answer scans about a second of customers: continue with `after` = `next` (and the same `asOf`) until `next` is null',
      tag: 'risk',
      response: DryRunResult,
      access: READERS,
      safe: true,
      body: DryRunBody,
      async handle({ body, user }) {
        const parsed = DryRunBody.parse(body);
        const draft = await readDraft(pool);
        const asOf = parsed.asOf ? Date.parse(parsed.asOf) : Date.now();
        return dryRun(pool, user, parsed.rules ?? draft.rules, draft.publishedRules, asOf, parsed.limit, { after: parsed.after });
      },
    }),
    route({
      method: 'get',
      path: '/api/risk/schedule',
      summary: 'The evaluation schedule (paused or not, next and recent runs) and the latest evaluations',
      tag: 'risk',
      response: ScheduleStatusView,
      access: READERS,
      async handle() {
        const { rows } = await pool.query('SELECT * FROM risk_evaluations ORDER BY started_at DESC LIMIT 20');
        let view = null;
        let scheduleError: string | null = null;
        try {
          view = scheduleView(await describeSchedule());
        } catch (err) {
          // The evaluations are still worth showing while Temporal is away.
          scheduleError = err instanceof Error ? err.message : String(err);
        }
        return {
          schedule: view,
          scheduleError,
          evaluations: rows.map((r) => ({
            id: r.id,
            asOf: r.as_of.toISOString(),
            ruleVersion: r.rule_version,
            reason: r.reason,
            status: r.status,
            scanned: r.scanned,
            changed: r.changed,
            startedPlaybooks: r.started_playbooks,
            startedAt: r.started_at.toISOString(),
            finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
          })),
        };
      },
    }),
    route<z.infer<typeof PauseBody>>({
      method: 'post',
      path: '/api/risk/schedule/pause',
      summary: 'Pause the daily at-risk evaluation',
      tag: 'risk',
      response: ScheduleView,
      access: MANAGERS,
      body: PauseBody,
      async handle({ body, user }) {
        await describeSchedule();
        await schedule().pause(`${body.note} (${user.username})`);
        await recordAudit(pool, { actorId: user.id, action: 'risk_schedule_paused', subject: RISK_SCHEDULE_ID, details: { note: body.note } });
        return scheduleView(await schedule().describe());
      },
    }),
    route({
      method: 'post',
      path: '/api/risk/schedule/unpause',
      summary: 'Resume the daily at-risk evaluation',
      tag: 'risk',
      response: ScheduleView,
      access: MANAGERS,
      async handle({ user }) {
        await describeSchedule();
        await schedule().unpause(`resumed by ${user.username}`);
        await recordAudit(pool, { actorId: user.id, action: 'risk_schedule_unpaused', subject: RISK_SCHEDULE_ID });
        return scheduleView(await schedule().describe());
      },
    }),
    route({
      method: 'post',
      path: '/api/risk/schedule/run-now',
      summary: 'Run the at-risk evaluation now (as the schedule would)',
      tag: 'risk',
      response: Accepted,
      success: [202],
      access: MANAGERS,
      async handle({ user }) {
        await describeSchedule();
        await schedule().trigger(ScheduleOverlapPolicy.ALLOW_ALL);
        await recordAudit(pool, { actorId: user.id, action: 'risk_evaluation_run_now', subject: RISK_SCHEDULE_ID });
        return reply(202, { accepted: true });
      },
    }),
    route<z.infer<typeof BackfillBody>>({
      method: 'post',
      path: '/api/risk/schedule/backfill',
      summary: 'Run the evaluations the schedule would have run between two moments, each as of its own day',
      tag: 'risk',
      response: Accepted,
      success: [202],
      access: MANAGERS,
      body: BackfillBody,
      async handle({ body, user }) {
        await describeSchedule();
        await schedule().backfill({ start: new Date(body.from), end: new Date(body.to), overlap: ScheduleOverlapPolicy.ALLOW_ALL });
        await recordAudit(pool, { actorId: user.id, action: 'risk_schedule_backfilled', subject: RISK_SCHEDULE_ID, details: body });
        return reply(202, { accepted: true });
      },
    }),
    route<undefined, z.infer<typeof ChangesQuery>>({
      method: 'get',
      path: '/api/risk/evaluations/:id/changes',
      summary: 'The status changes one evaluation made (customers within your reach)',
      tag: 'risk',
      response: EvaluationChanges,
      access: READERS,
      query: ChangesQuery,
      async handle({ params, query, user }) {
        const p = new Params();
        const { rows } = await pool.query(
          `SELECT ch.*, c.name FROM risk_evaluation_changes ch JOIN customers c ON c.id = ch.customer_id
            WHERE ch.evaluation_id = ${p.add(params.id)} AND ${customerInReach(user, p)} ORDER BY ch.customer_id LIMIT ${p.add(query.limit)}`,
          p.values,
        );
        return {
          changes: rows.map((r) => ({
            customerId: r.customer_id,
            name: r.name,
            from: r.from_status,
            to: r.to_status,
            rule: r.rule,
            trigger: r.trigger_key,
            evidence: r.evidence,
            at: r.at.toISOString(),
          })),
        };
      },
    }),
  ];
}
