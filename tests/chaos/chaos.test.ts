import { formatReport, runCampaign, type CampaignReport } from '../../scripts/chaos/campaign';

/**
 * The fault campaign, short: 40 scripted attempts while a worker is killed 3×, PostgreSQL crashes
 * once, the Temporal server is SIGKILLed once and the API is killed once. Its own services on free
 * ports (not the suite's); the same code as `npm run chaos`, on a fixed seed (CHAOS_SEED picks another).
 */
describe('fault campaign', () => {
  it('loses nothing, doubles nothing, answers no 500 and ends every attempt as scripted', async () => {
    // A fixed schedule in CI, so a red build names a defect, not a dice roll; `npm run chaos` explores new seeds.
    const seed = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : 525205284;
    const lines: string[] = [];
    let report: CampaignReport | null = null;
    try {
      report = await runCampaign({
        seed,
        attempts: 40,
        faults: { worker: 3, postgres: 1, temporal: 1, api: 1 },
        workers: 2,
        concurrency: 12,
        maxMinutes: 4,
        gapMs: [1000, 5000],
        workflowBundle: process.env.TEST_WORKFLOW_BUNDLE,
        say: (line) => lines.push(line),
      });
    } finally {
      // The whole story when it fails; the summary when it passes.
      console.log(report ? `${report.ok ? '' : `${lines.join('\n')}\n`}${formatReport(report)}` : lines.join('\n'));
    }
    expect(report.failures).toEqual([]);
    expect(report.findings).toEqual([]);
    expect(report.requests.serverErrors).toEqual([]);
    expect(report.faults.byKind).toEqual({ worker: 3, postgres: 1, temporal: 1, api: 1 });
    expect(report.attempts.total).toBe(40);
    expect(report.attempts.asScripted).toBe(40);
    expect(report.ok).toBe(true);
  }, 300_000);
});
