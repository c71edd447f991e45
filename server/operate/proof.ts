import { canonicalJson } from '../../playbooks/canonical';
import { operate } from '../../playbooks/runtime/operations';
import type { CompiledPlan } from '../../playbooks/plan';
import type { MigrationVerdict } from '../../contract/operate';
import { fetchAttemptHistories, replayWithSnapshot } from '../audit/replay';
import type { Deps } from '../deps';
import { ApiError, invalid } from '../errors';
import { actorOf, type SessionUser } from '../http';
import { liveSnapshot, publishedVersion, type AttemptRow } from './operations';

/**
 * A migration's dry run, with its proof. Temporal leaves compatibility to your own replay tests;
 * here each attempt is checked on its own history before it moves:
 *  1. its recorded history (every run of it) replays on today's workflow code without diverging;
 *  2. the state that replay rebuilt (reported by the run through a sink as it replayed) is the
 *     state the live run reports, at the same transition, on the same plan;
 *  3. the migration applied to that state through the pure runtime is accepted, and gives the
 *     state and next step shown.
 * Only then can the attempt move; apply sends the same operation with the transition the proof
 * looked at, so an attempt that moved in between is refused and left untouched.
 */

export interface MigrationTarget {
  toVersion: number;
  toPlan: CompiledPlan;
  toName: string;
  mapping: Record<string, string>;
}

export async function migrationTarget(deps: Deps, row: AttemptRow, toVersion: number, mapping: Record<string, string>): Promise<MigrationTarget> {
  if (toVersion === row.playbook_version) {
    throw invalid([{ code: 'same_version', message: `the attempt already follows version ${toVersion}`, path: ['toVersion'] }]);
  }
  const target = await publishedVersion(deps.pool, row.playbook_key, toVersion);
  return { toVersion, toPlan: target.plan, toName: target.name, mapping };
}

export async function dryRunMigration(
  deps: Deps,
  user: SessionUser,
  row: AttemptRow & { customer_name?: string },
  target: MigrationTarget,
): Promise<MigrationVerdict> {
  const base = {
    attemptId: row.id,
    customerName: row.customer_name ?? row.customer_id,
    fromVersion: row.playbook_version,
    toVersion: target.toVersion,
  };
  const refusedWith = (code: string, reason: string, proof: MigrationVerdict['proof'], transition: number | null = null): MigrationVerdict => ({
    ...base,
    canMove: false,
    transition,
    proof,
    refusal: { code, reason, problems: [{ code, message: reason }] },
    steps: [],
    effects: null,
  });
  const noProof = { replay: 'unavailable' as const, statesAgree: false, message: null, events: 0 };
  if (row.status !== 'running') return refusedWith('attempt_not_running', 'the attempt has already ended', noProof);

  const live = await liveSnapshot(deps, row);
  let replayed;
  try {
    const histories = await fetchAttemptHistories(deps.temporal, row.workflow_id, row.first_run_id);
    replayed = await replayWithSnapshot(histories, deps.config.WORKFLOW_BUNDLE);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    return refusedWith('proof_unavailable', `the history could not be replayed: ${String(err)}`, { ...noProof, message: String(err) }, live.transition);
  }
  const { verdict, snapshot } = replayed;
  if (verdict.result !== 'matches') {
    const message = verdict.message;
    return refusedWith(
      'replay_diverged',
      `the recorded history does not replay on today's workflow code: ${message}`,
      { replay: verdict.result === 'diverged' ? 'diverged' : 'unavailable', statesAgree: false, message, events: 0 },
      live.transition,
    );
  }
  const statesAgree =
    snapshot !== null &&
    snapshot.transition === live.transition &&
    snapshot.planHash === live.planHash &&
    snapshot.playbook.version === live.playbook.version &&
    canonicalJson(snapshot.state) === canonicalJson(live.state);
  const proof = {
    replay: 'matches' as const,
    statesAgree,
    message: statesAgree ? null : 'the replayed state differs from the live run (it may be moving right now): try again',
    events: verdict.events,
  };
  if (!statesAgree) return refusedWith('states_disagree', proof.message!, proof, live.transition);
  if (live.incident) return refusedWith('incident_open', 'the attempt has an open incident: retry or skip it first', proof, live.transition);

  const fromPlan = await publishedVersion(deps.pool, row.playbook_key, live.playbook.version);
  if (fromPlan.plan.hash !== live.planHash) {
    return refusedWith('plan_mismatch', 'the attempt follows a plan that is not the published one of its version', proof, live.transition);
  }
  const result = operate(
    fromPlan.plan,
    snapshot.state,
    { type: 'migrate', toPlan: target.toPlan, toVersion: target.toVersion, mapping: target.mapping },
    { operationId: 'dry-run', actor: actorOf(user), reason: 'dry run', at: Date.now() },
  );
  if (!result.ok) {
    return {
      ...base,
      canMove: false,
      transition: live.transition,
      proof,
      refusal: { code: result.code, reason: result.reason, problems: result.problems.map((p) => ({ ...p })) },
      steps: result.steps,
      effects: null,
    };
  }
  return { ...base, canMove: true, transition: live.transition, proof, refusal: null, steps: result.steps, effects: result.effects };
}
