import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureSearchAttributes } from '../../server/searchAttributes';

/**
 * Temporal's Java test server with time skipping, fetched from Maven Central by scripts/setup.sh:
 * a run that sleeps for weeks finishes in seconds. The product's search attributes are registered
 * on it as on any cluster, since the workflow upserts them.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await startWithin5s();
  await ensureSearchAttributes(env.client, env.namespace ?? 'default');
  return env;
}

/**
 * The SDK gives the server 5 s to listen, and a JVM on a loaded 2-core machine sometimes needs
 * more; the failure names the startup, so a second or third start is the honest remedy (a server
 * that truly cannot start still fails, with the SDK's own message).
 */
async function startWithin5s(tries = 3): Promise<TestWorkflowEnvironment> {
  for (let i = 1; ; i++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: path.resolve(__dirname, '..', '..', 'tools', 'test-server', 'temporal-test-server.sh') } },
      });
    } catch (err) {
      if (i >= tries || !/did not start within/.test(String(err))) throw err;
    }
  }
}
