/**
 * A thread of the compile pool (server/compilePool.ts): validates and compiles graphs off the API's
 * event loop, and serialises the large parts (the plan, the stored graph) here too, so the API's
 * thread only passes strings along. Worker threads start without the TypeScript loader the API may
 * run under (jest, or a plain `node`): tsx's CommonJS hook is registered when `.ts` cannot be required yet.
 */
if (!require.extensions['.ts']) require('tsx/cjs/api').register();
const { compilePlaybook } = require('../playbooks/compile');
const { PlaybookGraph } = require('../playbooks/graph');
const { problemsFromZod } = require('../playbooks/problems');

function pooled(result) {
  const { plan, ...rest } = result;
  return { ...rest, hash: plan ? plan.hash : null, planJson: plan ? JSON.stringify(plan) : null };
}

/** compilePlaybook(graph, directory), the plan as JSON text. */
function compile({ graph, directory }) {
  return pooled(compilePlaybook(graph, directory));
}

/** The same for a graph stored as JSON text (a draft read from PostgreSQL). */
function compileJson({ graph, directory }) {
  return compile({ graph: JSON.parse(graph), directory });
}

/** A draft's graph: its shape as stored (defaults filled in) or the shape's problems, and its compile result. */
function checkDraft({ graph, directory }) {
  const parsed = PlaybookGraph.safeParse(graph);
  if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error.issues, ['graph']) };
  return { ok: true, graphJson: JSON.stringify(parsed.data), compiled: pooled(compilePlaybook(parsed.data, directory)) };
}

module.exports = { compile, compileJson, checkDraft };
