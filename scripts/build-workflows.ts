import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../workflows/bundlePath';

/**
 * npm run build:workflows [out]: the workflow code bundled once (webpack), for images. Workers and the
 * replay verifier given WORKFLOW_BUNDLE load it instead of bundling at start. Rebuild it with the code:
 * a bundle from other sources would replay histories against the wrong workflow.
 */
async function main() {
  const out = path.resolve(process.argv[2] ?? path.join('dist', 'workflow-bundle.js'));
  const quiet = () => undefined;
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: { log: quiet, info: quiet, warn: console.warn, error: console.error, debug: quiet, trace: quiet },
  });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, code);
  console.log(`workflow bundle: ${out} (${(code.length / 1024 / 1024).toFixed(2)} MB)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
