import { useCallback, useState } from 'react';
import { ApiError, errorMessage } from '../api';
import type { PlaybookGraph, Problem, VersionSummary } from '../types';
import { loadPlaybook, publish } from './designerApi';

export interface Notice {
  kind: 'ok' | 'error' | 'info';
  text: string;
}

/**
 * Publish what is on the screen: save the draft first (publishing reads the saved draft), then
 * publish, then refresh the version list. The server's 422 problems are shown like the live ones.
 */
export function usePublish(playbookKey: string, flush: () => Promise<boolean>, onVersions: (v: VersionSummary[]) => void, onNotice: (n: Notice) => void) {
  const [publishing, setPublishing] = useState(false);
  // The server's verdict belongs to the graph that was published; the next edit makes it stale.
  const [serverProblems, setServerProblems] = useState<{ graph: PlaybookGraph; problems: Problem[] } | null>(null);

  const run = useCallback(
    async (graph: PlaybookGraph) => {
      setPublishing(true);
      setServerProblems(null);
      try {
        if (!(await flush())) {
          onNotice({ kind: 'error', text: 'The draft could not be saved, so it was not published.' });
          return;
        }
        const result = await publish(playbookKey);
        onNotice(
          result.unchanged
            ? { kind: 'info', text: `Nothing changed since version ${result.version}: no new version.` }
            : { kind: 'ok', text: `Published version ${result.version}.` },
        );
        onVersions((await loadPlaybook(playbookKey)).detail.versions);
      } catch (e) {
        if (e instanceof ApiError && e.code === 'playbook_has_problems') {
          const problems = ((e.details as { problems?: Problem[] } | undefined)?.problems ?? []) as Problem[];
          setServerProblems({ graph, problems });
          onNotice({ kind: 'error', text: `The server found ${problems.length} problem(s); nothing was published.` });
        } else {
          onNotice({ kind: 'error', text: `Publishing failed: ${errorMessage(e)}` });
        }
      } finally {
        setPublishing(false);
      }
    },
    [playbookKey, flush, onVersions, onNotice],
  );

  return { publishing, serverProblems, publish: run };
}
