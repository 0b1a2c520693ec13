// Builds the web console into dist/console, which `opentrail serve` serves under /console/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  // Preact's automatic JSX runtime (tsconfig's jsxImportSource is for the type checker).
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    // No source maps in what is served; the console is small enough to read.
    sourcemap: false,
  },
  logLevel: 'warn',
});
