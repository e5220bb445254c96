// Renderer build. No React plugin: Vite's esbuild compiles TSX with the automatic JSX runtime.
// Paths are anchored to this file, so the build works from any working directory (scripts/build.mjs).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./renderer'),
  base: './',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: here('./dist/renderer'),
    emptyOutDir: true,
    // No inline scripts and no injected module-preload polyfill: the page runs under a strict CSP.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'chrome120',
    sourcemap: false,
  },
  server: { host: '127.0.0.1' },
});
