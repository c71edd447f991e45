import { admission, MAX_RETRY_AFTER_SECONDS, StartGate } from '../../platform/startGate';

/** The gate's decision and bookkeeping, with a backlog the test sets (no services). */
describe('start gate decision', () => {
  it('admits below the limit and refuses at it, with a Retry-After that grows with the excess', () => {
    expect(admission(0, 10)).toEqual({ admit: true, backlog: 0 });
    expect(admission(9, 10)).toEqual({ admit: true, backlog: 9 });
    const atLimit = admission(10, 10);
    expect(atLimit).toEqual({ admit: false, backlog: 10, retryAfterSeconds: 1 });
    const farOver = admission(40, 10);
    expect(farOver.admit).toBe(false);
    if (!farOver.admit) expect(farOver.retryAfterSeconds).toBeGreaterThan(1);
    const hopeless = admission(1_000_000, 10);
    expect(hopeless.admit === false && hopeless.retryAfterSeconds).toBe(MAX_RETRY_AFTER_SECONDS);
  });

  it('reuses one measure for a moment and counts the starts it admitted on top of it', async () => {
    let backlog = 0;
    let measures = 0;
    const gate = new StartGate({
      limit: 3,
      reuseMs: 60_000,
      measure: async () => {
        measures++;
        return backlog;
      },
    });
    // Three concurrent starts on one stale measure of 0: the third would be the limit's third, the fourth is refused.
    const decisions = await Promise.all([gate.tryAdmit(), gate.tryAdmit(), gate.tryAdmit(), gate.tryAdmit()]);
    expect(decisions.map((d) => d.admit)).toEqual([true, true, true, false]);
    expect(measures).toBe(1);
    backlog = 0; // drained, but the measure is still being reused: the gate stays shut until it asks again
    expect((await gate.tryAdmit()).admit).toBe(false);
  });

  it('asks again after reuseMs and forgets admissions the new measure includes', async () => {
    let backlog = 2;
    const gate = new StartGate({ limit: 3, reuseMs: 20, measure: async () => backlog });
    expect((await gate.tryAdmit()).admit).toBe(true); // 2 measured + 0 admitted
    expect((await gate.tryAdmit()).admit).toBe(false); // 2 + 1
    backlog = 1; // the admitted start settled into the system's own count
    await new Promise((r) => setTimeout(r, 30));
    expect(await gate.tryAdmit()).toEqual({ admit: true, backlog: 1 });
  });

  it('charges a trigger for every start it admits at once, and counted() for starts known later', async () => {
    const gate = new StartGate({ limit: 5, reuseMs: 60_000, measure: async () => 0 });
    expect((await gate.tryAdmit(4)).admit).toBe(true);
    expect((await gate.tryAdmit()).admit).toBe(true); // 4 < 5
    expect((await gate.tryAdmit()).admit).toBe(false); // 5
    const other = new StartGate({ limit: 5, reuseMs: 60_000, measure: async () => 0 });
    expect((await other.tryAdmit()).admit).toBe(true);
    other.counted(4);
    expect((await other.tryAdmit()).backlog).toBe(5);
  });

  it('admits when the backlog cannot be measured, and says so', async () => {
    const errors: unknown[] = [];
    const gate = new StartGate({
      limit: 1,
      measure: async () => {
        throw new Error('Temporal away');
      },
      onMeasureError: (err) => errors.push(err),
    });
    expect((await gate.tryAdmit()).admit).toBe(true);
    expect(errors).toHaveLength(1);
  });

  it('waits for room (beating while it waits) and gives up with the last refusal at its deadline', async () => {
    let backlog = 5;
    const gate = new StartGate({ limit: 5, reuseMs: 0, measure: async () => backlog });
    let beats = 0;
    setTimeout(() => (backlog = 0), 1200);
    const admitted = await gate.waitForAdmission(1, 10_000, () => beats++);
    expect(admitted.admit).toBe(true);
    expect(beats).toBeGreaterThan(0);

    backlog = 50;
    const started = Date.now();
    const refused = await gate.waitForAdmission(1, 300);
    expect(refused.admit).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
