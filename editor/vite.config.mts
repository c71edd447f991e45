import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The config lives next to index.html, so the editor root is this file's folder wherever vite is run from.
const root = fileURLToPath(new URL('.', import.meta.url));
const api = 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    // The API server serves dist/editor at `/` when it exists.
    outDir: fileURLToPath(new URL('../dist/editor', import.meta.url)),
    emptyOutDir: true,
    // elkjs (1.4 MB) is the one large chunk, and it loads on the first auto-layout only; the initial
    // download is held under 500 kB by tests/e2e/bundle.test.ts.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': api,
      '/healthz': api,
    },
  },
});
