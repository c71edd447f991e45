import { findNodeKind } from '../../../../playbooks/nodes';
import type { CompiledPlan } from '../../../../playbooks/plan';
import type { Command, Recipient, TaskSpec } from '../../../../playbooks/runtime/types';
import type { TimelineEntry } from './engine';

type Entry = Omit<TimelineEntry, 'at' | 'day'>;

function recipient(r: Recipient): string {
  if (r.kind === 'customer') return 'the customer';
  if (r.kind === 'user') return r.userId;
  return r.role.replace(/_/g, ' ');
}

/** A transition's commands as timeline lines an ops manager reads ("no response → tier 2 offer"). */
export function describeCommands(
  plan: CompiledPlan,
  commands: readonly Command[],
  /** The tasks open before these commands, so a cancelled one can be named. */
  openBefore: Readonly<Record<string, TaskSpec>> = {},
): { entries: Entry[]; taken: string[] } {
  const name = (id: string) => plan.nodes[id]?.name ?? id;
  const titles = new Map(Object.values(openBefore).map((t) => [t.taskKey, t.title]));
  const entries: Entry[] = [];
  const taken: string[] = [];
  let leaving: { from: string; handle: string } | null = null;
  for (const c of commands) {
    switch (c.type) {
      case 'step_left':
        if (c.handle) {
          for (const h of c.handle.split(',')) taken.push(`${c.nodeId}.${h}`);
          leaving = { from: c.nodeId, handle: c.handle };
        }
        break;
      case 'step_entered': {
        const text = leaving ? `${name(leaving.from)}: ${leaving.handle.replace(/_/g, ' ')} → ${name(c.nodeId)}` : `Starts at ${name(c.nodeId)}`;
        entries.push({ kind: 'move', text, nodeId: c.nodeId });
        // A fork enters several nodes from one leave; keep the "from" for each of them.
        if (leaving && !leaving.handle.includes(',')) leaving = null;
        break;
      }
      case 'close_task': {
        // Closed by the run, not by a person: another branch won a race, or the case moved up an escalation chain.
        const title = titles.get(c.taskKey);
        if (c.status === 'cancelled' && title) entries.push({ kind: 'task', text: `Task cancelled: "${title}"` });
        break;
      }
      case 'create_task':
        titles.set(c.task.taskKey, c.task.title);
        entries.push({ kind: 'task', text: `Task for ${c.task.assignee.role.replace(/_/g, ' ')}: "${c.task.title}"`, nodeId: c.task.nodeId });
        break;
      case 'send_message':
        entries.push({ kind: 'message', text: `Message "${c.template}" by ${c.channel.replace(/_/g, ' ')} to ${recipient(c.recipient)}` });
        break;
      case 'record_offer':
        entries.push({ kind: 'offer', text: `Offer tier ${c.tier} (${c.label}): ${c.status.replace(/_/g, ' ')}`, nodeId: c.nodeId });
        break;
      case 'record_agreement':
        entries.push({ kind: 'offer', text: `Agreement (${c.termMonths} months, ${c.discountPercent}% off): ${c.status}`, nodeId: c.nodeId });
        break;
      case 'update_customer': {
        const parts = [
          c.status && `status ${c.status}`,
          c.churnReason && `reason ${c.churnReason}`,
          c.addTags.length ? `tags +${c.addTags.join(', +')}` : null,
        ].filter(Boolean);
        entries.push({ kind: 'message', text: `Customer file updated${parts.length ? `: ${parts.join(', ')}` : ''}` });
        break;
      }
      case 'record': {
        // A node kind's own record (an experiment's arm): its kind says how it reads, as in the audit timeline.
        const line = findNodeKind(c.kind)?.describe?.(c);
        if (line) entries.push({ kind: 'action', text: line.text, nodeId: c.nodeId });
        break;
      }
      case 'complete_run':
        entries.push({ kind: 'end', text: `Run ended: ${c.outcome.replace(/_/g, ' ')}${c.reason ? ` (${c.reason})` : ''}` });
        break;
      default:
        break;
    }
  }
  return { entries, taken };
}
