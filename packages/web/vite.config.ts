import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Workspace packages resolve to their TypeScript sources (the `tessera-source` export condition),
// so building the UI does not need packages/client built first.
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['tessera-source', 'module', 'browser', 'development|production'] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  logLevel: 'warn',
});
