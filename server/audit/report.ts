import type { PlaybookGraph } from '../../playbooks/graph';
import { escapeHtml } from '../html';
import type { ReplayVerdict } from './replay';
import { PATH_PICTURE_CSS, pathPicture } from './reportPath';
import { momentFormat, outcomeWords, type NameDirectory, type RunStory, type TimelineEvent } from './timeline';

/** The audit chain as the report pins it: the verdict, the head row and this attempt's last row in it. */
export interface ReportChain {
  ok: boolean;
  rows: number;
  firstBrokenId: string | null;
  head: { id: string; hash: string; at: string } | null;
  /** The attempt's newest audit row: its hash links the attempt's rows into the chain. */
  attemptLast: { id: string; hash: string } | null;
}

export interface ReportInput {
  attempt: {
    id: string;
    customerId: string;
    status: string;
    outcome: string | null;
    outcomeReason: string | null;
    startedAt: string;
    startedBy: string | null;
    endedAt: string | null;
    playbookKey: string;
    playbookVersion: number;
  };
  customerName: string | null;
  playbookName: string | null;
  graph: PlaybookGraph | null;
  story: RunStory;
  /** The steps the attempt waits at now (none once it ended). */
  activeNodeIds: string[];
  replay: ReplayVerdict;
  chain: ReportChain;
  names: NameDirectory;
  timeZone: string;
  generatedAt: Date;
}

const STATUS_WORDS: Record<string, string> = { running: 'Running', completed: 'Completed', failed: 'Failed', terminated: 'Terminated' };

/** "3 days before this report", "2 hours before": how long ago a moment was when the report was made. */
export function before(iso: string, now: Date): string {
  const ms = now.getTime() - Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const units: [string, number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ];
  for (const [unit, size] of units) {
    const count = Math.floor(ms / size);
    if (count >= 1) return `${count} ${unit}${count === 1 ? '' : 's'} before this report`;
  }
  return 'moments before this report';
}

/**
 * The printable report of one recovery attempt: who the customer is, what ran and how it ended,
 * the path on the playbook, the story with people by name and times in the reader's time zone,
 * the verified replay and the audit chain head the report was made against.
 */
export function renderReport(r: ReportInput): string {
  const { attempt: a, names, story } = r;
  const when = momentFormat(r.timeZone);
  const person = (id: string | null) => (id ? (names.users.get(id) ?? id) : 'the system');
  const time = (iso: string) => `<time datetime="${escapeHtml(iso)}">${escapeHtml(when(iso))}</time>`;
  const customer = r.customerName ? `${r.customerName} (${a.customerId})` : a.customerId;
  const playbook = `${r.playbookName ?? a.playbookKey}, version ${a.playbookVersion}`;
  const outcome = a.outcome ? ` — ${outcomeWords(a.outcome)}${a.outcomeReason ? ` (${a.outcomeReason})` : ''}` : '';
  const title = `Recovery attempt for ${customer}`;

  const facts = [
    ['Customer', escapeHtml(customer)],
    ['Playbook', escapeHtml(playbook)],
    ['Started', `${time(a.startedAt)} by ${escapeHtml(person(a.startedBy))}`],
    ['Ended', a.endedAt ? time(a.endedAt) : 'still running'],
    ['Status', escapeHtml(`${STATUS_WORDS[a.status] ?? a.status}${outcome}`)],
    ['Attempt id', `<code>${escapeHtml(a.id)}</code>`],
  ]
    .map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`)
    .join('');

  const rows = story.timeline
    .map(
      (e) =>
        `<tr data-kind="${escapeHtml(e.kind)}"><td>${time(e.at)}<br><span class="muted">${escapeHtml(before(e.at, r.generatedAt))}</span></td><td>${escapeHtml(actorWords(e, person))}</td><td>${escapeHtml(e.summary)}</td><td class="muted">${e.source === 'audit' ? 'Audit log' : 'Temporal'}</td></tr>`,
    )
    .join('\n');

  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#111827;line-height:1.4}main{max-width:70rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d1d5db;padding:.3rem .5rem;text-align:left;font-size:.9rem;vertical-align:top}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.8rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:#374151;font-weight:600}
.muted{color:#4b5563}.small{font-size:.85rem}.verdict{padding:.5rem .8rem;border-radius:6px;border:1px solid}.verdict--ok{background:#ecfdf5;border-color:#047857;color:#064e3b}
.verdict--bad{background:#fef2f2;border-color:#b91c1c;color:#7f1d1d}code,.hash{font-family:ui-monospace,monospace;font-size:.85rem;word-break:break-all}
.path-steps{columns:2;font-size:.9rem}${PATH_PICTURE_CSS}
@media print{body{margin:1cm}.path-picture{page-break-inside:avoid}tr{page-break-inside:avoid}}</style></head><body><main>
<h1>${escapeHtml(title)}</h1>
<dl>${facts}</dl>
<h2>Path through the playbook</h2>
${pathSection(r)}
<h2>Verified replay</h2>
${replaySection(r.replay)}
<h2>Audit chain</h2>
${chainSection(r.chain, time)}
<h2>Timeline</h2>
<table><caption class="muted">Times in ${escapeHtml(r.timeZone)}</caption><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Recorded in</th></tr></thead>
<tbody>${rows}</tbody></table>
<p class="muted"><small>Generated ${time(r.generatedAt.toISOString())} (${escapeHtml(r.timeZone)}) from Temporal's event history and the audit log.</small></p>
</main></body></html>`;
}

/** The person who acted, by name; the customer answering for themselves says so. */
function actorWords(e: TimelineEvent, person: (id: string | null) => string): string {
  if (!e.actor) return '';
  if (e.actor.role === 'customer') return `${e.actor.name ?? e.actor.userId} (customer)`;
  return e.actor.name ?? person(e.actor.userId);
}

function pathSection(r: ReportInput): string {
  if (!r.graph) return '<p>The playbook version is not stored, so the path cannot be drawn.</p>';
  const active = new Set(r.activeNodeIds);
  const name = new Map(r.graph.nodes.map((node) => [node.id, node.name ?? node.id]));
  // The steps in the order the attempt first entered them, with how often each ran.
  const order = [...new Set(r.story.timeline.filter((e) => e.kind === 'step_entered' && e.nodeId).map((e) => e.nodeId!))];
  const steps = order
    .map((id) => {
      const runs = r.story.path.nodes[id] ?? 0;
      return `<li>${escapeHtml(name.get(id) ?? id)}${runs > 1 ? ` — ran ${runs} times` : ''}${active.has(id) ? ' — waiting here now' : ''}</li>`;
    })
    .join('');
  const picture = pathPicture(r.graph, r.story.path, active, `The playbook's steps; the ${order.length} the attempt went through are filled`);
  return `${picture}
<p class="muted small">Filled: steps the attempt went through (×N: how often, when it looped). Outlined in amber: where it waits now. Dashed: not reached.</p>
<ol class="path-steps">${steps || '<li>No step entered yet</li>'}</ol>`;
}

function replaySection(v: ReplayVerdict): string {
  if (v.result === 'matches')
    return `<p class="verdict verdict--ok" data-replay="matches"><strong>Matches.</strong> ${v.events} events in ${v.runs} run${v.runs === 1 ? '' : 's'} replayed through the workflow code running now, with the same decisions.</p>`;
  if (v.result === 'diverged')
    return `<p class="verdict verdict--bad" data-replay="diverged"><strong>Diverged${v.runId ? ` in run ${escapeHtml(v.runId)}` : ''}.</strong> ${escapeHtml(v.message)}</p>`;
  return `<p class="verdict verdict--bad" data-replay="unreadable"><strong>Could not replay.</strong> ${escapeHtml(v.message)}</p>`;
}

function chainSection(c: ReportChain, time: (iso: string) => string): string {
  const verdict = c.ok
    ? `<p class="verdict verdict--ok" data-chain="intact"><strong>Chain intact.</strong> ${c.rows} rows, each hash matching its content and its predecessor.</p>`
    : `<p class="verdict verdict--bad" data-chain="broken"><strong>Chain broken${c.firstBrokenId ? ` at row ${escapeHtml(c.firstBrokenId)}` : ''}.</strong> Rows after it cannot be trusted.</p>`;
  const head = c.head
    ? `<dt>Head of the chain</dt><dd>row ${escapeHtml(c.head.id)}, ${time(c.head.at)}<br><span class="hash" data-testid="chain-head">${escapeHtml(c.head.hash)}</span></dd>`
    : '<dt>Head of the chain</dt><dd>the log is empty</dd>';
  const own = c.attemptLast
    ? `<dt>This attempt's last row</dt><dd>row ${escapeHtml(c.attemptLast.id)}<br><span class="hash">${escapeHtml(c.attemptLast.hash)}</span></dd>`
    : "<dt>This attempt's last row</dt><dd>no human action recorded</dd>";
  return `${verdict}<dl>${head}${own}</dl><p class="muted"><small>Keep the head hash: the chain verified later must still contain this row with this hash.</small></p>`;
}
