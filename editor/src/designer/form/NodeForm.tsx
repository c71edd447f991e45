import { useEffect, useMemo } from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { FormProvider, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { findNodeKind } from '../../../../playbooks/nodes';
import type { GraphNode, PlaybookGraph, Problem } from '../../types';
import { fieldsFor } from './fields';
import { FieldView } from './FieldView';
import { useDepartments } from '../../useDepartments';
import { FormCtx } from './FormContext';

type ConfigValues = Record<string, unknown>;
type ConfigSchema = z.ZodType<ConfigValues, ConfigValues>;

interface Props {
  node: GraphNode;
  /** Index of the node in the graph: compile problems name config paths as ['nodes', index, 'config', ...]. */
  index: number;
  graph: PlaybookGraph;
  problems: readonly Problem[];
  onConfigChange: (config: ConfigValues) => void;
}

/** zod's default messages are for programmers; an ops manager needs "Required". */
function friendlyMessage(issue: { code?: string; origin?: string; minimum?: unknown; input?: unknown }): string | undefined {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'Required';
  if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) return 'Required';
  if (issue.code === 'too_small' && issue.origin === 'array') return `Add at least ${String(issue.minimum)}`;
  return undefined;
}

/** Problems whose path points into this node's config, keyed by the form path ("outcomes.0.key"). */
function problemsByConfigPath(problems: readonly Problem[], index: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of problems) {
    if (p.path[0] !== 'nodes' || p.path[1] !== index || p.path[2] !== 'config' || p.path.length < 4) continue;
    const key = p.path.slice(3).join('.');
    out.set(key, [...(out.get(key) ?? []), p.message]);
  }
  return out;
}

/**
 * The settings of one node, generated from its kind's zod schema and validated by the same schema
 * on every change. Every change goes straight into the graph (valid or not): the compiler's
 * problems list is what stops a publish, and half-finished work must autosave too.
 */
export function NodeForm({ node, index, graph, problems, onConfigChange }: Props) {
  const kind = findNodeKind(node.kind);
  const fields = useMemo(() => (kind ? fieldsFor(kind) : []), [kind]);
  const resolver = useMemo(
    () => (kind ? zodResolver(kind.config as unknown as ConfigSchema, { error: (issue) => friendlyMessage(issue) }) : undefined),
    [kind],
  );
  const form = useForm<ConfigValues>({ defaultValues: node.config, resolver, mode: 'onChange' });

  // Show what is wrong with a loaded config at once, not only after the first keystroke.
  useEffect(() => {
    void form.trigger();
  }, [form]);

  useEffect(() => {
    const sub = form.watch((values) => onConfigChange(JSON.parse(JSON.stringify(values)) as ConfigValues));
    return () => sub.unsubscribe();
  }, [form, onConfigChange]);

  const departments = useDepartments().list;
  const ctx = useMemo(() => ({ graph, problemsByPath: problemsByConfigPath(problems, index), departments }), [graph, problems, index, departments]);

  if (!kind) {
    return (
      <div className="status status--inline">
        <strong>Unknown node kind "{node.kind}"</strong>
        <pre className="json">{JSON.stringify(node.config, null, 2)}</pre>
      </div>
    );
  }
  if (fields.length === 0) return <p className="muted small">This step has no settings.</p>;
  return (
    <FormProvider {...form}>
      <FormCtx.Provider value={ctx}>
        <form className="node-form" onSubmit={(e) => e.preventDefault()} aria-label={`${kind.label} settings`}>
          {fields.map((f) => (
            <FieldView key={f.key} field={f} path={f.key} />
          ))}
        </form>
      </FormCtx.Provider>
    </FormProvider>
  );
}
