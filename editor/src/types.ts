/**
 * What the API sends, as the contract declares it (contract/*.ts): the types are inferred from the
 * same zod schemas the server's responses are checked against. Type-only imports, so the browser
 * bundle pulls in no schema code.
 */
export type { Role } from '../../contract/roles';
export type { User, LoginResponse } from '../../contract/auth';
export type { Problem } from '../../contract/common';
export type {
  GraphEdge,
  GraphNode,
  PlaybookDetail,
  PlaybookGraph,
  PlaybookSummary,
  PlaybookVersion,
  Published,
  VersionSummary,
} from '../../contract/playbooks';
