import { api } from './api';
import { prefetchPlaybook } from './designer/designerApi';
import { chunkOfRoute } from './routePages';
import { parseRoute } from './router';
import type { User } from './types';

/**
 * What a page load needs from the network, asked for before the rest of the bundle runs: main.tsx
 * imports this module first, so the session check, the chunk of the page the link opens on and the
 * designer's draft are in flight while React and the app are still being evaluated (~250 ms of
 * script on a 2-core machine), rather than after. A signed-out visitor's 401 on the draft is
 * dropped, and the page fetches again after signing in.
 */
const opening = typeof window === 'undefined' ? null : parseRoute(window.location.hash);
const openingChunk: Promise<unknown> = opening ? (chunkOfRoute[opening.name]?.() ?? Promise.resolve()) : Promise.resolve();
openingChunk.catch(() => undefined);
if (opening?.name === 'playbookEdit') prefetchPlaybook(opening.key);

/**
 * The first session check. A signed-in user is reported once the opening page's chunk is also
 * there (or failed), so the page renders at once instead of through Suspense's fallback, which
 * React holds for at least 300 ms once shown: a designer link waited ~200 ms for nothing when the
 * session answered before the chunk. A signed-out visitor gets the login form without waiting.
 */
export const firstSessionCheck: Promise<User | null> | null =
  typeof window === 'undefined'
    ? null
    : api.me().then((user) =>
        user
          ? openingChunk.then(
              () => user,
              () => user,
            )
          : user,
      );
firstSessionCheck?.catch(() => undefined);
