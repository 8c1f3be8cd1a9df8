import { defineConfig, loadEnv } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The dev server proxies /v1 to the API so the browser talks to one origin, as in
 * production, where the API serves the built files itself (WEB_DIST_DIR).
 */
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), 'QADAGA_');
  const api = env['QADAGA_API_URL'] ?? 'http://127.0.0.1:3000';
  return {
    root: import.meta.dirname,
    plugins: [react()],
    server: { proxy: { '/v1': { target: api, changeOrigin: false } } },
    preview: { proxy: { '/v1': { target: api, changeOrigin: false } } },
    build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
  };
});
