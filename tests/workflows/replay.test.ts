import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { env, quietRuntime } from '../support/product';
import { IGNORED_SNAPSHOTS } from '../../server/audit/replay';

const dir = path.resolve(__dirname, '..', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

/** Recorded runs replayed through today's workflow code: sleeping runs must keep working. */
describe('replay corpus', () => {
  beforeAll(() => quietRuntime());

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it('replays every recorded history without non-determinism', async () => {
    const histories = files.map((f) => ({ workflowId: f, history: JSON.parse(readFileSync(path.join(dir, f), 'utf8')) }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: env().workflowBundle }, sinks: IGNORED_SNAPSHOTS }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
