/**
 * Two projects. `unit` needs no services: pure playbooks, editor logic and the server's pure rules;
 * it runs in seconds (`npm run test:unit`). `integration` shares one PostgreSQL and one Temporal dev
 * server started in globalSetup, which only this project runs (`npm run test:integration`, in band:
 * the services are shared). A test file is integration unless it is listed here as unit, so a new
 * file always gets the services. A unit file that reaches for one finds TEST_* unset and fails at
 * once (tests/support/product.ts `env()`); a hang fails at the unit timeout, and `--forceExit` in
 * test:unit keeps a process it left behind (a half-started service) from holding the run open.
 */
const UNIT = {
  folders: ['tests/playbooks', 'tests/editor'],
  files: ['tests/server/config.test.ts', 'tests/server/temporalErrors.test.ts', 'tests/workflows/redeliverUpdates.test.ts'],
};

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022' } }] },
};

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

module.exports = {
  // Jest 30 takes the test timeout from the top level only (a project's own is ignored): the
  // integration suites wait for real services and weeks of skipped time, so they need it long.
  testTimeout: 120000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [...UNIT.folders.map((f) => `<rootDir>/${f}/**/*.test.ts`), ...UNIT.files.map((f) => `<rootDir>/${f}`)],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        ...UNIT.folders.map((f) => `^${escape(`${__dirname}/${f}/`)}`),
        ...UNIT.files.map((f) => `^${escape(`${__dirname}/${f}`)}$`),
      ],
      globalSetup: '<rootDir>/tests/support/globalSetup.ts',
      globalTeardown: '<rootDir>/tests/support/globalTeardown.ts',
    },
  ],
};
