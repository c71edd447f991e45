import type { PlaybookGraph } from '../graph';
import { callBackGraph } from './callBack';

export interface PlaybookTemplate {
  key: string;
  name: string;
  description: string;
  graph: PlaybookGraph;
}

/** Seeded in the embedded default and offered in the editor's "new from template". */
export const TEMPLATES: PlaybookTemplate[] = [
  { key: 'call-back', name: 'Call-back', description: 'A rep calls an at-risk customer back and records whether they were reached.', graph: callBackGraph },
];
