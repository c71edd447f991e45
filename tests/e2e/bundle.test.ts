import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * What a browser downloads before the first screen paints: the entry script and the chunks the page
 * preloads. Each area (inbox, designer, audit, dashboard) is its own chunk and elkjs loads on the first
 * auto-layout, so a rep opening the inbox on a slow line does not fetch the designer. Reads the build
 * that `npm test` makes before jest (`npm run build:editor`).
 */
const dist = path.resolve(__dirname, '..', '..', 'dist', 'editor');
const LIMIT_BYTES = 500 * 1024;

describe('the editor bundle', () => {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/?([^"]+\.js)"/g)].map((m) => m[1]);

  it('loads at most 500 kB of JavaScript before the first screen', () => {
    expect(initial.length).toBeGreaterThan(0);
    const bytes = initial.reduce((sum, file) => sum + statSync(path.join(dist, file)).size, 0);
    expect({ bytes, withinLimit: bytes <= LIMIT_BYTES }).toEqual({ bytes, withinLimit: true });
  });

  it('leaves the layout engine and the designer out of the first download', () => {
    expect(initial.filter((f) => /elk|Designer/i.test(f))).toEqual([]);
  });
});
