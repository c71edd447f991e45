import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Who may import whom (the folder table in the README): each folder lists the top-level folders of
 * ours it may not reach. Imports between our folders are relative, so a `../` path that lands on a
 * forbidden folder fails lint. scripts/ and tests/ may import anything.
 */
const OURS = ['playbooks', 'workflows', 'platform', 'contract', 'workers', 'server', 'editor', 'scripts', 'tests'];
const MAY_IMPORT = {
  playbooks: [],
  workflows: ['playbooks'],
  platform: ['playbooks'],
  contract: ['playbooks'],
  workers: ['playbooks', 'workflows', 'platform'],
  server: ['playbooks', 'workflows', 'platform', 'contract'],
  editor: ['playbooks', 'contract'],
};
const boundaries = Object.entries(MAY_IMPORT).map(([folder, allowed]) => {
  const forbidden = OURS.filter((other) => other !== folder && !allowed.includes(other));
  return {
    files: [`${folder}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
              message: `${folder}/ may import ${allowed.length ? `only ${allowed.map((a) => `${a}/`).join(', ')}` : 'nothing of ours'} (the folder list in the README).`,
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', '.tools/**', 'dist/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Typed rules read the TypeScript program: a promise nobody awaits is a failure nobody sees.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['editor/vite.config.mts'] }, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...boundaries,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
