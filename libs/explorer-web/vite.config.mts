import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The explorer is a static page: everything it loads is bundled here, nothing comes from a CDN,
// and the query gateway serves the output at `/` (see libs/query-api's explorer-page.ts).
const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../../dist/explorer-web', import.meta.url)),
    emptyOutDir: true,
    // Chart.js and Cytoscape are large; one chunk for the page keeps the gateway's file list short.
    chunkSizeWarningLimit: 1500,
  },
});
