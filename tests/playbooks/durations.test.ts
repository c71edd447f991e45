import { compilePlaybook } from '../../playbooks/compile';
import { MAX_DURATION_DAYS, parseDuration } from '../../playbooks/duration';
import { buildStory } from '../../server/audit/timeline';

/**
 * Every duration has a range (longer than zero, at most ten years): the compiler refuses the rest
 * with the path, so no run gets a due date no database can store; and the timeline tells a story
 * whose dates are out of range without failing.
 */
const graphWith = (sla: string, delay = 'P1D') => ({
  nodes: [
    { id: 's', kind: 'start', config: {} },
    { id: 't', kind: 'task', config: { title: 'T', assignee: { type: 'role', role: 'rep' }, outcomes: [{ key: 'done', label: 'Done' }], sla } },
    { id: 'w', kind: 'delay', config: { duration: delay } },
    { id: 'e', kind: 'end', config: { outcome: 'closed' } },
  ],
  edges: [
    { id: 'e1', source: 's', sourceHandle: 'next', target: 't' },
    { id: 'e2', source: 't', sourceHandle: 'done', target: 'w' },
    { id: 'e3', source: 'w', sourceHandle: 'next', target: 'e' },
  ],
});
const problems = (g: unknown) => compilePlaybook(g).problems.map((p) => `${p.path.join('.')}: ${p.message}`);

describe('duration ranges', () => {
  it.each(['P100000W', 'PT9007199254740993S', 'P99999999999999999999W', `P${MAX_DURATION_DAYS + 1}D`, 'P521W7D'])(
    'refuses %s as a task SLA and as a wait, with the path',
    (text) => {
      expect(problems(graphWith(text, text))).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^nodes\.1\.config\.sla: .*at most ten years/),
          expect.stringMatching(/^nodes\.2\.config\.duration: .*at most ten years/),
        ]),
      );
    },
  );

  it('refuses zero', () => {
    expect(problems(graphWith('PT0S', 'P0D'))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^nodes\.1\.config\.sla: .*longer than zero/),
        expect.stringMatching(/^nodes\.2\.config\.duration: .*longer than zero/),
      ]),
    );
  });

  it('accepts everything up to ten years', () => {
    expect(problems(graphWith(`P${MAX_DURATION_DAYS}D`, 'PT1S'))).toEqual([]);
    expect(parseDuration('P52W')).toBe(52 * 7 * 86_400_000);
    expect(parseDuration('P2DT12H30M5S')).toBe((((2 * 24 + 12) * 60 + 30) * 60 + 5) * 1000);
  });

  it('the timeline tells a history with dates no Date can hold, without throwing', () => {
    const payload = (value: unknown) => ({
      payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify(value)).toString('base64') }],
    });
    const task = {
      taskKey: 'task-1',
      stepId: 's1',
      nodeId: 't',
      title: 'T',
      instructions: '',
      assignee: { role: 'rep', department: 'after_sales', userId: null },
      outcomes: [],
      form: [],
      dueAt: 1e20,
      priority: 'normal',
    };
    const history = {
      events: [
        {
          eventId: '1',
          eventTime: '2025-01-01T00:00:00Z',
          eventType: 'EVENT_TYPE_TIMER_STARTED',
          timerStartedEventAttributes: { timerId: 'x', startToFireTimeout: '99999999999999999999s' },
        },
        {
          eventId: '2',
          eventTime: '2025-01-01T00:00:00Z',
          eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
          activityTaskScheduledEventAttributes: {
            input: payload({ transition: 1, commands: [{ type: 'create_task', task }], variables: {}, currentNodeIds: ['t'] }),
          },
        },
      ],
    };
    const story = buildStory(history, null);
    expect(story.timeline.map((e) => e.summary)).toEqual(['Task "T" for rep (after_sales), with a due date out of range']);
    expect(story.snapshots[0].nextTimerAt).toBeNull();
  });
});
