/**
 * Shapes of what the API sends. They mirror the server's JSON contract rather than importing
 * the server's zod schemas, so the browser bundle never pulls in server code.
 */

export type Role = 'ops_manager' | 'rep' | 'department_head' | 'auditor' | 'admin' | (string & {});

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  department: string | null;
}

export interface LoginResponse {
  token: string;
  expiresAt: string;
  user: User;
}

export interface GraphNode {
  id: string;
  kind: string;
  name?: string;
  position: { x: number; y: number };
  config: Record<string, unknown>;
}

export interface GraphEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
}

export interface PlaybookGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface Problem {
  code: string;
  message: string;
  path: (string | number)[];
  nodeId?: string;
  edgeId?: string;
}

export interface PlaybookSummary {
  key: string;
  name: string;
  description: string;
  draftRevision: number;
  updatedAt: string;
  latestVersion: number | null;
}

export interface VersionSummary {
  version: number;
  hash: string;
  publishedBy: string;
  publishedAt: string;
}

export interface PlaybookDetail {
  key: string;
  name: string;
  description: string;
  draft: { graph: PlaybookGraph; revision: number; updatedAt: string; updatedBy: string };
  problems: Problem[];
  worstCaseDurationMs: number;
  versions: VersionSummary[];
}

export interface PlaybookVersion {
  key: string;
  name: string;
  version: number;
  graph: PlaybookGraph;
  /** The compiled plan; the editor only shows the graph, so its shape stays opaque here. */
  plan: unknown;
  hash: string;
  publishedBy: string;
  publishedAt: string;
}
