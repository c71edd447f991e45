import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { ROOT } from '../../services';
import { silentLogger } from '../support';

export const BARE_QUEUE = 'bench-bare';

/**
 * The baselines' workflows, bundled on their own: `bareSleep` does what any workflow does before it
 * sleeps (one activity) and nothing else; `bareAnswer` counts the `answer` Signals it gets and tells
 * the count by the `answers` Query, the bare round trip beside a customer answer reaching the inbox.
 */
const BARE_WORKFLOWS = `const { proxyActivities, sleep, defineSignal, defineQuery, setHandler } = require('@temporalio/workflow');
const { asleep } = proxyActivities({ startToCloseTimeout: '1 minute' });
exports.bareSleep = async function bareSleep() { await asleep(); await sleep('30 days'); };
exports.bareAnswer = async function bareAnswer() {
  let answers = 0;
  setHandler(defineSignal('answer'), () => { answers++; });
  setHandler(defineQuery('answers'), () => answers);
  await sleep('30 days');
};
`;

export interface BareWorker {
  /** How many trivial workflows have run their activity (and so sleep now). */
  asleep(): number;
  stop(): Promise<void>;
}

/** A worker of the baseline workflows, on its own task queue, with the product worker's cache size. */
export async function bareWorker(dir: string, address: string, maxCachedWorkflows: number): Promise<BareWorker> {
  writeFileSync(path.join(dir, 'bare.js'), BARE_WORKFLOWS);
  // webpack resolves @temporalio/workflow from the file's folder up: give it the project's modules.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(dir, 'bare.js'), logger: silentLogger });
  let asleep = 0;
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue: BARE_QUEUE,
    workflowBundle: { code },
    maxCachedWorkflows,
    activities: {
      asleep: async () => {
        asleep++;
      },
    },
  });
  const run = worker.run();
  return {
    asleep: () => asleep,
    stop: async () => {
      worker.shutdown();
      await run;
      await connection.close();
    },
  };
}
