import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/**
 * The app is static files (dist/) that talk to the API over REST and Socket.IO; the API's origin comes from the
 * page at run time (see src/config.ts), so one build serves every deployment. ECharts is split from the pages
 * that do not draw heat maps or bars, so the first page loads without it.
 */
export default defineConfig({
  plugins: [vue()],
  base: './',
  build: { target: 'es2022', chunkSizeWarningLimit: 1200 },
  server: { port: 5173 },
});
