import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureSearchAttributes } from '../../server/searchAttributes';

/**
 * Temporal's Java test server with time skipping, fetched from Maven Central by scripts/setup.sh:
 * a run that sleeps for weeks finishes in seconds. The product's search attributes are registered
 * on it as on any cluster, since the workflow upserts them.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: path.resolve(__dirname, '..', '..', 'tools', 'test-server', 'temporal-test-server.sh') } },
  });
  await ensureSearchAttributes(env.client, env.namespace ?? 'default');
  return env;
}
