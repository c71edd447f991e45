import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../platform/config';
import { ROOT } from '../../scripts/services';

/** Secrets are never defaults outside the embedded demo; the demo makes its own, once. */
const run = promisify(execFile);
const STRONG = 'q8V2nZ-3kLr9XwPf7TbY1sHcJ0uMeAdG4oRi6';
const OLD_DEFAULT = 'embedded-default-link-secret-change-me';
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'retention-config-'));

describe('configuration', () => {
  describe('production mode', () => {
    const prod = (env: NodeJS.ProcessEnv) => () => loadConfig({ PUBLIC_URL: 'https://retention.example.org', ...env }, 'production');

    it('refuses to start without a strong LINK_SECRET', () => {
      expect(prod({})).toThrow(/LINK_SECRET: is not set/);
      expect(prod({ LINK_SECRET: '' })).toThrow(/LINK_SECRET: is not set/);
      expect(prod({ LINK_SECRET: OLD_DEFAULT })).toThrow(/LINK_SECRET: is a shipped default/);
      expect(prod({ LINK_SECRET: 'short-but-random-9f8e' })).toThrow(/shorter than 32/);
      expect(prod({ LINK_SECRET: 'a'.repeat(48) })).toThrow(/does not look random/);
      expect(prod({ LINK_SECRET: 'please-change-me-before-going-live-now' })).toThrow(/placeholder/);
    });

    it('refuses to start without PUBLIC_URL', () => {
      expect(() => loadConfig({ LINK_SECRET: STRONG }, 'production')).toThrow(/PUBLIC_URL: is not set/);
    });

    it('starts with both, and NODE_ENV=production means production', () => {
      expect(prod({ LINK_SECRET: STRONG })()).toMatchObject({ MODE: 'production', LINK_SECRET: STRONG, PUBLIC_URL: 'https://retention.example.org' });
      expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/refusing to start \(production mode\)/);
    });

    it.each([['server/main.ts'], ['workers/main.ts']])('%s refuses to start without the secrets, before touching any service', async (entry) => {
      const env = { PATH: process.env.PATH, DATABASE_URL: 'postgres://nobody:x@127.0.0.1:1/none', TEMPORAL_ADDRESS: '127.0.0.1:1', DATA_DIR: tmp() };
      const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
      const failed = await run(process.execPath, [tsx, path.join(ROOT, entry)], { cwd: ROOT, env, timeout: 60_000 }).then(
        () => null,
        (err: { code: number; stderr: string }) => err,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toMatch(/refusing to start \(production mode\)/);
      expect(failed?.stderr).toMatch(/LINK_SECRET: is not set/);
      expect(failed?.stderr).toMatch(/PUBLIC_URL: is not set/);
    });
  });

  describe('embedded mode', () => {
    it('generates a random link secret once under the data folder and reuses it', () => {
      const dir = tmp();
      const first = loadConfig({ DATA_DIR: dir }, 'embedded');
      expect(first.LINK_SECRET).not.toBe(OLD_DEFAULT);
      expect(first.LINK_SECRET.length).toBeGreaterThanOrEqual(32);
      expect(readFileSync(path.join(dir, 'link-secret'), 'utf8')).toBe(first.LINK_SECRET);
      expect(statSync(path.join(dir, 'link-secret')).mode & 0o077).toBe(0);
      expect(loadConfig({ DATA_DIR: dir }, 'embedded').LINK_SECRET).toBe(first.LINK_SECRET);
      expect(loadConfig({ DATA_DIR: tmp() }, 'embedded').LINK_SECRET).not.toBe(first.LINK_SECRET);
    });

    it('never takes the old shipped default, even when it is set explicitly', () => {
      expect(() => loadConfig({ DATA_DIR: tmp(), LINK_SECRET: OLD_DEFAULT }, 'embedded')).toThrow(/shipped default/);
    });

    it('PUBLIC_URL follows HOST and PORT unless set', () => {
      const dir = tmp();
      expect(loadConfig({ DATA_DIR: dir, PORT: '4123' }, 'embedded').PUBLIC_URL).toBe('http://127.0.0.1:4123');
      expect(loadConfig({ DATA_DIR: dir, PORT: '4123', HOST: '0.0.0.0' }, 'embedded').PUBLIC_URL).toBe('http://localhost:4123');
      expect(loadConfig({ DATA_DIR: dir, PORT: '4123', PUBLIC_URL: 'https://demo.example.org' }, 'embedded').PUBLIC_URL).toBe('https://demo.example.org');
    });
  });
});
