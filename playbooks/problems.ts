/** A problem found in a playbook graph or a request body, pinned to where it is. */
export type PathSegment = string | number;

export interface Problem {
  code: string;
  message: string;
  /** JSON path into the submitted document, e.g. ["nodes", 3, "config", "outcomes"]. */
  path: PathSegment[];
  nodeId?: string;
  edgeId?: string;
}

/** zod issues → problems, so HTTP bodies and graphs report errors the same way. */
export function problemsFromZod(
  issues: ReadonlyArray<{ code: string; message: string; path: ReadonlyArray<PropertyKey> }>,
  prefix: PathSegment[] = [],
): Problem[] {
  return issues.map((issue) => ({
    code: `invalid_${issue.code}`,
    message: issue.message,
    path: [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))],
  }));
}
