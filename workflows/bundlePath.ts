import path from 'node:path';

/** The workflow bundle's entry, for workers and replayers (never imported by the workflow code itself). */
export const WORKFLOWS_PATH = path.resolve(__dirname, 'index.ts');
