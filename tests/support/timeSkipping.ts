import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { WorkflowNotFoundError, type WorkflowClientInterceptor } from '@temporalio/client';
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
        client: { interceptors: { workflow: [redeliverDroppedUpdates] } },
      });
    } catch (err) {
      if (i >= tries || !/did not start within/.test(String(err))) throw err;
    }
  }
}

/**
 * The Java test server forgets an Update whose workflow task timed out and answers the caller
 * "update … not found"; the real server hands it to the next workflow task instead, so the product
 * never sees this. The task timeout is a timer the test server skips like any other, so it fires
 * whenever time skips while a worker holds a task (or a loaded machine takes long), and a test's
 * Update failed for the test server's reason, not the product's. Sending it again under the same
 * Update id is what the real server does: the workflow applies one Update per id.
 */
export const redeliverDroppedUpdates: WorkflowClientInterceptor = {
  async startUpdate(input, next) {
    const options = { ...input.options, updateId: input.options.updateId ?? randomUUID() };
    for (let attempt = 1; ; attempt++) {
      try {
        return await next({ ...input, options });
      } catch (err) {
        if (attempt >= 5 || !(err instanceof WorkflowNotFoundError) || !/^update .* not found/.test(err.message)) throw err;
      }
    }
  },
};
