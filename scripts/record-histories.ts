import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { IGNORED_SNAPSHOTS } from '../server/audit/replay';
import { SCENARIOS, runScenario } from '../tests/histories/scenarios';
import { createTimeSkippingEnv } from '../tests/support/timeSkipping';
import type { PersistTransitionInput } from '../workflows/activityContract';
import { WORKFLOWS_PATH } from '../workflows/bundlePath';

/**
 * Records the replay corpus (tests/histories/*.json) from the scenarios, on the time-skipping test
 * server: the scenarios not recorded yet, or those named on the command line. Activities are no-ops here: replay checks the workflow's decisions, not their effects.
 */
async function main() {
  const env = await createTimeSkippingEnv();
  try {
    // Only scenarios without a recording: old recordings are the point (they were made by older code).
    const only = process.argv.slice(2);
    for (const scenario of SCENARIOS) {
      const file = path.resolve(__dirname, '..', 'tests', 'histories', `${scenario.name}.json`);
      if (only.length ? !only.includes(scenario.name) : existsSync(file)) continue;
      const taskQueue = `record-${scenario.name}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowsPath: WORKFLOWS_PATH,
        activities: {
          persistTransition: async () => undefined,
          storeTransition: async (input: PersistTransitionInput) => input,
          recordIncident: async () => undefined,
          settleIncident: async () => undefined,
        },
        sinks: IGNORED_SNAPSHOTS,
      });
      const handle = await worker.runUntil(runScenario(env, scenario, taskQueue));
      const history = await handle.fetchHistory();
      // The CLI's `temporal workflow show --output json` format, so exported histories replay too.
      writeFileSync(file, historyToJSON(temporal.api.history.v1.History.fromObject(history)));
      console.log(`recorded ${scenario.name}: ${history.events?.length} events → ${path.relative(process.cwd(), file)}`);
    }
  } finally {
    await env.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
